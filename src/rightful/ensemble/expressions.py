"""Named outcomes defined by an expression: SQL over DuckDB views of one run, or a Python callable.

Why: the built-in outcomes (``outcomes.py``) are a fixed list, but a question asked of the model
usually needs its own number ("weighted strikes of more than 1,000 workers in 2008", "wages
recovered per arbitration case"). An expression names that number once, and compare, ensemble,
sweep, calibrate (a target row whose ``series`` is the expression's name) and the web page all
use it by that name, computed the same way from the same run.

A SQL expression is one query that returns one number, over these views of one run:

- ``daily``: one row per date and city, as ``daily.parquet``: ``run_id``, ``date``, ``city``, then
  one column per series (flows of the day, stocks at its end; see ``rightful.processes.RESULTS``);
- ``total``: one row per date, every series over all cities by its declared rule (a sum, or for a
  per-worker mean such as ``mean_wage`` or ``gap`` the mean weighted by ``workers``);
- ``strikes``: one row per strike, as ``strikes.parquet``: ``run_id``, ``strike``, ``firm``, ``zone``,
  ``city``, ``start``, ``end``, ``days``, ``peak_size``, ``workers_weighted``, ``escalated``,
  ``covered``, ``official_response``, ``management_response``, ``outcome`` (``won``, ``partly_won``,
  ``lost``, ``ongoing``), ``wage_change``, ``ot_change``, ``cause``, ``weight`` (the real strikes a
  sampled one stands for: count strikes as ``sum(weight)``).

NULL (a sum over no rows, a ratio over nothing) reads as NaN: write ``coalesce(sum(x), 0)`` for a
count. The connection reads nothing but the run (DuckDB's external access is off), so a query
cannot touch files. Queries are checked against empty views with the full schema when defined,
so a misspelt column fails at once, not in every run of a batch.

A Python expression is a callable taking a ``rightful.runview.RunView`` and returning a number.
Runs made in worker processes need the definition there too: ``worker_for(names)`` wraps the
batch worker so that it carries the expressions this process defined (SQL always travels; a
callable must be picklable, i.e. a module-level function, for local processes; Dask pickles
lambdas too).

Example::

    from rightful.ensemble import expressions as X
    X.define("large_strikes_2008", "SELECT coalesce(sum(weight), 0) FROM strikes "
             "WHERE peak_size > 1000 AND year(start) = 2008", "strikes of more than 1,000 workers, 2008")
    X.define("final_gap", lambda v: float(v.total("gap")[-1]), "the rights gap on the last day")
    X.compute("runs/r644c785c726e", ["large_strikes_2008", "final_gap"])
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
Span = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Expression:
    """A named outcome: ``sql`` (one query, one number) or ``fn`` (RunView -> number)."""

    name: str
    sql: str | None = None
    fn: Callable[[Any], float] | None = None
    description: str = ""
    unit: str = ""

    @property
    def kind(self) -> str:
        return "sql" if self.sql is not None else "python"

    @property
    def text(self) -> str:
        """The SQL, or the callable's qualified name."""
        if self.sql is not None:
            return self.sql
        return f"{getattr(self.fn, '__module__', '?')}.{getattr(self.fn, '__qualname__', repr(self.fn))}"


def _builtin(name: str, sql: str, description: str, unit: str = "") -> Expression:
    return Expression(name, " ".join(sql.split()), None, description, unit)


# shipped with the package: known in every process (workers of a batch included)
BUILTIN: dict[str, Expression] = {e.name: e for e in (
    _builtin("large_strikes", "SELECT coalesce(sum(weight), 0) FROM strikes WHERE peak_size > 1000",
             "strikes whose peak exceeded 1,000 workers (weighted), over the run; the chapter: 'at least "
             "one strike involving more than a thousand workers every day' in the Delta", "strikes"),
    _builtin("escalated_strikes", "SELECT coalesce(sum(weight), 0) FROM strikes WHERE escalated",
             "strikes that took to the street (weighted), over the run", "strikes"),
    _builtin("covered_strikes", "SELECT coalesce(sum(weight), 0) FROM strikes WHERE covered",
             "strikes the press covered (weighted), over the run", "strikes"),
    _builtin("mean_strike_size",
             "SELECT sum(weight * peak_size) / nullif(sum(weight), 0) FROM strikes",
             "mean peak size of a strike (weighted; NaN without strikes)", "workers"),
    _builtin("recovered_per_case",
             "SELECT sum(recovered) / nullif(sum(arb_filed), 0) FROM total",
             "yuan recovered through claims per arbitration case filed, over the run (NaN without cases)",
             "yuan"),
)}
_DEFINED: dict[str, Expression] = {}


# ------------------------------------------------------------------------------- the registry
def names() -> list[str]:
    """Every expression known in this process: the shipped ones, then those defined here."""
    return [*BUILTIN, *(n for n in _DEFINED if n not in BUILTIN)]


def known(name: str) -> bool:
    return name in BUILTIN or name in _DEFINED


def get(name: str) -> Expression:
    if name in BUILTIN:
        return BUILTIN[name]
    if name in _DEFINED:
        return _DEFINED[name]
    raise KeyError(f"no outcome expression {name!r}; known: {', '.join(names())}")


def define(name: str, expr: str | Callable[[Any], float], description: str = "", unit: str = "",
           check: bool = True) -> Expression:
    """Define (or redefine) a named outcome in this process: SQL text or a callable. A SQL text is
    checked against empty views (a wrong column or syntax raises ``ValueError`` here)."""
    from .outcomes import OUTCOMES

    if not isinstance(name, str) or not NAME.match(name):
        raise ValueError(f"outcome name {name!r}: letters, digits and '_' only, not starting with a digit")
    if name in OUTCOMES or name in BUILTIN:
        raise ValueError(f"{name!r} is a built-in outcome; choose another name")
    if isinstance(expr, str):
        e = Expression(name, expr.strip().rstrip(";"), None, description, unit)
        if check:
            check_sql(e)
    elif callable(expr):
        e = Expression(name, None, expr, description or (getattr(expr, "__doc__", None) or "").strip(), unit)
    else:
        raise ValueError(f"outcome {name!r}: give SQL text or a callable taking a RunView")
    _DEFINED[name] = e
    return e


