"""Stop a run at the first non-physical state, naming the process, the series and the day.

Why: a NaN, an infinite or a negative count, stock or sum of money is never a result. Left alone
it is written to Parquet and flows into reports and ensembles as a number (a minimum wage of 1e300
once gave arrears of ``inf`` and a negative mean wage). The plan calls ``after_step`` after every
process; it looks only at the day's series per city (the flows added so far and, once the
observer has closed the day, its row of stocks), never at the agents, so it costs about a
microsecond a step. Every series of the model counts people, firms, cases, yuan or shares, so all
must be finite and non-negative; a future series that may be negative is named in ``SIGNED``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit

if TYPE_CHECKING:
    from .world import World

SIGNED: frozenset[str] = frozenset()  # series that may legitimately be negative


class NonPhysicalState(RuntimeError):
    """A series took a value no real quantity can have; the run stops and writes nothing."""

    def __init__(self, process: str, series: str, city: str, day: int, date: Any, value: float,
                 stage: str) -> None:
        self.process, self.series, self.city, self.day, self.date, self.value = process, series, city, day, date, value
        what = "a NaN" if value != value else ("infinite" if abs(value) == np.inf else "negative")
        super().__init__(f"non-physical state on day {day} ({date}): {stage} process '{process}', series "
                         f"'{series}' in {city} is {value!r} ({what}; expected a finite, non-negative number). "
                         f"The run was stopped and nothing was written; check the parameters and events "
                         f"that feed '{process}'.")


@njit(cache=True)
def first_bad(flows: np.ndarray, daily: np.ndarray, day: int, nonneg: np.ndarray) -> int:
    """Flat index of the first bad value: in today's ``flows`` (0 .. n-1), or in the day's row of
    ``daily`` (n .. 2n-1) once it has been written (a row still all NaN is not yet written); -1 if
    none. Both arrays come flattened per day (cities x series in one axis), so a call costs one
    dispatch of two arrays and two integers' worth of work. ``day`` is the row of ``daily`` (the
    calendar day less the burn-in); a burn-in day (negative) has no row, only its flows are checked."""
    n = flows.shape[0]
    k = nonneg.shape[0]
    for i in range(n):
        v = flows[i]
        if not (v - v == 0.0) or (nonneg[i % k] and v < 0.0):
            return i
    if day < 0 or day >= daily.shape[0]:
        return -1
    row = daily[day]
    written = False
    for i in range(n):
        if row[i] == row[i]:
            written = True
            break
    if not written:
        return -1
    for i in range(n):
        v = row[i]
        if not (v - v == 0.0) or (nonneg[i % k] and v < 0.0):
            return n + i
    return -1


def nonneg_mask(names: Sequence[str]) -> np.ndarray:
    return np.array([n not in SIGNED for n in names], dtype=np.bool_)


def _views(s: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat views of a Series' flows and daily rows, and its non-negativity mask, made once."""
    v = (s.flows.reshape(-1), s.daily.reshape(s.daily.shape[0], -1), nonneg_mask(s.names))
    if not (np.shares_memory(v[0], s.flows) and np.shares_memory(v[1], s.daily)):
        raise RuntimeError("series arrays must be contiguous to be checked")
    s._check_views = v
    return v


def after_step(w: World, day: int, process: Any) -> None:
    """Raise ``NonPhysicalState`` if today's series are not physical after ``process`` ran."""
    s = w.series
    v = s.__dict__.get("_check_views") or _views(s)
    row = day - s.offset
    if first_bad(v[0], v[1], row, v[2]) >= 0:
        raise _error(w, day, getattr(process, "name", type(process).__name__),
                     first_bad(v[0], v[1], row, v[2]))


def _error(w: World, day: int, process: str, bad: int) -> NonPhysicalState:
    s = w.series
    g, k = s.flows.shape
    stage, arr = ("after", s.flows) if bad < g * k else ("when closing the day after", s.daily[day - s.offset])
    i, j = divmod(bad % (g * k), k)
    try:
        date = w.cal.date(day)
    except Exception:  # noqa: BLE001 - the day number alone still locates it
        date = f"day {day}"
    return NonPhysicalState(process, s.names[j], s.groups[i], day, date, float(arr[i, j]), stage)


def check_series(daily: np.ndarray, names: Sequence[str], groups: Sequence[str], dates: Sequence[Any]) -> None:
    """The same rule over a whole run's series (days x cities x series), after the fact."""
    mask = nonneg_mask(names)
    bad = ~np.isfinite(daily) | ((daily < 0) & mask[None, None, :])
    if bad.any():
        d, i, j = (int(x[0]) for x in np.nonzero(bad))
        raise NonPhysicalState("observe", names[j], groups[i], d, dates[d] if len(dates) > d else d,
                               float(daily[d, i, j]), "after")
