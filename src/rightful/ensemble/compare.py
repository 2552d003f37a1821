"""Compare scenarios on common random numbers: medians, and paired differences from a baseline.

Why paired: every scenario is run on the same seeds, and every random decision of the model
draws from its own counter-based stream, so the run of a policy and the baseline run with the
same seed differ by the policy, not by noise. The difference of each outcome is taken seed by
seed, and its median and 10-90% range across seeds say how large and how certain the effect is
(far narrower than comparing two independent ensembles). The first scenario is the baseline.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..scenarios.loader import Loaded
from . import outcomes as O
from .batch import BatchResult, RunOutcome, RunSpec, batch_dir, batch_id, make_specs, run_batch, run_one
from .executors import Executor
from .reduce import bands, bands_table, write_json, write_table
from .reports import comparison_report, events_of

COLUMNS = ("outcome", "scenario", "runs", "median", "diff_median", "diff_q10", "diff_q90")


@dataclass
class CompareResult:
    batch: BatchResult
    folder: Path
    labels: list[str]
    values: dict[str, np.ndarray]  # outcome -> (scenarios x seeds), NaN where a run failed
    rows: list[dict[str, Any]]
    report: Path | None


def labels_for(loadeds: Sequence[Loaded]) -> list[str]:
    """Scenario names, made unique (a scenario compared with itself gets '#2')."""
    out: list[str] = []
    for ld in loadeds:
        lab, k = ld.name, 2
        while lab in out:
            lab, k = f"{ld.name}#{k}", k + 1
        out.append(lab)
    return out


def table_rows(labels: Sequence[str], values: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """Per outcome and scenario: median across seeds; paired difference from the first scenario
    (median and 10%, 90% quantiles over the seeds where both runs completed)."""
    rows = []
    for o, v in values.items():
        for j, lab in enumerate(labels):
            ok = np.isfinite(v[j])
            med = float(np.median(v[j][ok])) if ok.any() else float("nan")
            both = ok & np.isfinite(v[0])
            d = v[j][both] - v[0][both]
            q = np.quantile(d, [0.5, 0.1, 0.9]) if d.size else np.full(3, np.nan)
            rows.append(dict(zip(COLUMNS, (o, lab, int(ok.sum()), med, float(q[0]), float(q[1]),
                                           float(q[2])), strict=True)))
    return rows


def run_compare(loadeds: Sequence[Loaded], seeds: Sequence[int], out: Path | str, executor: Executor,
                scale: float | None = None, until: str | None = None,
                overrides: dict[str, float] | None = None, outcomes: Sequence[str] | None = None,
                series: Sequence[str] | None = None, report: bool = True, progress: bool = True,
                console: Any = None, threads: int = 1,
                worker: Callable[[RunSpec], RunOutcome] = run_one) -> CompareResult:
    if not loadeds:
        raise ValueError("compare needs at least one scenario")
    names = O.check(outcomes if outcomes is not None else O.MAIN)
    labels = labels_for(loadeds)
    # one scale for all: the baseline's unless given, so that scenarios differ only by content
    scale = float(loadeds[0].scenario.scale if scale is None else scale)
    specs: list[RunSpec] = []
    for j, ld in enumerate(loadeds):
        specs += make_specs(ld, seeds, out, scale, until, overrides, names, threads,
                            tag={"scenario": labels[j]})
    bid = batch_id("compare", {"scenarios": [[lab, ld.hash] for lab, ld in zip(labels, loadeds, strict=True)],
                               "scale": scale, "until": until, "overrides": overrides or {}})
    res = run_batch(specs, executor, out, bid, "compare", progress, console, worker)
    folder = batch_dir(out, bid)
    k = len(seeds)
    grid = [res.runs[j * k:(j + 1) * k] for j in range(len(loadeds))]
    values = {o: np.array([[r.outcomes[o] if r.ok else np.nan for r in row] for row in grid]) for o in names}
    rows = table_rows(labels, values)
    with open(folder / "comparison.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        w.writeheader()
        w.writerows(rows)
    b_all: dict[str, dict[str, dict[str, np.ndarray]]] = {}
    dates = np.array([], dtype="datetime64[D]")
    tables = []
    for j, row in enumerate(grid):
        paths = [r.path for r in row if r.ok and r.path]
        if not paths:
            continue
        d, b = bands(paths, series)
        if not len(dates):
            dates = d
        elif len(d) != len(dates):
            warnings.warn(f"{labels[j]} spans {len(d)} days, the baseline {len(dates)}: no bands for it",
                          stacklevel=2)
            continue
        tables.append(bands_table(d, b, len(paths), labels[j]))
        for s, qs in b.items():
            b_all.setdefault(s, {})[labels[j]] = {q: qs[q] for q in ("q10", "q50", "q90")}
    if tables:
        write_table(folder / "bands.parquet", pa.concat_tables(tables))
    page = None
    if report and tables:
        all_paths = [r.path for row in grid for r in row[:1] if r.ok and r.path]
        page = comparison_report(folder / "report.html", "comparison: " + " vs ".join(labels), rows, b_all,
                                 dates, events_of(all_paths))
    write_json(folder / "summary.json", {
        "batch": bid, "kind": "compare", "scenarios": labels, "hashes": [ld.hash for ld in loadeds],
        "paths": [str(ld.path) for ld in loadeds], "seeds": list(seeds), "scale": scale, "until": until,
        "overrides": overrides or {}, "completed": len(res.completed),
        "failed": {r.run_id: r.error for r in res.failed}, "ran_now": len(res.ran),
        "runs": [r.run_id for r in res.runs], "table": rows,
        "report": str(page) if page else None,
    })
    return CompareResult(res, folder, labels, values, rows, page)


def rich_table(rows: list[dict[str, Any]], title: str) -> Any:
    from rich.table import Table

    t = Table(title=title)
    for c in COLUMNS:
        t.add_column(c, justify="left" if c in ("outcome", "scenario") else "right")
    prev = None
    for r in rows:
        t.add_row(r["outcome"] if r["outcome"] != prev else "", r["scenario"], str(r["runs"]),
                  *(f"{r[c]:.4g}" for c in COLUMNS[3:]))
        prev = r["outcome"]
    return t
