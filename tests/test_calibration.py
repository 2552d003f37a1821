"""Calibration: it recovers a parameter from targets the model itself produced, the best
parameters load as a scenario that extends the calibrated one, reusing a built population is exact,
target files are checked (including the chapter's shipped targets), a target may be a named
outcome expression, and the default scenario declares what the README's command calibrates."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from rightful.ensemble import expressions as X
from rightful.model import Simulation, simulate
from rightful.runview import RunView
from rightful.scenarios.loader import load
from rightful.validation.calibrate import Dim, Evaluator, calibrate, check_span, parse_params, pin
from rightful.validation.targets import Target, read_targets, write_targets

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
    pin(sim, ["claim_rate"])
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


CHAPTER = Path(__file__).parents[1] / "src/rightful/scenarios/data/targets_chapter.csv"


def test_the_readme_command_has_a_space_and_targets() -> None:
    """``rightful calibrate prd-2003-2010 --targets .../targets_chapter.csv`` (no --params): the
    default scenario's uncertainties are the space, and the chapter's targets fit its span."""
    ld = load("prd-2003-2010")
    space = parse_params(None, ld)
    names = [d.name for d in space]
    assert {"claim_rate", "withhold_odds", "construction_deferral", "union_enrol_cap"} <= set(names)
    assert len(set(names)) == len(names) and all(d.low < d.high for d in space)
    check_span(ld, read_targets(CHAPTER), None)
    with pytest.raises(ValueError, match="outside the runs"):
        check_span(ld, read_targets(CHAPTER), "2005-12-31")


def test_an_outcome_expression_is_a_target(tmp_path: Path) -> None:
    r = RunView.of_result(simulate(load("prd-2003-2010"), 1, SCALE, "2003-06-30"))
    X.define("complaints_may", "SELECT sum(complaints) FROM total")
    try:
        f = tmp_path / "t.csv"
        f.write_text("series,date_or_year,value,likelihood,aggregation\n"
                     "complaints_may,2003-05-01..2003-05-31,100,normal:20%,outcome\n"
                     "escalated_strikes,2003-01-01..2003-06-30,0,poisson,outcome\n")
        (t, esc) = read_targets(f)
        may = (r.dates >= np.datetime64("2003-05-01")) & (r.dates <= np.datetime64("2003-05-31"))
        assert t.simulated(r) == pytest.approx(r.total("complaints")[may].sum())
        assert esc.simulated(r) == pytest.approx(r.strikes.weight[r.strikes.escalated].sum())
        f.write_text("series,date_or_year,value,likelihood,aggregation\ncomplaints_may,2003,1,normal:1,sum\n")
        with pytest.raises(ValueError, match="aggregation is 'outcome'"):
            read_targets(f)
        X.define("py", lambda v: 1.0)
        f.write_text("series,date_or_year,value,likelihood,aggregation\npy,2003,1,normal:1,outcome\n")
        with pytest.raises(ValueError, match="Python outcome"):
            read_targets(f)
    finally:
        X.undefine("complaints_may")
        X.undefine("py")
