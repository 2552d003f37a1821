"""One view of one run, written to disk or still in memory: the single reader of the output side.

Why one type: the report, ``compare``, the ensemble reduction, the named outcomes, the stylised
facts, the terminal summary and the Python API must all mean the same thing by "strikes started
in Dongguan in 2005" or "the mean wage over all cities". A ``RunView`` holds a run's dates, cities
and zones, its daily series per city, its strike log, its dated events, its parameters and what
produced it, and combines the series by the rules the processes declared
(``rightful.processes.RESULTS``): over cities a sum, or a mean weighted by the ``workers`` stock;
over days a sum, a mean or the last value. It reads a run folder (``RunView.open(path)``: the
Parquet files and run.json, each read lazily and at most once) or wraps a ``RunResult`` that was
just simulated (``RunView.of_result(r)``: no copy, nothing written), and gives the same numbers
from both.

Series are named once, by the declarations: ``S.strikes_started`` is the string
``"strikes_started"``, and a name that no process declares raises ``AttributeError`` at once
rather than selecting nothing. Strike codes (outcome, official and management response, cause)
are integers (``rightful.population.codes``) in ``view.strikes``; ``Strikes.names`` decodes them
(``"partly_won"``) and ``words`` turns code names into words (``"partly won"``) for people.

Example::

    from rightful.runview import RunView, S
    v = RunView.open("runs/r644c785c726e")
    v.total(S.strikes_started).sum()           # over the run, all cities
    years, by = v.yearly([S.mean_wage, S.workers])   # worker-weighted mean; year-end stock
    v.strikes.names("outcome")                  # array(['won', 'lost', ...])
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .engine.declare import Result
from .processes import RESULTS
from .resample import resample
from .strikelog import CODES, STRIKE_FIELDS, WORDS, Strikes, empty, words

__all__ = ["RunView", "Strikes", "S", "CODES", "STRIKE_FIELDS", "WORDS", "words", "rule", "label", "is_count",
           "is_share", "resample"]


class _Names:
    """Series names as attributes, made from the processes' declarations (``S.arb_filed``)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.__dict__.update({n: n for n in names})

    def __getattr__(self, name: str) -> str:  # only reached when no process declares ``name``
        raise AttributeError(f"no process declares a series {name!r} (see rightful.processes.RESULTS)")

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)


S = _Names(RESULTS)
TABLES = ("strikes.parquet", "events.parquet", "ngo_events.parquet", "policy.parquet")  # beside daily.parquet
WORKERS = S.workers  # the weight of per-worker means across cities


def rule(name: str, stocks: Iterable[str] = ()) -> Result:
    """How ``name`` combines over cities and days: its declaration, or for a series no process
    declares any more (an old run) a sum over cities, and over days the last value of a stock
    (``stocks``, from run.json) or the sum of a flow."""
    r = RESULTS.get(name)
    if r is not None:
        return r
    stock = name in set(stocks)
    return Result(name, words(name), "", "stock" if stock else "flow", "sum", "last" if stock else "sum")


def label(name: str) -> str:
    """The declared label of a series, in words."""
    r = RESULTS.get(name)
    return r.label if r is not None else words(name)


def is_count(name: str) -> bool:
    """Whether a series is a count (or an amount) of the region, shown rounded: what sums over
    cities does; per-worker means (shares, wages, trust) keep their decimals."""
    return rule(name).cities == "sum"


def is_share(name: str) -> bool:
    """Whether a series is a share (0..1, shown in %): declared in the unit 'share', or named so."""
    return rule(name).unit == "share" or "share" in name.split("_")


