"""Calibration: it recovers a parameter from targets the model itself produced, the best
parameters load as a scenario that extends the calibrated one, reusing a built population is exact,
and target files are checked (including the chapter's shipped targets)."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from rightful.model import Simulation, simulate
from rightful.scenarios.loader import load
from rightful.validation.calibrate import Dim, Evaluator, calibrate, parse_params
from rightful.validation.targets import Target, read_targets, write_targets
from rightful.validation.views import RunView

SCALE, UNTIL, TRUE = 0.001, "2003-12-31", 0.006
TOLERANCE = 0.15  # relative error of the recovered claim_rate


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Yearly complaints and arbitration filings of a run with claim_rate = 0.006."""
    r = RunView.of_result(simulate(load("prd-2003-2010"), 1, SCALE, UNTIL, {"claim_rate": TRUE}))
    tg = [Target(s, "2003", 0.0, "normal", 0.05, True, "sum") for s in ("complaints", "arb_filed")]
    tg = [Target(t.series, t.when, t.simulated(r), "normal", 0.05, True, "sum", "synthetic") for t in tg]
    assert all(t.value > 0 for t in tg)
    return write_targets(tmp_path_factory.mktemp("targets") / "synthetic.csv", tg, "made by the model")


@pytest.fixture(scope="module")
def calibrated(synthetic: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("cal")
    return calibrate(load("prd-2003-2010"), read_targets(synthetic), [Dim("claim_rate", 0.001, 0.02, True)], 15,
                     [1], SCALE, UNTIL, out, targets_file=str(synthetic)), out, synthetic


def test_recovers_known_parameter(calibrated) -> None:
    r, out, _ = calibrated
    assert abs(r.best_params["claim_rate"] / TRUE - 1.0) < TOLERANCE, r.best_params
    assert r.reused, "the population should be built once and reused for a process parameter"
    assert (out / "calibration.db").is_file() and (r.folder / "trials.csv").is_file()


def test_best_scenario_extends_calibrated(calibrated) -> None:
    r, _, _ = calibrated
    best = load(r.best_path)
    assert best.scenario.extends == "prd-2003-2010"
    assert best.scenario.parameters["claim_rate"] == pytest.approx(r.best_params["claim_rate"])
    a = simulate(best, 1, SCALE, "2003-06-30")
    b = simulate(load("prd-2003-2010"), 1, SCALE, "2003-06-30", dict(r.best_params))
    np.testing.assert_array_equal(a.series.daily, b.series.daily)


def test_study_resumes(calibrated) -> None:
    r, out, synthetic = calibrated
    r2 = calibrate(load("prd-2003-2010"), read_targets(synthetic), r.space, 2, [1], SCALE, UNTIL, out)
    assert r2.study_name == r.study_name and r2.n_trials == r.n_trials + 2


def test_reused_population_is_exact() -> None:
    """A deep copy of a prepared Simulation with a process parameter changed reproduces a fresh run."""
    ld = load("prd-2003-2010")
    tmpl = Simulation(ld, 2, SCALE, "2003-08-31")
    sim = copy.deepcopy(tmpl)
    sim.params["claim_rate"][:] = 0.01
    a = sim.run()
    b = Simulation(ld, 2, SCALE, "2003-08-31", {"claim_rate": 0.01}).run()
    np.testing.assert_array_equal(a.series.daily, b.series.daily)
    ev = Evaluator(ld, [], [2], SCALE, "2003-08-31", ["claim_rate"])
    assert ev.reuse


def test_targets_files(tmp_path: Path) -> None:
    chapter = Path(__file__).parents[1] / "src/rightful/scenarios/data/targets_chapter.csv"
    tg = read_targets(chapter)
    assert {t.series for t in tg} >= {"arb_accepted", "arrears"}
    bad = tmp_path / "bad.csv"
    bad.write_text("series,date_or_year,value,likelihood,aggregation\nno_such,2005,1,normal:1,sum\n")
    with pytest.raises(ValueError, match="no series"):
        read_targets(bad)
    bad.write_text("series,date_or_year,value,likelihood,aggregation\narb_filed,2005,1,gauss,sum\n")
    with pytest.raises(ValueError, match="likelihood"):
        read_targets(bad)
    lower = Target("strikes_over_1000", "2008", 270.0, "lower", 0.3, True, "sum")
    assert lower.nll(400.0) == 0.0 and lower.nll(100.0) > 0.0


def test_params_space() -> None:
    ld = load("prd-2003-2010")
    (d,) = parse_params("claim_rate=0.001:0.02", ld)
    assert (d.low, d.high) == (0.001, 0.02)
    with pytest.raises(ValueError, match="no parameter"):
        parse_params("nope", ld)
