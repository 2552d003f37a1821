"""Real dates with daily ticks, and the cadences on which processes run.

Why: the study is dated (a 610-yuan minimum wage from 2004-07-01, the Labour Contract Law on
2008-01-01, back-pay campaigns each Chinese New Year), so the engine counts real days, and each
process declares how often it must run so that nothing touches every agent every day unless the
mechanism needs it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

# Chinese New Year (Spring Festival) dates; the back-pay campaigns and the annual return home key
# on them (chapter: "campaigns to clear migrants' back pay launched annually on Chinese New
# Year's Eve").
CHINESE_NEW_YEAR = {
    1996: "1996-02-19", 1997: "1997-02-07", 1998: "1998-01-28", 1999: "1999-02-16", 2000: "2000-02-05",
    2001: "2001-01-24", 2002: "2002-02-12", 2003: "2003-02-01", 2004: "2004-01-22", 2005: "2005-02-09",
    2006: "2006-01-29", 2007: "2007-02-18", 2008: "2008-02-07", 2009: "2009-01-26",
    2010: "2010-02-14", 2011: "2011-02-03", 2012: "2012-01-23", 2013: "2013-02-10",
    2014: "2014-01-31", 2015: "2015-02-19", 2016: "2016-02-08",
}


@dataclass(frozen=True)
class Calendar:
    """Day 0 is ``start``; ``n_days`` ticks up to and including ``end``."""

    start: dt.date
    end: dt.date

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)

    def day(self, date: dt.date) -> int:
        return (date - self.start).days

    def dates(self) -> np.ndarray:
        return np.arange(np.datetime64(self.start), np.datetime64(self.end) + 1, dtype="datetime64[D]")

    def day_of_month(self) -> np.ndarray:
        d = self.dates()
        return (d - d.astype("datetime64[M]")).astype(np.int64) + 1

    def weekday(self) -> np.ndarray:
        """0 = Monday."""
        return ((self.dates().astype(np.int64) + 3) % 7).astype(np.int8)

    def days_to_new_year(self) -> np.ndarray:
        """Days until the next Chinese New Year (0 on the day), int16, for every tick."""
        cny = np.array(sorted(np.datetime64(v) for v in CHINESE_NEW_YEAR.values()))
        d = self.dates()
        idx = np.searchsorted(cny, d)
        if idx.max() >= len(cny):
            raise ValueError("calendar runs beyond the Chinese New Year table (2016)")
        return (cny[idx] - d).astype(np.int64).astype(np.int16)

    def days_since_new_year(self) -> np.ndarray:
        """Days since the last Chinese New Year (0 on the day), for every tick."""
        cny = np.array(sorted(np.datetime64(v) for v in CHINESE_NEW_YEAR.values()))
        d = self.dates()
        idx = np.searchsorted(cny, d, side="right") - 1
        if idx.min() < 0:
            raise ValueError("calendar starts before the Chinese New Year table (1996)")
        return (d - cny[idx]).astype(np.int64)

    def new_year_days(self) -> np.ndarray:
        return np.flatnonzero(self.days_to_new_year() == 0)


@dataclass(frozen=True)
class Cadence:
    """When a process runs: ``daily``, ``weekly`` (Mondays), ``monthly`` (first of month), or
    ``every N`` days. Firm pay days are handled inside payroll (each firm has its own)."""

    kind: str = "daily"
    every: int = 1

    def mask(self, cal: Calendar) -> np.ndarray:
        n = cal.n_days
        if self.kind == "daily":
            return np.ones(n, dtype=bool)
        if self.kind == "weekly":
            return cal.weekday() == 0
        if self.kind == "monthly":
            return cal.day_of_month() == 1
        if self.kind == "every":
            return (np.arange(n) % max(1, self.every)) == 0
        raise ValueError(f"unknown cadence {self.kind!r}")

    def __str__(self) -> str:
        return f"every {self.every} days" if self.kind == "every" else self.kind


DAILY = Cadence("daily")
WEEKLY = Cadence("weekly")
MONTHLY = Cadence("monthly")
