"""HTML reports of a batch: through ``rightful.report.html`` (the ensemble and comparison pages),
or, should that fail, a minimal self-contained page written here.

Why the fallback: a batch may have run for hours; an error while drawing must not lose the
only page a person opens, and its numbers are also in the batch folder (Parquet, JSON, CSV).
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..runview import RunView


def events_of(run_paths: Sequence[Path | str]) -> list[tuple[str, str]]:
    """The dated events of the runs as (ISO date, label) pairs (union, in date order), for the
    numbered markers on the plots."""
    seen: set[tuple[str, str]] = set()
    for p in run_paths:
        try:
            events = RunView.open(p).events
        except FileNotFoundError:  # not a finished run folder: it has no events to mark
            continue
        seen.update((str(e["date"]), str(e["label"])) for e in events)
    return sorted(seen)


def _svg(dates: np.ndarray, lines: dict[str, dict[str, np.ndarray]], w: int = 560, h: int = 160) -> str:
    """A tiny SVG of one series: a q10-q90 band and the median per scenario."""
    colours = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
    allv = np.concatenate([np.concatenate([b["q10"], b["q90"]]) for b in lines.values()])
    allv = allv[np.isfinite(allv)]
    lo, hi = (float(allv.min()), float(allv.max())) if allv.size else (0.0, 1.0)
    hi = hi if hi > lo else lo + 1.0
    n = max(len(dates) - 1, 1)

    def pts(v: np.ndarray) -> list[str]:
        return [f"{i * w / n:.1f},{h - (x - lo) / (hi - lo) * h:.1f}" for i, x in enumerate(v)]

    parts = [f'<svg width="{w}" height="{h}" style="border:1px solid #ddd">']
    for k, (name, b) in enumerate(lines.items()):
        c = colours[k % len(colours)]
        poly = pts(b["q10"]) + pts(b["q90"])[::-1]
        parts.append(f'<polygon points="{" ".join(poly)}" fill="{c}" fill-opacity="0.15" stroke="none"/>')
        parts.append(f'<polyline points="{" ".join(pts(b["q50"]))}" fill="none" stroke="{c}">'
                     f"<title>{html.escape(name)}</title></polyline>")
    parts.append(f'<text x="2" y="12" font-size="10">{hi:.4g}</text>'
                 f'<text x="2" y="{h - 2}" font-size="10">{lo:.4g}</text></svg>')
    return "".join(parts)


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r.values()) + "</tr>"
                   for r in rows)
    return f"<table border=1 cellpadding=3 style='border-collapse:collapse'><tr>{head}</tr>{body}</table>"


def _fmt(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def minimal_html(path: Path, title: str, table_rows: list[dict[str, Any]], dates: np.ndarray,
                 bands: dict[str, dict[str, dict[str, np.ndarray]]], events: list[tuple[str, str]]) -> Path:
    """bands[series][label] = {'q10', 'q50', 'q90'}: a page with the table and one plot per series."""
    labels = list(dict.fromkeys(lab for b in bands.values() for lab in b))
    legend = ", ".join(html.escape(lab) for lab in labels)
    ev = "".join(f"<li>{html.escape(d)}: {html.escape(lab)}</li>" for d, lab in events)
    plots = "".join(f"<h3>{html.escape(s)}</h3>{_svg(dates, b)}" for s, b in bands.items())
    span = f"{dates[0]} .. {dates[-1]}" if len(dates) else ""
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body style='font-family:sans-serif'><h1>{html.escape(title)}</h1><p>{span}; lines: median, "
            f"bands: 10-90% across seeds; scenarios in order: {legend}</p>{_table(table_rows)}{plots}"
            f"<h3>events</h3><ul>{ev}</ul></body></html>")
    path.write_text(page)
    return path


def ensemble_report(path: Path, title: str, dates: np.ndarray, bands: dict[str, dict[str, np.ndarray]],
                    events: list[tuple[str, str]], table_rows: list[dict[str, Any]]) -> Path:
    try:
        from ..report.html import write_ensemble_report
    except ImportError:
        write_ensemble_report = None
    if write_ensemble_report is not None:
        try:
            res = write_ensemble_report(path, title, bands, dates, events, table_rows)
            return Path(res) if res else path
        except Exception as e:  # noqa: BLE001 - the report must not lose a finished batch
            warnings.warn(f"report.html.write_ensemble_report failed ({e}); writing a minimal page",
                          stacklevel=2)
    one = {s: {"ensemble": b} for s, b in bands.items()}
    return minimal_html(path, title, table_rows, dates, one, events)


def comparison_report(path: Path, title: str, table_rows: list[dict[str, Any]],
                      bands: dict[str, dict[str, dict[str, np.ndarray]]], dates: np.ndarray,
                      events: list[tuple[str, str]]) -> Path:
    try:
        from ..report.html import write_comparison_report
    except ImportError:
        write_comparison_report = None
    if write_comparison_report is not None:
        try:
            res = write_comparison_report(path, title, table_rows, bands, dates, events)
            return Path(res) if res else path
        except Exception as e:  # noqa: BLE001
            warnings.warn(f"report.html.write_comparison_report failed ({e}); writing a minimal page",
                          stacklevel=2)
    return minimal_html(path, title, table_rows, dates, bands, events)
