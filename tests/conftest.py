"""Shared fixtures: one small run of the default scenario, made once per test session."""

from __future__ import annotations

import pytest

from rightful.model import RunResult, simulate
from rightful.scenarios.loader import load

SMALL = dict(seed=3, scale=0.001, until="2004-06-30")


@pytest.fixture(scope="session")
def small_run() -> RunResult:
    return simulate(load("prd-2003-2010"), **SMALL)


WRITTEN = dict(seed=1, scale=0.001, until="2005-02-28")  # long enough for the first strikes (Dec. 2004)


@pytest.fixture(scope="session")
def written_run(tmp_path_factory: pytest.TempPathFactory):
    """One small run made as ``rightful run`` makes it (simulated, written, registered in a catalog),
    with the result still in memory: the readers of folders and of results, the report and the
    Python API are all checked on it."""
    from rightful.runner import run_and_register

    return run_and_register("prd-2003-2010", out=tmp_path_factory.mktemp("runs"), **WRITTEN)
