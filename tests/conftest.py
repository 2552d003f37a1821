"""Shared fixtures: one small run of the default scenario, made once per test session."""

from __future__ import annotations

import pytest

from rightful.model import RunResult, simulate
from rightful.scenarios.loader import load

SMALL = dict(seed=3, scale=0.001, until="2004-06-30")


@pytest.fixture(scope="session")
def small_run() -> RunResult:
    return simulate(load("prd-2003-2010"), **SMALL)


DEFAULT_SEEDS = (1, 2, 3)  # the default scenario's ensemble for stylised facts: 3 seeds, scale 0.002, 2003-2010


@pytest.fixture(scope="session")
def default_runs() -> list[RunResult]:
    ld = load("prd-2003-2010")
    return [simulate(ld, seed=s, scale=0.002) for s in DEFAULT_SEEDS]


@pytest.fixture(scope="session")
def experiment_runs():
    """Runs of the experiment scenarios on the same seeds (common random numbers), made on demand."""
    cache: dict[str, list[RunResult]] = {}

    def get(name: str) -> list[RunResult]:
        if name not in cache:
            ld = load(name)
            cache[name] = [simulate(ld, seed=s, scale=0.002) for s in DEFAULT_SEEDS]
        return cache[name]

    return get


WRITTEN = dict(seed=1, scale=0.001, until="2005-02-28")  # long enough for the first strikes (Dec. 2004)


@pytest.fixture(scope="session")
def written_run(tmp_path_factory: pytest.TempPathFactory):
    """One small run made as ``rightful run`` makes it (simulated, written, registered in a catalog),
    with the result still in memory: the readers of folders and of results, the report and the
    Python API are all checked on it."""
    from rightful.runner import run_and_register

    return run_and_register("prd-2003-2010", out=tmp_path_factory.mktemp("runs"), **WRITTEN)
