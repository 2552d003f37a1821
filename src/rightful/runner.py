"""Run a scenario end to end: load, simulate, write Parquet, register in the catalog.

Why a separate module: the CLI, the ensemble workers and the tests share exactly this path, so
every run, however started, records what produced it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import RunResult, simulate
from .scenarios.loader import Loaded, load
from .store.catalog import Catalog
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
            out: Path = DEFAULT_OUT, overrides: dict[str, float] | None = None,
            progress: Callable[[int, int], None] | None = None) -> Done:
    """Simulate and write one run's files (no catalog write: callers register)."""
    sc = loaded.scenario
    seed = sc.seed if seed is None else seed
    scale = sc.scale if scale is None else scale
    rid = run_id(loaded.hash, seed, scale, until, overrides)
    started = now()
    r = simulate(loaded, seed, scale, until, overrides, progress)
    meta = metadata(r, rid, overrides, until, started, now())
    path = write_run(r, Path(out), rid, meta)
    meta["path"] = str(path)
    return Done(rid, path, meta, r)


def run_and_register(scenario: str | Path, seed: int | None = None, scale: float | None = None,
                     until: str | None = None, out: Path = DEFAULT_OUT,
                     overrides: dict[str, float] | None = None,
                     progress: Callable[[int, int], None] | None = None, batch: str | None = None) -> Done:
    loaded = load(scenario)  # a bad scenario raises here, before anything is written
    done = execute(loaded, seed, scale, until, out, overrides, progress)
    with Catalog(out) as cat:
        cat.register(done.meta, path=str(done.path), batch=batch)
    return done
