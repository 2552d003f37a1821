"""Named scalar outcomes of a run, computed from its Parquet files, and the all-city daily series.

Why a registry: sensitivity analysis, comparisons and ensemble summaries must all mean the same
thing by 'total strikes started' or 'mean gap in the final year'. Each outcome is a small
function of one run's folder (``daily.parquet``, ``strikes.parquet``), so the driver of a batch
can keep a handful of floats per run instead of the runs themselves, and recompute them for runs
it skips on a resumed batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

# per-worker means in daily.parquet: combined over cities weighted by the city's workers
from ..processes.observe import MEAN_STOCKS

MEAN_SERIES = frozenset(MEAN_STOCKS)


class RunData:
    """Lazy reader of one run's folder: all-city daily series and the strike log."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._daily = pq.ParquetFile(self.path / "daily.parquet")
        self._cache: dict[str, np.ndarray] = {}
        self._strikes: dict[str, np.ndarray] | None = None
        self.columns = set(self._daily.schema_arrow.names)
        dates = self._read(["date", "city"])
        cities = dates["city"]
        self.n_cities = len(set(cities.tolist())) if len(cities) else 1
        self.dates = dates["date"].astype("datetime64[D]")[:: self.n_cities]

    def _read(self, cols: list[str]) -> dict[str, np.ndarray]:
        t = self._daily.read(columns=cols)
        return {c: t.column(c).to_numpy(zero_copy_only=False) for c in cols}

    def _by_city(self, name: str) -> np.ndarray:
        raw = self._read([name])[name].astype(np.float64)
        return raw.reshape(-1, self.n_cities)

    def series(self, name: str) -> np.ndarray:
        """Daily values over all cities: a sum for counts and stocks, a worker-weighted mean for
        per-worker means (``MEAN_SERIES``)."""
        if name in self._cache:
            return self._cache[name]
        if name not in self.columns:
            raise KeyError(f"no series {name!r} in {self.path / 'daily.parquet'}")
        v = self._by_city(name)
        if name in MEAN_SERIES:
            w = self._by_city("workers")
            out = np.nansum(v * w, axis=1) / np.maximum(np.nansum(w, axis=1), 1e-9)
        else:
            out = np.nansum(v, axis=1)
        self._cache[name] = out
        return out

    def strikes(self) -> dict[str, np.ndarray]:
        if self._strikes is None:
            t = pq.read_table(self.path / "strikes.parquet", columns=["weight", "escalated", "days"])
            self._strikes = {c: t.column(c).to_numpy(zero_copy_only=False) for c in t.column_names}
        return self._strikes

    def last_days(self, n: int = 365) -> slice:
        return slice(max(0, len(self.dates) - n), len(self.dates))


@dataclass(frozen=True)
class Outcome:
    name: str
    description: str
    fn: Callable[[RunData], float]


def _total(series: str) -> Callable[[RunData], float]:
    return lambda d: float(np.nansum(d.series(series)))


def _final_year_mean(series: str) -> Callable[[RunData], float]:
    return lambda d: float(np.nanmean(d.series(series)[d.last_days(365)]))


def _at_end(series: str) -> Callable[[RunData], float]:
    return lambda d: float(d.series(series)[-1])


def _escalated_share(d: RunData) -> float:
    s = d.strikes()
    w = s["weight"].astype(np.float64)
    return float((w * s["escalated"]).sum() / w.sum()) if w.sum() > 0 else 0.0


def _strikes_won_share(d: RunData) -> float:
    ended = np.nansum(d.series("strikes_ended"))
    return float(np.nansum(d.series("strikes_won")) / ended) if ended > 0 else 0.0


OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome("strikes_started", "strikes started, total over the run (all cities)", _total("strikes_started")),
    Outcome("strikers_started", "workers who joined a strike as it started, total",
            _total("strikers_started")),
    Outcome("arb_filed", "arbitration cases filed, total", _total("arb_filed")),
    Outcome("arb_accepted", "arbitration cases accepted, total", _total("arb_accepted")),
    Outcome("complaints", "individual complaints to management, total", _total("complaints")),
    Outcome("recovered", "yuan recovered through claims, total", _total("recovered")),
    Outcome("quits", "quits, total", _total("quits")),
    Outcome("gap_final_year", "mean gap between rights promised and enforced, last 365 days",
            _final_year_mean("gap")),
    Outcome("grievance_final_year", "mean grievance, last 365 days", _final_year_mean("grievance")),
    Outcome("arrears_end", "wages owed on the last day (yuan)", _at_end("arrears")),
    Outcome("mean_wage_end", "worker-weighted mean wage on the last day (yuan)", _at_end("mean_wage")),
    Outcome("escalated_share", "share of strikes (weighted) that escalated", _escalated_share),
    Outcome("strikes_won_share", "share of ended strikes that won", _strikes_won_share),
)}

# what comparisons and ensembles show unless told otherwise
MAIN = ("strikes_started", "arb_filed", "recovered", "gap_final_year", "arrears_end", "mean_wage_end")


def check(names: Iterable[str]) -> list[str]:
    """The names (built-in outcomes or named expressions), or a ValueError listing what exists."""
    from . import expressions  # hook: named expressions (SQL or Python) beside the built-ins

    return expressions.check(names, OUTCOMES)


def compute(path: Path | str, names: Iterable[str] | None = None) -> dict[str, float]:
    """The named outcomes (default: the built-in ones) of the run stored at ``path``."""
    names = check(names if names is not None else OUTCOMES)
    d = RunData(path)
    out = {n: OUTCOMES[n].fn(d) for n in names if n in OUTCOMES}
    rest = [n for n in names if n not in OUTCOMES]
    if rest:  # hook: named expressions, evaluated over the run's DuckDB views
        from . import expressions

        out.update(expressions.compute(path, rest))
    return {n: out[n] for n in names}
