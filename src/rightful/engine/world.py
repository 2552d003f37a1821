"""The world a run works on: calendar, seed, parameters, agent tables, results.

The engine knows nothing of labour: a World holds named tables and arrays, and the processes
(rightful.processes) give them meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .calendar import Calendar
from .params import ParamTable
from .results import EventLog, Series
from .tables import Table


@dataclass
class World:
    cal: Calendar
    seed: int
    params: ParamTable
    tables: dict[str, Table]
    series: Series
    logs: dict[str, EventLog] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    def __getattr__(self, item: str) -> Any:
        tables = self.__dict__.get("tables", {})
        if item in tables:
            return tables[item]
        arrays = self.__dict__.get("arrays", {})
        if item in arrays:
            return arrays[item]
        raise AttributeError(item)

    def flow(self, name: str) -> int:
        """Column index of a series, for kernels that add flows."""
        return self.series.index[name]
