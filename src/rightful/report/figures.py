"""Matplotlib figures rendered to inline SVG for the HTML reports.

Why a module of its own: the single-run report and the comparison / ensemble reports draw the same
kinds of time series with the same dated-event markers, and only this module touches matplotlib, so
the rest of the package never pays for importing it. Figures are built with ``matplotlib.figure.Figure``
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
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

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


def mark_events(
    ax: matplotlib.axes.Axes, marks: Sequence[EventMark], x_lo: np.datetime64, x_hi: np.datetime64
) -> None:
    """Dotted vertical lines at event dates, numbered at the top of the axes.

    Why numbers and not labels: several policies often land on the same day or within weeks of
    each other, so labels would overlap into an unreadable smear; the numbers refer to the event
    table under the plots. Numbers that would touch are staggered over three heights.
    """
    if not marks:
        return
    span = max(float((x_hi - x_lo).astype("timedelta64[D]").astype(float)), 1.0)
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    last_x = [-1e9, -1e9, -1e9]
    for mk in marks:
        if mk.date < x_lo or mk.date > x_hi:
            continue
        frac = float((mk.date - x_lo).astype("timedelta64[D]").astype(float)) / span
        level = next((i for i in range(3) if frac - last_x[i] > 0.025), int(np.argmin(last_x)))
        last_x[level] = frac
        ax.axvline(mk.date, color="#555555", lw=0.7, ls=":", zorder=0.5)
        ax.text(
            mk.date,
            0.985 - 0.085 * level,
            str(mk.number),
            transform=trans,
            ha="center",
            va="top",
            fontsize=6.5,
            color="#333333",
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "fc": "#fff8dc", "ec": "#999999", "lw": 0.5},
        )


def timeseries(
    panels: Sequence[Panel],
    marks: Sequence[EventMark] = (),
    width: float = 9.0,
    panel_height: float = 2.6,
    ncols: int = 1,
    span: tuple[np.datetime64, np.datetime64] | None = None,
) -> str:
    """Time-series panels sharing the dated-event markers; returns inline SVG.

    ``span`` fixes the x range (the run's first and last day) so that monthly points, which sit on
    the first of each month, do not hide events dated in the last weeks of the run.
    """
    nrows = int(np.ceil(len(panels) / ncols))
    fig = new_figure(width, panel_height * nrows)
    with matplotlib.rc_context(RC):
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, p in zip(axes, panels, strict=False):
            xs: list[np.ndarray] = []
            for i, b in enumerate(p.bands):
                c = b.color or PALETTE[i % len(PALETTE)]
                ax.fill_between(b.x, b.lo, b.hi, color=c, alpha=0.18, lw=0)
                ax.plot(b.x, b.mid, color=c, lw=1.5, label=b.label)
                xs.append(b.x)
            for i, ln in enumerate(p.lines):
                c = ln.color or PALETTE[(i + len(p.bands)) % len(PALETTE)]
                ax.plot(
                    ln.x,
                    ln.y,
                    color=c,
                    lw=ln.width,
                    ls=ln.style,
                    alpha=ln.alpha,
                    label=ln.label,
                    marker=ln.marker,
                    markersize=3.5,
                )
                xs.append(ln.x)
            ax.set_title(p.title, loc="left")
            ax.set_ylabel(p.ylabel)
            if p.logy:
                ax.set_yscale("log")
            if p.percent:
                ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
                ys = [ln.y for ln in p.lines] + [b.hi for b in p.bands]
                top = max((float(np.nanmax(y)) for y in ys if np.any(np.isfinite(y))), default=1.0)
                ax.set_ylim(0.0, max(top * 1.05, 0.05))  # shares read against zero, not a zoomed band
            else:
                _plain_numbers(ax)
            ax.margins(x=0.01)
            if span is not None:
                pad = np.timedelta64(max(1, int((span[1] - span[0]).astype(int) // 100)), "D")
                ax.set_xlim(span[0] - pad, span[1] + pad)
                mark_events(ax, marks, span[0], span[1])
            elif xs and any(len(x) for x in xs):
                lo = min(np.min(x) for x in xs if len(x))
                hi = max(np.max(x) for x in xs if len(x))
                mark_events(ax, marks, np.datetime64(lo, "D"), np.datetime64(hi, "D"))
            # room at the top for the event numbers
            y0, y1 = ax.get_ylim()
            if not p.logy and marks:
                ax.set_ylim(y0, y1 + 0.22 * (y1 - y0))
            elif marks and y0 > 0:
                ax.set_ylim(y0, y1 * (y1 / y0) ** 0.25)
            if len(p.lines) + len(p.bands) > 1:
                ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.2)
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
    return to_svg(fig)


def _plain_numbers(ax: matplotlib.axes.Axes, axis: str = "y") -> None:
    """Readable ticks (12k, 3.4M) instead of offset/scientific notation."""

    def fmt(v: float, _pos: int) -> str:
        a = abs(v)
        if a >= 1e9:
            return f"{v / 1e9:.3g}G"
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


def bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    title: str,
    ylabel: str = "",
    stacked: bool = True,
    horizontal: bool = False,
    percent: bool = False,
    annotate: Sequence[str] | None = None,
    width: float = 9.0,
    height: float = 3.0,
    colors: dict[str, str] | None = None,
) -> str:
    """Grouped or stacked bars (outcomes per year, CPU per process); returns inline SVG."""
    fig = new_figure(width, height)
    with matplotlib.rc_context(RC):
        ax = fig.subplots()
        pos = np.arange(len(categories), dtype=float)
        base = np.zeros(len(categories))
        k = len(series)
        for i, (name, vals) in enumerate(series.items()):
            v = np.asarray(vals, dtype=float)
            c = (colors or {}).get(name, PALETTE[i % len(PALETTE)])
            if stacked:
                p, w, off = pos, 0.7, base.copy()
            else:
                w = 0.8 / k
                p, off = pos - 0.4 + w * (i + 0.5), np.zeros(len(categories))
            if horizontal:
                ax.barh(p, v, height=w, left=off, color=c, label=name)
            else:
                ax.bar(p, v, width=w, bottom=off, color=c, label=name)
            base = base + v
        if horizontal:
            ax.set_yticks(pos, list(categories))
            ax.invert_yaxis()
            ax.set_xlabel(ylabel)
            ax.grid(axis="y", visible=False)
        else:
            ax.set_xticks(pos, list(categories))
            ax.set_ylabel(ylabel)
            ax.grid(axis="x", visible=False)
        if percent:
            (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(
                matplotlib.ticker.PercentFormatter(1.0)
            )
        else:
            _plain_numbers(ax, "x" if horizontal else "y")
        if annotate is not None:
            top = base if stacked else np.zeros(len(categories))
            for p_, t_, a in zip(pos, top, annotate, strict=False):
                if horizontal:
                    ax.text(t_, p_, f" {a}", va="center", ha="left", fontsize=7.5)
                else:
                    ax.text(p_, t_, a, va="bottom", ha="center", fontsize=7.5)
            if horizontal:
                ax.set_xlim(0, max(float(np.max(base)) if len(base) else 1.0, 1e-9) * 1.25)
        ax.set_title(title, loc="left")
        if len(series) > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return to_svg(fig)


def histogram(
    values: np.ndarray,
    weights: np.ndarray | None,
    title: str,
    xlabel: str,
    ylabel: str,
    log_bins: bool = False,
    integer_bins: bool = False,
    width: float = 4.4,
    height: float = 2.8,
) -> str:
    """A weighted histogram with the weighted median marked; returns inline SVG."""
    fig = new_figure(width, height)
    v = np.asarray(values, dtype=float)
    w = np.ones_like(v) if weights is None else np.asarray(weights, dtype=float)
    with matplotlib.rc_context(RC):
        ax = fig.subplots()
        if len(v):
            if log_bins and v.min() > 0:
                bins = np.logspace(np.log10(v.min()), np.log10(v.max() * 1.001), 25)
                ax.set_xscale("log")
                ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
                ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: f"{v:g}"))
                ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            elif integer_bins:
                top = int(np.ceil(np.quantile(v, 0.99)))
                bins = np.arange(0.5, max(top, 1) + 1.5, 1.0)
                v = np.minimum(v, top)  # the last bar gathers the longest 1%
                ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
            else:
                bins = 25
            ax.hist(v, bins=bins, weights=w, color=PALETTE[0], alpha=0.85)
            med = weighted_median(np.asarray(values, dtype=float), w)
            ax.axvline(med, color=PALETTE[1], lw=1.2, ls="--", label=f"median {med:.3g}")
            ax.legend(loc="upper right")
        ax.set_title(title, loc="left")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        _plain_numbers(ax)
    return to_svg(fig)


def weighted_median(v: np.ndarray, w: np.ndarray) -> float:
    """Median of v with weights w (strikes carry the weight of the firms they stand for)."""
    if len(v) == 0:
        return float("nan")
    o = np.argsort(v)
    c = np.cumsum(w[o])
    return float(v[o][np.searchsorted(c, 0.5 * c[-1])])
