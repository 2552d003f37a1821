"""The strikes section of a run's report: counts over time, sizes and durations, how often they
escalated or drew the press, how they ended, by city, and what lit them and how they were met."""

from __future__ import annotations

import numpy as np

from ...population.codes import O_LOST, O_ONGOING, O_PARTIAL, O_WON, OUTCOMES
from ...resample import midpoints, resample
from ...runview import CODES, S, Strikes, words
from .. import charts
from .. import figures as F
from ..context import Context
from ..format import figure_html, number, percent, table_html
from .series import title

OUTCOME_ORDER = (O_WON, O_PARTIAL, O_LOST, O_ONGOING)
OUTCOME_COLORS = {O_WON: "#2ca02c", O_PARTIAL: "#ffbf00", O_LOST: "#d62728", O_ONGOING: "#7f7f7f"}
TABLES = (("cause", "What lit the strike"), ("official", "Official response"), ("management", "Management response"))


def section(ctx: Context) -> str:
    v = ctx.v
    out = ['<h2 id="strikes">Strikes</h2>']
    out.append(ctx.ts([F.Panel(title(S.strikes_started, ctx), "strikes", ctx.lines(S.strikes_started)),
                       F.Panel(f"{title(S.strikers)} ({'weekly mean' if ctx.stock_freq == 'W' else 'daily'})",
                               "strikers", ctx.lines(S.strikers))],
                      "Counts weighted to the size of the region."))
    if not v.has_strikes():
        out.append('<p class="warn">strikes.parquet is missing: no per-strike figures.</p>')
        return "\n".join(out)
    st = v.strikes
    if len(st) == 0:
        out.append('<p class="note">No strike in this run.</p>')
        return "\n".join(out)
    w = st.weight
    grid = [charts.histogram(st.peak, w, "Strike size (peak strikers)", "peak strikers (log scale)",
                             "strikes (weighted)", log_bins=True),
            charts.histogram(st.days.astype(float), w, "Strike duration", "days", "strikes (weighted)",
                             integer_bins=True)]
    out.append('<div class="grid">' + "".join(figure_html(g) for g in grid) + "</div>")
    out.append(shares_over_time(ctx, st))
    out.append(outcomes_by_year(st))
    out.append(by_city(v.cities, st))
    out.append('<div class="grid">' + "".join(breakdown(st, f, t) for f, t in TABLES if f in st) + "</div>")
    return "\n".join(out)


def shares_over_time(ctx: Context, st: Strikes) -> str:
    """Weighted shares of the strikes started each quarter (or month) that escalated / were covered."""
    freq = "Q" if ctx.n_days >= 365 else "M"
    start, w = st.dates(), st.weight
    lines = []
    for i, (flag, text) in enumerate(((st.escalated, "escalated to the street"), (st.covered, "covered by the press"))):
        x, num = resample(start, w * flag, freq, "sum")
        _, den = resample(start, w, freq, "sum")
        with np.errstate(invalid="ignore", divide="ignore"):
            lines.append(F.Line(text, midpoints(x, freq), num / den, F.PALETTE[i], width=1.6, marker="o"))
    period = "quarter" if freq == "Q" else "month"
    return ctx.ts([F.Panel(f"Share of strikes escalated / covered (by {period} of start)", "share of strikes",
                           lines, percent=True)], panel_height=2.8)


def outcomes_by_year(st: Strikes) -> str:
    yrs = st.dates().astype("datetime64[Y]").astype(int) + 1970
    uy = sorted(set(yrs.tolist()))
    w = st.weight
    present = [o for o in OUTCOME_ORDER if (st.outcome == o).any()]
    shares: dict[str, list[float]] = {words(OUTCOMES[o]): [] for o in present}
    totals = []
    for y in uy:
        m = yrs == y
        tot = w[m].sum()
        totals.append(tot)
        for o in present:
            shares[words(OUTCOMES[o])].append(w[m & (st.outcome == o)].sum() / tot if tot else 0.0)
    colors = {words(OUTCOMES[o]): c for o, c in OUTCOME_COLORS.items()}
    return figure_html(charts.bars([str(y) for y in uy], shares, "Strike outcomes by year of start", "share of strikes",
                                   percent=True, annotate=[number(t, count=True) for t in totals], colors=colors,
                                   height=2.8),
                       "Numbers above the bars: strikes started that year (weighted to the region).")


def by_city(cities: list[str], st: Strikes) -> str:
    w = st.weight
    rows = []
    for i, c in enumerate(cities):
        m = st.city == i
        if not m.any():
            continue
        rows.append((c, int(m.sum()), number(w[m].sum(), count=True),
                     number(charts.weighted_median(st.days[m].astype(float), w[m])),
                     number(charts.weighted_median(st.peak[m], w[m]), count=True),
                     *(percent(np.average(flag[m], weights=w[m])) for flag in (st.escalated, st.covered)),
                     *(percent(w[m & (st.outcome == o)].sum() / w[m].sum()) for o in (O_WON, O_PARTIAL, O_LOST))))
    head = ["city", "simulated strikes", "strikes (weighted)", "median days", "median peak size", "escalated",
            "covered", "won", "partly won", "lost"]
    return "<h3>Strikes by city</h3>" + table_html(head, rows)


def breakdown(st: Strikes, field: str, heading: str) -> str:
    """Weighted strikes by one coded column, largest first, codes in words."""
    w, codes = st.weight, st[field]
    rows = sorted(((words(CODES[field][k]), w[codes == k].sum(), w[codes == k].sum() / w.sum())
                   for k in np.unique(codes)), key=lambda t: -t[1])
    rows = [(a, number(b, count=True), percent(c)) for a, b, c in rows]
    return f"<div><h3>{heading}</h3>" + table_html([heading.lower(), "strikes (weighted)", "share"], rows) + "</div>"
