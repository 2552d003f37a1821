"""A sweep: a design over the scenario's uncertainties and/or levers x seeds, with sensitivity
analysis, scenario discovery (PRIM) and an HTML report.

Why: EMA-style exploration. Every design point is a set of parameter overrides that hold for the
whole run (they pin their parameters: dated events that would change them are skipped, and the
report lists those events), every point is run on the same seeds (common random numbers), and the
batch folder keeps ``points.csv`` (outcome per
point, mean over seeds), ``outcomes.csv`` (per run), for Morris and Sobol designs
``sensitivity.csv`` and ``sensitivity.png``, for each PRIM rule ``prim.csv`` rows, then
``summary.json`` (everything the report needs) and ``report.html``. Outcomes are the built-in ones
or named expressions (``expressions.py``); an outcome undefined at some points (NaN, e.g. a ratio
over no strikes) is left out of the sensitivity analysis with a note, not the whole analysis.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..scenarios.loader import Loaded
from ..scenarios.schema import Lever
from . import designs
from . import expressions as X
from . import outcomes as O
from . import prim as P
from . import sensitivity as S
from .batch import BatchResult, RunOutcome, RunSpec, batch_dir, batch_id, make_specs, run_batch, run_one
from .executors import Executor
from .reduce import write_json
from .seeds import write_outcomes_csv
from .sweep_report import read_points, write_sweep_report


@dataclass
class SweepResult:
    batch: BatchResult
    folder: Path
    design: designs.Design
    y: dict[str, np.ndarray]  # outcome -> mean over seeds per design point
    indices: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    plot: Path | None = None
    error: str | None = None
    notes: dict[str, str] = field(default_factory=dict)  # outcome or parameter -> why it is set apart
    discoveries: list[P.Discovery] = field(default_factory=list)
    report: Path | None = None


def default_outcomes() -> list[str]:
    """What a sweep analyses unless told: the built-in outcomes and the shipped expressions."""
    return [*O.OUTCOMES, *X.BUILTIN]


def run_sweep(loaded: Loaded, kind: str, seeds: Sequence[int], out: Path | str, executor: Executor,
              n: int = 8, levels: int = 4, scale: float | None = None, until: str | None = None,
              overrides: dict[str, float] | None = None, outcomes: Sequence[str] | None = None,
              design_seed: int = 0, progress: bool = True, console: Any = None, threads: int = 1,
              worker: Callable[[RunSpec], RunOutcome] = run_one, over: str = "uncertainties",
              prim: Sequence[str] = (), report: bool = True, factors: Sequence[str] | None = None) -> SweepResult:
    """Run the design and write the batch folder; ``over`` is uncertainties, levers or both
    (``factors``: only these of them); ``prim`` are rules such as ``"strikes_started>q80"`` for
    scenario discovery."""
    names = O.check(outcomes if outcomes is not None else default_outcomes())
    for rule in prim:
        if P.parse_rule(rule)[0] not in names:
            raise ValueError(f"PRIM rule {rule!r}: its outcome is not among the sweep's outcomes")
    unc = designs.space(loaded, over, list(factors) if factors else None)
    design = designs.make(kind, unc, n, levels, design_seed)
    specs: list[RunSpec] = []
    for i, point in enumerate(design.points()):
        specs += make_specs(loaded, seeds, out, scale, until, {**(overrides or {}), **point}, names, threads,
                            tag={"point": i, **point})
    s0 = specs[0]
    bid = batch_id("sweep", {"scenario": loaded.name, "hash": loaded.hash, "design": kind, "n": n,
                             "levels": levels, "design_seed": design_seed, "scale": s0.scale, "until": until,
                             "overrides": overrides or {}, "uncertainties": [u.model_dump() for u in unc]}, specs)
    res = run_batch(specs, executor, out, bid, "sweep", progress, console, X.worker_for(names, worker or run_one))
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
    for p, labels in designs.pinned_events(loaded, design.names).items():
        result.notes[p] = "pinned, so these dated events are skipped: " + "; ".join(labels)
    if kind in ("morris", "sobol"):
        _sensitivity(result, kind, names, per_point)
    for rule in prim:
        result.discoveries.append(P.discover({nm: design.values[:, j] for j, nm in enumerate(design.names)},
                                             y[P.parse_rule(rule)[0]], rule))
    if result.discoveries:
        write_prim_csv(folder / "prim.csv", result.discoveries)
    kinds = {u.name: "lever" if isinstance(u, Lever) else "uncertainty" for u in unc}
    write_json(folder / "summary.json", {
        "batch": bid, "kind": "sweep", "design": kind, "n": n, "levels": levels, "design_seed": design_seed,
        "over": over, "scenario": loaded.name, "scenario_hash": loaded.hash, "scale": s0.scale, "until": until,
        "overrides": overrides or {},
        "uncertainties": [{**u.model_dump(), "kind": kinds[u.name]} for u in unc], "seeds": list(seeds),
        "points": len(design.values), "outcomes": names,
        "completed": len(res.completed), "failed": {r.run_id: r.error for r in res.failed},
        "ran_now": len(res.ran),
        "runs": [r.run_id for r in res.runs], "sensitivity": result.indices,
        "sensitivity_error": result.error, "notes": result.notes,
        "prim": [d.to_dict() for d in result.discoveries],
    })
    if report:

        result.report = write_sweep_report(folder)
    return result


def _sensitivity(result: SweepResult, kind: str, names: Sequence[str], per_point: dict[str, list[list[float]]]
                 ) -> None:
    """Indices per outcome, sensitivity.csv and .png; an outcome that cannot be analysed gets a note."""
    missing = [i for i, v in enumerate(per_point[names[0]]) if not v]
    if missing:  # no completed run at some points: no index is meaningful
        result.error = f"{len(missing)} design point(s) have no completed run: re-run the sweep to resume"
        return
    for o in names:
        ym = S.point_means(result.design, per_point[o], allow_nan=True)
        bad = int(np.isnan(ym).sum())
        if bad:
            result.notes[o] = f"undefined (NaN) at {bad} of {len(ym)} points: no sensitivity index"
            continue
        try:
            result.indices[o] = S.analyse(result.design, ym)
        except ValueError as e:
            result.notes[o] = str(e)
    if not result.indices:
        result.error = "no outcome could be analysed: " + "; ".join(f"{k}: {v}" for k, v in result.notes.items())
        return
    with open(result.folder / "sensitivity.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        cols = list(next(iter(result.indices.values()))[0])
        w.writerow(["outcome", *cols])
        for o, rows in result.indices.items():
            for row in rows:
                w.writerow([o, *row.values()])
    result.plot = S.plot(kind, result.indices, result.folder / "sensitivity.png")


def write_prim_csv(path: Path, discoveries: Sequence[P.Discovery]) -> Path:
    """One row per restriction of each box found (a box with no restriction gets one row)."""
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["rule", "threshold", "box", "coverage", "density", "mass", "param", "low", "high", "qp"])
        for d in discoveries:
            for b_i, b in enumerate(d.boxes):
                for p, (lo, hi) in (b.limits or {"": (np.nan, np.nan)}).items():
                    w.writerow([d.rule, d.threshold, b_i + 1, b.coverage, b.density, b.mass, p, lo, hi,
                                b.qp.get(p, "")])
    return path


def discover_folder(folder: Path | str, rules: Sequence[str], min_density: float = 0.8, max_boxes: int = 2,
                    report: bool = True) -> list[P.Discovery]:
    """Scenario discovery over a finished sweep (its points.csv): PRIM for each rule; the results
    replace those of the same rules in summary.json and prim.csv, and the report is rewritten."""
    import json

    folder = Path(folder)
    summary = json.loads((folder / "summary.json").read_text())
    _, x, y = read_points(folder)
    found = []
    for rule in rules:
        outcome = P.parse_rule(rule)[0]
        if outcome not in y:
            raise ValueError(f"PRIM rule {rule!r}: the sweep has no outcome {outcome!r} (it has {', '.join(y)})")
        found.append(P.discover(x, y[outcome], rule, min_density, max_boxes))
    kept = [d for d in summary.get("prim", []) if d["rule"] not in set(rules)]
    summary["prim"] = kept + [d.to_dict() for d in found]
    write_json(folder / "summary.json", summary)
    write_prim_csv(folder / "prim.csv", [P.Discovery.from_dict(d) for d in summary["prim"]])
    if report:

        write_sweep_report(folder)
    return found
