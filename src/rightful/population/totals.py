"""Totals over the worker rows that setup code needs, computed without population-sized temporaries.

Why: at one agent per worker a NumPy expression such as ``np.bincount(city[firm] * H + home)``
allocates several arrays of 8 bytes per worker, more than the daily loop's whole budget per agent.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _home_totals(f_start, f_end, f_city, f_weight, w_home, H, n_keys):  # pragma: no cover - compiled
    rows = np.zeros(n_keys)
    weighted = np.zeros(n_keys)
    for f in range(f_start.shape[0]):
        base = f_city[f] * H
        wt = f_weight[f]
        for i in range(f_start[f], f_end[f]):
            k = base + w_home[i]
            rows[k] += 1.0
            weighted[k] += wt
    return rows, weighted


def home_totals(firms, workers, H: int, n_cities: int) -> tuple[np.ndarray, np.ndarray]:
    """Worker rows, and the real workers they stand for, per (city, hometown) key city * H + home."""
    return _home_totals(firms.start, firms.end, firms.city.astype(np.int64), firms.weight.astype(np.float64),
                        workers.home, H, n_cities * H)
