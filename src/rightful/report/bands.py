"""Reports of many runs: several scenarios compared, or one scenario's ensemble, as medians with
10-90% bands over seeds (the comparison and ensemble pages).

Why apart from the run report: these pages are given reduced arrays (``ensemble.reduce.bands``),
not a run; they share the page, the figures and the event markers with it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

from ..resample import midpoints, resample
from ..runview import is_share, label, words
from . import figures as F
from .events import events_section, group_events
from .format import esc, figure_html, table_html
from .page import page, write_atomic

BandsIn = dict[str, dict[str, dict[str, np.ndarray]]]  # series -> scenario -> {"q10", "q50", "q90"}


def _words(name: Any) -> Any:
    """An outcome or series name in words: a series' declared label, else the name spelt out."""
    return label(str(name)) if isinstance(name, str) else name


def _as_dates(dates: np.ndarray) -> np.ndarray:
    return np.asarray(dates).astype("datetime64[D]")


def panels(bands: BandsIn, dates: np.ndarray) -> list[F.Panel]:
    """One panel per series, one median line and 10-90% band per scenario; long daily series are
    averaged per week for display (the quantiles are those of the daily values)."""
    d = _as_dates(dates)
    freq = "W" if len(d) > 600 else "D"
    order: list[str] = []
    for per in bands.values():
        order += [sc for sc in per if sc not in order]
    colors = {sc: F.PALETTE[i % len(F.PALETTE)] for i, sc in enumerate(order)}
    out = []
    for series, per in bands.items():
        bl = []
        for sc, q in per.items():
            x, lo = resample(d, np.asarray(q["q10"], dtype=float), freq, "mean")
            _, mid = resample(d, np.asarray(q["q50"], dtype=float), freq, "mean")
            _, hi = resample(d, np.asarray(q["q90"], dtype=float), freq, "mean")
            bl.append(F.Band(sc, midpoints(x, freq), lo, mid, hi, colors[sc]))
        text = label(series)
        out.append(F.Panel(text[:1].upper() + text[1:], "", bands=bl, percent=is_share(series)))
    return out


def band_report(path: Path, title: str, table_rows: list[dict[str, Any]] | None, bands: BandsIn, dates: np.ndarray,
                events: list[tuple[str, str]], intro: str) -> Path:
    d = _as_dates(dates)
    start, end = (d[0], d[-1]) if len(d) else (np.datetime64("2000-01-01"), np.datetime64("2000-01-01"))
    groups, before, after = group_events([{"date": a, "label": b, "zones": []} for a, b in events], start, end, [])
    marks = [F.EventMark(g.date, g.number) for g in groups]
    body = [f'<h1>{esc(title)}</h1><p class="note">written {dt.datetime.now().isoformat(timespec="seconds")}'
            f"; span {start} to {end}</p>", intro]
    rows = table_rows or []
    if rows:
        cols: list[str] = []
        for r in rows:
            cols += [k for k in r if k not in cols]
        cells = [[_words(r.get(c)) if c == "outcome" else r.get(c) for c in cols] for r in rows]
        body.append('<h2 id="table">Summary table</h2>' + table_html([words(c) for c in cols], cells))
    body.append('<h2 id="series">Outcome series</h2>')
    for p in panels(bands, d):
        body.append(figure_html(F.timeseries([p], marks, panel_height=2.8, span=(start, end) if len(d) else None)))
    body.append(events_section(groups, before, after, detail=False))
    return write_atomic(Path(path), page(title, "\n".join(body)))


def write_comparison_report(path: Path, title: str, table_rows: list[dict[str, Any]], bands: BandsIn,
                            dates: np.ndarray, events: list[tuple[str, str]]) -> Path:
    """Several scenarios compared: a table and median/10-90% band plots; ``bands[series][scenario]``
    is ``{"q10", "q50", "q90"}`` aligned with ``dates``; ``events`` are (date, label) pairs."""
    intro = ("<p>Each line is the median over seeds of one scenario; the shaded band spans the 10th to "
             "90th percentile across seeds, so where bands overlap the scenarios are not told apart by this "
             "ensemble. Dotted lines mark dated events, numbered in the strip above each figure (table at "
             "the end).</p>")
    return band_report(path, title, table_rows, bands, dates, events, intro)


def write_ensemble_report(path: Path, title: str, bands_for_one_scenario: dict[str, dict[str, np.ndarray]],
                          dates: np.ndarray, events: list[tuple[str, str]],
                          table_rows: list[dict[str, Any]] | None = None) -> Path:
    """One scenario over many seeds: median and 10-90% band per series."""
    bands = {series: {"median over seeds": q} for series, q in bands_for_one_scenario.items()}
    intro = ("<p>The line is the median over seeds; the shaded band spans the 10th to 90th percentile, "
             "i.e. the spread that chance alone produces in this scenario.</p>")
    return band_report(path, title, table_rows, bands, dates, events, intro)
