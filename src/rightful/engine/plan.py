"""The plan: an ordered list of processes, each with its cadence, and their CPU time.

Why: a user must be able to print what runs each day, in which order, reading and writing what
(``rightful plan``), and every run records where its time went (like Starsim's loop plan).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from .calendar import DAILY, Cadence

if TYPE_CHECKING:
    from .world import World

from .params import Param


class Process:
    """One process of the model. Subclasses set the class attributes and implement ``step``."""

    name: ClassVar[str] = "process"
    cadence: ClassVar[Cadence] = DAILY
    params: ClassVar[tuple[Param, ...]] = ()
    reads: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()
    cites: ClassVar[str] = ""

    def setup(self, w: World) -> None:  # noqa: B027 - optional hook
        """Called once after the population is built, before day 0."""

    def step(self, w: World, day: int) -> None:
        raise NotImplementedError


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
        for p in self.processes:
            p.setup(w)

    def run_day(self, w: World, day: int) -> None:
        pc, pt = time.process_time, time.perf_counter
        for i, p in enumerate(self.processes):
            if self._masks[i][day]:
                c0, t0 = pc(), pt()
                p.step(w, day)
                self.cpu[i] += pc() - c0
                self.wall[i] += pt() - t0
                self.calls[i] += 1

    def timings(self) -> dict[str, dict[str, float]]:
        return {p.name: {"cpu_s": float(self.cpu[i]), "wall_s": float(self.wall[i]),
                         "calls": int(self.calls[i])} for i, p in enumerate(self.processes)}

    def describe(self) -> list[dict[str, str]]:
        return [{"order": str(i + 1), "process": p.name, "cadence": str(p.cadence),
                 "reads": ", ".join(p.reads), "writes": ", ".join(p.writes), "cites": p.cites}
                for i, p in enumerate(self.processes)]
