"""Bar charts and histograms for the HTML reports (inline SVG, as ``figures``).

Why apart from ``figures``: these are not time series and carry no event markers; keeping them
here keeps each module to one kind of drawing.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import numpy as np

from .figures import PALETTE, RC, new_figure, plain_numbers, to_svg


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
        if percent:  # shares of a whole: the axis runs from 0 to 100%
            (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(
                matplotlib.ticker.PercentFormatter(1.0)
            )
            (ax.set_xlim if horizontal else ax.set_ylim)(0.0, 1.0)
        else:
            plain_numbers(ax, "x" if horizontal else "y")
        if annotate is not None:
            top = base if stacked else np.zeros(len(categories))
            for p_, t_, a in zip(pos, top, annotate, strict=False):
                if horizontal:
                    ax.text(t_, p_, f" {a}", va="center", ha="left", fontsize=7.5)
                else:
                    ax.text(p_, t_, a, va="bottom", ha="center", fontsize=7.5)
            if horizontal:
                ax.set_xlim(0, max(float(np.max(base)) if len(base) else 1.0, 1e-9) * 1.25)
        # numbers over vertical bars stand above the axes: lift the title clear of them
        ax.set_title(title, loc="left", pad=14 if annotate is not None and not horizontal else 6)
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
        plain_numbers(ax)
    return to_svg(fig)


def weighted_median(v: np.ndarray, w: np.ndarray) -> float:
    """Median of v with weights w (strikes carry the weight of the firms they stand for)."""
    if len(v) == 0:
        return float("nan")
    o = np.argsort(v)
    c = np.cumsum(w[o])
    return float(v[o][np.searchsorted(c, 0.5 * c[-1])])
