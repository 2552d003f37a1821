"""Matplotlib figures rendered to inline SVG for the HTML reports.

Why a module of its own: the single-run report and the comparison / ensemble reports draw the same
kinds of time series with the same dated-event markers, and only this module and ``charts`` touch
matplotlib, so the rest of the package never pays for importing it. Figures are built with ``matplotlib.figure.Figure``
on the Agg/SVG canvases, never through ``pyplot``: no global backend switch, no figure registry to
leak memory across many reports, and it works on a machine without a display.

SVG is written with ``svg.fonttype = 'none'`` (text stays text: small, searchable, crisp) and each
figure gets its own ``svg.hashsalt`` so the ids of clip paths and markers do not collide when many
SVGs are inlined in one HTML page.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib
import numpy as np
from matplotlib.dates import date2num
from matplotlib.figure import Figure

_COUNTER = itertools.count()
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)
RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "legend.fontsize": 8.0,
    "legend.frameon": False,
}
# Optional hook for a human check: when set to a folder, every figure is also saved there as PNG.
PNG_DIR: str | None = None


@dataclass
class EventMark:
    """One numbered marker: a date (numpy datetime64[D]) and the number printed on the plots."""

    date: np.datetime64
    number: int


@dataclass
class Line:
    """One line of a time-series panel."""

    label: str
    x: np.ndarray
    y: np.ndarray
    color: str | None = None
    width: float = 1.2
    style: str = "-"
    alpha: float = 1.0
    marker: str | None = None


@dataclass
class Band:
    """A median line with a shaded quantile band (10-90%) around it."""

    label: str
    x: np.ndarray
    lo: np.ndarray
    mid: np.ndarray
    hi: np.ndarray
    color: str | None = None


@dataclass
class Panel:
    """One axes of a time-series figure: lines and/or bands, a title and a y label."""

    title: str
    ylabel: str = ""
    lines: list[Line] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    logy: bool = False
    percent: bool = False


def new_figure(width: float = 9.0, height: float = 3.0) -> Figure:
    """A Figure not attached to pyplot (so nothing global changes and nothing leaks)."""
    return Figure(figsize=(width, height), layout="constrained")


def to_svg(fig: Figure) -> str:
    """Serialise a figure to an SVG fragment fit to inline in HTML.

    The XML prolog, DOCTYPE and RDF metadata (which carries external URLs) are dropped, and the
    fixed point size is replaced by a responsive width so the page reads on narrow screens.
    """
    n = next(_COUNTER)
    buf = io.StringIO()
    with matplotlib.rc_context({**RC, "svg.hashsalt": f"rightful-fig-{n}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
        if PNG_DIR:
            fig.savefig(f"{PNG_DIR}/fig{n:03d}.png", format="png", dpi=110)
    svg = buf.getvalue()
    svg = svg[svg.find("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # Inline SVG in HTML5 needs no namespace declarations (the parser knows svg and xlink:href);
    # dropping them leaves the page free of any URL at all, which makes "offline" easy to check.
    svg = re.sub(r'\s+xmlns(?::xlink)?="[^"]*"', "", svg)
    # Size: two decimals of a point are far below a pixel, and the pretty-printing whitespace is
    # about a third of the bytes; dropping both keeps a multi-year report well under 3 MB.
    svg = re.sub(r"(\d\.\d\d)\d+", r"\1", svg)
    svg = re.sub(r"font-family: [^;\"]*", "font-family: 'DejaVu Sans', Arial, Helvetica, sans-serif", svg)
    svg = re.sub(r">\s+<", "><", svg)
    svg = re.sub(r"\s*\n\s*", " ", svg)
    m = re.match(r'<svg([^>]*?)width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if m:
        w_px = float(m.group(2)) * 4 / 3
        svg = svg.replace(
            f'width="{m.group(2)}pt" height="{m.group(3)}pt"',
            f'style="width:100%;max-width:{w_px:.0f}px;height:auto" role="img"',
            1,
        )
    return svg


STRIP_ROW_IN = 0.2  # inches per row of event numbers above a figure's panels
LEAD_IN = 0.16  # inches of leader lines between the numbers and the panels


def _label_width(marks: Sequence[EventMark], width_in: float) -> float:
    """Width of one number's box as a share of the axes' width (the axes take about 3/4 of the
    figure once the y labels and the legend beside it are placed)."""
    digits = max((len(str(m.number)) for m in marks), default=1)
    return (digits * 4.0 + 6.0) / (0.76 * width_in * 72.0)


def spread(xs: Sequence[float], w: float, lo: float = 0.0, hi: float = 1.0) -> list[float]:
    """Centres as near the sorted ``xs`` as they can be with at least ``w`` between neighbours,
    inside [lo + w/2, hi - w/2]: runs of close numbers are spaced evenly around their mean."""
    lo, hi = lo + w / 2, hi - w / 2
    clusters: list[list[float]] = []

    def left(c: list[float]) -> float:
        n = len(c)
        return min(max(float(np.mean(c)) - (n - 1) * w / 2, lo), hi - (n - 1) * w)

    for x in xs:
        clusters.append([x])
        while len(clusters) > 1 and left(clusters[-2]) + len(clusters[-2]) * w > left(clusters[-1]) + 1e-12:
            last = clusters.pop()
            clusters[-1].extend(last)
    return [left(c) + k * w for c in clusters for k in range(len(c))]


def layout(fracs: Sequence[float], w: float, max_rows: int = 3) -> tuple[int, list[float]]:
    """Rows and centres of the numbers (one per mark, in date order, dealt to the rows in turn):
    the fewest rows (at most ``max_rows``) in which no number sits more than two widths from its
    date, or else the rows that keep the largest shift smallest."""
    best: tuple[float, int, list[float]] | None = None
    for rows in range(1, max_rows + 1):
        pos = [0.0] * len(fracs)
        for r in range(rows):
            idx = list(range(r, len(fracs), rows))
            for i, p in zip(idx, spread([fracs[i] for i in idx], w), strict=True):
                pos[i] = p
        shift = max((abs(p - f) for p, f in zip(pos, fracs, strict=True)), default=0.0)
        if best is None or shift < best[0] - 1e-9:
            best = (shift, rows, pos)
        if shift <= 2 * w:
            break
    assert best is not None
    return best[1], best[2]


def _fractions(marks: Sequence[EventMark], x_lo: np.datetime64, x_hi: np.datetime64) -> list[float]:
    a, b = float(date2num(x_lo)), float(date2num(x_hi))
    return [(float(date2num(m.date)) - a) / (b - a) for m in marks]


def number_strip(ax: matplotlib.axes.Axes, marks: Sequence[EventMark], x_lo: np.datetime64, x_hi: np.datetime64,
                 rows: int, pos: Sequence[float]) -> None:
    """The event numbers in a strip of their own above the data, each joined by a thin line to
    its date; where dates crowd (several policies within weeks, as around 2008), the numbers are
    spread apart over up to three rows and the lines slant, so no number hides another or any data."""
    ax.set_axis_off()
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(0.0, 1.0)
    lead = LEAD_IN / (LEAD_IN + rows * STRIP_ROW_IN)  # the leader lines' share of the strip's height
    row_h = (1.0 - lead) / rows
    for i, (m, p, f) in enumerate(zip(marks, pos, _fractions(marks, x_lo, x_hi), strict=True)):
        y = lead + (rows - 1 - i % rows + 0.5) * row_h
        ax.plot([p, p, f], [y, lead * 0.9, 0.0], transform=ax.transAxes, color="#999999", lw=0.5, clip_on=False)
        ax.text(p, y, str(m.number), transform=ax.transAxes, ha="center", va="center", fontsize=6.5,
                color="#333333", bbox={"boxstyle": "round,pad=0.15", "fc": "#fff8dc", "ec": "#999999", "lw": 0.5})


def timeseries(
    panels: Sequence[Panel],
    marks: Sequence[EventMark] = (),
    width: float = 9.0,
    panel_height: float = 2.6,
    span: tuple[np.datetime64, np.datetime64] | None = None,
) -> str:
    """Time-series panels, one above the other, under one strip of numbered event markers;
    returns inline SVG. The panels show the dates as faint dotted lines only.

    ``span`` fixes the x range (the run's first and last day) so that monthly points, which sit on
    the middle of each month, do not hide events dated in the last weeks of the run.
    """
    xs = [x for p in panels for x in [b.x for b in p.bands] + [ln.x for ln in p.lines] if len(x)]
    if span is not None:
        pad = np.timedelta64(max(1, int((span[1] - span[0]).astype(int) // 100)), "D")
        x_lo, x_hi = span[0] - pad, span[1] + pad
    elif xs:
        x_lo = np.datetime64(min(np.min(x) for x in xs), "D")
        x_hi = np.datetime64(max(np.max(x) for x in xs), "D")
    else:
        x_lo = x_hi = None
    inside = sorted((m for m in marks if x_lo is not None and x_lo <= m.date <= x_hi), key=lambda m: m.date)
    rows, pos = layout(_fractions(inside, x_lo, x_hi), _label_width(inside, width)) if inside else (0, [])
    strip_h = rows * STRIP_ROW_IN + LEAD_IN if rows else 0.0
    n = len(panels)
    fig = new_figure(width, panel_height * n + strip_h)
    with matplotlib.rc_context(RC):
        if rows:
            axes = fig.subplots(n + 1, 1, squeeze=False, gridspec_kw={"height_ratios": [strip_h] +
                                                                        [panel_height] * n}).ravel()
            number_strip(axes[0], inside, x_lo, x_hi, rows, pos)
            axes[0].set_title(panels[0].title, loc="left")  # the first title above the numbers, so their
            axes = axes[1:]  # lines run straight down into the data
        else:
            axes = fig.subplots(n, 1, squeeze=False).ravel()
        for ax, p in zip(axes, panels, strict=True):
            for i, b in enumerate(p.bands):
                c = b.color or PALETTE[i % len(PALETTE)]
                ax.fill_between(b.x, b.lo, b.hi, color=c, alpha=0.18, lw=0)
                ax.plot(b.x, b.mid, color=c, lw=1.5, label=b.label)
            for i, ln in enumerate(p.lines):
                c = ln.color or PALETTE[(i + len(p.bands)) % len(PALETTE)]
                ax.plot(ln.x, ln.y, color=c, lw=ln.width, ls=ln.style, alpha=ln.alpha, label=ln.label,
                        marker=ln.marker, markersize=3.5)
            if not (rows and p is panels[0]):
                ax.set_title(p.title, loc="left")
            ax.set_ylabel(p.ylabel)
            if p.logy:
                ax.set_yscale("log")
            if p.percent:  # shares read against the whole: 0 to 100%
                ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
                ax.set_ylim(0.0, 1.0)
            else:
                plain_numbers(ax)
            if x_lo is not None:
                ax.set_xlim(x_lo, x_hi)
            for m in inside:
                ax.axvline(m.date, color="#777777", lw=0.6, ls=":", zorder=0.5)
            if len(p.lines) + len(p.bands) > 1:
                ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.2)
    return to_svg(fig)


def plain_numbers(ax: matplotlib.axes.Axes, axis: str = "y") -> None:
    """Readable ticks (12k, 3.4M) instead of offset/scientific notation."""

    def fmt(v: float, _pos: int) -> str:
        a = abs(v)
        if a >= 1e9:
            return f"{v / 1e9:.3g}bn"
        if a >= 1e6:
            return f"{v / 1e6:.3g}M"
        if a >= 1e4:
            return f"{v / 1e3:.3g}k"
        if a >= 100:
            return f"{v:,.0f}"
        return f"{v:.3g}"

    if axis == "y" and ax.get_yscale() == "linear":
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(fmt))
    if axis == "x" and ax.get_xscale() == "linear":
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(fmt))

