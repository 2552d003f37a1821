"""Figures of the sweep report, as inline SVG through the reports' figure helpers.

Why its own module: the sweep's figures (an index heat map, outcome-against-factor scatters, the
PRIM trajectory and box, bands across all runs) are not time series of one run, so they are drawn
here with ``rightful.report.figures.new_figure`` and ``to_svg`` (no pyplot, nothing global), in the
reports' palette and style.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..resample import midpoints, resample


def _F() -> Any:
    from ..report import figures as F

    return F


def num(v: float) -> str:
    """A number for a tick or a label with at most two decimals after a single digit (the SVG
    writer shortens longer decimals to save bytes, which would turn 0.005 into 0.00)."""
    a = abs(v)
    if v == 0:
        return "0"
    if a < 0.1 or a >= 1e6:
        return f"{v:.1e}".replace("e-0", "e-").replace("e+0", "e")
    if a < 10:
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return f"{v:,.0f}" if a >= 100 else f"{v:.1f}".rstrip("0").rstrip(".")


def _plain(ax: Any, which: str = "xy") -> None:
    from matplotlib.ticker import FuncFormatter

    f = FuncFormatter(lambda v, _pos: num(v))
    if "x" in which and ax.get_xscale() == "linear":
        ax.xaxis.set_major_formatter(f)
    if "y" in which and ax.get_yscale() == "linear":
        ax.yaxis.set_major_formatter(f)


def heatmap(indices: dict[str, list[dict[str, Any]]], params: Sequence[str], key: str, relative: bool) -> str:
    """Outcomes x factors: the index ``key`` (relative to each outcome's largest when ``relative``)."""
    F = _F()
    outs = list(indices)
    m = np.zeros((len(outs), len(params)))
    for i, o in enumerate(outs):
        by = {r["param"]: float(r[key]) for r in indices[o]}
        row = np.array([by.get(p, np.nan) for p in params])
        top = np.nanmax(np.abs(row)) if relative and np.isfinite(row).any() else 1.0
        m[i] = row / top if top > 0 else row
    fig = F.new_figure(min(11.0, 2.4 + 0.75 * len(params)), 1.0 + 0.32 * len(outs))
    ax = fig.add_subplot()
    im = ax.imshow(m, aspect="auto", cmap="Blues", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(params)), params, rotation=35, ha="right", fontsize=7)
    ax.set_yticks(range(len(outs)), outs, fontsize=7)
    ax.grid(False)
    for i in range(len(outs)):
        for j in range(len(params)):
            if np.isfinite(m[i, j]):
                ax.text(j, i, f"{m[i, j]:.2f}", ha="center", va="center", fontsize=6,
                        color="white" if m[i, j] > 0.6 else "#222")
    fig.colorbar(im, ax=ax, shrink=0.8, label=f"relative {key}" if relative else key)
    return F.to_svg(fig)


def scatter_row(x: dict[str, np.ndarray], y: np.ndarray, outcome: str, log: Sequence[str] = ()) -> str:
    """One small panel per factor (``log``: those on a log scale): the outcome at each design
    point, and the mean per fifth of the range."""
    from matplotlib.ticker import MaxNLocator, NullFormatter

    F = _F()
    names = list(x)
    cols = min(len(names), 7)
    rows = (len(names) + cols - 1) // cols
    fig = F.new_figure(min(11.0, 1.6 * cols + 0.6), 1.75 * rows)
    axes = fig.subplots(rows, cols, squeeze=False, sharey=True)
    for ax, n in zip(axes.flat, names, strict=False):
        xv, ok = x[n], np.isfinite(y)
        ax.scatter(xv[ok], y[ok], s=7, alpha=0.6, color=F.PALETTE[0], linewidths=0)
        lo, hi = float(np.nanmin(xv)), float(np.nanmax(xv))
        if n in log and lo > 0:
            ax.set_xscale("log")
        if hi > lo and ok.sum() >= 5:
            edges = np.geomspace(lo, hi, 6) if n in log and lo > 0 else np.linspace(lo, hi, 6)
            k = np.clip(np.digitize(xv, edges[1:-1]), 0, 4)
            mids = [(edges[i] + edges[i + 1]) / 2 for i in range(5) if (ok & (k == i)).any()]
            means = [float(np.mean(y[ok & (k == i)])) for i in range(5) if (ok & (k == i)).any()]
            ax.plot(mids, means, color=F.PALETTE[1], linewidth=1.2)
        ax.set_title(n, fontsize=7)
        ax.tick_params(labelsize=6)
        if ax.get_xscale() == "linear":
            ax.xaxis.set_major_locator(MaxNLocator(4))
        else:
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.tick_params(which="both", labelsize=6)
        _plain(ax)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    axes[0][0].set_ylabel(outcome, fontsize=7)
    return F.to_svg(fig)


