"""A sweep: a design over the scenario's uncertainties x seeds, with sensitivity analysis.

Why: EMA-style exploration. Every design point is a set of parameter overrides applied to the
whole run (dated events that set the same parameter later still apply), every point is run on
the same seeds (common random numbers), and the batch folder keeps ``points.csv`` (outcome per
point, mean over seeds), ``outcomes.csv`` (per run), and for Morris and Sobol designs
``sensitivity.csv``, ``sensitivity.png`` and ``summary.json``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..scenarios.loader import Loaded
from . import designs
from . import outcomes as O
from . import sensitivity as S
from .batch import BatchResult, RunOutcome, RunSpec, batch_dir, batch_id, make_specs, run_batch, run_one
from .executors import Executor
from .reduce import write_json
from .seeds import write_outcomes_csv


@dataclass
class SweepResult:
    batch: BatchResult
    folder: Path
    design: designs.Design
    y: dict[str, np.ndarray]  # outcome -> mean over seeds per design point
    indices: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    plot: Path | None = None
    error: str | None = None


def run_sweep(loaded: Loaded, kind: str, seeds: Sequence[int], out: Path | str, executor: Executor,
              n: int = 8, levels: int = 4, scale: float | None = None, until: str | None = None,
              overrides: dict[str, float] | None = None, outcomes: Sequence[str] | None = None,
              design_seed: int = 0, progress: bool = True, console: Any = None, threads: int = 1,
              worker: Callable[[RunSpec], RunOutcome] = run_one) -> SweepResult:
    names = O.check(outcomes if outcomes is not None else O.OUTCOMES)
    unc = list(loaded.scenario.uncertainties)
    design = designs.make(kind, unc, n, levels, design_seed)
    specs: list[RunSpec] = []
    for i, point in enumerate(design.points()):
        specs += make_specs(loaded, seeds, out, scale, until, {**(overrides or {}), **point}, names, threads,
                            tag={"point": i, **point})
    s0 = specs[0]
    bid = batch_id("sweep", {"scenario": loaded.name, "hash": loaded.hash, "design": kind, "n": n,
                             "levels": levels, "design_seed": design_seed, "scale": s0.scale, "until": until,
                             "overrides": overrides or {}, "uncertainties": [u.model_dump() for u in unc]}, specs)
    res = run_batch(specs, executor, out, bid, "sweep", progress, console, worker)
    folder = batch_dir(out, bid)
    write_outcomes_csv(folder / "outcomes.csv", res.runs, names, ["point", *design.names])
    per_point: dict[str, list[list[float]]] = {o: [[] for _ in design.values] for o in names}
    for spec, r in zip(specs, res.runs, strict=True):  # by spec: a repeated point shares its run
        if r.ok:
            for o in names:
                per_point[o][spec.tag["point"]].append(r.outcomes[o])
    y = {o: np.array([np.mean(v) if v else np.nan for v in per_point[o]]) for o in names}
    with open(folder / "points.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["point", *design.names, "runs", *names])
        for i, point in enumerate(design.points()):
            w.writerow([i, *point.values(), len(per_point[names[0]][i]), *(y[o][i] for o in names)])
    result = SweepResult(res, folder, design, y)
    if kind in ("morris", "sobol"):
        try:
            for o in names:
                result.indices[o] = S.analyse(design, S.point_means(design, per_point[o]))
        except ValueError as e:
            result.error = str(e)
        if result.indices:
            with open(folder / "sensitivity.csv", "w", newline="") as fh:
                w = csv.writer(fh)
                cols = list(next(iter(result.indices.values()))[0])
                w.writerow(["outcome", *cols])
                for o, rows in result.indices.items():
                    for row in rows:
                        w.writerow([o, *row.values()])
            result.plot = S.plot(kind, result.indices, folder / "sensitivity.png")
    write_json(folder / "summary.json", {
        "batch": bid, "kind": "sweep", "design": kind, "n": n, "levels": levels, "design_seed": design_seed,
        "scenario": loaded.name, "scenario_hash": loaded.hash, "scale": s0.scale, "until": until,
        "uncertainties": [u.model_dump() for u in unc], "seeds": list(seeds), "points": len(design.values),
        "completed": len(res.completed), "failed": {r.run_id: r.error for r in res.failed},
        "ran_now": len(res.ran),
        "runs": [r.run_id for r in res.runs], "sensitivity": result.indices,
        "sensitivity_error": result.error,
    })
    return result
