"""Closing summary tables for the terminal (``rightful run`` and ``rightful runs show``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from .processes.observe import MEAN_STOCKS

MEAN_SERIES = MEAN_STOCKS
FLOW_SERIES = ("quits", "complaints", "arb_filed", "arb_accepted", "arb_won", "arb_enforced", "court_filed",
               "strikes_started", "escalated", "covered", "strikes_won", "arrears_accrued", "recovered")
STOCK_END = ("workers", "arrears", "union_members", "ngo_reach")


def yearly(daily_path: Path) -> tuple[list[int], dict[str, np.ndarray]]:
    """Per-year figures over all cities: sums of flows, year-end stocks, worker-weighted means."""
    t = pq.read_table(daily_path)
    d = {c: t.column(c).to_numpy(zero_copy_only=False) for c in t.column_names}
    years = d["date"].astype("datetime64[Y]").astype(int) + 1970
    uy = sorted(set(years.tolist()))
    out: dict[str, np.ndarray] = {}
    for name in FLOW_SERIES:
        if name in d:
            out[name] = np.array([np.nansum(d[name][years == y]) for y in uy])
    for name in STOCK_END:
        vals = []
        for y in uy:
            m = years == y
            last = d["date"][m].max()
            vals.append(np.nansum(d[name][m & (d["date"] == last)]))
        out[name] = np.array(vals)
    for name in MEAN_SERIES:
        vals = []
        for y in uy:
            m = years == y
            w = d["workers"][m]
            vals.append(np.nansum(d[name][m] * w) / max(np.nansum(w), 1e-9))
        out[name] = np.array(vals)
    return uy, out


def _fmt(v: float) -> str:
    if abs(v) >= 1e6:
        return f"{v / 1e6:.2f}M"
    if abs(v) >= 1e4:
        return f"{v / 1e3:.1f}k"
    if abs(v) < 10 and v != int(v):
        return f"{v:.3f}"
    return f"{v:,.0f}"


def yearly_table(daily_path: Path, title: str) -> Table:
    uy, out = yearly(daily_path)
    t = Table(title=title)
    t.add_column("series (all cities)")
    for y in uy:
        t.add_column(str(y), justify="right")
    for name, vals in out.items():
        t.add_row(name, *(_fmt(v) for v in vals))
    return t


def strikes_summary(path: Path) -> Table:
    t = Table(title="strikes (event table)")
    t.add_column("measure")
    t.add_column("value", justify="right")
    tab = pq.read_table(path)
    n = tab.num_rows
    t.add_row("strikes (simulated firms)", str(n))
    if n:
        w = tab.column("weight").to_numpy()
        days = tab.column("days").to_numpy()
        peak = tab.column("peak_size").to_numpy()
        out = np.array(tab.column("outcome").to_pylist())
        t.add_row("strikes (weighted to the region)", _fmt(float(w.sum())))
        t.add_row("median duration (days)", f"{np.median(days):.1f}")
        t.add_row("median / max peak size", f"{np.median(peak):.0f} / {peak.max():.0f}")
        t.add_row("share escalated to the street", f"{tab.column('escalated').to_numpy().mean():.2f}")
        t.add_row("share covered by the press", f"{tab.column('covered').to_numpy().mean():.2f}")
        for o in ("won", "partly_won", "lost"):
            t.add_row(f"share {o}", f"{(out == o).mean():.2f}")
    return t


def print_summary(done: Any, console: Console) -> None:
    m = done.meta
    console.print(yearly_table(Path(done.path) / "daily.parquet",
                               f"{m['scenario']} seed {m['seed']} scale {m['scale']:g}: {m['agents']:,} "
                               f"agents, {m['firms']:,} firms, {m['wall_s']:.1f} s"))
    console.print(strikes_summary(Path(done.path) / "strikes.parquet"))


def print_run_record(row: dict[str, Any], cat: Any, console: Console) -> None:
    t = Table(title=f"run {row['run_id']}")
    t.add_column("field")
    t.add_column("value", overflow="fold")
    for k in ("scenario", "scenario_hash", "seed", "scale", "until", "status", "error", "version",
              "git_commit", "started", "ended", "wall_s", "agents", "firms", "path", "batch"):
        t.add_row(k, str(row.get(k)))
    cpu = json.loads(row["cpu_per_process"] or "{}")
    if cpu:
        t.add_row("cpu per process (s)", ", ".join(f"{k} {v['cpu_s']:.2f}" for k, v in cpu.items()))
    console.print(t)
    if row.get("path") and (Path(row["path"]) / "strikes.parquet").exists():
        console.print(strikes_summary(Path(row["path"]) / "strikes.parquet"))
        rel = cat.strikes(row["run_id"])  # noqa: F841 - the SQL below reads it by name
        by = cat.con.sql("SELECT city, count(*) AS strikes, round(median(days), 1) AS median_days, "
                         "round(avg(escalated::INT), 2) AS escalated, round(avg(covered::INT), 2) AS covered, "
                         "round(avg((outcome = 'won')::INT), 2) AS won FROM rel GROUP BY city ORDER BY city")
        console.print(by.fetchall() and _rel_table(by, "strikes by city"))


def _rel_table(rel: Any, title: str) -> Table:
    t = Table(title=title)
    for c in rel.columns:
        t.add_column(c)
    for r in rel.fetchall():
        t.add_row(*(str(v) for v in r))
    return t
