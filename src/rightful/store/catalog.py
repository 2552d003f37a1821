"""The run catalog: one embedded DuckDB file beside the runs' Parquet folders.

Why: every run must record what produced it (scenario and content hash, fully resolved
parameters, seed, scale, version and commit, times, CPU per process, status) and be findable
later; DuckDB also queries the runs' Parquet files in place (``strikes``, ``daily`` views). One
process writes the catalog at a time (ensemble workers write only Parquet; the driver
registers), which is what DuckDB's single-writer file lock expects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR PRIMARY KEY, scenario VARCHAR, scenario_hash VARCHAR, seed BIGINT, scale DOUBLE,
  until VARCHAR, overrides JSON, params JSON, version VARCHAR, git_commit VARCHAR,
  started TIMESTAMP, ended TIMESTAMP, wall_s DOUBLE, cpu_per_process JSON, status VARCHAR,
  error VARCHAR, path VARCHAR, agents BIGINT, firms BIGINT, kind VARCHAR, batch VARCHAR
)
"""
COLUMNS = ("run_id", "scenario", "scenario_hash", "seed", "scale", "until", "overrides", "params",
           "version", "git_commit", "started", "ended", "wall_s", "cpu_per_process", "status", "error",
           "path", "agents", "firms", "kind", "batch")


class Catalog:
    def __init__(self, root: Path | str, read_only: bool = False) -> None:
        self.root = Path(root)
        self.path = self.root / "catalog.duckdb"
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"no catalog at {self.path} (run 'rightful run' first)")
        self.root.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            self.con.execute(SCHEMA)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def register(self, meta: dict[str, Any], status: str = "completed", error: str | None = None,
                 path: str | None = None, kind: str = "run", batch: str | None = None) -> None:
        row = {
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
        }
        ph = ", ".join("?" for _ in COLUMNS)
        self.con.execute(f"INSERT OR REPLACE INTO runs ({', '.join(COLUMNS)}) VALUES ({ph})",
                         [row[c] for c in COLUMNS])

    def completed(self, run_ids: list[str]) -> set[str]:
        if not run_ids:
            return set()
        rows = self.con.execute("SELECT run_id FROM runs WHERE status = 'completed' AND run_id IN "
                                f"({', '.join('?' for _ in run_ids)})", run_ids).fetchall()
        return {r[0] for r in rows}

    def runs(self, limit: int = 50, batch: str | None = None) -> list[dict[str, Any]]:
        q = ("SELECT run_id, scenario, seed, scale, status, wall_s, started, agents, batch, path "
             "FROM runs")
        args: list[Any] = []
        if batch:
            q += " WHERE batch = ?"
            args.append(batch)
        q += " ORDER BY started DESC LIMIT ?"
        args.append(limit)
        cur = self.con.execute(q, args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def get(self, run_id: str) -> dict[str, Any] | None:
        cur = self.con.execute("SELECT * FROM runs WHERE run_id = ? OR run_id LIKE ?", [run_id, run_id + "%"])
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
        return dict(zip(names, rows[0], strict=True)) if rows else None

    def strikes(self, run_id: str) -> duckdb.DuckDBPyRelation:
        row = self.get(run_id)
        if row is None:
            raise KeyError(run_id)
        return self.con.sql(f"SELECT * FROM read_parquet('{Path(row['path']) / 'strikes.parquet'}')")
