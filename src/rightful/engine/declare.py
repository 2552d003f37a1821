"""What a unit of the model declares about itself: parameters, columns, results.

Why: everything the engine needs to know about a process (or the population builder) is written
once, beside the mechanism, and the engine derives the rest from it: the tables' schemas, the
parameter index, the result series with their labels and aggregation rules, the named groups its
compiled kernel receives, and the ODD's parameter table. Starsim's ``define_pars`` /
``define_states`` / ``define_results`` and LASER's ``add_scalar_property`` are the models; unlike
them, a parameter here always carries its unit, its range and its source.

Kernels receive named groups, never positional arrays: a table's columns arrive as one
namedtuple of NumPy arrays (``wk.status[i]``), a process's parameters as one namedtuple of
(zones x sectors) views of the parameter table (``p.escalate_base[z, s]``: views, so dated events
reach the kernel without copying), and its flows as one namedtuple of per-firm buffers
(``out.strikes_won[f] += 1.0``). Numba compiles namedtuples of arrays and caches them when the
namedtuple class is importable, which is why the classes are created here once, at import.

One rule for parallel kernels (Numba 0.6x): an array that a ``prange`` loop writes must be bound to
a local name before the loop (``griev = wk.griev``); stores through the tuple inside the loop
body (``wk.griev[i] = g``) are silently lost. Reads through the tuple are fine, and so are
stores in a serial kernel or in a function the loop calls.
"""

from __future__ import annotations

import sys
from collections import namedtuple
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .params import Param

__all__ = ["Param", "Col", "Result", "Flow", "Stock", "named_tuple", "merge_states", "AGG_CITIES", "AGG_TIME"]

AGG_CITIES = ("sum", "mean")  # mean: weighted by the city's workers (the ``workers`` stock)
AGG_TIME = ("sum", "mean", "last")


@dataclass(frozen=True)
class Col:
    """A column of an agent table: name, NumPy dtype, meaning, initial value, and the shape of one
    row's value (``(3,)`` for a value per firm ownership, say)."""

    name: str
    dtype: str
    doc: str
    fill: float = 0
    shape: tuple[int, ...] = ()

    @property
    def nbytes(self) -> int:
        return int(np.dtype(self.dtype).itemsize * int(np.prod(self.shape, dtype=np.int64)))


@dataclass(frozen=True)
class Result:
    """A recorded daily series per city.

    ``kind``: ``flow`` (events of the day, added by the process that causes them) or ``stock`` (a
    level at the end of the day, written by the observer). ``cities``: how cities combine (``sum``,
    or ``mean`` weighted by the city's workers). ``time``: how days combine into a month or a year
    (``sum`` for flows; ``last`` or ``mean`` for stocks)."""

    name: str
    label: str
    unit: str
    kind: str = "flow"
    cities: str = "sum"
    time: str = "sum"

    def __post_init__(self) -> None:
        if self.kind not in ("flow", "stock"):
            raise ValueError(f"result {self.name!r}: kind {self.kind!r} is not 'flow' or 'stock'")
        if self.cities not in AGG_CITIES:
            raise ValueError(f"result {self.name!r}: cities rule {self.cities!r} is not one of {AGG_CITIES}")
        if self.time not in AGG_TIME:
            raise ValueError(f"result {self.name!r}: time rule {self.time!r} is not one of {AGG_TIME}")


def Flow(name: str, label: str, unit: str = "per day") -> Result:  # noqa: N802 - reads as a declaration
    """A daily flow: summed over cities and over time."""
    return Result(name, label, unit, "flow", "sum", "sum")


def Stock(name: str, label: str, unit: str, mean: bool = False, time: str = "last") -> Result:  # noqa: N802
    """An end-of-day stock: summed over cities, or (``mean=True``) a worker-weighted mean."""
    return Result(name, label, unit, "stock", "mean" if mean else "sum", "mean" if mean else time)


def named_tuple(module: str, qualname: str, fields: Sequence[str]) -> type:
    """A namedtuple class that pickle (and so Numba's on-disk cache) can find again: it is bound to
    ``qualname`` in ``module``'s namespace (a nested qualname such as ``Strikes.Pars`` is found
    through the class ``Strikes``)."""
    for f in fields:
        if not f.isidentifier() or f.startswith("_"):
            raise ValueError(f"{qualname}: {f!r} cannot name a kernel field")
    cls = namedtuple(qualname.rsplit(".", 1)[-1], list(fields))
    cls.__module__ = module
    cls.__qualname__ = qualname
    if "." not in qualname:
        setattr(sys.modules[module], qualname, cls)
    return cls


def merge_states(units: Iterable[tuple[str, Mapping[str, Sequence[Col]]]]) -> dict[str, dict[str, Col]]:
    """Columns of every table from the units that own them; a column owned twice is an error."""
    tables: dict[str, dict[str, Col]] = {}
    owner: dict[tuple[str, str], str] = {}
    for unit, states in units:
        for table, cols in states.items():
            t = tables.setdefault(table, {})
            for c in cols:
                if c.name in t:
                    raise ValueError(f"column {table}.{c.name} is declared by {owner[table, c.name]!r} "
                                     f"and by {unit!r}: one unit owns a column")
                t[c.name] = c
                owner[table, c.name] = unit
    return tables
