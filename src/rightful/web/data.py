"""Read runs for the web page: the catalog, one run's series, strikes, events, zones and claims.

Why an adapter: the page needs a handful of shapes (monthly series by city, a strike table, a
funnel); producing them here, over the run folders (``<runs>/<id>/daily.parquet``,
``strikes.parquet``, ``events.parquet``, ``run.json``) and the DuckDB catalog opened read-only,
keeps the routes thin and lets this one module switch to the shared run-view later. Run folders
never change once written (their ids are deterministic), so reads are cached by path.
"""

from __future__ import annotations

import json
import re
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow.parquet as pq

from ..processes import RESULTS

RUN_ID = re.compile(r"^r[0-9a-f]{6,32}$")
FREQS = ("day", "week", "month", "year")

# words for the codes that RESULTS labels only by their name
LABELS = {
    "in_dispute": "workers in a dispute", "gone_home": "gone home", "seeking": "vacant jobs",
    "share_min_wage": "share paid the minimum wage", "mean_wage": "mean wage (yuan/month)",
    "arrears": "wages owed (yuan)", "gap": "gap between rights promised and enforced",
    "trust_central": "trust in the central state", "trust_local": "trust in the local state",
    "strikes_partial": "strikes partly won", "arb_partly": "arbitration: partly won",
    "wage_bill": "wage bill (yuan)", "recovered": "yuan recovered through claims",
    "complaints": "complaints to management", "court_filed": "cases taken to court",
    "strikers_started": "workers joining strikes", "covered": "strikes covered by the press",
    "escalated": "strikes escalated to the street", "arb_filed": "arbitration cases filed",
    "arb_accepted": "arbitration cases accepted", "arb_won": "arbitration cases won",
}


def label(name: str) -> str:
    """A series name in words (never a raw code on the page)."""
    if name in LABELS:
        return LABELS[name]
    base = RESULTS[name].label if name in RESULTS else name.replace("_", " ")
    base = re.sub(r"\barb\b", "arbitration", base)
    return re.sub(r"\bngos\b", "NGOs", re.sub(r"\bngo\b", "NGO", base))


def series_info() -> list[dict[str, Any]]:
    """Every daily series with its label, kind and how it combines over cities and time."""
    return [{"name": n, "label": label(n), "kind": r.kind, "cities": r.cities, "time": r.time}
            for n, r in RESULTS.items()]


def _jsonable(v: Any) -> Any:
    if isinstance(v, float) and not np.isfinite(v):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _floats(a: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(x) else float(x) for x in a.tolist()]


@lru_cache(maxsize=24)
def _daily(path: str, stamp: float) -> tuple[np.ndarray, list[str], dict[str, np.ndarray]]:
    """(dates, cities, {series: (days x cities) array}) of one run folder; ``stamp`` keys the cache."""
    t = pq.read_table(Path(path) / "daily.parquet")
    city = t.column("city").to_pylist()
    cities = list(dict.fromkeys(city))
    n_c = max(1, len(cities))
    dates = t.column("date").to_numpy().astype("datetime64[D]")[::n_c]
    cols = {n: t.column(n).to_numpy(zero_copy_only=False).astype(np.float64).reshape(-1, n_c)
            for n in t.column_names if n not in ("date", "city")}
    return dates, cities, cols


def _periods(dates: np.ndarray, freq: str) -> tuple[np.ndarray, np.ndarray]:
    """(period start of each day, index of the first day of each period)."""
    if freq == "day":
        key = dates
    elif freq == "week":  # weeks start on Monday (1970-01-01 was a Thursday)
        key = dates - ((dates.astype(np.int64) + 3) % 7).astype("timedelta64[D]")
    elif freq == "month":
        key = dates.astype("datetime64[M]").astype("datetime64[D]")
    else:
        key = dates.astype("datetime64[Y]").astype("datetime64[D]")
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return key[starts], starts


def _over_time(v: np.ndarray, starts: np.ndarray, rule: str) -> np.ndarray:
    ends = np.r_[starts[1:], len(v)]
    if rule == "sum":
        return np.add.reduceat(v, starts, axis=0)
    if rule == "last":
        return v[ends - 1]
    return np.add.reduceat(v, starts, axis=0) / (ends - starts)[:, None]


def _over_cities(v: np.ndarray, workers: np.ndarray | None, rule: str) -> np.ndarray:
    if rule == "mean" and workers is not None:  # per-worker means: weighted by each city's workers
        return np.nansum(v * workers, axis=1) / np.maximum(np.nansum(workers, axis=1), 1e-9)
    return np.nansum(v, axis=1)


