"""Build and run one simulation: scenario -> parameters and events -> population -> daily plan.

This is the one place that wires the engine, the population and the processes together; the
CLI, the ensemble runners and the tests all call ``simulate``.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .engine.calendar import Calendar
from .engine.events import Events
from .engine.params import ParamTable
from .engine.plan import Plan
from .engine.results import EventLog, Series
from .engine.tables import Table
from .engine.world import World
from .population.build import build, geography
from .population.schema import STRIKE_LOG
from .population.totals import home_totals
from .processes import COLUMNS, TABLES, all_params, make_plan, series_names
from .processes.central_state import POLICY_LOG
from .processes.ngos import NGO_LOG, make_table
from .scenarios.events import Scheduled, apply_overrides, compile_events
from .scenarios.loader import Loaded

# the day columns of each event log, the last being the one that dates a row (kept if recorded)
LOG_DAYS = {"strikes": ("start", "end"), "ngos": ("day",), "policy": ("day",)}
SMALL_RUN = 300_000  # agents below which a run uses one thread by default
_THREADS_SET = False


def set_threads(n: int) -> None:
    """Fix the number of Numba threads for the runs of this process (CLI --threads)."""
    import numba

    global _THREADS_SET
    numba.set_num_threads(n)
    _THREADS_SET = True


def _threads_set() -> bool:
    return _THREADS_SET


@dataclass
class RunResult:
    """What a run produced: daily series per city, event logs, and what produced them."""

    scenario: str
    scenario_hash: str
    seed: int
    scale: float
    cities: list[str]
    dates: np.ndarray
    series: Series
    logs: dict[str, dict[str, np.ndarray]]
    events: list[Scheduled]
    params: dict[str, Any]
    timings: dict[str, dict[str, float]]
    wall_s: float
    agents: int
    firms: int
    bytes_per_worker: int
    meta: dict[str, Any] = field(default_factory=dict)

    def total(self, name: str) -> np.ndarray:
        """Daily series summed over cities (for stocks that are means, use ``city_mean``)."""
        return self.series.column(name)

    def city_mean(self, name: str) -> np.ndarray:
        """Worker-weighted mean over cities of a per-worker mean series."""
        k = self.series.index[name]
        wk = self.series.daily[:, :, self.series.index["workers"]]
        return (self.series.daily[:, :, k] * wk).sum(axis=1) / np.maximum(wk.sum(axis=1), 1e-9)


class Simulation:
    """A prepared run: call ``run()``; ``world`` and ``plan`` can be inspected."""

    def __init__(self, loaded: Loaded, seed: int | None = None, scale: float | None = None,
                 until: str | None = None, overrides: dict[str, float] | None = None,
                 burn_in_days: int | None = None) -> None:
        sc = loaded.scenario
        self.loaded = loaded
        self.seed = sc.seed if seed is None else int(seed)
        self.scale = sc.scale if scale is None else float(scale)
        end = sc.end
        if until is not None:
            end = min(end, dt.date.fromisoformat(str(until)))
        # a burn-in runs the regime in force before the scenario's start and is then discarded, so
        # that the first recorded year is not a warm-up (docs/ODD.md, 5 Initialisation)
        self.burn_in = int(getattr(sc, "burn_in_days", 0) if burn_in_days is None else burn_in_days)
        self.cal = Calendar(sc.start - dt.timedelta(days=self.burn_in), end)
        geo = geography(sc)
        self.geo = geo
        params = ParamTable(all_params(), len(geo.zones))
        apply_overrides(sc, geo, params)
        for k, v in (overrides or {}).items():
            params[k][:] = v
        self.params = params
        self.events = compile_events(sc, geo, loaded.path, str(loaded.path), day0=self.cal.start)
        apply_events = Events(self.events, pinned=overrides or {})
        # day-0 events on parameters shape the initial state (the wage level, laws already in force)
        apply_events.prepare_params(params)
        H = sc.population.hometowns
        tables, self.explicit = build(sc, self.scale, self.seed, params, COLUMNS, TABLES)
        tables["ngos"] = make_table(len(geo.zones), COLUMNS["ngos"], TABLES["ngos"])
        tables["hometowns"] = Table("hometowns", COLUMNS["hometowns"], len(geo.cities) * H, TABLES["hometowns"])
        f, wk = tables["firms"], tables["workers"]
        # the region's workers by zone and ownership, and by (city, hometown): signals are shares of these
        represented = (f.end - f.start) * f.weight.astype(np.float64)
        np.add.at(tables["zones"].workers, (f.zone.astype(np.int64), f.own.astype(np.int64)), represented)
        _, home_workers = home_totals(f, wk, H, len(geo.cities))
        tables["hometowns"].workers[:] = home_workers
        series = Series(self.cal.n_days - self.burn_in, geo.cities, series_names(), offset=self.burn_in)
        self.world = World(self.cal, self.seed, params, tables, series,
                           logs={"strikes": EventLog(STRIKE_LOG), "ngos": EventLog(NGO_LOG),
                                 "policy": EventLog(POLICY_LOG)},
                           arrays={"hsig": tables["hometowns"].hsig, "zsig": tables["zones"].zsig,
                                   "zone_workers": tables["zones"].workers,
                                   "home_workers": tables["hometowns"].workers})
        apply_events.prepare_firms(params, f, self.explicit)
        self.apply_events = apply_events
        self.plan = Plan([apply_events, *make_plan()])
        self.plan.setup(self.world)

    def __deepcopy__(self, memo: dict) -> Simulation:
        """A prepared run copied (calibration reuses a built population): the processes' views of
        the parameter table and of the shared scratch are made again on the copy's arrays."""
        import copy

        new = Simulation.__new__(Simulation)
        memo[id(self)] = new
        new.__dict__ = copy.deepcopy(self.__dict__, memo)
        for p in new.plan.processes:
            p.rebind(new.world)
        return new

    def run(self, progress: Callable[[int, int], None] | None = None) -> RunResult:
        """Run every day of the calendar. Small populations run on one thread unless the caller
        set the thread count: launching parallel kernels costs more than it saves below a few
        hundred thousand agents, and results are identical at any thread count."""
        import numba

        t0 = time.perf_counter()
        w = self.world
        n = self.cal.n_days
        threads = numba.get_num_threads()
        if w.workers.n < SMALL_RUN and os.environ.get("NUMBA_NUM_THREADS") is None and not _threads_set():
            numba.set_num_threads(1)
        try:
            for day in range(n):
                self.plan.run_day(w, day)
                if progress is not None and (day % 30 == 0 or day == n - 1):
                    progress(day + 1, n)
        finally:
            numba.set_num_threads(threads)
        wall = time.perf_counter() - t0
        sc = self.loaded.scenario
        return RunResult(
            scenario=sc.name, scenario_hash=self.loaded.hash, seed=self.seed, scale=self.scale,
            cities=list(self.geo.cities), dates=self.cal.dates()[self.burn_in:], series=w.series,
            logs={k: v.recorded(self.burn_in, LOG_DAYS[k], LOG_DAYS[k][-1]) for k, v in w.logs.items()},
            events=[replace(e, day=e.day - self.burn_in) for e in self.events] if self.burn_in else self.events,
            params=self.params.resolved(), timings=self.plan.timings(), wall_s=wall,
            agents=w.workers.n, firms=w.firms.n, bytes_per_worker=w.workers.nbytes_per_row,
            meta={"zones": list(self.geo.zones), "burn_in_days": self.burn_in, "start": str(sc.start),
                  "end": str(self.cal.end),
                  "events_skipped_for_overrides": self.apply_events.skipped})


def plan_description() -> list[dict[str, str]]:
    """The daily plan as ``rightful plan`` shows it: the events step, then every process in order."""
    return Plan([Events([]), *make_plan()]).describe()


def simulate(loaded: Loaded, seed: int | None = None, scale: float | None = None,
             until: str | None = None, overrides: dict[str, float] | None = None,
             progress: Callable[[int, int], None] | None = None) -> RunResult:
    return Simulation(loaded, seed, scale, until, overrides).run(progress)
