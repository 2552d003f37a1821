"""Closing summary tables for the terminal (``rightful run`` and ``rightful runs show``).

Why through the run-view: the yearly figures printed here are the report's key figures (the same
series combined over cities and over the year by their declared rules), so the terminal and the
report never disagree about a run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from .population.codes import O_LOST, O_PARTIAL, O_WON, OUTCOMES
from .report.format import number
from .runview import RunView, S, is_count, is_share, label, words

YEARLY = (S.workers, S.mean_wage, S.share_min_wage, S.arrears, S.arrears_accrued, S.recovered, S.quits,
          S.complaints, S.arb_filed, S.arb_accepted, S.arb_won, S.arb_enforced, S.court_filed, S.strikes_started,
          S.escalated, S.covered, S.strikes_won, S.union_members, S.ngo_reach, S.awareness, S.grievance, S.gap)


def yearly_table(view: RunView, title: str) -> Table:
    """Per-year figures over all cities: sums of flows, year-end stocks, worker-weighted means."""
    years, by = view.yearly(YEARLY)
    t = Table(title=title)
    t.add_column("all cities")
    full, ys = view.full_years(), view.years()
    for y in years:
        t.add_column(str(y) if y in full else f"{y} ({int((ys == y).sum())} d)", justify="right")
    for name, vals in by.items():
        t.add_row(label(name), *(f"{v:.1%}" if is_share(name) else number(v, is_count(name)) for v in vals))
    return t


def strikes_summary(view: RunView) -> Table:
    t = Table(title="strikes (event table)")
    t.add_column("measure")
    t.add_column("value", justify="right")
    st = view.strikes
    n = len(st)
    t.add_row("strikes (simulated firms)", str(n))
    if n:
        w = st.weight
        t.add_row("strikes (weighted to the region)", number(float(w.sum()), count=True))
        t.add_row("median duration (days)", f"{np.median(st.days):.1f}")
        t.add_row("median / max peak size", f"{np.median(st.peak):.0f} / {st.peak.max():.0f}")
        t.add_row("share escalated to the street", f"{st.escalated.mean():.0%}")
        t.add_row("share covered by the press", f"{st.covered.mean():.0%}")
        for o in (O_WON, O_PARTIAL, O_LOST):
            t.add_row(f"share {words(OUTCOMES[o])}", f"{(st.outcome == o).mean():.0%}")
    return t


def by_city(view: RunView) -> Table | None:
    """Strikes per city: how many, how long, how often escalated, covered and won."""
    st = view.strikes
    if not len(st):
        return None
    t = Table(title="strikes by city")
    for c in ("city", "strikes", "median days", "escalated", "covered", "won"):
        t.add_column(c, justify="left" if c == "city" else "right")
    for i, c in enumerate(view.cities):
        m = st.city == i
        if m.any():
            t.add_row(c, str(int(m.sum())), f"{np.median(st.days[m]):.1f}", f"{st.escalated[m].mean():.0%}",
                      f"{st.covered[m].mean():.0%}", f"{(st.outcome[m] == O_WON).mean():.0%}")
    return t


def print_summary(done: Any, console: Console) -> None:
    m = done.meta
    view = RunView.open(done.path)
    console.print(yearly_table(view, f"{m['scenario']} seed {m['seed']} scale {m['scale']:g}: {m['agents']:,} "
                                     f"agents, {m['firms']:,} firms, {m['wall_s']:.1f} s"))
    console.print(strikes_summary(view))


def print_run_record(row: dict[str, Any], cat: Any, console: Console) -> None:
    """One run's catalog record, its strike summary and its strikes by city (``cat`` is unused:
    the run folder is read through the run-view)."""
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
    if row.get("path") and (Path(row["path"]) / "daily.parquet").exists():
        view = RunView.open(row["path"])
        console.print(strikes_summary(view))
        table = by_city(view)
        if table is not None:
            console.print(table)
