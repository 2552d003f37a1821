"""The strike log of a run, as arrays with its codes decoded in one place; code names in words.

Why its own module: the strike log comes from memory (integer codes, day indices) or from
strikes.parquet (names, dates); both are brought here to one form (codes as int64, days from the
run's first day), and the names and words for people are looked up here and nowhere else. The
run-view (``rightful.runview``) holds one ``Strikes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .population.codes import MGMT, OFFICIAL, OUTCOMES, PRESS
from .population.schema import CAUSES

__all__ = ["Strikes", "CODES", "STRIKE_FIELDS", "WORDS", "words", "empty"]

# integer codes of the strike log and their names (population.codes, population.schema)
CODES: dict[str, tuple[str, ...]] = {"official": OFFICIAL, "management": MGMT, "outcome": OUTCOMES, "cause": CAUSES,
                                     "press": PRESS}
# strike columns as stored in strikes.parquet, where the name there differs from the view's
_ON_DISK = {"peak": "peak_size", "official": "official_response", "management": "management_response"}
_FLOAT = ("peak", "workers_weighted", "wage_change", "ot_change", "weight")
_BOOL = ("escalated", "covered", "organised")
STRIKE_FIELDS = ("strike", "firm", "zone", "city", "start", "end", "days", "peak", "workers_weighted", "escalated",
                 "covered", "press", "organised", "official", "management", "outcome", "wage_change", "ot_change",
                 "cause", "weight")

# code names in words, for people (legends, tables, the terminal)
WORDS = {
    "partly_won": "partly won", "partly_concede": "conceded in part", "concede": "conceded",
    "fire_leaders": "fired the leaders", "call_police": "called the police", "ignore": "ignored",
    "repress": "repressed", "negotiate": "negotiated",
    "force_and_negotiate": "forced back, and negotiated", "outspoken": "an outspoken outlet, then the local papers",
    "local": "the local papers", "wage_news": "news of higher wages",
    "arrears_new_year": "arrears before the New Year", "rejected_complaints": "complaints rejected",
    "contagion": "contagion from another strike", "domestic_private": "domestic private",
    "in_dispute": "in a dispute", "gone_home": "gone home", "seeking": "out of work", "striking": "on strike",
}


def words(code: str) -> str:
    """A code name as people read it: ``partly_won`` -> ``partly won``."""
    c = str(code)
    return WORDS.get(c, c.replace("_", " "))


class Strikes:
    """The strike log: one row per strike, as arrays. Codes are int64 (``CODES``), ``zone`` and
    ``city`` index the run's zones and cities, ``start``/``end`` are day indices from the run's
    first day; ``st["weight"]`` and ``st.weight`` are the same array."""

    def __init__(self, cols: dict[str, np.ndarray], d0: np.datetime64, zones: Sequence[str],
                 cities: Sequence[str]) -> None:
        self.cols = cols
        self.d0 = np.datetime64(d0, "D")
        self.zones = list(zones)
        self.cities = list(cities)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.cols[key]

    def __getattr__(self, key: str) -> np.ndarray:
        cols = self.__dict__.get("cols", {})
        if key in cols:
            return cols[key]
        raise AttributeError(key)

    def __contains__(self, key: object) -> bool:
        return key in self.cols

    def __len__(self) -> int:
        return len(self.cols["start"])

    def names(self, field: str) -> np.ndarray:
        """The codes of ``field`` decoded to names (``outcome`` -> 'won', ``zone`` -> the zone's name)."""
        table = {"zone": self.zones, "city": self.cities}.get(field) or CODES[field]
        return np.array(table, dtype=object)[self.cols[field]] if len(self) else np.array([], dtype=object)

    def dates(self, field: str = "start") -> np.ndarray:
        return self.d0 + self.cols[field].astype("timedelta64[D]")

    @classmethod
    def of_log(cls, lg: dict[str, np.ndarray], d0: Any, zones: Sequence[str], cities: Sequence[str]) -> Strikes:
        """From the in-memory strike log of a ``RunResult``."""
        cols = {"days": (lg["end"] - lg["start"] + 1)}
        for k in STRIKE_FIELDS:
            src = cols.get(k, lg.get(k))
            if src is not None:
                cols[k] = _typed(k, np.asarray(src))
        return cls(cols, d0, zones, cities)

    @classmethod
    def of_table(cls, t: Any, d0: Any, zones: Sequence[str], cities: Sequence[str]) -> Strikes:
        """From ``strikes.parquet`` (a pyarrow table): names encoded back to codes, dates to days."""
        raw = {c: t.column(c).to_numpy(zero_copy_only=False) for c in t.column_names}
        d0 = np.datetime64(d0, "D")
        zones, cities = list(zones), list(cities)
        for k, names in (("zone", zones), ("city", cities)):  # names met in the file but not in run.json
            names += sorted(set(raw.get(k, np.array([], dtype=object)).tolist()) - set(names))
        cols: dict[str, np.ndarray] = {}
        for k in STRIKE_FIELDS:
            v = raw.get(_ON_DISK.get(k, k))
            if v is None:
                continue
            if k in ("start", "end"):
                v = (v.astype("datetime64[D]") - d0).astype(np.int64)
            elif k in CODES or k in ("zone", "city"):
                lut = {n: i for i, n in enumerate(CODES.get(k) or (zones if k == "zone" else cities))}
                v = np.array([lut[x] for x in v.tolist()], dtype=np.int64)
            cols[k] = _typed(k, v)
        return cls(cols, d0, zones, cities)

    def frame(self) -> Any:
        """A pandas DataFrame, one row per strike, codes as names and days as dates."""
        import pandas as pd

        out: dict[str, Any] = {}
        for k in STRIKE_FIELDS:
            if k not in self.cols:
                continue
            if k in ("start", "end"):
                out[k] = pd.to_datetime(self.dates(k))
            elif k in CODES or k in ("zone", "city"):
                out[k] = self.names(k).astype(str)
            else:
                out[k] = self.cols[k]
        return pd.DataFrame(out)


def _typed(k: str, v: np.ndarray) -> np.ndarray:
    if k in _FLOAT:
        return v.astype(np.float64)
    if k in _BOOL:
        return v.astype(bool)
    return v.astype(np.int64)


def empty(d0: Any, zones: Sequence[str], cities: Sequence[str]) -> Strikes:
    """A strike log without strikes (a run folder that has no strikes.parquet)."""
    return Strikes({k: np.array([], dtype=np.float64 if k in _FLOAT else np.int64) for k in STRIKE_FIELDS},
                   d0, zones, cities)
