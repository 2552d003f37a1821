"""Preallocated results: daily series per group (city), and growable event logs.

Why: nothing is appended per day in Python lists; a run allocates its (days x groups x series)
array once, processes add today's flows into ``flows`` and the observer writes stocks, so memory
is known before the run starts and the series are written to Parquet in one go.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


class Series:
    """Daily values of named series for each group (city)."""

    def __init__(self, n_days: int, groups: Sequence[str], names: Sequence[str], offset: int = 0) -> None:
        self.offset = offset  # days of burn-in before the first recorded day: run, then discarded
        self.groups = list(groups)
        self.names = list(names)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.daily = np.full((n_days, len(self.groups), len(self.names)), np.nan, dtype=np.float64)
        self.flows = np.zeros((len(self.groups), len(self.names)), dtype=np.float64)

    def i(self, name: str) -> int:
        return self.index[name]

    def close_day(self, day: int, stocks: np.ndarray, stock_cols: np.ndarray) -> None:
        """Write today's flows and the observer's stocks, then reset the flow buffer."""
        if day < self.offset:
            self.flows[:] = 0.0
            return
        row = self.daily[day - self.offset]
        row[:] = self.flows
        row[:, stock_cols] = stocks[:, stock_cols]
        self.flows[:] = 0.0

    def column(self, name: str, group: int | None = None) -> np.ndarray:
        k = self.index[name]
        return self.daily[:, :, k].sum(axis=1) if group is None else self.daily[:, group, k]


class EventLog:
    """Rows of a fixed schema (strikes, policy changes); grows by doubling, outside kernels."""

    def __init__(self, schema: Mapping[str, str], capacity: int = 1024) -> None:
        self.schema = {k: np.dtype(v) for k, v in schema.items()}
        self.n = 0
        self.cols = {k: np.zeros(capacity, dtype=dt) for k, dt in self.schema.items()}

    def append(self, rows: Mapping[str, np.ndarray]) -> None:
        m = len(next(iter(rows.values())))
        if m == 0:
            return
        cap = len(next(iter(self.cols.values())))
        if self.n + m > cap:
            new = max(2 * cap, self.n + m)
            for k, a in self.cols.items():
                b = np.zeros(new, dtype=a.dtype)
                b[: self.n] = a[: self.n]
                self.cols[k] = b
        for k in self.schema:
            self.cols[k][self.n : self.n + m] = rows[k]
        self.n += m

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: a[: self.n] for k, a in self.cols.items()}

    def recorded(self, offset: int, day_cols: Sequence[str], keep: str) -> dict[str, np.ndarray]:
        """Rows as recorded after a burn-in of ``offset`` days: days counted from the first recorded
        day (so a strike begun in the burn-in starts on a negative day), rows whose ``keep`` day
        falls in the burn-in dropped."""
        cols = self.arrays()
        if offset == 0:
            return cols
        sel = cols[keep] >= offset
        return {k: (a[sel] - offset if k in day_cols else a[sel]) for k, a in cols.items()}
