"""Tests of the HTML reports: self-contained, event labels present, clear errors.

Why these checks: the report is the file people mail around and open offline years later, so it
must carry its plots inline and reach for nothing on the network; the dated events are how a
reader ties a change in a series to a policy, so every event inside the run must be listed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from rightful.report.html import (
    load_run,
    resample,
    write_comparison_report,
    write_ensemble_report,
    write_report,
)

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*https?://""", re.I)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tiny run shared by the tests of this module (a few seconds of CPU)."""
    from rightful.runner import run_and_register

    out = tmp_path_factory.mktemp("runs")
    done = run_and_register("prd-2003-2010", seed=1, scale=0.001, until="2003-06-30", out=out)
    return Path(done.path)


def test_report_is_self_contained_and_lists_events(run_dir: Path) -> None:
    path = write_report(run_dir)
    assert path == run_dir / "report.html"
    text = path.read_text(encoding="utf-8")
    assert "<svg" in text
    assert not EXTERNAL.search(text), EXTERNAL.search(text)
    assert len(text) < 3_000_000
    ev = pq.read_table(run_dir / "events.parquet").to_pydict()
    rd = load_run(run_dir)
    start, end = rd.dates[0], rd.dates[-1]
    inside = {
        lab for d, lab in zip(ev["date"], ev["label"], strict=True) if start <= np.datetime64(d, "D") <= end
    }
    assert inside, "the tiny run should include at least one dated event"
    import html

    for label in inside:
        assert html.escape(label) in text, label
    for section in (
        "How to read this report",
        "Key figures per year",
        "Strikes",
        "CPU time per process",
        "Parameters",
    ):
        assert section in text


def test_missing_daily_table_names_the_file(run_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(run_dir, broken)
    (broken / "daily.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="daily.parquet"):
        write_report(broken)


def test_weighted_means_across_cities(run_dir: Path) -> None:
    rd = load_run(run_dir)
    w, v = rd.series["workers"], rd.series["mean_wage"]
    expected = (v * w).sum(axis=1) / w.sum(axis=1)
    assert np.allclose(rd.total("mean_wage"), expected)
    assert np.allclose(rd.total("workers"), w.sum(axis=1))


def test_resample_rate_scales_partial_periods() -> None:
    dates = np.arange(np.datetime64("2003-01-17"), np.datetime64("2003-03-01"))
    x, y = resample(dates, np.ones(len(dates)), "M", "rate")
    assert list(x.astype(str)) == ["2003-01-01", "2003-02-01"]
    assert np.allclose(y, 365.25 / 12)
    _, s = resample(dates, np.ones(len(dates)), "M", "sum")
    assert list(s) == [15, 28]


def _synthetic_bands(n: int, scenarios: list[str]) -> dict[str, dict[str, dict[str, np.ndarray]]]:
    rng = np.random.default_rng(0)
    out: dict[str, dict[str, dict[str, np.ndarray]]] = {}
    for series in ("strikes_started", "share_min_wage"):
        out[series] = {}
        for k, sc in enumerate(scenarios):
            mid = np.cumsum(rng.normal(0, 1, n)) + 10 * k
            out[series][sc] = {"q10": mid - 2, "q50": mid, "q90": mid + 2}
    return out


def test_comparison_and_ensemble_reports_render(tmp_path: Path) -> None:
    dates = np.arange(np.datetime64("2003-01-01"), np.datetime64("2005-01-01"))
    events = [("2003-06-01", "NGO founded"), ("2004-07-01", "minimum wage 610"), ("2009-01-01", "later")]
    rows = [
        {"scenario": "base", "strikes": 1234.5, "won": 0.41},
        {"scenario": "free-arbitration", "strikes": 999.0, "won": 0.5},
    ]
    p = write_comparison_report(
        tmp_path / "cmp.html",
        "Comparison",
        rows,
        _synthetic_bands(len(dates), ["base", "free-arbitration"]),
        dates,
        events,
    )
    text = p.read_text(encoding="utf-8")
    assert text.count("<svg") == 2
    assert "free-arbitration" in text and "minimum wage 610" in text and "NGO founded" in text
    assert not EXTERNAL.search(text)
    one = _synthetic_bands(len(dates), ["x"])
    q = write_ensemble_report(
        tmp_path / "ens.html",
        "Ensemble",
        {k: v["x"] for k, v in one.items()},
        dates.astype(str),
        events,
        table_rows=rows[:1],
    )
    text = q.read_text(encoding="utf-8")
    assert text.count("<svg") == 2 and "minimum wage 610" in text


def test_report_renders_from_daily_table_alone(run_dir: Path, tmp_path: Path) -> None:
    """Older or partial run folders still get a report, with the missing files named."""
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(run_dir / "daily.parquet", bare / "daily.parquet")
    text = write_report(bare).read_text(encoding="utf-8")
    assert "<svg" in text and "strikes.parquet" in text and "run.json" in text
