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

    def reserve_scratch(self, k: int) -> None:
        """Allocate the per-firm scratch shared by every process, for up to ``k`` values a firm.
        Processes run one after another, so they share one buffer: at one agent per worker a
        buffer per process would cost several bytes per worker."""
        n = self.tables["firms"].n * k
        buf = self.arrays.get("_firm_scratch")
        if buf is not None and buf.shape[0] >= n:
            return
        if self.meta.get("_scratch_shared"):
            raise RuntimeError("the per-firm scratch grew after processes were bound to it")
        self.arrays["_firm_scratch"] = np.zeros(n)

    def flow_buffer(self, k: int) -> np.ndarray:
        """A (k x firms) view of the shared scratch: a process's per-firm flow buffers."""
        self.reserve_scratch(k)
        self.meta["_scratch_shared"] = True
        nf = self.tables["firms"].n
        return self.arrays["_firm_scratch"][: nf * k].reshape(k, nf)

    def firm_scratch(self, k: int) -> np.ndarray:
        """A zeroed (firms x k) float64 view of the shared scratch, valid until the next call."""
        self.reserve_scratch(k)
        n = self.tables["firms"].n * k
        view = self.arrays["_firm_scratch"][:n].reshape(-1, k)
        view[:] = 0.0
        return view

    def flow(self, name: str) -> int:
        """Column index of a series, for kernels that add flows."""
        return self.series.index[name]
