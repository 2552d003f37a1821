"""The run catalog: one embedded DuckDB file beside the runs' Parquet folders.

Why: every run must record what produced it (scenario and content hash, fully resolved
parameters, seed, scale, version and commit, times, CPU per process, status, the events its
overrides skipped) and be findable later; the catalog is also a database to query: the views
``daily`` and ``strikes`` read every registered run's Parquet files in place
(``SELECT ... FROM daily WHERE run_id = ...``).

Rules that let any number of runs, ensembles, sweeps, ``runs list`` and the web server share one
runs folder (DuckDB allows one writing process per file, and no reader while it writes):
- writers connect only for the moment of registering a run and retry with backoff when another
  process holds the file; readers connect read-only, also briefly, and never take the write lock;
- the run folders are the truth (each has its ``run.json``): a lost or corrupt catalog is rebuilt
  from them with ``rightful runs rebuild`` (``rebuild`` here), and a corrupt one is reported with
  that advice instead of a traceback;
- a run's path is stored absolute, so it resolves from any working directory; when the runs folder
  has been moved, ``Catalog`` finds each run beside the catalog (by its folder name) and points
  the views at the folder's new place.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

FILE = "catalog.duckdb"
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR PRIMARY KEY, scenario VARCHAR, scenario_hash VARCHAR, seed BIGINT, scale DOUBLE,
  until VARCHAR, overrides JSON, params JSON, version VARCHAR, git_commit VARCHAR,
  started TIMESTAMP, ended TIMESTAMP, wall_s DOUBLE, cpu_per_process JSON, status VARCHAR,
  error VARCHAR, path VARCHAR, agents BIGINT, firms BIGINT, kind VARCHAR, batch VARCHAR
);
ALTER TABLE runs ADD COLUMN IF NOT EXISTS events_skipped JSON;
CREATE TABLE IF NOT EXISTS catalog_info (key VARCHAR PRIMARY KEY, value VARCHAR);
"""
COLUMNS = ("run_id", "scenario", "scenario_hash", "seed", "scale", "until", "overrides", "params",
           "version", "git_commit", "started", "ended", "wall_s", "cpu_per_process", "status", "error",
           "path", "agents", "firms", "kind", "batch", "events_skipped")
RUN_GLOB = "r" + "?" * 12  # run folders: 'r' and 12 hex digits (store.parquet.run_id)
WAIT_S = 60.0  # how long a connection waits for another process to release the file
_LOCKED = ("could not set lock", "conflicting lock", "different configuration", "database is locked")


class CatalogError(RuntimeError):
    """The catalog cannot be used; the message says what to do."""


class CatalogCorrupt(CatalogError):
    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"the catalog {path} cannot be read ({detail.strip().splitlines()[0][:200]}); "
                         f"the run folders are intact: rebuild it from them with "
                         f"'rightful runs rebuild --out {path.parent}'")


class CatalogBusy(CatalogError):
    pass


def _locked(msg: str) -> bool:
    m = msg.lower()
    return any(s in m for s in _LOCKED)


