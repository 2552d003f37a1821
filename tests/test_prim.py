"""Scenario discovery: PRIM (the EMA Workbench's) finds a box planted in synthetic data, its
numbers are what the box says, rules are parsed and checked, and a result survives JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rightful.ensemble import prim as P


@pytest.fixture(scope="module")
def planted() -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Cases where a > 0.7 and b < 4 (of 0..1 and 0..10); c is noise."""
    rng = np.random.default_rng(0)
    n = 400
    x = {"a": rng.random(n), "b": rng.random(n) * 10.0, "c": rng.random(n)}
    y = ((x["a"] > 0.7) & (x["b"] < 4.0)).astype(float) + 0.01 * rng.random(n)
    return x, y


def test_finds_the_planted_box(planted) -> None:
    x, y = planted
    d = P.discover(x, y, "y>0.5", min_density=0.8)
    assert d.cases == int((y > 0.5).sum()) and d.points == len(y) and d.threshold == 0.5
    b = d.boxes[0]
    assert set(b.limits) == {"a", "b"}  # the noise dimension is not restricted
    assert 0.6 < b.limits["a"][0] <= 0.71 and 3.9 < b.limits["b"][1] < 5.5  # as loose as density 0.8 allows
    assert b.coverage > 0.95 and b.density >= 0.8
    tight = P.discover(x, y, "y>0.5", min_density=0.97).boxes[0]
    assert tight.limits["b"][1] <= b.limits["b"][1] and tight.density >= 0.97 and tight.coverage <= b.coverage
    assert all(q < 0.05 for q in b.qp.values())
    inside = np.ones(len(y), bool)
    for k, (lo, hi) in b.limits.items():
        inside &= (x[k] >= lo) & (x[k] <= hi)
    assert b.n == inside.sum() and b.k == (inside & (y > 0.5)).sum()
    assert b.mass == pytest.approx(inside.mean()) and b.density == pytest.approx(b.k / b.n)
    assert b.trajectory[0]["coverage"] == 1.0 and b.trajectory[b.chosen]["density"] == pytest.approx(b.density)
    assert P.describe(b).startswith(f"a {b.limits['a'][0]:.4g}..") and " and b " in P.describe(b)


def test_quantile_rules_and_low_values(planted) -> None:
    x, y = planted
    d = P.discover(x, -y, "negy<q10")
    assert d.threshold == pytest.approx(np.quantile(-y, 0.1)) and d.cases == int((-y < d.threshold).sum())
    assert d.boxes and set(d.boxes[0].limits) >= {"a", "b"}


def test_rules_are_checked_and_degenerate_cases_said() -> None:
    assert P.parse_rule("strikes_started >= q80") == ("strikes_started", ">=", "q80")
    assert P.parse_rule("gap<0.25") == ("gap", "<", "0.25")
    for bad in ("strikes_started", "x > high", "> 3", "a = 1"):
        with pytest.raises(ValueError, match="PRIM rule"):
            P.parse_rule(bad)
    x = {"a": np.linspace(0, 1, 10)}
    assert "no point" in P.discover(x, np.zeros(10), "y>1").note
    assert "every point" in P.discover(x, np.ones(10), "y>0").note
    assert "too few" in P.discover({"a": np.array([0.0, 1.0])}, np.array([0.0, 1.0]), "y>0.5").note
    nan = P.discover(x, np.where(np.arange(10) < 3, np.nan, np.arange(10.0)), "y>5")
    assert nan.points == 7  # points without a value are left out


def test_a_discovery_survives_json(planted) -> None:
    x, y = planted
    d = P.discover(x, y, "y>0.5")
    back = P.Discovery.from_dict(json.loads(json.dumps(d.to_dict())))
    assert back.boxes[0].limits == d.boxes[0].limits and back.ranges == d.ranges
    assert back.boxes[0].coverage == d.boxes[0].coverage
