"""Processes and the plan: the ordered steps of a day, each with its cadence, and their CPU time.

A process is one declared unit (engine.declare): its parameters, the parameters of other units it
reads (``uses``, by name), the table columns it owns, its results, its cadence and the passage of
the study it implements. The engine binds a process to a world once (``bind``): its parameters
become ``self.p``, a namedtuple of (zones x sectors) views of the parameter table, and its flows
``self.out``, a namedtuple of per-firm buffers that ``flows()`` zeroes and ``add_flows()`` adds
into the day's series per city. A user prints what runs each day, in which order, reading and
writing what, with ``rightful plan``; every run records where its time went (like Starsim's loop).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numba import njit

from .calendar import DAILY, Cadence
from .checks import after_step
from .declare import Col, Result, named_tuple
from .params import Param

if TYPE_CHECKING:
    from .world import World


class Process:
    """One process of the model. Subclasses declare the class attributes and implement ``step``."""

    name: ClassVar[str] = "process"
    cadence: ClassVar[Cadence] = DAILY
    cites: ClassVar[str] = ""
    pars: ClassVar[tuple[Param, ...]] = ()
    uses: ClassVar[tuple[str, ...]] = ()
    states: ClassVar[Mapping[str, Sequence[Col]]] = {}
    results: ClassVar[tuple[Result, ...]] = ()
    reads: ClassVar[tuple[str, ...]] = ()  # columns of other units it reads (for ``rightful plan``)
    scratch: ClassVar[int] = 0  # per-firm values it needs from the shared scratch beyond its flows
    Pars: ClassVar[type]
    Out: ClassVar[type | None]

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        qual = cls.__qualname__
        cls.Pars = named_tuple(cls.__module__, f"{qual}.Pars", [p.name for p in cls.pars] + list(cls.uses))
        flows = [r.name for r in cls.results if r.kind == "flow"]
        cls.Out = named_tuple(cls.__module__, f"{qual}.Out", flows) if flows else None

    @property
    def writes(self) -> tuple[str, ...]:
        own = tuple(f"{t}.{c.name}" for t, cols in self.states.items() for c in cols)
        return own + tuple(r.name for r in self.results)

    def bind(self, w: World) -> None:
        """Give the process its named groups on this world, then run its ``setup``."""
        self.rebind(w)
        self.setup(w)

    def rebind(self, w: World) -> None:
        """(Re)create the views the process holds on the world: its parameters (views of the
        parameter table, so dated events reach the kernels) and its flow buffers (views of the
        shared scratch). A deep copy of a world copies views as separate arrays, so a copied
        simulation calls this again (model.Simulation.__deepcopy__)."""
        self.p = self.Pars(*(w.params[n] for n in self.Pars._fields))
        if self.Out is not None:
            k = len(self.Out._fields)
            self._buf = w.flow_buffer(k)
            self.out = self.Out(*self._buf)
            self._cols = np.array([w.series.index[n] for n in self.Out._fields], dtype=np.int64)

    def setup(self, w: World) -> None:  # noqa: B027 - optional hook
        """Called once after the population is built, before day 0."""

    def step(self, w: World, day: int) -> None:
        raise NotImplementedError

    def flows(self) -> Any:
        """The process's per-firm flow buffers, zeroed (they share memory with other processes')."""
        self._buf[:] = 0.0
        return self.out

    def add_flows(self, w: World) -> None:
        """Add the per-firm flows, weighted to the region, into today's series per city."""
        f = w.firms
        to_cities(self._buf, f.city, f.weight, self._cols, w.series.flows)


@njit(cache=True)
def to_cities(per_firm: np.ndarray, firm_city: np.ndarray, weight: np.ndarray, cols: np.ndarray,
              out: np.ndarray) -> None:
    """Add weighted per-firm values (k x firms) into ``out[city, cols[k]]`` in firm order, so that
    totals do not depend on the number of threads."""
    for f in range(per_firm.shape[1]):
        c = firm_city[f]
        wt = weight[f]
        for k in range(per_firm.shape[0]):
            v = per_firm[k, f]
            if v != 0.0:
                out[c, cols[k]] += v * wt


class Plan:
    """Runs the processes in order on the days their cadence says, timing each."""

    def __init__(self, processes: Sequence[Process]) -> None:
        self.processes = list(processes)
        self.cpu = np.zeros(len(self.processes))
        self.wall = np.zeros(len(self.processes))
        self.calls = np.zeros(len(self.processes), dtype=np.int64)
        self._masks: list[np.ndarray] = []

    def setup(self, w: World) -> None:
        self._masks = [p.cadence.mask(w.cal) for p in self.processes]
        w.reserve_scratch(max([p.scratch for p in self.processes]
                              + [len(p.Out._fields) for p in self.processes if p.Out is not None]
                              + [len(getattr(sys.modules[type(p).__module__], "FLOWS", ())) for p in self.processes]
                              + [1]))
        for p in self.processes:
            p.bind(w)

    def run_day(self, w: World, day: int) -> None:
        pc, pt = time.process_time, time.perf_counter
        for i, p in enumerate(self.processes):
            if self._masks[i][day]:
                c0, t0 = pc(), pt()
                p.step(w, day)
                self.cpu[i] += pc() - c0
                self.wall[i] += pt() - t0
                self.calls[i] += 1
                after_step(w, day, p)  # engine.checks: stop at a non-physical series, naming p and the day

    def timings(self) -> dict[str, dict[str, float]]:
        return {p.name: {"cpu_s": float(self.cpu[i]), "wall_s": float(self.wall[i]),
                         "calls": int(self.calls[i])} for i, p in enumerate(self.processes)}

    def describe(self) -> list[dict[str, str]]:
        return [{"order": str(i + 1), "process": p.name, "cadence": str(p.cadence),
                 "reads": ", ".join(tuple(p.uses) + tuple(p.reads)), "writes": ", ".join(p.writes),
                 "cites": p.cites}
                for i, p in enumerate(self.processes)]
