"""The first step of every day: apply the dated events due today.

Why a step of the plan: a scenario is data; each dated event sets, scales or adds to a named
parameter in some cells (zones x sectors), or to an attribute of a named firm, and ``rightful
plan`` shows this step like any other. Events of day 0 shape the initial state: those on
parameters are applied before the population is built (the wage level a firm starts from), those
on firms once the firms exist; each event is applied exactly once.

Overrides (``--set``, the API's ``set=``, a sweep's values) pin their parameter for the whole
run: events that would change a pinned parameter are skipped and listed in the run's record, so a
sweep over a parameter that events also set measures its effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np

from .plan import Process

if TYPE_CHECKING:
    from .params import ParamTable
    from .world import World


class Event(Protocol):
    day: int
    label: str
    op: str | None
    value: float
    param: str | None
    zones: tuple[int, ...]
    sectors: tuple[int, ...]
    firm: str | None
    attribute: str | None


def _combine(old: Any, op: str, value: float) -> Any:
    return value if op == "set" else (old * value if op == "scale" else old + value)


class Events(Process):
    """Applies each scheduled event on its day, before the day's processes."""

    name = "events"
    cites = "the scenario's dated events (the study's timeline)"
    reads: ClassVar[tuple[str, ...]] = ("the scenario's schedule",)

    def __init__(self, schedule: Sequence[Event], pinned: Iterable[str] = ()) -> None:
        self.schedule = list(schedule)
        self.pinned = frozenset(pinned)
        self.skipped: list[dict[str, Any]] = []
        self._next = 0
        self._firm_rows: Mapping[str, int] = {}

    @property
    def writes(self) -> tuple[str, ...]:
        return ("parameters named by events", "firm attributes named by events")

    def _apply(self, e: Event, params: ParamTable, firms: Any | None) -> None:
        if e.op is None:
            return
        if e.param is not None:
            if e.param in self.pinned:
                self.skipped.append({"day": int(e.day), "label": e.label, "param": e.param})
                return
            params.apply(e.param, e.op, e.value, np.array(e.zones, dtype=np.int64),
                         np.array(e.sectors, dtype=np.int64))
        elif e.firm is not None and firms is not None:
            col = firms[e.attribute]
            r = self._firm_rows[e.firm]
            col[r] = _combine(col[r], e.op, e.value)

    def prepare_params(self, params: ParamTable) -> None:
        """Before the population exists: apply day 0's events on parameters."""
        for e in self.schedule:
            if e.day > 0:
                break
            if e.param is not None:
                self._apply(e, params, None)

    def prepare_firms(self, params: ParamTable, firms: Any, firm_rows: Mapping[str, int]) -> None:
        """Once the firms exist: apply day 0's events on firms; day 0 is then done."""
        self._firm_rows = firm_rows
        i = 0
        while i < len(self.schedule) and self.schedule[i].day <= 0:
            if self.schedule[i].firm is not None:
                self._apply(self.schedule[i], params, firms)
            i += 1
        self._next = i

    def step(self, w: World, day: int) -> None:
        evs, i = self.schedule, self._next
        while i < len(evs) and evs[i].day <= day:
            self._apply(evs[i], w.params, w.firms)
            i += 1
        self._next = i
