"""Named scalar outcomes of a run, computed from its run-view (``rightful.runview``).

Why a registry: sensitivity analysis, comparisons and ensemble summaries must all mean the same
thing by 'total strikes started' or 'mean gap in the final year'. Each outcome is a small
function of one run's view (its daily series combined over cities by their declared rules, and
its strike log), so the driver of a batch can keep a handful of floats per run instead of the
runs themselves, and recompute them for runs it skips on a resumed batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..runview import RunView, S
from . import expressions


@dataclass(frozen=True)
class Outcome:
    name: str
    description: str
    fn: Callable[[RunView], float]


def _total(series: str) -> Callable[[RunView], float]:
    return lambda d: float(np.nansum(d.total(series)))


def _final_year_mean(series: str) -> Callable[[RunView], float]:
    return lambda d: float(np.nanmean(d.total(series)[d.last_days(365)]))


def _at_end(series: str) -> Callable[[RunView], float]:
    return lambda d: float(d.total(series)[-1])


def _escalated_share(d: RunView) -> float:
    s = d.strikes
    w = s.weight
    return float((w * s.escalated).sum() / w.sum()) if w.sum() > 0 else 0.0


def _strikes_won_share(d: RunView) -> float:
    ended = np.nansum(d.total(S.strikes_ended))
    return float(np.nansum(d.total(S.strikes_won)) / ended) if ended > 0 else 0.0


OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome(S.strikes_started, "strikes started, total over the run (all cities)", _total(S.strikes_started)),
    Outcome(S.strikers_started, "workers who joined a strike as it started, total", _total(S.strikers_started)),
    Outcome(S.arb_filed, "arbitration cases filed, total", _total(S.arb_filed)),
    Outcome(S.arb_accepted, "arbitration cases accepted, total", _total(S.arb_accepted)),
    Outcome(S.complaints, "individual complaints to management, total", _total(S.complaints)),
    Outcome(S.recovered, "yuan recovered through claims, total", _total(S.recovered)),
    Outcome(S.quits, "quits, total", _total(S.quits)),
    Outcome("gap_final_year", "mean gap between rights promised and enforced, last 365 days",
            _final_year_mean(S.gap)),
    Outcome("grievance_final_year", "mean grievance, last 365 days", _final_year_mean(S.grievance)),
    Outcome("arrears_end", "wages owed on the last day (yuan)", _at_end(S.arrears)),
    Outcome("mean_wage_end", "worker-weighted mean wage on the last day (yuan)", _at_end(S.mean_wage)),
    Outcome("escalated_share", "share of strikes (weighted) that escalated", _escalated_share),
    Outcome("strikes_won_share", "share of ended strikes that won", _strikes_won_share),
)}

# what comparisons and ensembles show unless told otherwise
MAIN = (S.strikes_started, S.arb_filed, S.recovered, "gap_final_year", "arrears_end", "mean_wage_end")
expressions.reserve(OUTCOMES)  # no expression may take a built-in name


def check(names: Iterable[str]) -> list[str]:
    """The names (built-in outcomes or named expressions), or a ValueError listing what exists."""
    return expressions.check(names, OUTCOMES)


def compute(path: Path | str, names: Iterable[str] | None = None) -> dict[str, float]:
    """The named outcomes (default: the built-in ones) of the run stored at ``path``."""
    names = check(names if names is not None else OUTCOMES)
    d = RunView.open(path)
    out = {n: OUTCOMES[n].fn(d) for n in names if n in OUTCOMES}
    rest = [n for n in names if n not in OUTCOMES]
    if rest:  # hook: named expressions, evaluated over the run's DuckDB views
        out.update(expressions.compute(path, rest))
    return {n: out[n] for n in names}
