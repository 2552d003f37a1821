"""Numbers, text and tables for the HTML reports (and the terminal's numbers).

Why one formatter: a count weighted to the region ("collective cases") is a number of cases and
reads as a whole number; a share or a mean keeps its decimals. Every table of the report and of
the terminal summary goes through ``number`` so the same figure never prints two ways.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


def number(v: Any, count: bool = False) -> str:
    """12.3k, 4.56M, 7.89bn; ``count``: a whole number below 10,000 (counts weighted to the region
    are estimates of whole things); otherwise two or three significant decimals for small values."""
    f = float(v)
    if np.isnan(f):
        return "–"
    a = abs(f)
    if a >= 1e9:
        return f"{f / 1e9:.2f}bn"
    if a >= 1e6:
        return f"{f / 1e6:.2f}M"
    if a >= 1e4:
        return f"{f / 1e3:.1f}k"
    if count or f == int(f) or a >= 100:
        return f"{round(f):,}"
    if a >= 1:
        return f"{f:.2f}"
    return f"{f:.3f}"


def fmt(v: Any, count: bool = False) -> str:
    """A table cell: numbers by ``number``, booleans as yes/no, text escaped."""
    if v is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, float, np.integer, np.floating)):
        return number(v, count)
    return html.escape(str(v))


def percent(v: float) -> str:
    return "–" if not np.isfinite(v) else f"{v:.0%}"


def esc(s: Any) -> str:
    return html.escape(str(s))


class Raw(str):
    """Trusted HTML for a table cell (already escaped by whoever made it)."""


def table_html(header: Sequence[str], rows: Iterable[Sequence[Any]], left_cols: int = 1, raw: bool = False,
               counts: Sequence[bool] | None = None) -> str:
    """An HTML table; the first ``left_cols`` columns are left-aligned text. ``raw`` string cells
    (and any ``Raw`` cell) are trusted HTML; ``counts[j]`` rounds the numbers of column j as counts."""
    h = "".join(f'<th class="{"l" if i < left_cols else ""}">{esc(c)}</th>' for i, c in enumerate(header))
    body = []
    for r in rows:
        cells = []
        for i, c in enumerate(r):
            if isinstance(c, Raw) or (raw and isinstance(c, str)):
                txt = str(c)
            else:
                txt = fmt(c, bool(counts and i < len(counts) and counts[i]))
            cells.append(f'<td class="{"l" if i < left_cols else ""}">{txt}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="scroll"><table><thead><tr>{h}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def figure_html(svg: str, caption: str = "") -> str:
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{svg}{cap}</figure>"
