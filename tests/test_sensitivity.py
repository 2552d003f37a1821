"""Designs and sensitivity: a parameter that drives an outcome outranks one that cannot.

``feedback_rate`` is read only by the central state's feedback process, which does nothing while
``feedback_on = 0`` (the default): with common random numbers its runs are identical, so its
Morris mu* and Sobol indices are exactly zero. ``claim_rate`` sets the odds that workers start
claims, upstream of complaints and arbitration.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rightful.ensemble import designs
from rightful.ensemble.executors import InProcess
from rightful.ensemble.sweep import run_sweep
from rightful.scenarios.loader import load
from rightful.scenarios.schema import Uncertainty

DATA = Path(__file__).parent / "data"
UNTIL = "2003-06-30"


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
                  outcomes=["arb_filed", "complaints"], progress=False)
    assert all(x.ok for x in r.batch.runs)
    for outcome in ("arb_filed", "complaints"):
        rows = {row["param"]: row for row in r.indices[outcome]}
        assert rows["feedback_rate"]["mu_star"] == 0.0
        assert rows["feedback_rate"]["sigma"] == 0.0
        assert rows["claim_rate"]["mu_star"] > rows["feedback_rate"]["mu_star"]
        assert r.indices[outcome][0]["param"] == "claim_rate"  # sorted by mu*
    for f in ("sensitivity.png", "sensitivity.csv", "points.csv", "outcomes.csv", "summary.json"):
        assert (r.folder / f).is_file(), f


def test_sobol_gives_an_inert_parameter_zero_indices(tmp_path, small):
    r = run_sweep(small, "sobol", [1], tmp_path, InProcess(), n=4, until="2003-04-30",
                  outcomes=["complaints"], progress=False)
    assert len(r.batch.runs) == 4 * (2 + 2)
    rows = {row["param"]: row for row in r.indices["complaints"]}
    assert rows["feedback_rate"]["S1"] == 0.0 and rows["feedback_rate"]["ST"] == 0.0
    assert rows["claim_rate"]["ST"] > 0.0
    assert (r.folder / "sensitivity.png").is_file()
