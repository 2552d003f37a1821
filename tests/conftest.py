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
