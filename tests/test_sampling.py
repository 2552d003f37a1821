"""A run at scale s is a sample of the region (docs/ODD.md 2.7, 7.7): the firm sample's totals
estimate the region's without bias, the zone's fear counts the region's workers, and the batch
commands say when a scale is below the one the convergence benchmark trusts.

These check the sampling design itself (fast, no simulation); whether the recorded series hold
across scales is measured by benchmarks/convergence.py, not here."""

from __future__ import annotations

import numpy as np
import pytest

from rightful.inputs import TRUSTED_SCALE, scale_warning
from rightful.population.build import _firm_sizes, sample_firms
from rightful.scenarios.loader import load


def _region(seed: int = 7) -> list[int]:
    return _firm_sizes(seed, "test.manufacturing", 300_000, 180.0, 1.3, 40_000)


def test_full_scale_takes_every_firm_at_weight_one() -> None:
    full = _region()
    got = sample_firms(full, 1.0, 1000, 1, "t")
    assert [n for n, _ in got] == full
    assert all(w == 1.0 for _, w in got)


@pytest.mark.parametrize("scale", [0.003, 0.01, 0.1])
def test_horvitz_thompson_totals_are_unbiased(scale: float) -> None:
    """Over many random starts the weighted firm count and worker total average to the region's
    (within 3 standard errors), and large firms are over-sampled (weights below 1/scale)."""
    full = _region()
    n_true, w_true = len(full), sum(full)
    firms, workers = [], []
    for seed in range(200):
        got = sample_firms(full, scale, 1000, seed, "t")
        firms.append(sum(w for _, w in got))
        workers.append(sum(n * w for n, w in got))
        big = [w for n, w in got if n >= 4000]
        assert all(w <= 0.5 / scale + 1e-9 for w in big)
    for est, true in ((firms, n_true), (workers, w_true)):
        se = np.std(est) / np.sqrt(len(est))
        assert abs(np.mean(est) - true) <= 3 * se + 1e-9 * true, (scale, np.mean(est), true, se)


def test_sample_keeps_the_size_distribution() -> None:
    """Systematic sampling on the size-sorted list: every realisation has the region's median firm
    within a few percent (a simple random sample of ~100 firms would miss it by far more)."""
    full = _region()
    med = np.median(full)
    for seed in range(20):
        got = sample_firms(full, 0.05, 1000, seed, "t")
        small = sorted(n for n, w in got if n < 1000)
        assert abs(np.median(small) / np.median([n for n in full if n < 1000]) - 1) < 0.1, seed
    assert med > 0


def test_scale_warning_below_the_trusted_scale() -> None:
    ld = load("prd-2003-2010")
    assert scale_warning(ld, TRUSTED_SCALE) is None
    assert scale_warning(ld, 0.5) is None
    msg = scale_warning(ld, 0.002)
    assert msg is not None and "--scale 0.002" in msg and f"{TRUSTED_SCALE:g}" in msg
    assert scale_warning([ld, ld], None) is None  # the scenario's own scale (0.01) is trusted


def test_batch_check_prints_the_warning(tmp_path, capsys) -> None:
    from rightful import commands

    commands._check(load("prd-2003-2010"), 2, 1, 0.002, None, tmp_path / "runs", None, None)
    err = capsys.readouterr().err
    assert "warning" in err and "0.002" in err


def test_a_repressed_strikes_fear_is_the_regions_its_citys_and_its_districts() -> None:
    """fear.add spreads ``fear_region`` of a repression over the region's real workers (every district
    the same rise), of the rest ``fear_city`` over its city's (every district of the city the same,
    other cities none) and the remainder over its own district's; the fear summed over the region's
    workers is what was added, whatever the split (docs/ODD.md 7.7, points 3 and 4)."""
    from collections import namedtuple

    from rightful.processes import fear

    Z = namedtuple("Z", "city workers fear")
    P = namedtuple("P", "fear_city fear_region")
    workers = np.array([[1e6, 5e5, 5e5], [2e6, 0, 1e6], [1e6, 1e6, 0], [3e6, 0, 0]])  # zones 0-1: city 0
    for k, r in ((1.0, 0.0), (0.25, 0.0), (1.0, 0.5), (0.25, 0.4)):
        zn = Z(np.array([0, 0, 1, 1], np.int8), workers, np.zeros(4, np.float32))
        fear.add(1, 0, 6000.0, P(np.full((4, 1), k), np.full((4, 1), r)), zn)
        mass = float((zn.fear.astype(np.float64) * workers.sum(axis=1)).sum())
        reg = 6000.0 * r / 10e6
        assert mass == pytest.approx(6000.0, rel=1e-6)
        assert zn.fear[2] == pytest.approx(reg, rel=1e-6, abs=1e-12) and zn.fear[3] == zn.fear[2]
        assert zn.fear[0] == pytest.approx(reg + 6000.0 * (1 - r) * k / 5e6, rel=1e-6)
        assert zn.fear[1] == pytest.approx(reg + 6000.0 * (1 - r) * (k / 5e6 + (1 - k) / 3e6), rel=1e-6)