class RunStore:
    """The run folders and catalog under one root, read by the page and written by the job queue.

    DuckDB lets one process hold a catalog either read-write or read-only, so every catalog access
    of this server goes through one lock and a short-lived connection.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self.lock = threading.RLock()

    # ---- catalog ---------------------------------------------------------------------------
    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        path = self.root / "catalog.duckdb"
        for attempt in range(20):  # another process (a CLI run) may hold the write lock briefly
            try:
                return duckdb.connect(str(path), read_only=read_only)
            except duckdb.IOException:
                if attempt == 19:
                    raise
                time.sleep(0.25)
        raise AssertionError("unreachable")

    def runs(self, limit: int = 200, scenario: str | None = None) -> list[dict[str, Any]]:
        """Catalog rows, newest first (an empty list before the first run)."""
        if not (self.root / "catalog.duckdb").exists():
            return []
        q = ("SELECT run_id, scenario, seed, scale, until, overrides, status, wall_s, started, agents, batch "
             "FROM runs")
        args: list[Any] = []
        if scenario:
            q += " WHERE scenario = ?"
            args.append(scenario)
        q += " ORDER BY started DESC, run_id LIMIT ?"
        args.append(limit)
        with self.lock:
            con = self._connect(read_only=True)
            try:
                cur = con.execute(q, args)
                names = [d[0] for d in cur.description]
                rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
            finally:
                con.close()
        for r in rows:
            r["overrides"] = json.loads(r["overrides"] or "{}")
            for k, v in r.items():
                r[k] = _jsonable(v)
        return rows

    def runs_with(self, run_id: str) -> bool:
        """Whether the catalog has a row for this run."""
        if not (self.root / "catalog.duckdb").exists():
            return False
        with self.lock:
            con = self._connect(read_only=True)
            try:
                return bool(con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]).fetchone()[0])
            finally:
                con.close()

    def completed(self, run_id: str) -> bool:
        """Whether this run's files are all there (a finished run need not run again)."""
        return (self.root / run_id / "run.json").is_file() and (self.root / run_id / "daily.parquet").is_file()

    def register(self, meta: dict[str, Any], path: Path, batch: str | None = None) -> None:
        from ..store.catalog import Catalog

        with self.lock:
            for attempt in range(20):
                try:
                    with Catalog(self.root) as cat:
                        cat.register(meta, path=str(path), batch=batch)
                    return
                except duckdb.IOException:
                    if attempt == 19:
                        raise
                    time.sleep(0.25)

    # ---- one run ---------------------------------------------------------------------------
    def folder(self, run_id: str) -> Path:
        """The folder of a run id; KeyError when there is none (ValueError for a malformed id)."""
        if not RUN_ID.match(run_id):
            raise ValueError(f"{run_id!r} is not a run id (an 'r' and 12 hexadecimal digits)")
        if self.completed(run_id):
            return self.root / run_id
        raise KeyError(f"no run {run_id} in {self.root}")

    def meta(self, run_id: str) -> dict[str, Any]:
        d = self.folder(run_id)
        m = json.loads((d / "run.json").read_text())
        keep = ("run_id", "scenario", "scenario_hash", "seed", "scale", "until", "overrides", "version",
                "git_commit", "started", "ended", "wall_s", "agents", "firms", "cities", "zones", "start",
                "end", "cpu_per_process")
        out = {k: m.get(k) for k in keep}
        out["report"] = (d / "report.html").is_file()
        return out

    def daily(self, run_id: str, series: list[str], freq: str = "month") -> dict[str, Any]:
        """Series by city and in total at a frequency (flows summed, stocks by their time rule)."""
        d = self.folder(run_id)
        dates, cities, cols = _daily(str(d), (d / "run.json").stat().st_mtime)
        unknown = [s for s in series if s not in cols]
        if unknown:
            raise LookupError(f"unknown series {unknown}; known: {', '.join(cols)}")
        keys, starts = _periods(dates, freq)
        workers = cols.get("workers")
        out: dict[str, Any] = {}
        for s in series:
            r = RESULTS.get(s)
            trule = "sum" if r is None or r.kind == "flow" else r.time
            by_city = _over_time(cols[s], starts, trule)
            total = _over_time(_over_cities(cols[s], workers, r.cities if r else "sum")[:, None],
                               starts, trule)[:, 0]
            out[s] = {"label": label(s), "kind": r.kind if r else "flow", "time": trule,
                      "cities_rule": r.cities if r else "sum",
                      "by_city": {c: _floats(by_city[:, i]) for i, c in enumerate(cities)},
                      "total": _floats(total)}
        return {"run_id": run_id, "freq": freq, "dates": [str(k) for k in keys], "cities": cities,
                "series": out}

    def strikes(self, run_id: str, limit: int = 100, offset: int = 0, sort: str = "start",
                desc: bool = False) -> dict[str, Any]:
        """One page of the strike log, sorted by a column, with the total count."""
        t = pq.read_table(self.folder(run_id) / "strikes.parquet")
        if sort not in t.column_names:
            raise LookupError(f"cannot sort by {sort!r}; columns: {', '.join(t.column_names)}")
        n = t.num_rows
        if n:
            t = t.sort_by([(sort, "descending" if desc else "ascending"), ("strike", "ascending")])
        page = t.slice(offset, limit).to_pylist()
        rows = [{k: _jsonable(v) for k, v in r.items()} for r in page]
        w = t.column("weight").to_numpy() if n else np.zeros(0)
        return {"run_id": run_id, "total": n, "offset": offset, "limit": limit, "sort": sort, "desc": desc,
                "columns": t.column_names, "rows": rows, "weighted_total": float(w.sum())}

    def events(self, run_id: str) -> list[dict[str, Any]]:
        """The dated events applied in the run, inside its span, numbered in date order."""
        d = self.folder(run_id)
        m = json.loads((d / "run.json").read_text())
        p = d / "events.parquet"
        if not p.is_file():
            return []
        rows = pq.read_table(p, columns=["date", "label", "param", "op", "value"]).to_pylist()
        lo, hi = str(m.get("start") or ""), str(m.get("until") or m.get("end") or "9999")
        rows = [r for r in rows if lo <= str(r["date"]) <= hi]
        rows.sort(key=lambda r: str(r["date"]))
        return [{"n": i + 1, **{k: _jsonable(v) for k, v in r.items()}} for i, r in enumerate(rows)]

    def zones(self, run_id: str) -> list[dict[str, Any]]:
        """Per zone: strikes (weighted), workers joining, share escalated, share won."""
        d = self.folder(run_id)
        m = json.loads((d / "run.json").read_text())
        t = pq.read_table(d / "strikes.parquet", columns=["zone", "city", "weight", "workers_weighted",
                                                           "escalated", "covered", "outcome", "days"])
        con = duckdb.connect()
        try:
            con.register("s", t)
            rows = con.execute(
                "SELECT zone, any_value(city), sum(weight), sum(workers_weighted), "
                "sum(weight * escalated::INT) / sum(weight), sum(weight * covered::INT) / sum(weight), "
                "sum(weight * (outcome = 'won')::INT) / sum(weight), sum(weight * days) / sum(weight) "
                "FROM s GROUP BY zone").fetchall()
        finally:
            con.close()
        got = {r[0]: r for r in rows}
        out = []
        for z in (m.get("zones") or []) + sorted(set(got) - set(m.get("zones") or [])):
            r = got.get(z)
            out.append({"zone": z, "city": r[1] if r else None, "strikes": r[2] if r else 0.0,
                        "strikers": r[3] if r else 0.0, "escalated_share": r[4] if r else None,
                        "covered_share": r[5] if r else None, "won_share": r[6] if r else None,
                        "mean_days": r[7] if r else None})
        return out

    def funnel(self, run_id: str) -> list[dict[str, Any]]:
        """Claims from complaint to court: totals over the run and each stage's share of the first."""
        d = self.folder(run_id)
        _, _, cols = _daily(str(d), (d / "run.json").stat().st_mtime)
        stages = (("complaints", "complaints to management"), ("arb_filed", "arbitration filed"),
                  ("arb_accepted", "accepted"), ("arb_won", "won"), ("court_filed", "taken to court"))
        first = None
        out = []
        for name, text in stages:
            v = float(np.nansum(cols[name])) if name in cols else 0.0
            first = v if first is None else first
            out.append({"stage": name, "label": text, "count": v,
                        "share_of_first": v / first if first else None})
        return out

    def totals(self, run_id: str) -> dict[str, float]:
        """Every flow summed over the run and every city (the page's key figures)."""
        d = self.folder(run_id)
        _, _, cols = _daily(str(d), (d / "run.json").stat().st_mtime)
        return {n: float(np.nansum(v)) for n, v in cols.items() if n in RESULTS and RESULTS[n].kind == "flow"}
