"""Experimental designs over a scenario's declared uncertainties and levers: grid, LHS, Sobol, Morris.

Why on the unit cube: every design is drawn in [0, 1]^k and then mapped to each parameter's
range by its distribution (uniform or log-uniform), so the SALib analyses see the same unit
points they sampled, while the runs get values in the parameters' own units. Designs are
deterministic (seeded), so a re-run of the same sweep has the same points, hence the same run ids,
and resumes instead of starting over.

What a sweep varies (``space``) follows the EMA Workbench: a scenario's ``[[uncertainties]]`` (what
the study cannot pin down), its ``[[levers]]`` (what an actor decides), or both, crossed in one
design. Both are ranges of named model parameters, checked against the parameter registry here,
so a sweep fails before it runs anything.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..scenarios.schema import Uncertainty

if TYPE_CHECKING:
    from ..scenarios.loader import Loaded

KINDS = ("grid", "lhs", "sobol", "morris")
OVER = ("uncertainties", "levers", "both")


@dataclass
class Design:
    """Points of a design: ``unit`` in [0, 1]^k (what SALib analyses) and ``values`` in units."""

    kind: str
    uncertainties: list[Uncertainty]
    unit: np.ndarray
    values: np.ndarray
    levels: int | None = None

    @property
    def names(self) -> list[str]:
        return [u.name for u in self.uncertainties]

    def problem(self) -> dict[str, Any]:
        """The SALib problem on the unit cube."""
        return {"num_vars": len(self.names), "names": self.names, "bounds": [[0.0, 1.0]] * len(self.names)}

    def points(self) -> list[dict[str, float]]:
        return [{n: float(v) for n, v in zip(self.names, row, strict=True)} for row in self.values]


def to_values(unit: np.ndarray, uncertainties: list[Uncertainty]) -> np.ndarray:
    """Map unit-cube points to parameter values (log-uniform ranges are uniform in log space)."""
    out = np.empty_like(unit, dtype=np.float64)
    for j, u in enumerate(uncertainties):
        if u.distribution == "loguniform":
            lo, hi = np.log(u.low), np.log(u.high)
            out[:, j] = np.exp(lo + unit[:, j] * (hi - lo))
        else:
            out[:, j] = u.low + unit[:, j] * (u.high - u.low)
        # the ends of a range exactly (exp(log(x)) is not always x): readable points, stable run ids
        out[unit[:, j] == 0.0, j] = u.low
        out[unit[:, j] == 1.0, j] = u.high
    return out


def make(kind: str, uncertainties: list[Uncertainty], n: int = 8, levels: int = 4, seed: int = 0) -> Design:
    """A design of ``kind``; ``n`` is points (LHS), base samples (Sobol, a power of two) or
    trajectories (Morris); ``levels`` is per-axis levels (grid, Morris)."""
    if not uncertainties:
        raise ValueError("the scenario declares no [[uncertainties]] to sweep over")
    names = [u.name for u in uncertainties]
    if len(set(names)) != len(names):
        raise ValueError(f"an uncertainty is declared twice: {names}")
    k = len(uncertainties)
    if kind == "grid":
        if levels < 2:
            raise ValueError("a grid needs at least 2 levels")
        axis = np.linspace(0.0, 1.0, levels)
        unit = np.array(list(itertools.product(axis, repeat=k)), dtype=np.float64)
    elif kind == "lhs":
        rng = np.random.default_rng(seed)
        unit = np.empty((n, k))
        for j in range(k):
            unit[:, j] = (rng.permutation(n) + rng.random(n)) / n
    elif kind == "sobol":
        from SALib.sample import sobol as sobol_sample

        if n < 2 or n & (n - 1):
            raise ValueError(f"Sobol needs n a power of two (got {n})")
        prob = {"num_vars": k, "names": names, "bounds": [[0.0, 1.0]] * k}
        unit = sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)
    elif kind == "morris":
        from SALib.sample import morris as morris_sample

        if levels < 2 or levels % 2:
            raise ValueError("Morris needs an even number of levels (e.g. 4)")
        prob = {"num_vars": k, "names": names, "bounds": [[0.0, 1.0]] * k}
        unit = morris_sample.sample(prob, n, num_levels=levels, seed=seed)
    else:
        raise ValueError(f"unknown design {kind!r}; one of {KINDS}")
    return Design(kind, list(uncertainties), unit, to_values(unit, uncertainties), levels)


def space(loaded: Loaded, over: str = "uncertainties", only: list[str] | None = None) -> list[Uncertainty]:
    """The ranges a sweep varies: the scenario's uncertainties, its levers, or both (uncertainties
    first), optionally ``only`` some of them. A scenario may redeclare an inherited uncertainty or
    lever to change its range: the later declaration (the child's) replaces the earlier one.
    Raises ``ValueError`` naming what is missing, unknown or declared as both."""
    from ..processes import all_params

    if over not in OVER:
        raise ValueError(f"--over {over!r}: one of {', '.join(OVER)}")
    sc = loaded.scenario
    unc = {u.name: u for u in sc.uncertainties} if over in ("uncertainties", "both") else {}
    lev = {u.name: u for u in getattr(sc, "levers", [])} if over in ("levers", "both") else {}
    both = sorted(set(unc) & set(lev))
    if both:
        raise ValueError(f"{loaded.name}: {both} declared both as an uncertainty and as a lever")
    items: list[Uncertainty] = [*unc.values(), *lev.values()]
    if only:
        have = {u.name: u for u in items}
        bad = [n for n in only if n not in have]
        if bad:
            raise ValueError(f"{bad} are not among the {over} of {loaded.name} ({', '.join(have) or 'none'})")
        items = [have[n] for n in dict.fromkeys(only)]
    if not items:
        what = "[[uncertainties]] or [[levers]]" if over == "both" else f"[[{over}]]"
        raise ValueError(f"the scenario {loaded.name} declares no {what} to sweep over")
    known = {p.name for p in all_params()}
    bad = [u.name for u in items if u.name not in known]
    if bad:
        raise ValueError(f"{loaded.name}: {bad} are not model parameters (see 'rightful params')")
    return items


def pinned_events(loaded: Loaded, names: list[str]) -> dict[str, list[str]]:
    """The dated events that set each of ``names``: a sweep's value pins its parameter for the whole
    run, so these are skipped in its runs (name -> the events' labels, in date order)."""
    from ..population.build import geography
    from ..scenarios.events import compile_events

    sc = loaded.scenario
    out: dict[str, list[str]] = {}
    for e in compile_events(sc, geography(sc), loaded.path, str(loaded.path)):
        if e.param in names and e.op is not None:
            out.setdefault(e.param, [])
            if e.label not in out[e.param]:
                out[e.param].append(e.label)
    return out
