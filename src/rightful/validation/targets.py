"""Observed targets for calibration: one row per figure, with how to aggregate the model's daily
series and how likely the observation is given the simulated value.

Why a CSV with a likelihood column: the chapter's figures are heterogeneous (a national count
scaled to the Delta, a stock on a date, a lower bound such as 'at least one large strike a day'),
and their precision differs. Stating the error model per row keeps the objective honest and lets
a reader see and change what the calibration assumes.

Columns: ``series`` (a model series, see ``rightful.processes.series_names()``, or a derived
series in ``DERIVED``), ``date_or_year`` (``YYYY``, ``YYYY-MM-DD`` or a range ``A..B`` of either),
``value`` (in the model's units: counts and yuan for the whole modelled region at scale 1),
``likelihood`` (``normal:SD``, ``normal:P%`` for an SD relative to the value, ``lognormal:SIGMA``,
``poisson``, ``lower:SD`` or ``lower:P%`` for a lower bound: no penalty above the value, a normal one below),
``aggregation`` (``sum`` over the year or day, ``mean`` over the year or day, ``at``: the value on the date, or
on 31 December for a year, ``outcome``: see below) and an optional ``note``. Lines starting with '#' are comments.

A row may also name an outcome expression (``rightful.ensemble.expressions``: SQL over the run's
``daily``, ``total`` and ``strikes`` views) with aggregation ``outcome``: the query is run on the
views restricted to the row's span (days in it; strikes that started in it), e.g. ``large_strikes,
2008, 270, lower:30%, outcome``. Expressions defined on the command line (``--outcome``) or in
Python before the targets are read are known too.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..ensemble import expressions as X
from ..processes import series_names
from ..runview import RunView

LIKELIHOODS = ("normal", "lognormal", "poisson", "lower")
AGGREGATIONS = ("sum", "mean", "at", "outcome")


def strikes_over(n: float) -> Callable[[RunView], np.ndarray]:
    """Daily number of strikes (weighted) starting on the day whose peak exceeds ``n`` workers."""

    def fn(v: RunView) -> np.ndarray:
        st = v.strikes
        out = np.zeros(len(v.dates))
        m = (st["peak"] > n) & (st["start"] >= 0) & (st["start"] < len(v.dates))
        np.add.at(out, st["start"][m], st["weight"][m])
        return out

    return fn


DERIVED: dict[str, Callable[[RunView], np.ndarray]] = {"strikes_over_1000": strikes_over(1000.0)}


def _day(text: str, first: bool) -> dt.date:
    """A date, or a year's first (``first``) or last day."""
    text = text.strip()
    if len(text) == 4:
        return dt.date(int(text), 1, 1) if first else dt.date(int(text), 12, 31)
    return dt.date.fromisoformat(text)


@dataclass(frozen=True)
class Target:
    series: str
    when: str
    value: float
    likelihood: str
    spread: float | None  # SD or sigma; relative to ``value`` when ``relative``
    relative: bool
    aggregation: str
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.series} {self.aggregation} {self.when}"

    def span(self) -> tuple[dt.date, dt.date]:
        """First and last day the target reads."""
        if ".." in self.when:
            a, b = self.when.split("..")
            return _day(a, first=True), _day(b, first=False)
        if len(self.when) == 4:
            y = int(self.when)
            return (dt.date(y, 12, 31), dt.date(y, 12, 31)) if self.aggregation == "at" else \
                (dt.date(y, 1, 1), dt.date(y, 12, 31))
        d = dt.date.fromisoformat(self.when)
        return d, d

    def simulated(self, v: RunView) -> float:
        """The model's value of this target in one run."""
        a, b = self.span()
        i, j = v.day_of(a.isoformat()), v.day_of(b.isoformat())
        if j >= len(v.dates) or v.dates[j] != np.datetime64(b):
            raise ValueError(f"target {self.label}: the run ends {v.dates[-1]}, before {b}")
        if self.aggregation == "outcome":
            return X.evaluate(v, [self.series], (a, b))[self.series]
        s = DERIVED[self.series](v) if self.series in DERIVED else v.series(self.series)
        seg = s[i:j + 1]
        if self.aggregation == "sum":
            return float(np.nansum(seg))
        if self.aggregation == "mean":
            return float(np.nanmean(seg))
        return float(s[j])

    def sd(self) -> float:
        assert self.spread is not None
        return self.spread * abs(self.value) if self.relative else self.spread

    def nll(self, sim: float) -> float:
        """Negative log-likelihood of the observed value given the simulated one (constants that
        do not depend on the simulation are dropped, so values compare across trials only)."""
        obs = self.value
        if self.likelihood == "normal":
            return 0.5 * ((sim - obs) / self.sd()) ** 2
        if self.likelihood == "lower":
            return 0.5 * ((obs - sim) / self.sd()) ** 2 if sim < obs else 0.0
        if self.likelihood == "lognormal":
            floor = 1e-6 * max(abs(obs), 1.0)
            return 0.5 * ((math.log(max(sim, floor)) - math.log(max(obs, floor))) / self.sd()) ** 2
        lam = max(sim, 1e-9)  # poisson
        return lam - obs * math.log(lam) + math.lgamma(obs + 1.0)


