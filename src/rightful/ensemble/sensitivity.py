"""Sensitivity of named outcomes to the scenario's uncertainties: Morris screening, Sobol indices.

Why these two: Morris (elementary effects; mu* = mean absolute effect, sigma = its spread, i.e.
interactions or non-linearity) ranks many parameters in few runs, to find the ones worth a
closer look; Sobol first-order (S1) and total (ST) indices apportion the outcome's variance among
them. Both are computed by SALib on the unit-cube design (``designs.py``); with several seeds
per point the outcome is the mean over the (common) seeds, so the indices measure the parameters,
not the noise of one draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .designs import Design


def point_means(design: Design, values: Sequence[Sequence[float]], allow_nan: bool = False) -> np.ndarray:
    """Mean outcome per design point from ``values[point]`` = outcomes of its seeds. A point with no
    run raises; an outcome undefined (NaN) in a run gives NaN there when ``allow_nan``."""
    if any(len(v) == 0 for v in values):
        missing = sum(len(v) == 0 for v in values)
        raise ValueError(f"{missing} design point(s) have no completed run: re-run the sweep to resume")
    y = np.array([np.mean(v) for v in values], dtype=np.float64)
    if np.isnan(y).any() and not allow_nan:
        raise ValueError(f"the outcome is undefined (NaN) at {int(np.isnan(y).sum())} design point(s)")
    if len(y) != len(design.unit):
        raise ValueError("one outcome per design point expected")
    return y


def morris(design: Design, y: np.ndarray) -> list[dict[str, Any]]:
    """mu, mu*, sigma and the confidence of mu* per parameter, sorted by mu* (largest first)."""
    import warnings

    from SALib.analyze import morris as morris_analyze

    with warnings.catch_warnings():  # one trajectory has no spread: sigma is NaN, reported as 0
        warnings.simplefilter("ignore", RuntimeWarning)
        res = morris_analyze.analyze(design.problem(), design.unit, y, num_levels=design.levels or 4,
                                     print_to_console=False, seed=0)
    rows = [{"param": n, "mu": float(res["mu"][i]), "mu_star": float(res["mu_star"][i]),
             "sigma": float(np.nan_to_num(res["sigma"][i])),
             "mu_star_conf": float(np.nan_to_num(res["mu_star_conf"][i]))}
            for i, n in enumerate(design.names)]
    return sorted(rows, key=lambda r: -r["mu_star"])


def sobol(design: Design, y: np.ndarray) -> list[dict[str, Any]]:
    """S1 and ST (with confidence) per parameter, sorted by ST. A constant outcome has no
    variance to apportion: every index is 0."""
    if not np.var(y) > 0:
        rows = [{"param": n, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0} for n in design.names]
        return rows
    from SALib.analyze import sobol as sobol_analyze

    res = sobol_analyze.analyze(design.problem(), y, calc_second_order=False, print_to_console=False,
                                seed=0)
    rows = [{"param": n, "S1": float(res["S1"][i]), "S1_conf": float(np.nan_to_num(res["S1_conf"][i])),
             "ST": float(res["ST"][i]), "ST_conf": float(np.nan_to_num(res["ST_conf"][i]))}
            for i, n in enumerate(design.names)]
    return sorted(rows, key=lambda r: -r["ST"])


def analyse(design: Design, y: np.ndarray) -> list[dict[str, Any]]:
    if design.kind == "morris":
        return morris(design, y)
    if design.kind == "sobol":
        return sobol(design, y)
    raise ValueError(f"no sensitivity analysis for a {design.kind} design (use morris or sobol)")


def table(rows: list[dict[str, Any]], title: str) -> Any:
    """A rich table of the indices."""
    from rich.table import Table

    t = Table(title=title)
    if not rows:
        return t
    for c in rows[0]:
        t.add_column(c, justify="left" if c == "param" else "right")
    for r in rows:
        t.add_row(*(v if isinstance(v, str) else f"{v:.4g}" for v in r.values()))
    return t


def plot(kind: str, results: dict[str, list[dict[str, Any]]], path: Path) -> Path:
    """One panel per outcome: mu* against sigma (Morris) or S1 and ST bars (Sobol)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = max(1, len(results))
    cols = min(3, n)
    rows_ = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows_, cols, figsize=(4.8 * cols, 3.8 * rows_), squeeze=False)
    for ax, (outcome, rows) in zip(axes.flat, results.items(), strict=False):
        names = [r["param"] for r in rows]
        if kind == "morris":
            x = [r["mu_star"] for r in rows]
            s = [r["sigma"] for r in rows]
            ax.scatter(x, s)
            for xi, si, nm in zip(x, s, names, strict=True):
                ax.annotate(nm, (xi, si), fontsize=7, xytext=(3, 3), textcoords="offset points")
            ax.set_xlabel("mu* (mean |elementary effect|)")
            ax.set_ylabel("sigma")
        else:
            pos = np.arange(len(rows))
            ax.bar(pos - 0.2, [r["S1"] for r in rows], 0.4, yerr=[r["S1_conf"] for r in rows], label="S1")
            ax.bar(pos + 0.2, [r["ST"] for r in rows], 0.4, yerr=[r["ST_conf"] for r in rows], label="ST")
            ax.set_xticks(pos, names, rotation=30, ha="right", fontsize=7)
            ax.set_ylabel("index")
            ax.legend(fontsize=7)
        ax.set_title(outcome, fontsize=9)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
