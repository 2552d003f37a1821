"""DuckDB views of one run (``daily``, ``total``, ``strikes``) for the SQL of named outcomes.

Why a connection per run, in memory, with external access off: an outcome's query must see one run
and nothing else, the same tables whether the run is a folder (its Parquet files, read with
pyarrow) or a result still in memory (its arrays, laid out as the files would be), and it must
not reach the file system, since the text may come from a command line or a web page. Floating
columns are float64 on both paths, so a sum is the same number from disk and from memory.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

Span = tuple[dt.date, dt.date]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _strikes_arrow(st: Any) -> pa.Table:
    """A view's strike log in the layout of strikes.parquet (codes as names, days as dates)."""
    from ..strikelog import _ON_DISK, CODES, STRIKE_FIELDS

    cols: dict[str, Any] = {}
    for k in STRIKE_FIELDS:
        if k not in st:
            continue
        if k in ("start", "end"):
            v: Any = pa.array(st.dates(k).astype("datetime64[D]"), pa.date32())
        elif k in CODES or k in ("zone", "city"):
            table = CODES.get(k) or (st.zones if k == "zone" else st.cities)
            v = pa.array([str(table[i]) for i in np.asarray(st[k]).tolist()], pa.string())
        else:
            v = pa.array(np.asarray(st[k]))
        cols[_ON_DISK.get(k, k)] = v
    return pa.table(cols)


def _daily_arrow(view: Any) -> pa.Table:
    """A view's daily series per city in the layout of daily.parquet."""
    n_d, n_c = len(view.dates), len(view.cities)
    cols: dict[str, Any] = {"date": pa.array(np.repeat(view.dates, n_c).astype("datetime64[D]"), pa.date32()),
                            "city": pa.array(np.tile(np.array(view.cities, dtype=object), n_d), pa.string())}
    for n in view.names:
        cols[n] = pa.array(view.city(n).reshape(-1))
    return pa.table(cols)


class Session:
    """One DuckDB connection holding the views of one run (optionally restricted to a span:
    ``daily`` and ``total`` to its days, ``strikes`` to those starting in it)."""

    def __init__(self, view: Any, span: Span | None = None) -> None:
        import duckdb
        import pyarrow.parquet as pq

        path = getattr(view, "path", None)
        if path is not None and (Path(path) / "daily.parquet").is_file():
            daily = pq.read_table(Path(path) / "daily.parquet")
            sp = Path(path) / "strikes.parquet"
            strikes = _float64(pq.read_table(sp)) if sp.is_file() else _strikes_arrow(view.strikes)
        else:
            daily, strikes = _daily_arrow(view), _strikes_arrow(view.strikes)
        self.con = duckdb.connect(config={"threads": 1, "enable_external_access": False})
        self.con.register("_daily", daily)
        self.con.register("_strikes", strikes)
        rid = _lit(getattr(view, "run_id", "") or getattr(view, "label", ""))
        dw = sw = ""
        if span is not None:
            a, b = (_lit(d.isoformat()) for d in span)
            dw = f" WHERE date BETWEEN DATE {a} AND DATE {b}"
            sw = f' WHERE "start" BETWEEN DATE {a} AND DATE {b}'
        self.con.execute(f"CREATE VIEW daily AS SELECT {rid} AS run_id, * FROM _daily{dw}")
        self.con.execute(f"CREATE VIEW strikes AS SELECT {rid} AS run_id, * FROM _strikes{sw}")
        series = [c for c in daily.column_names if c not in ("date", "city", "run_id")]
        self.con.execute(f"CREATE VIEW total AS SELECT run_id, date, {_total_columns(view, series)} "
                         "FROM daily GROUP BY run_id, date ORDER BY date")

    def scalar(self, sql: str, name: str) -> float:
        """The one number the query returns (NULL or no row: NaN); errors name the outcome."""
        import duckdb

        try:
            cur = self.con.execute(sql)
            rows = cur.fetchmany(2)
        except duckdb.Error as err:
            raise ValueError(f"outcome {name!r}: {str(err).splitlines()[0]}") from None
        if cur.description is not None and len(cur.description) != 1:
            raise ValueError(f"outcome {name!r}: the query returns {len(cur.description)} columns, not one")
        if len(rows) > 1:
            raise ValueError(f"outcome {name!r}: the query returns more than one row")
        return number(rows[0][0] if rows else None, name)

    def close(self) -> None:
        self.con.close()


def _float64(t: pa.Table) -> pa.Table:
    """Floating columns as float64, as a view in memory holds them (the same sums either way)."""
    for i, f in enumerate(t.schema):
        if pa.types.is_floating(f.type) and f.type != pa.float64():
            t = t.set_column(i, f.name, t.column(i).cast(pa.float64()))
    return t


def _total_columns(view: Any, series: Sequence[str]) -> str:
    """SELECT list of the ``total`` view: each series by its declared rule over cities."""
    has_w = "workers" in series
    parts = []
    for n in series:
        q = _q(n)
        if has_w and view.rule(n).cities == "mean":
            parts.append(f'sum({q} * "workers") / nullif(sum("workers"), 0) AS {q}')
        elif view.rule(n).cities == "mean":
            parts.append(f"avg({q}) AS {q}")
        else:
            parts.append(f"sum({q}) AS {q}")
    return ", ".join(parts) or "count(*) AS rows"


def number(v: Any, name: str) -> float:
    """An outcome's value as a float (None: NaN)."""
    if v is None:
        return math.nan
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    try:
        return float(v)
    except (TypeError, ValueError):
        raise ValueError(f"outcome {name!r} gives {v!r}, not a number") from None


class _EmptyView:
    """A run with no days and no strikes, with every declared series: what a query is checked on."""

    def __init__(self) -> None:
        from ..processes import RESULTS
        from ..runview import STRIKE_FIELDS, Strikes, rule

        self.path = None
        self.run_id = "check"
        self.dates = np.array([], dtype="datetime64[D]")
        self.cities: list[str] = []
        self.names = list(RESULTS)
        self.rule = rule
        fields = {k: np.array([], dtype=np.float64 if k in ("peak", "workers_weighted", "wage_change", "ot_change",
                                                            "weight") else bool if k in ("escalated", "covered")
                              else np.int64) for k in STRIKE_FIELDS}
        self.strikes = Strikes(fields, np.datetime64("2003-01-01"), [], [])

    def city(self, name: str) -> np.ndarray:
        return np.zeros((0, 0))


def check(sql: str, name: str) -> None:
    """Run the query on empty views with the full schema: unknown columns and syntax fail here."""
    s = Session(_EmptyView())
    try:
        s.scalar(sql, name)
    finally:
        s.close()
