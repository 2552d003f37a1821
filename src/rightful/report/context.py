"""What every section of a run's report shares: the run-view, the plotting choices, the events.

Why a context object: the sections (one module each, ``report/sections``) draw the same run with
the same period lengths, city colours and event markers; computing those once here keeps the
sections short and consistent.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..resample import midpoints, resample
from ..runview import RunView, label
from . import figures as F
from .events import group_events
from .format import figure_html


class Context:
    """The run being reported and how to draw it: stocks daily (runs up to 400 days) or as weekly
    means; flows as rates per week (runs under a year) or per month."""

    def __init__(self, view: RunView) -> None:
        self.v = view
        self.n_days = len(view.dates)
        self.start = view.dates[0] if self.n_days else np.datetime64("2000-01-01")
        self.end = view.dates[-1] if self.n_days else self.start
        self.stock_freq = "D" if self.n_days <= 400 else "W"
        self.flow_freq = "W" if self.n_days < 365 else "M"
        self.flow_unit = "per week" if self.flow_freq == "W" else "per month"
        self.zone_names = view.zones
        self.groups, self.before, self.after = group_events(view.events, self.start, self.end, self.zone_names)
        self.marks = [F.EventMark(g.date, g.number) for g in self.groups]
        self.city_colors = {c: F.PALETTE[(i + 1) % len(F.PALETTE)] for i, c in enumerate(view.cities)}

    def lines(self, name: str, per_city: bool = True, total: bool = True, text: str | None = None,
              color: str | None = None) -> list[F.Line]:
        """Lines for one series: each city thin, all cities thick (resampled for plotting); the
        all-city line is called ``text`` (default: 'all cities', or the series' label when alone)."""
        v = self.v
        if not v.has(name):
            return []
        is_flow = v.rule(name).kind == "flow"
        freq, how = (self.flow_freq, "rate") if is_flow else (self.stock_freq, "mean")
        out = []
        several = per_city and len(v.cities) > 1
        if several:
            x, y = resample(v.dates, v.city(name), freq, how)
            x = midpoints(x, freq)
            for j, c in enumerate(v.cities):
                out.append(F.Line(c, x, y[:, j], self.city_colors[c], width=1.0, alpha=0.9))
        if total:
            x, y = resample(v.dates, v.total(name), freq, how)
            out.append(F.Line(text or ("all cities" if several else label(name)), midpoints(x, freq), y,
                              color or "#111111", width=1.8))
        return out

    def family(self, names: list[str], logy: bool = False) -> list[F.Line]:
        """All-city lines of several series in one panel, each named by its label and coloured apart."""
        out = []
        for i, n in enumerate(names):
            for ln in self.lines(n, per_city=False, color=F.PALETTE[i % len(F.PALETTE)]):
                if logy:  # on a log scale, empty periods are gaps, not cliffs
                    ln.y = np.where(ln.y > 0, ln.y, np.nan)
                out.append(ln)
        return out

    def ts(self, panels: list[Any], caption: str = "", **kw: Any) -> str:
        """A figure of the panels that have something to show, under the run's event markers."""
        panels = [p for p in panels if p.lines or p.bands]
        if not panels:
            return ""
        return figure_html(F.timeseries(panels, self.marks, span=(self.start, self.end), **kw), caption)
