"""Engine: counter-based random streams, bit-identical reruns, thread independence, common random
numbers (an event that touches nothing changes nothing; an event for one city leaves the other
cities' series unchanged)."""

from __future__ import annotations

import numpy as np

from rightful.engine.rng import normals, stream_id, uniforms
from rightful.model import simulate
from rightful.scenarios.loader import load

from .conftest import SMALL


def test_draws_are_pure_functions_of_seed_stream_day_agent() -> None:
    a = uniforms(7, "x", 1000, day=3)
    b = uniforms(7, "x", 1000, day=3)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, uniforms(7, "x", 1000, day=4))
    assert not np.array_equal(a, uniforms(8, "x", 1000, day=3))
    assert not np.array_equal(a, uniforms(7, "y", 1000, day=3))
    # a draw does not depend on how many agents were drawn with it
    assert np.array_equal(uniforms(7, "x", 10, day=3), a[:10])
    assert stream_id("x") == stream_id("x") != stream_id("y")


def test_draw_distributions() -> None:
    u = uniforms(1, "u", 200_000)
    assert abs(u.mean() - 0.5) < 0.005 and abs(u.var() - 1 / 12) < 0.002
    z = normals(1, "z", 200_000)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01


def test_rerun_is_bit_identical(small_run) -> None:
    again = simulate(load("prd-2003-2010"), **SMALL)
    assert np.array_equal(small_run.series.daily, again.series.daily, equal_nan=True)
    for k, v in small_run.logs["strikes"].items():
        assert np.array_equal(v, again.logs["strikes"][k])


def test_results_do_not_depend_on_thread_count(small_run) -> None:
    import numba

    from rightful import model

    if numba.config.NUMBA_NUM_THREADS < 2:
        return
    before = model._THREADS_SET
    try:
        model.set_threads(2)
        two = simulate(load("prd-2003-2010"), **SMALL)
    finally:
        model.set_threads(1)
        model._THREADS_SET = before
    assert np.array_equal(small_run.series.daily, two.series.daily, equal_nan=True)


def test_event_that_touches_nothing_changes_nothing(tmp_path, small_run) -> None:
    # scaling a parameter by 1.0, and setting the feedback rate that nothing reads while the
    # feedback is off, must leave every number as it was (common random numbers)
    f = tmp_path / "noop.toml"
    f.write_text('name = "noop"\nextends = "prd-2003-2010"\n'
                 '[[events]]\ndate = 2003-03-01\nlabel = "no-op"\nparam = "collusion"\nscale = 1.0\n'
                 '[[events]]\ndate = 2003-04-01\nlabel = "inert"\nparam = "feedback_rate"\nset = 0.9\n')
    other = simulate(load(f), **SMALL)
    assert np.array_equal(small_run.series.daily, other.series.daily, equal_nan=True)


def test_event_for_one_city_leaves_other_cities_unchanged(tmp_path) -> None:
    """A city's event reaches no other city, once the one channel that crosses cities by design is
    off: half of a repressed strike's fear is the region's (``fear_region``, docs/ODD.md 7.7)."""
    local = {"fear_region": 0.0}
    small_run = simulate(load("prd-2003-2010"), **SMALL, overrides=local)
    f = tmp_path / "gz.toml"
    f.write_text('name = "gz"\nextends = "prd-2003-2010"\n'
                 '[[events]]\ndate = 2003-06-01\nlabel = "Guangzhou arbitration fee waived"\n'
                 'param = "arbitration_fee"\nset = 0\nwhere = { city = "Guangzhou" }\n'
                 '[[events]]\ndate = 2003-06-01\nlabel = "Guangzhou claims surge"\n'
                 'param = "claim_rate"\nscale = 5\nwhere = { city = "Guangzhou" }\n')
    other = simulate(load(f), **SMALL, overrides=local)
    cities = small_run.cities
    gz = cities.index("Guangzhou")
    base, pol = small_run.series.daily, other.series.daily
    for c in range(len(cities)):
        if c != gz:
            assert np.array_equal(base[:, c], pol[:, c], equal_nan=True), cities[c]
    day = (np.datetime64("2003-06-01") - small_run.dates[0]).astype(int)
    assert np.array_equal(base[:day, gz], pol[:day, gz], equal_nan=True)  # nothing before the event
    k = small_run.series.index["complaints"]
    assert pol[day:, gz, k].sum() > base[day:, gz, k].sum()


def test_plan_records_cpu_time_per_process(small_run) -> None:
    t = small_run.timings
    assert {"payroll", "labour_market", "information", "grievance", "claims", "mobilisation",
            "strikes", "observe"} <= set(t)
    assert t["observe"]["calls"] == len(small_run.dates) + small_run.meta["burn_in_days"]  # burn-in days run too
    assert t["ngos"]["calls"] < t["observe"]["calls"]  # monthly cadence


def test_burn_in_days_have_no_row_to_check() -> None:
    """A burn-in day (row < 0) or a day past the recorded rows checks only the flows (the check
    once read past the series on burn-in runs and stopped sound runs)."""
    import numpy as np

    from rightful.engine.checks import first_bad

    flows = np.zeros(4)
    daily = np.full((3, 4), np.nan)
    mask = np.ones(2, dtype=np.bool_)
    assert first_bad(flows, daily, -5, mask) == -1
    assert first_bad(flows, daily, 3, mask) == -1
    flows[1] = -1.0
    assert first_bad(flows, daily, -5, mask) == 1