def prim_box(b: Any, ranges: dict[str, tuple[float, float]], log: Sequence[str] = ()) -> str:
    """Left: coverage against density along the peeling trajectory; right: the box's limits as a
    share of each restricted factor's range in the sweep (in log space for ``log`` factors)."""
    F = _F()
    fig = F.new_figure(9.0, 2.6)
    a1, a2 = fig.subplots(1, 2)
    tr = b.trajectory
    cov = [r["coverage"] for r in tr]
    den = [r["density"] for r in tr]
    sc = a1.scatter(cov, den, c=[r["res_dim"] for r in tr], cmap="viridis", s=12)
    a1.scatter([cov[b.chosen]], [den[b.chosen]], s=90, facecolors="none", edgecolors=F.PALETTE[1], linewidths=1.5)
    a1.set_xlabel("coverage")
    a1.set_ylabel("density")
    a1.set_xlim(0, 1.02)
    a1.set_ylim(0, 1.02)
    fig.colorbar(sc, ax=a1, label="factors restricted")
    names = list(b.limits)
    for i, n in enumerate(names):
        lo, hi = ranges[n]
        t = np.log if n in log and lo > 0 else (lambda v: v)
        w = t(hi) - t(lo) if hi > lo else 1.0
        blo, bhi = (t(b.limits[n][0]) - t(lo)) / w, (t(b.limits[n][1]) - t(lo)) / w
        a2.plot([0, 1], [i, i], color="#ccc", linewidth=6, solid_capstyle="butt")
        a2.plot([blo, bhi], [i, i], color=F.PALETTE[0], linewidth=6, solid_capstyle="butt")
        a2.text(blo, i + 0.28, num(b.limits[n][0]), fontsize=6, ha="center")
        a2.text(bhi, i + 0.28, num(b.limits[n][1]), fontsize=6, ha="center")
    a2.set_yticks(range(len(names)), names, fontsize=7)
    a2.set_xlim(-0.05, 1.05)
    a2.set_ylim(-0.7, max(len(names) - 0.3, 0.7))
    a2.set_xlabel("share of the sweep's range")
    a2.grid(False)
    return F.to_svg(fig)


def bands(dates: np.ndarray, b: dict[str, dict[str, np.ndarray]]) -> str:
    """One small panel per series: median and 10-90% across all the sweep's runs (weekly means of
    the daily quantiles for long runs)."""
    from ..runview import label, rule

    F = _F()
    names = list(b)
    cols = 2
    rows = (len(names) + 1) // cols
    fig = F.new_figure(9.0, 2.0 * rows)
    axes = fig.subplots(rows, cols, squeeze=False)
    d = np.asarray(dates).astype("datetime64[D]")
    freq = "W" if len(d) > 600 else "D"
    for ax, n in zip(axes.flat, names, strict=False):
        q = b[n]
        xs, lo = resample(d, np.asarray(q["q10"], dtype=float), freq, "mean")
        _, mid = resample(d, np.asarray(q["q50"], dtype=float), freq, "mean")
        _, hi = resample(d, np.asarray(q["q90"], dtype=float), freq, "mean")
        xs = midpoints(xs, freq).astype("datetime64[D]").astype(object)
        ax.fill_between(xs, lo, hi, color=F.PALETTE[0], alpha=0.25, linewidth=0)
        ax.plot(xs, mid, color=F.PALETTE[0], linewidth=1.0)
        ax.set_title(f"{label(n)} ({'per day' if rule(n).kind == 'flow' else 'stock'})", fontsize=8)
        ax.tick_params(labelsize=6)
        _plain(ax, "y")
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    return F.to_svg(fig)
