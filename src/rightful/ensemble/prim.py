"""Scenario discovery over a sweep: PRIM finds the box of parameter values where an outcome of
interest happens.

Why PRIM (the Patient Rule Induction Method, Friedman and Fisher 1999, "Bump hunting in
high-dimensional data", Statistics and Computing 9: 123-143; used for scenario discovery by Bryant
and Lempert 2010, Technological Forecasting and Social Change 77: 34-49): a sweep says *how much*
each parameter moves an outcome; discovery says *where*: "strikes exceed their 80th percentile
when claim_rate < 0.003 and collusion > 0.6", a statement a reader can check against the chapter.
PRIM peels thin slices off the range of one parameter at a time, keeping the slice whose removal
most raises the share of cases of interest, then pastes back what does not lower it; every step
is a box on the *peeling trajectory*, from the whole space (coverage 1, density = base rate) to
small, dense boxes.

The algorithm is the EMA Workbench's (``ema_workbench.analysis.prim``, the reference
implementation for scenario discovery, with Bryant and Lempert's quasi-p values); this module
defines the cases of interest from a rule (``"strikes_started>q80"``), picks a box on the
trajectory, and returns plain data (limits, coverage, density, mass, quasi-p values, the
trajectory) for the sweep's CSV, JSON and HTML report.

Which box: among the trajectory's boxes whose density reaches ``min_density``, the one with the
largest coverage (fewer restricted parameters on a tie); when none does, the densest. Further
boxes (``max_boxes``) are searched among the points outside the boxes found, while enough cases of
interest remain there.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

RULE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<)\s*(q\d{1,2}(?:\.\d+)?|[-+0-9.eE]+)\s*$")


@dataclass
class Box:
    """One box: the restricted parameters' [low, high], and how well it captures the cases."""

    limits: dict[str, tuple[float, float]]
    coverage: float  # share of all cases of interest inside the box
    density: float  # share of the points inside the box that are cases of interest
    mass: float  # share of all points inside the box
    n: int
    k: int
    qp: dict[str, float] = field(default_factory=dict)  # quasi-p value of each restriction
    trajectory: list[dict[str, float]] = field(default_factory=list)
    chosen: int = -1


@dataclass
class Discovery:
    """PRIM on one rule over a sweep's points."""

    rule: str
    outcome: str
    op: str
    threshold: float
    points: int
    cases: int
    ranges: dict[str, tuple[float, float]]
    boxes: list[Box]
    min_density: float
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Discovery:
        boxes = [Box(**{**b, "limits": {k: tuple(v) for k, v in b["limits"].items()}}) for b in d["boxes"]]
        return cls(**{**d, "boxes": boxes, "ranges": {k: tuple(v) for k, v in d["ranges"].items()}})


def parse_rule(text: str) -> tuple[str, str, str]:
    """``OUTCOME>VALUE`` (also <, >=, <=); VALUE a number or ``qNN``, a quantile of the outcome."""
    m = RULE.match(text)
    if not m:
        raise ValueError(f"PRIM rule {text!r}: expected OUTCOME>VALUE or OUTCOME<VALUE, VALUE a number or a "
                         "quantile such as q80 (e.g. strikes_started>q80)")
    return m.group(1), m.group(2), m.group(3)


def cases(y: np.ndarray, op: str, value: str) -> tuple[np.ndarray, float]:
    """Which points are cases of interest, and the threshold used."""
    thr = float(np.nanquantile(y, float(value[1:]) / 100.0)) if value.startswith("q") else float(value)
    return {">": y > thr, ">=": y >= thr, "<": y < thr, "<=": y <= thr}[op], thr


def _ema_prim() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError as e:  # pragma: no cover - the ensemble extra installs it
        raise ImportError("scenario discovery needs ema_workbench: pip install 'rightful[ensemble]'") from e
    return prim


def discover(x: Mapping[str, Sequence[float]], y: Sequence[float], rule: str, min_density: float = 0.8,
             max_boxes: int = 2, peel_alpha: float = 0.05, paste_alpha: float = 0.05,
             mass_min: float = 0.05) -> Discovery:
    """PRIM over points ``x[name][i]`` with outcome ``y[i]`` (points where ``y`` is NaN are left out)."""
    import pandas as pd

    outcome, op, value = parse_rule(rule)
    yv = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(yv)
    xf = pd.DataFrame({k: np.asarray(v, dtype=np.float64)[ok] for k, v in x.items()})
    yv = yv[ok]
    ranges = {k: (float(xf[k].min()), float(xf[k].max())) for k in xf} if len(xf) else {}
    if len(yv) < 4:
        return Discovery(rule, outcome, op, float("nan"), len(yv), 0, ranges, [], min_density,
                         "too few points with a value for PRIM")
    interest, thr = cases(yv, op, value)
    n_int = int(interest.sum())
    d = Discovery(rule, outcome, op, thr, len(yv), n_int, ranges, [], min_density)
    if n_int == 0 or n_int == len(yv):
        d.note = "no point is a case of interest" if n_int == 0 else "every point is a case of interest"
        return d
    prim = _ema_prim()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # binary mode: y >= threshold marks the cases (y = 1); a tiny threshold keeps every box found
        p = prim.Prim(xf, interest.astype(int), threshold=1e-9, peel_alpha=peel_alpha, paste_alpha=paste_alpha,
                      mass_min=mass_min)
        for _ in range(max_boxes):
            if d.boxes and p.determine_coi(p.yi_remaining) < max(2, 0.1 * n_int):
                break
            box = p.find_box()
            if box is None:
                break
            b = _summary(box, xf, len(yv), n_int, min_density)
            if b.density <= n_int / len(yv) or not b.limits:
                d.note = d.note or "No further box is denser than the base rate."
                break
            box.select(b.chosen)
            d.boxes.append(b)
    return d


def _summary(box: Any, x: Any, n: int, n_int: int, min_density: float) -> Box:
    traj = box.peeling_trajectory
    rows = [{"coverage": float(r.coverage), "density": float(r.density), "mass": float(r.mass),
             "res_dim": int(r.res_dim)} for r in traj.itertuples()]
    dense = [i for i, r in enumerate(rows) if r["density"] >= min_density]
    if dense:
        i = max(dense, key=lambda j: (rows[j]["coverage"], -rows[j]["res_dim"]))
    else:
        i = max(range(len(rows)), key=lambda j: (rows[j]["density"], rows[j]["coverage"]))
    lim = box.box_lims[i]
    init = box.box_lims[0]
    limits, qp = {}, {}
    for c in x.columns:
        lo, hi = float(lim[c].iloc[0]), float(lim[c].iloc[1])
        if lo != float(init[c].iloc[0]) or hi != float(init[c].iloc[1]):
            limits[c] = (lo, hi)
            vals = [v for v in box.qp[i].get(c, []) if v is not None and v >= 0]
            qp[c] = float(max(vals)) if vals else float("nan")
    r = traj.iloc[i]
    # coverage over all cases of interest (a later box's trajectory counts only the remaining ones)
    return Box(limits, float(r["k"]) / n_int, float(r["density"]), float(r["n"]) / n, int(r["n"]), int(r["k"]), qp,
               rows, i)


def describe(b: Box, units: Mapping[str, str] | None = None) -> str:
    """The box in words: ``claim_rate 0.001..0.003 and collusion 0.6..0.8``."""
    units = units or {}
    parts = [f"{k} {_g(lo)}..{_g(hi)}{(' ' + units[k]) if units.get(k) else ''}" for k, (lo, hi) in b.limits.items()]
    return " and ".join(parts) or "the whole space"


def _g(v: float) -> str:
    return f"{v:.4g}"