def parse_likelihood(text: str, where: str) -> tuple[str, float | None, bool]:
    kind, _, arg = text.strip().partition(":")
    kind = kind.strip().lower()
    if kind not in LIKELIHOODS:
        raise ValueError(f"{where}: likelihood {text!r}; expected one of {', '.join(LIKELIHOODS)} (e.g. normal:20%)")
    if kind == "poisson":
        return kind, None, False
    arg = arg.strip()
    rel = arg.endswith("%")
    try:
        val = float(arg[:-1]) / 100.0 if rel else float(arg)
    except ValueError:
        raise ValueError(f"{where}: likelihood {text!r} needs a positive spread, e.g. {kind}:0.3 or {kind}:20%") \
            from None
    if val <= 0:
        raise ValueError(f"{where}: likelihood {text!r} needs a positive spread")
    return kind, val, rel


def read_targets(path: Path | str) -> list[Target]:
    """Parse and check a targets CSV (see the module docstring); errors name the row."""
    path = Path(path)
    lines = [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.DictReader(lines))
    need = {"series", "date_or_year", "value", "likelihood", "aggregation"}
    if not rows or not need <= set(rows[0]):
        raise ValueError(f"{path}: expected the columns {sorted(need)} (and optionally note)")
    known = set(series_names()) | set(DERIVED)
    out = []
    for i, r in enumerate(rows, start=1):
        where = f"{path.name} row {i}"
        s = r["series"].strip()
        agg = r["aggregation"].strip().lower()
        if agg not in AGGREGATIONS:
            raise ValueError(f"{where}: aggregation {agg!r}; expected one of {', '.join(AGGREGATIONS)}")
        if s not in known and not X.known(s):
            raise ValueError(f"{where}: no series {s!r} (see rightful.processes.series_names(); derived: "
                             f"{', '.join(DERIVED)}; or an outcome expression: {', '.join(X.names())})")
        if (agg == "outcome") != (s not in known):
            raise ValueError(f"{where}: {s!r} is " + ("an outcome expression: its aggregation is 'outcome'"
                             if agg != "outcome" else "a series: aggregation 'outcome' is for outcome expressions"))
        if agg == "outcome" and X.get(s).sql is None:
            raise ValueError(f"{where}: {s!r} is a Python outcome, which cannot be restricted to the row's span; "
                             "write it in SQL")
        when = r["date_or_year"].strip()
        try:
            for part in when.split(".."):
                _day(part, first=True)
        except ValueError:
            raise ValueError(f"{where}: date_or_year {when!r}; expected YYYY, YYYY-MM-DD or a range A..B") from None
        if ".." in when and agg == "at":
            raise ValueError(f"{where}: a range {when!r} needs aggregation sum or mean")
        try:
            value = float(r["value"])
        except ValueError:
            raise ValueError(f"{where}: value {r['value']!r} is not a number") from None
        kind, spread, rel = parse_likelihood(r["likelihood"], where)
        out.append(Target(s, when, value, kind, spread, rel, agg, (r.get("note") or "").strip()))
    return out


def write_targets(path: Path | str, targets: list[Target], header: str = "") -> Path:
    """Write targets in the CSV format ``read_targets`` reads (used for synthetic targets)."""
    path = Path(path)
    with open(path, "w", newline="") as fh:
        for ln in header.splitlines():
            fh.write(f"# {ln}\n")
        w = csv.writer(fh)
        w.writerow(["series", "date_or_year", "value", "likelihood", "aggregation", "note"])
        for t in targets:
            lk = t.likelihood if t.spread is None else \
                f"{t.likelihood}:{t.spread * 100 if t.relative else t.spread:g}{'%' if t.relative else ''}"
            w.writerow([t.series, t.when, repr(t.value), lk, t.aggregation, t.note])
    return path
