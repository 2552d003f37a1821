"""Model parameters: declared by the processes, resolved per (zone, sector) cell.

Why: a scenario is data. Each process declares the parameters it reads (default, unit, range,
source), and dated events change those values for a city, a zone, a wage area, a sector or
everyone. Storing every parameter as a small (zones x sectors) array lets one mechanism serve all
those scopes, and kernels read ``p[zone, sector]`` in O(1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

SECTORS = ("manufacturing", "construction", "services")


@dataclass(frozen=True)
class Param:
    """A named parameter with its default and where the default comes from."""

    name: str
    default: float
    unit: str
    source: str
    doc: str = ""
    low: float | None = None
    high: float | None = None

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """The range a value must lie in. Every quantity of the model (days, hours, yuan, shares,
        rates, multipliers) is non-negative, so a parameter without a declared low bound and with a
        non-negative default may not go below 0; no declared high bound means none."""
        low = self.low if self.low is not None else (0.0 if self.default >= 0 else None)
        return low, self.high

    def problem(self, value: object) -> str | None:
        """Why ``value`` is not acceptable for this parameter (``None`` if it is)."""
        import math

        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "a number"
        low, high = self.bounds
        v = float(value)
        if not math.isfinite(v) or (low is not None and v < low) or (high is not None and v > high):
            rng = (f"in [{low:g}, {high:g}]" if high is not None else f">= {low:g}") if low is not None else (
                f"<= {high:g}" if high is not None else "")
            return f"a finite number {rng}".rstrip() + f" ({self.name}, {self.unit or 'no unit'})"
        return None


class ParamTable:
    """Values of every declared parameter for every (zone, sector) cell."""

    def __init__(self, params: Iterable[Param], n_zones: int) -> None:
        self.params: dict[str, Param] = {}
        for p in params:
            if p.name in self.params and self.params[p.name] != p:
                raise ValueError(f"parameter {p.name!r} declared twice with different specs")
            self.params[p.name] = p
        self.names = list(self.params)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.n_zones = n_zones
        self.values = np.empty((len(self.names), n_zones, len(SECTORS)), dtype=np.float64)
        for i, n in enumerate(self.names):
            self.values[i] = self.params[n].default

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def __getitem__(self, name: str) -> np.ndarray:
        """The (zones x sectors) array of one parameter: a view, so kernels see updates."""
        return self.values[self.index[name]]

    def scalar(self, name: str) -> float:
        """The value of a parameter that the scenario has not made to vary by cell."""
        return float(self.values[self.index[name], 0, 0])

    def apply(self, name: str, op: str, value: float, zones: np.ndarray, sectors: np.ndarray) -> None:
        arr = self[name]
        sel = np.ix_(zones, sectors)
        if op == "set":
            arr[sel] = value
        elif op == "scale":
            arr[sel] = arr[sel] * value
        elif op == "add":
            arr[sel] = arr[sel] + value
        else:  # validated by the scenario schema before a run starts
            raise ValueError(f"unknown event operation {op!r}")

    def resolved(self) -> dict[str, float | list]:
        """Parameters as recorded in the catalog: a scalar where uniform, else the full array."""
        out: dict[str, float | list] = {}
        for i, n in enumerate(self.names):
            v = self.values[i]
            out[n] = float(v.flat[0]) if np.all(v == v.flat[0]) else v.tolist()
        return out
