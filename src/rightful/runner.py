"""Run a scenario end to end: check, simulate, write Parquet, register in the catalog.

Why a separate module: the CLI, the Python API, the ensemble workers and the tests share exactly
this path, so every run, however started, is checked the same way before it starts (values
against their declared types and ranges, the output folder writable, the catalog readable),
stops at a non-physical state instead of writing it, is written whole or not at all, and records
what produced it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine.checks import check_series
from .inputs import API, check_out, check_run
from .model import RunResult, simulate
from .scenarios.loader import Loaded, load
from .store import catalog
from .store.parquet import metadata, run_id, write_run

DEFAULT_OUT = Path("runs")


@dataclass
class Done:
    run_id: str
    path: Path
    meta: dict[str, Any]
    result: RunResult | None = None


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def execute(loaded: Loaded, seed: int | None = None, scale: float | None = None, until: str | None = None,
            out: Path = DEFAULT_OUT, overrides: Mapping[str, float] | None = None,
            progress: Callable[[int, int], None] | None = None, threads: int | None = None,
            names: Mapping[str, str] = API, check_folder: bool = True) -> Done:
    """Check, simulate and write one run's files (no catalog write: callers register).

    Raises ``inputs.InputError`` (a value out of its declared type or range, naming it as
    ``names`` says: ``--scale`` on the command line, ``scale=`` in the API), ``CatalogCorrupt``,
    or ``engine.checks.NonPhysicalState``; in every case nothing is written. ``check_folder``:
    check the output folder and its catalog first (a batch's driver does it once for all runs)."""
    v = check_run(loaded, seed, scale, until, overrides, threads, names)
    if check_folder:
        check_out(out, names["out"])
    if v["threads"] is not None:
        from .model import set_threads

        set_threads(v["threads"])
    sc = loaded.scenario
    seed = sc.seed if v["seed"] is None else v["seed"]
    scale = sc.scale if v["scale"] is None else v["scale"]
    until, ov = v["until"], v["overrides"]
    rid = run_id(loaded.hash, seed, scale, until, ov)
    started = now()
    r = simulate(loaded, seed, scale, until, ov, progress)
    check_series(r.series.daily, r.series.names, r.cities, r.dates)
    meta = metadata(r, rid, ov, until, started, now())
    path = write_run(r, Path(out), rid, meta)
    meta["path"] = str(path)
    return Done(rid, path, meta, r)


def register(done: Done, out: Path = DEFAULT_OUT, batch: str | None = None, kind: str = "run") -> None:
    """Register a written run, holding the catalog only for that moment."""
    catalog.register(out, done.meta, path=str(done.path), batch=batch, kind=kind)


def run_and_register(scenario: str | Path | Loaded, seed: int | None = None, scale: float | None = None,
                     until: str | None = None, out: Path = DEFAULT_OUT,
                     overrides: Mapping[str, float] | None = None,
                     progress: Callable[[int, int], None] | None = None, batch: str | None = None,
                     threads: int | None = None, names: Mapping[str, str] = API) -> Done:
    loaded = scenario if isinstance(scenario, Loaded) else load(scenario)  # a bad scenario raises here
    done = execute(loaded, seed, scale, until, out, overrides, progress, threads, names)
    register(done, out, batch)
    return done
