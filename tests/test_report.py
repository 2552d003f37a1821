"""Tests of the HTML reports: self-contained, event labels present, clear errors, and readable.

Why these checks: the report is the file people mail around and open offline years later, so it
must carry its plots inline and reach for nothing on the network; the dated events are how a
reader ties a change in a series to a policy, so every event inside the run must be listed, and
its number must be legible (not stacked on the other numbers or on the data); labels are words,
counts are whole numbers and shares read against 0-100%.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from rightful.processes import RESULTS
from rightful.report import figures as F
from rightful.report.format import number
from rightful.report.html import write_comparison_report, write_ensemble_report, write_report
from rightful.runview import RunView

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*https?://""", re.I)


@pytest.fixture(scope="module")
def report(written_run, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The report of the shared small run, written into a copy of its folder."""
    d = tmp_path_factory.mktemp("report") / "run"
    shutil.copytree(written_run.path, d)
    path = write_report(d)
    assert path == d / "report.html"
    return d, path.read_text(encoding="utf-8")


def test_report_is_self_contained_and_lists_events(report) -> None:
    run_dir, text = report
    assert "<svg" in text
    assert not EXTERNAL.search(text), EXTERNAL.search(text)
    assert len(text) < 3_000_000
    v = RunView.open(run_dir)
    inside = {e["label"] for e in v.events if v.dates[0] <= np.datetime64(e["date"], "D") <= v.dates[-1]}
    assert inside, "the small run should include at least one dated event"
    for label in inside:
        assert html.escape(label) in text, label
    for section in ("How to read this report", "Key figures per year", "Strikes", "Strikes by city",
                    "CPU time per process", "Parameters"):
        assert section in text


def test_codes_are_shown_in_words(report) -> None:
    _, text = report
    visible = re.sub(r"<[^>]+>", " ", text[:text.index('id="events"')])  # parameter names are names: not here
    for code in ("partly_won", "in_dispute", "gone_home", "fire_leaders", "call_police", "wage_news"):
        assert code not in visible, code
    assert "partly won" in visible and "in a dispute" in visible


def test_counts_are_whole_numbers(report) -> None:
    _, text = report
    table = text[text.index('id="figures"'):text.index('id="workers"')]
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    counted = 0
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        if cells and cells[0] in {RESULTS[n].label for n in ("collective_cases", "strikes_started", "complaints",
                                                              "quits")}:
            counted += 1
            for c in cells[1:]:  # 1,234 or 12.3k / 4.56M: never a fraction of a case
                assert re.fullmatch(r"[\d,]+|[\d.]+(k|M|bn)", c), (cells[0], c)
    assert counted == 4
    assert number(99.73, count=True) == "100" and number(0.25) == "0.250" and number(12345.0) == "12.3k"


def test_shares_run_from_0_to_100_percent() -> None:
    x = np.arange(np.datetime64("2003-01-01"), np.datetime64("2003-12-31"))
    y = np.linspace(0.2, 0.97, len(x))
    svg = F.timeseries([F.Panel("share", "", [F.Line("a", x, y)], percent=True)])
    ticks = re.findall(r">(\d+)%<", svg)
    assert ticks and max(map(int, ticks)) == 100


def test_event_numbers_do_not_collide() -> None:
    """A dozen policies within months of each other (as in 2008) get numbers that neither overlap
    nor stray far from their dates, each number once per figure."""
    fracs = sorted([0.1, 0.11, 0.115, 0.12, 0.5, 0.62, 0.621, 0.622, 0.625, 0.63, 0.64, 0.66, 0.9])
    w = 0.025
    rows, pos = F.layout(fracs, w)
    assert 1 <= rows <= 3
    for r in range(rows):
        row = pos[r::rows]
        assert all(b - a >= w - 1e-9 for a, b in zip(row, row[1:], strict=False)), row
        assert min(row) >= w / 2 - 1e-9 and max(row) <= 1 - w / 2 + 1e-9
    assert max(abs(p - f) for p, f in zip(pos, fracs, strict=True)) <= 3 * w
    dates = np.datetime64("2003-01-01") + (np.array(fracs) * 2900).astype(int).astype("timedelta64[D]")
    marks = [F.EventMark(d, i + 101) for i, d in enumerate(dates)]
    x = np.arange(np.datetime64("2003-01-01"), np.datetime64("2010-12-31"))
    svg = F.timeseries([F.Panel("a", "", [F.Line("a", x, np.ones(len(x)))]),
                        F.Panel("b", "", [F.Line("b", x, np.ones(len(x)))])], marks, span=(x[0], x[-1]))
    for m in marks:
        assert svg.count(f">{m.number}<") == 1, m.number


def test_missing_daily_table_names_the_file(report, tmp_path: Path) -> None:
    run_dir, _ = report
    broken = tmp_path / "broken"
    shutil.copytree(run_dir, broken)
    (broken / "daily.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="daily.parquet"):
        write_report(broken)


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
    rows = [{"scenario": "base", "strikes": 1234.5, "won": 0.41},
            {"scenario": "free-arbitration", "strikes": 999.0, "won": 0.5}]
    p = write_comparison_report(tmp_path / "cmp.html", "Comparison", rows,
                                _synthetic_bands(len(dates), ["base", "free-arbitration"]), dates, events)
    text = p.read_text(encoding="utf-8")
    assert text.count("<svg") == 2
    assert "free-arbitration" in text and "minimum wage 610" in text and "NGO founded" in text
    assert not EXTERNAL.search(text)
    one = _synthetic_bands(len(dates), ["x"])
    q = write_ensemble_report(tmp_path / "ens.html", "Ensemble", {k: v["x"] for k, v in one.items()},
                              dates.astype(str), events, table_rows=rows[:1])
    text = q.read_text(encoding="utf-8")
    assert text.count("<svg") == 2 and "minimum wage 610" in text


def test_report_renders_from_daily_table_alone(report, tmp_path: Path) -> None:
    """Older or partial run folders still get a report, with the missing files named."""
    run_dir, _ = report
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(run_dir / "daily.parquet", bare / "daily.parquet")
    text = write_report(bare).read_text(encoding="utf-8")
    assert "<svg" in text and "strikes.parquet" in text and "run.json" in text