def undefine(name: str) -> None:
    _DEFINED.pop(name, None)


def register(exprs: Iterable[Expression]) -> None:
    """Make expressions defined elsewhere (another process) known here, as they are."""
    for e in exprs:
        if e.name not in BUILTIN:
            _DEFINED[e.name] = e


def catalogue() -> list[dict[str, Any]]:
    """One row per expression (for ``rightful outcomes`` and the web page)."""
    return [{"name": e.name, "description": e.description, "unit": e.unit, "kind": e.kind, "text": e.text,
             "builtin": e.name in BUILTIN} for e in (get(n) for n in names())]


def parse_definition(text: str) -> Expression:
    """``NAME=SQL`` (the command line's ``--outcome``), defined in this process."""
    name, sep, sql = text.partition("=")
    if not sep or not sql.strip():
        raise ValueError(f"--outcome {text!r}: expected NAME=SQL, e.g. big=SELECT count(*) FROM strikes")
    return define(name.strip(), sql.strip())


def read_file(path: Path | str) -> list[Expression]:
    """Define the ``[[outcomes]]`` of a TOML file (``name``, ``sql``, optional ``description`` and
    ``unit``); errors name the file and the entry."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"{path}: {e}") from None
    rows = data.get("outcomes")
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{path}: expected [[outcomes]] tables with name and sql")
    out = []
    for i, r in enumerate(rows):
        extra = set(r) - {"name", "sql", "description", "unit"}
        if extra or "name" not in r or "sql" not in r:
            raise ValueError(f"{path}: outcomes[{i}] needs 'name' and 'sql' (and optionally 'description', "
                             f"'unit'){'; unknown ' + str(sorted(extra)) if extra else ''}")
        try:
            out.append(define(str(r["name"]), str(r["sql"]), str(r.get("description", "")), str(r.get("unit", ""))))
        except ValueError as e:
            raise ValueError(f"{path}: outcomes[{i}]: {e}") from None
    return out


# ---------------------------------------------------------------------------- the SQL session
def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _strikes_arrow(st: Any) -> pa.Table:
    """A view's strike log in the layout of strikes.parquet (codes as names, days as dates)."""
    from ..runview import _ON_DISK, CODES, STRIKE_FIELDS

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

    def scalar(self, e: Expression) -> float:
        import duckdb

        try:
            cur = self.con.execute(e.sql)
            rows = cur.fetchmany(2)
        except duckdb.Error as err:
            raise ValueError(f"outcome {e.name!r}: {str(err).splitlines()[0]}") from None
        if cur.description is not None and len(cur.description) != 1:
            raise ValueError(f"outcome {e.name!r}: the query returns {len(cur.description)} columns, not one")
        if len(rows) > 1:
            raise ValueError(f"outcome {e.name!r}: the query returns more than one row")
        return _number(rows[0][0] if rows else None, e.name)

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


def _number(v: Any, name: str) -> float:
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


def check_sql(e: Expression) -> None:
    """Run the query on empty views with the full schema: unknown columns and syntax fail here."""
    s = Session(_EmptyView())
    try:
        s.scalar(e)
    finally:
        s.close()


# ------------------------------------------------------------------------------- evaluation
def evaluate(view: Any, items: Iterable[str | Expression], span: Span | None = None) -> dict[str, float]:
    """The named outcomes of one run (a ``RunView``, on disk or in memory); ``span`` restricts the
    SQL views to those days (a Python expression always reads the whole run)."""
    exprs = [get(i) if isinstance(i, str) else i for i in items]
    out: dict[str, float] = {}
    sess: Session | None = None
    try:
        for e in exprs:
            if e.sql is not None:
                sess = sess or Session(view, span)
                out[e.name] = sess.scalar(e)
            else:
                if span is not None:
                    raise ValueError(f"outcome {e.name!r} is a Python callable: it reads the whole run and "
                                     "cannot be restricted to a span (write it in SQL)")
                out[e.name] = _number(e.fn(view), e.name)  # type: ignore[misc]
    finally:
        if sess is not None:
            sess.close()
    return out


def compute(path: Path | str, items: Iterable[str | Expression]) -> dict[str, float]:
    """The named outcomes of the run stored at ``path``."""
    from ..runview import RunView

    return evaluate(RunView.open(path), items)


# --------------------------------------------------------------- the hook of the outcome registry
def check(items: Iterable[str], builtin: Mapping[str, Any]) -> list[str]:
    """Names of built-in outcomes or expressions, or a ValueError listing what exists."""
    items = list(items)
    bad = [n for n in items if n not in builtin and not known(n)]
    if bad:
        raise ValueError(f"unknown outcome(s) {bad}; known: {', '.join([*builtin, *names()])}")
    return items


def worker_for(items: Iterable[str], base: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
    """The batch worker (default ``batch.run_one``), carrying the expressions among ``items`` that
    this process defined, so that worker processes know them too. Picklable when ``base`` is."""
    if base is None:
        from .batch import run_one as base
    mine = tuple(_DEFINED[n] for n in items if n in _DEFINED and n not in BUILTIN)
    if not mine:
        return base
    return functools.partial(_run_with, mine, base)


def _run_with(exprs: tuple[Expression, ...], base: Callable[[Any], Any], spec: Any) -> Any:
    register(exprs)
    return base(spec)