class RunView:
    """Dates, cities, daily series per city, strikes, events, parameters and metadata of one run.

    Build one with ``RunView.open(run_dir)`` or ``RunView.of_result(result)``. ``city(name)`` is
    the (days x cities) array of a series, ``total(name)`` its all-city value by the declared rule
    (``series`` is the same), ``period``/``yearly`` its values per month or year."""

    def __init__(self, dates: np.ndarray, cities: Sequence[str], read: Any, names: Sequence[str],
                 meta: dict[str, Any], label: str = "", path: Path | None = None) -> None:
        self.dates = np.asarray(dates).astype("datetime64[D]")
        self.cities = list(cities)
        self.names = list(names)  # the series present
        self.meta = meta
        self.label = label
        self.path = path
        self.missing: list[str] = []  # files of a run folder that were not found
        self._read = read  # name -> (days x cities) float64
        self._city: dict[str, np.ndarray] = {}
        self._total: dict[str, np.ndarray] = {}
        self._logs: dict[str, dict[str, np.ndarray] | None] = {}
        self._loaders: dict[str, Any] = {}

    # -- construction
    @classmethod
    def of_result(cls, r: Any, label: str = "") -> RunView:
        """A view of a ``rightful.model.RunResult`` in memory (no copy of the daily array)."""
        s = r.series

        def read(name: str) -> np.ndarray:
            return s.daily[:, :, s.index[name]]

        zones = list(r.meta.get("zones") or [])
        meta = {"scenario": r.scenario, "scenario_hash": r.scenario_hash, "seed": r.seed, "scale": r.scale,
                "cities": list(r.cities), "zones": zones, "start": r.meta.get("start"), "end": r.meta.get("end"),
                "params": r.params, "cpu_per_process": r.timings, "wall_s": r.wall_s, "agents": r.agents,
                "firms": r.firms, "bytes_per_worker": r.bytes_per_worker,
                "stocks": [n for n in s.names if rule(n).kind == "stock"], "series": list(s.names)}
        v = cls(r.dates, r.cities, read, s.names, meta, label or r.scenario)
        v._loaders = {
            "strikes": lambda: Strikes.of_log(r.logs["strikes"], v.dates[0], zones, v.cities),
            "events": lambda: _events_of_result(r),
            "ngo_events": lambda: r.logs.get("ngos"), "policy": lambda: r.logs.get("policy"),
        }
        return v

    @classmethod
    def open(cls, path: Path | str, label: str = "") -> RunView:
        """A view of a run folder. Only ``daily.parquet`` is required (its absence raises
        ``FileNotFoundError`` naming it); run.json and the other tables are read when asked for,
        and those absent are listed in ``missing``."""
        import pyarrow.parquet as pq

        d = Path(path)
        daily = d / "daily.parquet"
        if not daily.is_file():
            raise FileNotFoundError(f"{daily} is missing (daily.parquet holds the daily series of a run; "
                                    f"is {d} a finished run folder?)")
        missing = [f for f in ("run.json", *TABLES) if not (d / f).is_file()]
        meta: dict[str, Any] = json.loads((d / "run.json").read_text()) if (d / "run.json").is_file() else {}
        pf = pq.ParquetFile(daily)
        cols = pf.schema_arrow.names
        if "date" not in cols or "city" not in cols:
            raise ValueError(f"{daily} lacks the 'date' and 'city' columns")
        key = pf.read(columns=["date", "city"])
        dates_all = key.column("date").to_numpy().astype("datetime64[D]")
        city_all = key.column("city").to_numpy(zero_copy_only=False).astype(str)
        dates = np.unique(dates_all)
        seen = set(city_all.tolist())
        cities = [c for c in meta.get("cities") or [] if c in seen]
        cities += sorted(seen - set(cities))
        pos = {c: i for i, c in enumerate(cities)}
        di = np.searchsorted(dates, dates_all)
        ci = np.array([pos[c] for c in city_all.tolist()], dtype=np.int64)

        def read(name: str) -> np.ndarray:
            arr = np.full((len(dates), len(cities)), np.nan)
            arr[di, ci] = pf.read(columns=[name]).column(name).to_numpy(zero_copy_only=False).astype(np.float64)
            return arr

        names = [c for c in cols if c not in ("date", "city")]
        v = cls(dates, cities, read, names, meta, label or d.name, d)
        v.missing = missing
        zones = [str(z) for z in meta.get("zones") or []]

        def table(name: str) -> Any:
            p = d / f"{name}.parquet"
            return pq.read_table(p) if p.is_file() else None

        def strikes() -> Strikes | None:
            t = table("strikes")
            return None if t is None else Strikes.of_table(t, v.dates[0], zones, v.cities)

        def events() -> list[dict[str, Any]]:
            t = table("events")
            return [] if t is None else t.to_pylist()

        def log(name: str) -> Any:
            t = table(name)
            return None if t is None else {c: t.column(c).to_numpy(zero_copy_only=False) for c in t.column_names}

        v._loaders = {"strikes": strikes, "events": events, "ngo_events": lambda: log("ngo_events"),
                      "policy": lambda: log("policy")}
        return v

    of_folder = open

    # -- what produced it
    @property
    def params(self) -> dict[str, Any]:
        return self.meta.get("params") or {}

    @property
    def zones(self) -> list[str]:
        return [str(z) for z in self.meta.get("zones") or []]

    @property
    def run_id(self) -> str:
        return str(self.meta.get("run_id") or (self.path.name if self.path else ""))

    # -- daily series
    def has(self, *names: str) -> bool:
        return all(n in self.names for n in names)

    def rule(self, name: str) -> Result:
        return rule(name, self.meta.get("stocks") or ())

    def city(self, name: str) -> np.ndarray:
        """(days x cities) float64 values of ``name``, cities in ``self.cities`` order."""
        if name not in self._city:
            if name not in self.names:
                where = self.path / "daily.parquet" if self.path else "this run"
                raise KeyError(f"no series {name!r} in {where}")
            self._city[name] = self._read(name)
        return self._city[name]

    def total(self, name: str) -> np.ndarray:
        """Daily all-city values: the sum over cities, or for a per-worker mean the mean weighted
        by each city's workers (cities without a value that day carry no weight)."""
        if name not in self._total:
            v = self.city(name)
            nan = np.isnan(v)
            if self.rule(name).cities == "mean":
                w = self.city(WORKERS)
                den = np.nansum(np.where(nan, 0.0, w), axis=1) if nan.any() else w.sum(axis=1)
                out = np.nansum(v * w, axis=1) / np.maximum(den, 1e-9)
            else:
                out = np.nansum(v, axis=1)
            if nan.any():
                out[nan.all(axis=1)] = np.nan
            self._total[name] = out
        return self._total[name]

    series = total

    def period(self, name: str, freq: str = "Y", by_city: bool = False, how: str | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """First day of each period ('W', 'M', 'Q', 'Y') and the values over it by the series'
        time rule (or ``how``): all cities, or one column per city with ``by_city``."""
        return resample(self.dates, self.city(name) if by_city else self.total(name), freq,
                        how or self.rule(name).time)

    def yearly(self, names: Iterable[str]) -> tuple[list[int], dict[str, np.ndarray]]:
        """Calendar years and each series' all-city value per year (sums of flows, year-end stocks,
        means of per-worker means); names not in the run are left out."""
        starts, _ = resample(self.dates, np.zeros(len(self.dates)), "Y", "sum")
        years = [int(y) for y in starts.astype("datetime64[Y]").astype(int) + 1970]
        return years, {n: self.period(n, "Y")[1] for n in names if n in self.names}

    def years(self) -> np.ndarray:
        """The calendar year of each day."""
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

    def last_days(self, n: int = 365) -> slice:
        return slice(max(0, len(self.dates) - n), len(self.dates))

    # -- event tables
    def _load(self, key: str) -> Any:
        if key not in self._logs:
            self._logs[key] = self._loaders[key]() if key in self._loaders else None
        return self._logs[key]

    @property
    def strikes(self) -> Strikes:
        """The strike log (``Strikes``); an empty one when the run folder has none (see ``missing``)."""
        st = self._load("strikes")
        if st is None:
            st = empty(self.dates[0], self.zones, self.cities)
        return st

    def has_strikes(self) -> bool:
        """Whether the run has a strike log (a folder may lack strikes.parquet)."""
        return self._load("strikes") is not None

    @property
    def events(self) -> list[dict[str, Any]]:
        """The dated events of the scenario: date, day, label, param, op, value, zones."""
        return self._load("events") or []

    @property
    def ngo_events(self) -> dict[str, np.ndarray] | None:
        return self._load("ngo_events")

    @property
    def policy(self) -> dict[str, np.ndarray] | None:
        return self._load("policy")

    # -- tidy tables
    def daily_frame(self, names: Sequence[str] | None = None, total: bool = False) -> Any:
        """A pandas DataFrame of the daily series: columns date, city, then one per series (one row
        per day and city); with ``total`` one row per day over all cities (city 'all')."""
        import pandas as pd

        names = list(names or self.names)
        n_d, n_c = len(self.dates), len(self.cities)
        if total:
            cols: dict[str, Any] = {"date": pd.to_datetime(self.dates), "city": "all"}
            cols.update({n: self.total(n) for n in names})
        else:
            cols = {"date": pd.to_datetime(np.repeat(self.dates, n_c)),
                    "city": np.tile(np.array(self.cities, dtype=object), n_d)}
            cols.update({n: self.city(n).reshape(-1) for n in names})
        return pd.DataFrame(cols)

    def events_frame(self) -> Any:
        import pandas as pd

        cols = ("date", "day", "label", "param", "op", "value", "zones")
        df = pd.DataFrame(self.events, columns=list(cols))
        df["date"] = pd.to_datetime(df["date"])
        return df


def _events_of_result(r: Any) -> list[dict[str, Any]]:
    """The events of an in-memory run as the rows events.parquet holds (one converter for both)."""
    from .store.parquet import events_table

    return events_table(r).to_pylist()