def connect(path: Path, read_only: bool, wait_s: float = WAIT_S) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, waiting with jittered exponential backoff while another process holds
    it; a file DuckDB cannot read raises ``CatalogCorrupt``."""
    deadline = time.monotonic() + wait_s
    delay = 0.01
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as e:
            if not _locked(str(e)):
                raise CatalogCorrupt(path, str(e)) from None
            if time.monotonic() >= deadline:
                raise CatalogBusy(f"the catalog {path} stayed locked by another process for {wait_s:.0f} s "
                                  f"({str(e).splitlines()[0][:200]})") from None
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


def stored_path(root: Path, path: str | Path | None) -> str | None:
    """How a run's folder is stored: absolute, so that ``SELECT path FROM runs`` resolves from any
    working directory."""
    return None if path is None else str(Path(path).resolve())


def resolve_path(root: Path, stored: str | None) -> str | None:
    """The folder of a stored path as it is now: the run's folder beside the catalog when there is
    one (the runs folder may have been moved or copied since), else the path as stored (a relative
    one, as older versions wrote them, taken relative to the catalog)."""
    if not stored:
        return None
    p = Path(stored)
    here = root / p.name
    cand = here if here.is_dir() else (p if p.is_absolute() else root / p)
    return str(cand.resolve() if cand.exists() else cand)


def _row(meta: dict[str, Any], status: str, error: str | None, path: str | None, kind: str,
         batch: str | None) -> dict[str, Any]:
    return {
        "run_id": meta["run_id"], "scenario": meta.get("scenario"),
        "scenario_hash": meta.get("scenario_hash"), "seed": meta.get("seed"),
        "scale": meta.get("scale"), "until": meta.get("until"),
        "overrides": json.dumps(meta.get("overrides") or {}),
        "params": json.dumps(meta.get("params") or {}), "version": meta.get("version"),
        "git_commit": meta.get("git_commit"), "started": meta.get("started"),
        "ended": meta.get("ended"), "wall_s": meta.get("wall_s"),
        "cpu_per_process": json.dumps(meta.get("cpu_per_process") or {}), "status": status,
        "error": error, "path": path, "agents": meta.get("agents"), "firms": meta.get("firms"),
        "kind": kind, "batch": batch,
        "events_skipped": json.dumps(meta.get("events_skipped_for_overrides") or []),
    }


def _view_sql(root: Path, table: str, temp: bool) -> str:
    glob = str(root.resolve() / RUN_GLOB / f"{table}.parquet").replace("'", "''")
    return (f"CREATE OR REPLACE {'TEMP ' if temp else ''}VIEW {table} AS "
            f"SELECT regexp_extract(filename, '([^/\\\\]+)[/\\\\]{table}\\.parquet$', 1) AS run_id, "
            f"* EXCLUDE (filename) FROM read_parquet('{glob}', filename = true, union_by_name = true) "
            f"WHERE run_id IN (SELECT run_id FROM runs WHERE status = 'completed')")


class Catalog:
    """A connection to a runs folder's catalog. Hold it briefly (``with Catalog(out) as cat:``):
    while it is open, other processes wait to write (or, if it writes, to read)."""

    def __init__(self, root: Path | str, read_only: bool = False, wait_s: float = WAIT_S) -> None:
        self.root = Path(root)
        self.path = self.root / FILE
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"no catalog at {self.path} (run 'rightful run' first)")
        if not read_only:
            self.root.mkdir(parents=True, exist_ok=True)
        self.con = connect(self.path, read_only, wait_s)
        if read_only and not self._has_schema():
            # a writer killed after DuckDB made the file and before it wrote the schema: nothing was
            # ever registered in it, so to a reader there is no catalog yet (the next writer makes it)
            self.con.close()
            raise FileNotFoundError(f"the catalog at {self.path} has no tables yet (its writer stopped first)")
        try:
            if not read_only:
                self.con.execute(SCHEMA)
            self._views()
        except duckdb.Error as e:
            self.con.close()
            raise CatalogCorrupt(self.path, str(e)) from None

    def _has_schema(self) -> bool:
        try:
            n = self.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'runs'").fetchone()
        except duckdb.Error:
            return True  # unreadable: let the reads below report it as corrupt
        return bool(n and n[0])

    def _views(self) -> None:
        """The persisted views name the folder's absolute path; where the folder has moved (or an
        older catalog has none), a writer rewrites them and a reader shadows them for itself."""
        here = str(self.root.resolve())
        try:
            stored = self.con.execute("SELECT value FROM catalog_info WHERE key = 'root'").fetchone()
        except duckdb.CatalogException:
            stored = None
        if stored is not None and stored[0] == here:
            return
        if not self._has_run_files():  # a view over no file cannot be made yet
            return
        temp = self.read_only
        for t in ("daily", "strikes"):
            self.con.execute(_view_sql(self.root, t, temp))
        if not temp:
            self.con.execute("INSERT OR REPLACE INTO catalog_info VALUES ('root', ?)", [here])

    def _has_run_files(self) -> bool:
        return any(self.root.glob(f"{RUN_GLOB}/strikes.parquet")) and any(self.root.glob(f"{RUN_GLOB}/daily.parquet"))

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def register(self, meta: dict[str, Any], status: str = "completed", error: str | None = None,
                 path: str | None = None, kind: str = "run", batch: str | None = None) -> None:
        row = _row(meta, status, error, stored_path(self.root, path), kind, batch)
        ph = ", ".join("?" for _ in COLUMNS)
        self._q(f"INSERT OR REPLACE INTO runs ({', '.join(COLUMNS)}) VALUES ({ph})", [row[c] for c in COLUMNS])
        self._views()

    def completed(self, run_ids: list[str]) -> set[str]:
        if not run_ids:
            return set()
        rows = self._dicts(self._q("SELECT run_id FROM runs WHERE status = 'completed' AND run_id IN "
                                   f"({', '.join('?' for _ in run_ids)})", run_ids))
        return {r["run_id"] for r in rows}

    def _q(self, query: str, args: list[Any] | None = None) -> Any:
        """Execute, reporting a file DuckDB cannot read as ``CatalogCorrupt`` (with its advice)."""
        try:
            return self.con.execute(query, args or [])
        except (duckdb.IOException, duckdb.InternalException, duckdb.SerializationException) as e:
            raise CatalogCorrupt(self.path, str(e)) from None
        except duckdb.Error as e:
            if type(e) is duckdb.Error or "corrupt" in str(e).lower():
                raise CatalogCorrupt(self.path, str(e)) from None
            raise

    def _dicts(self, cur: Any) -> list[dict[str, Any]]:
        names = [d[0] for d in cur.description]
        try:
            rows = cur.fetchall()
        except duckdb.Error as e:
            raise CatalogCorrupt(self.path, str(e)) from None
        out = [dict(zip(names, r, strict=True)) for r in rows]
        for d in out:
            if "path" in d:
                d["path"] = resolve_path(self.root, d["path"])
        return out

    def runs(self, limit: int = 50, batch: str | None = None) -> list[dict[str, Any]]:
        q = ("SELECT run_id, scenario, seed, scale, status, wall_s, started, agents, batch, path "
             "FROM runs")
        args: list[Any] = []
        if batch:
            q += " WHERE batch = ?"
            args.append(batch)
        q += " ORDER BY started DESC LIMIT ?"
        args.append(limit)
        return self._dicts(self._q(q, args))

    def get(self, run_id: str) -> dict[str, Any] | None:
        rows = self._dicts(self._q("SELECT * FROM runs WHERE run_id = ? OR run_id LIKE ? "
                                   "ORDER BY run_id = ? DESC", [run_id, run_id + "%", run_id]))
        return rows[0] if rows else None

    def strikes(self, run_id: str) -> duckdb.DuckDBPyRelation:
        row = self.get(run_id)
        if row is None or not row.get("path"):
            raise KeyError(run_id)
        p = str(Path(row["path"]) / "strikes.parquet").replace("'", "''")
        return self.con.sql(f"SELECT * FROM read_parquet('{p}')")

    def sql(self, query: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run a query (over ``runs``, ``daily``, ``strikes``) and return its rows as dicts."""
        return self._dicts(self._q(query, params or []))


