"""The one reader of runs (``rightful.runview``): declared aggregation rules, decoded codes, and
the same numbers from a run folder as from the result in memory.

Why: every output (report, compare, ensembles, outcomes, stylised facts, terminal summary, the
Python API) reads runs through this type, so a rule applied wrongly here would be wrong everywhere.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rightful.population.codes import OUTCOMES
from rightful.processes import RESULTS
from rightful.runview import RunView, S, is_count, resample, words


@pytest.fixture(scope="module")
def views(written_run) -> tuple[RunView, RunView]:
    return RunView.of_result(written_run.result), RunView.open(written_run.path)


def test_series_are_named_by_the_declarations() -> None:
    assert S.strikes_started == "strikes_started" and S.arb_filed == "arb_filed"
    assert set(S) == set(RESULTS)
    with pytest.raises(AttributeError, match="no process declares"):
        _ = S.strikes_begun


def test_cities_combine_by_the_declared_rule(written_run, views) -> None:
    mem, _ = views
    s = written_run.result.series
    w = s.daily[:, :, s.index["workers"]]
    for name, r in RESULTS.items():
        v = s.daily[:, :, s.index[name]]
        want = (v * w).sum(axis=1) / np.maximum(w.sum(axis=1), 1e-9) if r.cities == "mean" else v.sum(axis=1)
        np.testing.assert_array_equal(mem.total(name), want, err_msg=name)
    assert RESULTS[S.mean_wage].cities == "mean" and RESULTS[S.workers].cities == "sum"


def test_days_combine_by_the_declared_rule(views) -> None:
    mem, _ = views
    years, by = mem.yearly([S.strikes_started, S.workers, S.mean_wage, "no_such_series"])
    assert years == [2003, 2004, 2005] and "no_such_series" not in by
    ys = mem.years()
    for i, y in enumerate(years):
        m = ys == y
        assert by[S.strikes_started][i] == pytest.approx(mem.total(S.strikes_started)[m].sum(), rel=1e-12)
        assert by[S.workers][i] == mem.total(S.workers)[m][-1]  # a stock: its value on the last day
        assert by[S.mean_wage][i] == pytest.approx(mem.total(S.mean_wage)[m].mean(), rel=1e-12)
    x, per_city = mem.period(S.quits, "M", by_city=True)
    assert per_city.shape == (26, len(mem.cities)) and str(x[0]) == "2003-01-01"
    np.testing.assert_allclose(per_city.sum(axis=1), mem.period(S.quits, "M")[1], rtol=1e-12)


def test_folder_and_memory_give_the_same_numbers(written_run, views) -> None:
    mem, disk = views
    np.testing.assert_array_equal(mem.dates, disk.dates)
    assert mem.cities == disk.cities and mem.zones == disk.zones and set(mem.names) == set(disk.names)
    for name in mem.names:
        np.testing.assert_array_equal(mem.city(name), disk.city(name), err_msg=name)
        np.testing.assert_array_equal(mem.total(name), disk.total(name), err_msg=name)
    a, b = mem.strikes, disk.strikes
    assert len(a) == len(b) > 0
    for k in a.cols:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    assert mem.events == disk.events and mem.events
    assert mem.params == disk.params
    for log in ("ngo_events", "policy"):
        x, y = getattr(mem, log), getattr(disk, log)
        assert set(x) == set(y) and all(np.array_equal(x[k], y[k]) for k in x)
    assert disk.missing == [] and disk.run_id == written_run.run_id


def test_strike_codes_are_decoded_once(views) -> None:
    _, disk = views
    st = disk.strikes
    names = st.names("outcome")
    assert set(names.tolist()) <= set(OUTCOMES)
    np.testing.assert_array_equal(names, np.array(OUTCOMES, dtype=object)[st.outcome])
    assert set(st.names("city").tolist()) <= set(disk.cities)
    assert (st.days == st.end - st.start + 1).all() and st.weight is st["weight"]
    df = st.frame()
    assert list(df["outcome"]) == list(names) and str(df["start"].dtype).startswith("datetime64")
    assert words("partly_won") == "partly won" and words("in_dispute") == "in a dispute"
    assert is_count(S.strikes_started) and not is_count(S.share_min_wage)


def test_tidy_frames(views) -> None:
    mem, _ = views
    df = mem.daily_frame([S.workers, S.strikes_started])
    assert list(df.columns) == ["date", "city", "workers", "strikes_started"]
    assert len(df) == len(mem.dates) * len(mem.cities)
    tot = mem.daily_frame([S.mean_wage], total=True)
    np.testing.assert_array_equal(tot[S.mean_wage].to_numpy(), mem.total(S.mean_wage))
    ev = mem.events_frame()
    assert len(ev) == len(mem.events) and {"date", "label", "param"} <= set(ev.columns)


def test_a_folder_without_tables_still_reads(written_run, tmp_path: Path) -> None:
    import shutil

    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(Path(written_run.path) / "daily.parquet", bare / "daily.parquet")
    v = RunView.open(bare)
    assert v.total(S.workers).shape == (len(v.dates),) and len(v.strikes) == 0 and not v.has_strikes()
    assert v.events == [] and set(v.missing) >= {"run.json", "strikes.parquet", "events.parquet"}
    (bare / "daily.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="daily.parquet"):
        RunView.open(bare)


def test_resample_rate_scales_partial_periods() -> None:
    dates = np.arange(np.datetime64("2003-01-17"), np.datetime64("2003-03-01"))
    x, y = resample(dates, np.ones(len(dates)), "M", "rate")
    assert list(x.astype(str)) == ["2003-01-01", "2003-02-01"]
    assert np.allclose(y, 365.25 / 12)
    _, s = resample(dates, np.ones(len(dates)), "M", "sum")
    assert list(s) == [15, 28]
