"""Shared fixtures: one small run of the default scenario, made once per test session."""

from __future__ import annotations

import pytest

from rightful.model import RunResult, simulate
from rightful.scenarios.loader import load

SMALL = dict(seed=3, scale=0.001, until="2004-06-30")


@pytest.fixture(scope="session")
def small_run() -> RunResult:
    return simulate(load("prd-2003-2010"), **SMALL)