@contextmanager
def reading(root: Path | str, wait_s: float = WAIT_S) -> Iterator[Catalog]:
    """A short read-only connection (``FileNotFoundError`` when there is no catalog yet)."""
    cat = Catalog(root, read_only=True, wait_s=wait_s)
    try:
        yield cat
    finally:
        cat.close()


def register(root: Path | str, meta: dict[str, Any], status: str = "completed", error: str | None = None,
             path: str | None = None, kind: str = "run", batch: str | None = None,
             wait_s: float = WAIT_S) -> None:
    """Register one run, holding the catalog only for that moment (retried while others hold it)."""
    with Catalog(root, wait_s=wait_s) as cat:
        cat.register(meta, status, error, path, kind, batch)


def completed(root: Path | str, run_ids: list[str]) -> set[str]:
    """Which of these runs the catalog has as completed (none when there is no catalog yet)."""
    try:
        with reading(root) as cat:
            return cat.completed(run_ids)
    except FileNotFoundError:
        return set()


def health(root: Path | str) -> None:
    """Raise ``CatalogCorrupt`` if the folder's catalog exists but cannot be read. Run before a
    simulation, so that a broken catalog is reported before the work rather than after it."""
    root = Path(root)
    if not (root / FILE).exists():
        return
    try:
        with reading(root, wait_s=2.0) as cat:
            # read every block of every table (a count alone may be answered from the header)
            for (t,) in cat.con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
                cat.con.execute(f'SELECT * FROM "{t}"').fetchall()
    except CatalogBusy:
        return  # held by a writer: it is being written, so it is readable
    except FileNotFoundError:
        return  # a file without its schema yet: no catalog (Catalog.__init__)
    except duckdb.Error as e:
        raise CatalogCorrupt(root / FILE, str(e)) from None


def _batches(root: Path) -> dict[str, tuple[str, str]]:
    """run id -> (batch id, kind) from the batch folders' summary.json."""
    out: dict[str, tuple[str, str]] = {}
    for s in sorted((root / "batches").glob("*/summary.json")):
        try:
            d = json.loads(s.read_text())
        except (OSError, ValueError):
            continue
        for rid in d.get("runs", []):
            out[str(rid)] = (str(d.get("batch", s.parent.name)), str(d.get("kind", "batch")))
    return out


def rebuild(root: Path | str) -> tuple[int, Path | None]:
    """Rebuild the catalog from the run folders (their run.json) and the batch folders; a previous
    catalog file is kept beside it as ``catalog.duckdb.old``. Failed runs, which left no folder,
    are not recovered. Returns the number of runs registered and where the old file went."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"no runs folder {root}")
    tmp = root / f".{FILE}.rebuild-{os.getpid()}"
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    batches = _batches(root)
    n = 0
    con = duckdb.connect(str(tmp))
    try:
        con.execute(SCHEMA)
        ph = ", ".join("?" for _ in COLUMNS)
        for rj in sorted(root.glob(f"{RUN_GLOB}/run.json")):
            try:
                meta = json.loads(rj.read_text())
            except (OSError, ValueError):
                continue
            if meta.get("run_id") != rj.parent.name or not (rj.parent / "daily.parquet").is_file():
                continue
            bid, kind = batches.get(meta["run_id"], (None, "run"))
            row = _row(meta, "completed", None, str(rj.parent.resolve()), kind, bid)
            con.execute(f"INSERT OR REPLACE INTO runs ({', '.join(COLUMNS)}) VALUES ({ph})",
                        [row[c] for c in COLUMNS])
            n += 1
        if n:
            for t in ("daily", "strikes"):
                con.execute(_view_sql(root, t, False))
            con.execute("INSERT OR REPLACE INTO catalog_info VALUES ('root', ?)", [str(root.resolve())])
    finally:
        con.close()
    old = root / FILE
    kept = None
    if old.exists():
        kept = root / f"{FILE}.old"
        os.replace(old, kept)
    Path(str(old) + ".wal").unlink(missing_ok=True)
    os.replace(tmp, old)
    return n, kept
