"""Designs and sensitivity: a parameter that drives an outcome outranks one that cannot; the
built-in scenarios declare uncertainties and levers a sweep can use, and the README's sweep works.

``feedback_rate`` is read only by the central state's feedback process, which does nothing while
``feedback_on = 0`` (the default): with common random numbers its runs are identical, so its
Morris mu* and Sobol indices are exactly zero. ``claim_rate`` sets the odds that workers start
claims, upstream of complaints and arbitration. The small test scenario inherits the default's
uncertainties and levers; the tests sweep two factors of it (``factors``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rightful.ensemble import designs
from rightful.ensemble.executors import InProcess
from rightful.ensemble.sweep import run_sweep
from rightful.processes import all_params
from rightful.scenarios.loader import builtin_names, load
from rightful.scenarios.schema import Lever, Uncertainty

DATA = Path(__file__).parent / "data"
UNTIL = "2003-06-30"
TWO = ["claim_rate", "feedback_rate"]


@pytest.fixture(scope="module")
def small():
    return load(DATA / "ens_small.toml")


def test_designs_map_the_unit_cube_to_the_ranges():
    unc = [Uncertainty(name="a", low=1.0, high=100.0, distribution="loguniform"),
           Uncertainty(name="b", low=-1.0, high=1.0)]
    g = designs.make("grid", unc, levels=3)
    assert len(g.values) == 9
    assert sorted(set(g.values[:, 0].round(9))) == [1.0, 10.0, 100.0]  # log-uniform: geometric levels
    assert sorted(set(g.values[:, 1].round(9))) == [-1.0, 0.0, 1.0]
    h = designs.make("lhs", unc, n=10, seed=3)
    for j in range(2):  # one point in each tenth of each axis
        assert sorted((h.unit[:, j] * 10).astype(int).tolist()) == list(range(10))
    assert np.array_equal(h.values, designs.make("lhs", unc, n=10, seed=3).values)  # deterministic
    m = designs.make("morris", unc, n=2, levels=4)
    assert m.values.shape == (2 * 3, 2)
    assert np.all((m.values[:, 0] >= 1.0) & (m.values[:, 0] <= 100.0))
    with pytest.raises(ValueError):
        designs.make("sobol", unc, n=6)
    with pytest.raises(ValueError):
        designs.make("grid", [], levels=3)


def test_morris_ranks_a_driving_parameter_above_an_inert_one(tmp_path, small):
    r = run_sweep(small, "morris", [1], tmp_path, InProcess(), n=3, levels=4, until=UNTIL,
                  outcomes=["arb_filed", "complaints"], progress=False, factors=TWO, report=False)
    assert all(x.ok for x in r.batch.runs)
    for outcome in ("arb_filed", "complaints"):
        rows = {row["param"]: row for row in r.indices[outcome]}
        assert rows["feedback_rate"]["mu_star"] == 0.0
        assert rows["feedback_rate"]["sigma"] == 0.0
        assert rows["claim_rate"]["mu_star"] > rows["feedback_rate"]["mu_star"]
        assert r.indices[outcome][0]["param"] == "claim_rate"  # sorted by mu*
    for f in ("sensitivity.png", "sensitivity.csv", "points.csv", "outcomes.csv", "summary.json"):
        assert (r.folder / f).is_file(), f
    assert not (r.folder / "report.html").exists()


def test_sobol_gives_an_inert_parameter_zero_indices(tmp_path, small):
    r = run_sweep(small, "sobol", [1], tmp_path, InProcess(), n=4, until="2003-04-30",
                  outcomes=["complaints"], progress=False, factors=TWO, report=False)
    assert len(r.batch.runs) == 4 * (2 + 2)
    rows = {row["param"]: row for row in r.indices["complaints"]}
    assert rows["feedback_rate"]["S1"] == 0.0 and rows["feedback_rate"]["ST"] == 0.0
    assert rows["claim_rate"]["ST"] > 0.0
    assert (r.folder / "sensitivity.png").is_file()


def test_builtin_scenarios_declare_uncertainties_and_levers():
    reg = {p.name: p for p in all_params()}
    prd = load("prd-2003-2010").scenario
    assert len(prd.uncertainties) >= 4 and len(prd.levers) >= 4
    assert all(isinstance(u, Lever) for u in prd.levers)
    for name in builtin_names():
        ld = load(name)
        both = designs.space(ld, "both")  # known parameters, none both an uncertainty and a lever
        assert {u.name for u in prd.uncertainties} <= {u.name for u in both}, name  # inherited
        for u in both:
            p = reg[u.name]
            assert u.source, (name, u.name)
            assert p.low is None or p.low <= u.low, (name, u.name)
            assert p.high is None or u.high <= p.high, (name, u.name)
            assert u.low <= p.default <= u.high, (name, u.name)  # the default lies in the range


def test_space_selects_and_explains():
    small = load(DATA / "ens_small.toml")
    unc = designs.space(small)
    assert [u.name for u in unc].count("claim_rate") == 1  # the child's range replaces the parent's
    assert next(u for u in unc if u.name == "claim_rate").high == 0.03
    levers = designs.space(small, "levers")
    assert {u.name for u in levers} == {u.name for u in load("prd-2003-2010").scenario.levers}
    assert [u.name for u in designs.space(small, "both", TWO)] == TWO
    with pytest.raises(ValueError, match="not among"):
        designs.space(small, "levers", ["claim_rate"])
    with pytest.raises(ValueError, match="--over"):
        designs.space(small, "everything")
    pinned = designs.pinned_events(load("prd-2003-2010"), ["arbitration_fee", "claim_rate"])
    assert pinned == {"arbitration_fee": ["Arbitration law: no fee"]}  # what a swept fee skips


def test_the_readme_sweep_runs(tmp_path):
    """``rightful sweep prd-2003-2010 --design morris --n 10``, small: one trajectory, a short
    horizon, the smallest scale, through the command."""
    import click
    from click.testing import CliRunner

    from rightful.ensemble.cli_lab import register

    cli = click.Group()
    register(cli)
    res = CliRunner().invoke(cli, ["sweep", "prd-2003-2010", "--design", "morris", "--n", "1", "--scale", "0.001",
                                   "--until", "2003-02-28", "--workers", "0", "--out", str(tmp_path),
                                   "--outcomes", "complaints,arb_filed"])
    assert res.exit_code == 0, res.output
    assert "morris: complaints" in res.output and "mu_star" in res.output
    (folder,) = (tmp_path / "batches").iterdir()
    assert (folder / "report.html").is_file()
    k = len(load("prd-2003-2010").scenario.uncertainties)
    assert len((folder / "points.csv").read_text().splitlines()) == 1 + (k + 1)
