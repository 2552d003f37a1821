"""Named outcomes defined by an expression: SQL over DuckDB views of one run, or a Python callable.

Why: the built-in outcomes (``outcomes.py``) are a fixed list, but a question asked of the model
usually needs its own number ("weighted strikes of more than 1,000 workers in 2008", "wages
recovered per arbitration case"). An expression names that number once, and compare, ensemble,
sweep, calibrate (a target row whose ``series`` is the expression's name) and the web page all
use it by that name, computed the same way from the same run.

A SQL expression is one query that returns one number, over these views of one run (``runsql.py``):

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

import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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
    _builtin("arb_accepted_growth",
             "WITH y AS (SELECT year(date) AS y, sum(arb_accepted) AS a FROM total GROUP BY 1) "
             "SELECT (SELECT a FROM y ORDER BY y DESC LIMIT 1) / nullif((SELECT a FROM y ORDER BY y LIMIT 1), 0)",
             "arbitration cases accepted in the last year of the span over the first (a target row 2004..2005 "
             "reads the chapter's 'a 20 percent increase over the previous year' as 1.2; NaN without cases)", "x"),
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


_RESERVED: set[str] = set()  # the built-in outcomes' names (ensemble.outcomes reserves them at import)


def reserve(names: Iterable[str]) -> None:
    """Names that no expression may take (the built-in outcomes)."""
    _RESERVED.update(names)


def define(name: str, expr: str | Callable[[Any], float], description: str = "", unit: str = "",
           check: bool = True) -> Expression:
    """Define (or redefine) a named outcome in this process: SQL text or a callable. A SQL text is
    checked against empty views (a wrong column or syntax raises ``ValueError`` here)."""
    if not isinstance(name, str) or not NAME.match(name):
        raise ValueError(f"outcome name {name!r}: letters, digits and '_' only, not starting with a digit")
    if name in _RESERVED or name in BUILTIN:
        raise ValueError(f"{name!r} is a built-in outcome; choose another name")
    if isinstance(expr, str):
        e = Expression(name, expr.strip().rstrip(";"), None, description, unit)
        if check:
            from .runsql import check as check_sql

            check_sql(e.sql, name)
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


# ------------------------------------------------------------------------------- evaluation
def evaluate(view: Any, items: Iterable[str | Expression], span: tuple[Any, Any] | None = None) -> dict[str, float]:
    """The named outcomes of one run (a ``RunView``, on disk or in memory); ``span`` restricts the
    SQL views to those days (a Python expression always reads the whole run)."""
    from .runsql import Session, number

    exprs = [get(i) if isinstance(i, str) else i for i in items]
    out: dict[str, float] = {}
    sess: Session | None = None
    try:
        for e in exprs:
            if e.sql is not None:
                sess = sess or Session(view, span)
                out[e.name] = sess.scalar(e.sql, e.name)
            else:
                if span is not None:
                    raise ValueError(f"outcome {e.name!r} is a Python callable: it reads the whole run and "
                                     "cannot be restricted to a span (write it in SQL)")
                out[e.name] = number(e.fn(view), e.name)  # type: ignore[misc]
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


def worker_for(items: Iterable[str], base: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The batch worker ``base`` (usually ``batch.run_one``), carrying the expressions among
    ``items`` that this process defined, so that worker processes know them too. Picklable when
    ``base`` is."""
    mine = tuple(_DEFINED[n] for n in items if n in _DEFINED and n not in BUILTIN)
    if not mine:
        return base
    return functools.partial(_run_with, mine, base)


def _run_with(exprs: tuple[Expression, ...], base: Callable[[Any], Any], spec: Any) -> Any:
    register(exprs)
    return base(spec)
