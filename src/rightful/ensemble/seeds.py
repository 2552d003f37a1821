"""An ensemble: one scenario over many seeds, reduced to quantile bands and outcome summaries.

Why: one run of a stochastic model is an anecdote. The ensemble's batch folder
(``<out>/batches/<batch_id>/``) holds what a reader needs without the runs: ``bands.parquet``
(q05..q95 per series and day), ``outcomes.csv`` (the scalar outcomes of every run),
``summary.json`` (what was run, what failed, outcome quantiles) and ``report.html``.
The batch id covers the seeds (hence the first seed), scale, horizon, overrides, outcomes, version
and code, so ensembles of 3 and of 5 seeds have folders of their own; asking for more seeds later
makes a new batch that reuses the runs already made (their ids do not change).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..scenarios.loader import Loaded
from . import outcomes as O
from .batch import BatchResult, RunOutcome, RunSpec, batch_dir, batch_id, make_specs, run_batch, run_one
from .executors import Executor
from .reduce import bands, outcome_summary, write_bands, write_json
from .reports import ensemble_report, events_of


@dataclass
class EnsembleResult:
    batch: BatchResult
    folder: Path
    summary: dict[str, Any]
    report: Path | None


def write_outcomes_csv(path: Path, runs: Sequence[RunOutcome], names: Sequence[str],
                       extra: Sequence[str] = ()) -> Path:
    """One row per run: id, seed, status, any tag columns, then the outcomes."""
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["run_id", "seed", "status", *extra, *names])
        for r in runs:
            w.writerow([r.run_id, r.meta.get("seed"), "completed" if r.ok else "failed",
                        *(r.tag.get(e) for e in extra), *(r.outcomes.get(n, "") for n in names)])
    return path


def run_ensemble(loaded: Loaded, seeds: Sequence[int], out: Path | str, executor: Executor,
                 scale: float | None = None, until: str | None = None,
                 overrides: dict[str, float] | None = None, series: Sequence[str] | None = None,
                 outcomes: Sequence[str] | None = None, report: bool = True, progress: bool = True,
                 console: Any = None, threads: int = 1,
                 worker: Callable[[RunSpec], RunOutcome] = run_one) -> EnsembleResult:
    names = O.check(outcomes if outcomes is not None else O.OUTCOMES)
    specs = make_specs(loaded, seeds, out, scale, until, overrides, names, threads)
    s0 = specs[0]
    bid = batch_id("ensemble", {"scenario": loaded.name, "hash": loaded.hash, "scale": s0.scale,
                                "until": until, "overrides": s0.overrides,
                                "seeds": [s.seed for s in specs], "outcomes": list(names)}, specs)
    res = run_batch(specs, executor, out, bid, "ensemble", progress, console, worker)
    folder = batch_dir(out, bid)
    done = res.completed
    summary: dict[str, Any] = {
        "batch": bid, "kind": "ensemble", "scenario": loaded.name, "scenario_hash": loaded.hash,
        "scenario_path": str(loaded.path), "scale": s0.scale, "until": until, "overrides": s0.overrides or {},
        "seeds": [s.seed for s in specs], "executor": executor.name,
        "completed": len(done), "failed": {r.run_id: r.error for r in res.failed},
        "ran_now": len(res.ran), "runs": [r.run_id for r in res.runs],
        "outcomes": outcome_summary({n: [r.outcomes[n] for r in done] for n in names}),
    }
    write_outcomes_csv(folder / "outcomes.csv", res.runs, names)
    page = None
    for stale in ("bands.parquet", "report.html"):  # from an earlier call of this batch: rewritten below or gone
        (folder / stale).unlink(missing_ok=True)
    if done:
        paths = [r.path for r in done if r.path]
        dates, b = bands(paths, series)
        write_bands(folder / "bands.parquet", dates, b, len(paths))
        summary["bands"] = str(folder / "bands.parquet")
        if report:
            rows = [{"outcome": n, "median": v["q50"], "q10": v["q10"], "q90": v["q90"]}
                    for n, v in summary["outcomes"].items()]
            page = ensemble_report(folder / "report.html", f"{loaded.name}: ensemble of {len(done)} runs",
                                   dates, b, events_of(paths[:1]), rows)
            summary["report"] = str(page)
    write_json(folder / "summary.json", summary)
    return EnsembleResult(res, folder, summary, page)
