"""One read-only view of a run for the facts and the calibration, in memory or on disk.

Why: a fact must mean the same thing whether it is checked on a ``RunResult`` just simulated
(tests, calibration trials) or on a run folder written by an ensemble worker (``rightful
validate``). Both are reduced here to the same three things: the dates, all-city daily series
(sums for counts and stocks, worker-weighted means for per-worker means) and the strike log with
integer codes and day indices.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from ..ensemble.outcomes import MEAN_SERIES, RunData
from ..model import RunResult
from ..population.codes import OFFICIAL, OUTCOMES
from ..population.schema import CAUSES

STRIKE_COLUMNS = ("start", "end", "days", "peak", "weight", "escalated", "covered", "official", "outcome",
                  "zone", "firm", "cause", "wage_change")


class RunView:
    """Dates, all-city daily series and the strike log of one run."""

    def __init__(self, dates: np.ndarray, series_fn, strikes: dict[str, np.ndarray], label: str = "") -> None:
        self.dates = np.asarray(dates).astype("datetime64[D]")
        self._series_fn = series_fn
        self._cache: dict[str, np.ndarray] = {}
        self.strikes = strikes
        self.label = label

    def series(self, name: str) -> np.ndarray:
        """Daily all-city values of ``name`` (float64)."""
        if name not in self._cache:
            self._cache[name] = np.asarray(self._series_fn(name), dtype=np.float64)
        return self._cache[name]

    def years(self) -> np.ndarray:
        return self.dates.astype("datetime64[Y]").astype(int) + 1970

    def full_years(self) -> list[int]:
        """Calendar years the run covers from 1 January to 31 December."""
        ys = self.years()
        out = []
        for y in np.unique(ys):
            d = self.dates[ys == y]
            if str(d[0])[5:] == "01-01" and str(d[-1])[5:] == "12-31":
                out.append(int(y))
        return out

    def day_of(self, iso: str) -> int:
        """Index of a date (clipped to the run's span)."""
        return int(np.clip((np.datetime64(iso, "D") - self.dates[0]).astype(int), 0, len(self.dates)))

    @classmethod
    def of_result(cls, r: RunResult, label: str = "") -> RunView:
        lg = r.logs["strikes"]
        st = {
            "start": lg["start"].astype(np.int64), "end": lg["end"].astype(np.int64),
            "days": (lg["end"] - lg["start"] + 1).astype(np.int64), "peak": lg["peak"].astype(np.float64),
            "weight": lg["weight"].astype(np.float64), "escalated": lg["escalated"].astype(bool),
            "covered": lg["covered"].astype(bool), "official": lg["official"].astype(np.int64),
            "outcome": lg["outcome"].astype(np.int64), "zone": lg["zone"].astype(np.int64),
            "firm": lg["firm"].astype(np.int64), "cause": lg["cause"].astype(np.int64),
            "wage_change": lg["wage_change"].astype(np.float64),
        }

        def series(name: str) -> np.ndarray:
            return r.city_mean(name) if name in MEAN_SERIES else r.total(name)

        return cls(r.dates, series, st, label or r.scenario)

    @classmethod
    def of_folder(cls, path: Path | str, label: str = "") -> RunView:
        d = RunData(path)
        t = pq.read_table(Path(path) / "strikes.parquet")
        col = {c: t.column(c).to_numpy(zero_copy_only=False) for c in t.column_names}
        d0 = d.dates[0]

        def codes(values: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
            lut = {n: i for i, n in enumerate(names)}
            return np.array([lut[v] for v in values], dtype=np.int64)

        zones = col.get("zone", np.array([], dtype=object))
        znames = {z: i for i, z in enumerate(sorted(set(zones.tolist())))}
        st = {
            "start": (col["start"].astype("datetime64[D]") - d0).astype(np.int64),
            "end": (col["end"].astype("datetime64[D]") - d0).astype(np.int64),
            "days": col["days"].astype(np.int64), "peak": col["peak_size"].astype(np.float64),
            "weight": col["weight"].astype(np.float64), "escalated": col["escalated"].astype(bool),
            "covered": col["covered"].astype(bool), "official": codes(col["official_response"], OFFICIAL),
            "outcome": codes(col["outcome"], OUTCOMES),
            "zone": np.array([znames[z] for z in zones], dtype=np.int64),
            "firm": col["firm"].astype(np.int64), "cause": codes(col["cause"], CAUSES),
            "wage_change": col["wage_change"].astype(np.float64),
        }
        return cls(d.dates, d.series, st, label or Path(path).name)
