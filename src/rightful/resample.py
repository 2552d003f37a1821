"""Daily values into periods (weeks, months, quarters, years) by a stated rule.

Why its own small module: the run-view combines a series over days by its declared time rule
(sum, mean, last), and the report also plots flows as rates per period; both need the same
calendar arithmetic, and neither should import the other's dependencies.
"""

from __future__ import annotations

import numpy as np

FULL_DAYS = {"W": 7.0, "M": 365.25 / 12, "Q": 365.25 / 4, "Y": 365.25}
HALF_DAYS = {"D": 0, "W": 3, "M": 14, "Q": 45, "Y": 182}


def period_starts(dates: np.ndarray, freq: str) -> np.ndarray:
    """The first day of the period ('D', 'W', 'M', 'Q', 'Y') each date falls in."""
    dates = np.asarray(dates).astype("datetime64[D]")
    if freq == "D":
        return dates
    if freq == "Q":
        m = dates.astype("datetime64[M]").astype(int)
        return (m - m % 3).astype("datetime64[M]").astype("datetime64[D]")
    unit = {"W": "W", "M": "M", "Y": "Y"}.get(freq)
    if unit is None:
        raise ValueError(f"unknown frequency {freq!r}")
    return dates.astype(f"datetime64[{unit}]").astype("datetime64[D]")


def resample(dates: np.ndarray, values: np.ndarray, freq: str, how: str) -> tuple[np.ndarray, np.ndarray]:
    """Aggregate daily values into periods ('D', 'W', 'M', 'Q', 'Y').

    ``how``: 'mean', 'last', 'sum' or 'rate' (a sum scaled to a full period, so that a run
    starting or stopping mid-month does not show a spurious dip at its edges). Returns the first
    day of each period and the values, one row per period (2-D input keeps its columns); NaN days
    are skipped, and a period without any value is NaN.
    """
    dates = np.asarray(dates).astype("datetime64[D]")
    if freq == "D":
        return dates, values
    keys = period_starts(dates, freq)
    full = FULL_DAYS[freq]
    uk, inv = np.unique(keys, return_inverse=True)
    v = np.asarray(values, dtype=float)
    two_d = v.ndim == 2
    v2 = v if two_d else v[:, None]
    out = np.full((len(uk), v2.shape[1]), np.nan)
    for j in range(v2.shape[1]):
        col = v2[:, j]
        ok = ~np.isnan(col)
        s = np.bincount(inv[ok], weights=col[ok], minlength=len(uk))
        n = np.bincount(inv[ok], minlength=len(uk)).astype(float)
        if how == "sum":
            out[:, j] = np.where(n > 0, s, np.nan)
        elif how == "rate":
            out[:, j] = np.where(n > 0, s / np.maximum(n, 1) * full, np.nan)
        elif how == "mean":
            out[:, j] = np.where(n > 0, s / np.maximum(n, 1), np.nan)
        elif how == "last":
            last = np.full(len(uk), -1)
            idx = np.nonzero(ok)[0]
            last[inv[idx]] = idx  # later rows overwrite earlier ones: the last day wins
            out[:, j] = np.where(last >= 0, col[np.maximum(last, 0)], np.nan)
        else:
            raise ValueError(f"unknown aggregation {how!r}")
    return uk, out if two_d else out[:, 0]


def midpoints(starts: np.ndarray, freq: str) -> np.ndarray:
    """Where to plot a period's value: its middle, so a monthly point sits under the weeks it sums
    and the last period of a run is not drawn a month before the run ends."""
    return np.asarray(starts).astype("datetime64[D]") + np.timedelta64(HALF_DAYS[freq], "D")
