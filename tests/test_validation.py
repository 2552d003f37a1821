"""The stylised-facts registry and ``rightful validate``: well-formed results on a tiny ensemble,
and the one structural fact that must hold exactly (bridge unions change nothing, fact 5).

Whether the model reproduces the empirical facts (1-4, 6-8) is not asserted here: that depends on
the processes' tuning and is tested elsewhere.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rightful.model import simulate
from rightful.runner import execute
from rightful.scenarios.loader import load
from rightful.validation.facts import BASE, FACTS, FactResult, evaluate, scenarios_needed, select
from rightful.validation.views import RunView

TINY = dict(seed=1, scale=0.001, until="2004-03-31")


@pytest.fixture(scope="module")
def one_seed() -> dict:
    """Every scenario the facts need, on one common seed."""
    return {s: simulate(load(s), **TINY) for s in scenarios_needed(select())}


def test_registry_covers_model_md_facts() -> None:
    assert sorted(FACTS) == list(range(1, 9))
    assert scenarios_needed(select())[0] == BASE
    with pytest.raises(ValueError, match="no stylised fact"):
        select([9])


def test_facts_are_well_formed(one_seed: dict) -> None:
    res = evaluate(one_seed)
    assert [r.fact for r in res] == list(range(1, 9))
    for r in res:
        assert isinstance(r, FactResult) and r.checks and r.title
        for c in r.checks:
            assert c.name and isinstance(c.measure, float) and c.threshold
            assert c.passed in (True, False, None)
            if c.passed is None:  # not evaluable: no finite measure behind a verdict
                assert not math.isfinite(c.measure) or c.detail
        assert r.passed in (True, False, None)
    by = {r.fact: r for r in res}
    # the horizon stops in 2004: the facts that need 2005 and 2008 say 'n/a', not pass or fail
    assert by[8].passed is None and all(c.passed is None for c in by[8].checks)


def test_bridge_unions_change_nothing(one_seed: dict) -> None:
    """Structural: nothing reads a bridge branch, and runs share random numbers, so union-bridge
    leaves every dispute series identical to the default's while enrolling far more members."""
    (r,) = evaluate(one_seed, [5])
    bridge = {c.name: c for c in r.checks}["bridge_changes_nothing"]
    assert bridge.passed is True and bridge.measure == 0.0
    base, br = one_seed[BASE], one_seed["union-bridge"]
    assert br.total("union_joined").sum() > base.total("union_joined").sum()
    for s in ("strikes_started", "arb_filed", "complaints"):
        np.testing.assert_array_equal(br.total(s), base.total(s))


def test_missing_scenario_is_named(one_seed: dict) -> None:
    with pytest.raises(KeyError, match="ngo-none"):
        evaluate({BASE: one_seed[BASE]}, [4])


def test_folder_view_matches_memory(tmp_path: Path) -> None:
    done = execute(load(BASE), out=tmp_path, **TINY)
    a, b = RunView.of_result(done.result), RunView.of_folder(done.path)
    np.testing.assert_array_equal(a.dates, b.dates)
    for s in ("strikes_started", "arb_filed", "mean_wage", "share_min_wage"):
        np.testing.assert_allclose(a.series(s), b.series(s), rtol=1e-12)
    for k in ("start", "days", "outcome", "official", "covered", "cause", "weight"):
        np.testing.assert_array_equal(a.strikes[k], b.strikes[k])


def test_validate_command(tmp_path: Path) -> None:
    from rightful.cli import main

    res = CliRunner().invoke(main, ["validate", "--seeds", "1", "--scale", "0.001", "--until", "2003-09-30",
                                    "--facts", "5,6", "--workers", "0", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    (folder,) = (tmp_path / "batches").iterdir()
    for f in ("validation.csv", "validation_seeds.csv", "report.html", "summary.json"):
        assert (folder / f).is_file()
    rows = list(csv.DictReader(open(folder / "validation.csv")))
    assert {r["fact"] for r in rows} == {"5", "6"}
    bridge = next(r for r in rows if r["check"] == "bridge_changes_nothing")
    assert bridge["verdict"] == "pass" and float(bridge["share_passing"]) == 1.0
    assert "bridge_changes_nothing" in (folder / "report.html").read_text()
