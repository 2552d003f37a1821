"""Named outcome expressions: SQL over a run's DuckDB views or a Python callable, the same numbers
from a folder and from memory, checked when defined, and known to the outcome registry (so every
batch command can use them by name)."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import numpy as np
import pytest

from rightful.ensemble import expressions as X
from rightful.ensemble import outcomes as O
from rightful.runview import RunView


@pytest.fixture(scope="module")
def views(written_run) -> tuple[RunView, RunView]:
    return RunView.of_result(written_run.result), RunView.open(written_run.path)


@pytest.fixture(autouse=True)
def _clean():
    yield
    for n in list(X._DEFINED):
        X.undefine(n)


def big(v: RunView) -> float:
    """strikes (weighted) of more than 100 workers at their peak"""
    st = v.strikes
    return float(st.weight[st.peak > 100].sum())


def test_sql_agrees_with_the_run_view(views) -> None:
    mem, disk = views
    X.define("started", "SELECT sum(strikes_started) FROM daily")
    X.define("started_2004", "SELECT coalesce(sum(strikes_started), 0) FROM total WHERE year(date) = 2004")
    X.define("wage_end", "SELECT mean_wage FROM total ORDER BY date DESC LIMIT 1")
    X.define("struck", "SELECT coalesce(sum(weight), 0) FROM strikes")
    for v in (mem, disk):
        got = X.evaluate(v, ["started", "started_2004", "wage_end", "struck"])
        tot = v.total("strikes_started")
        assert got["started"] == pytest.approx(tot.sum())
        assert got["started_2004"] == pytest.approx(tot[v.years() == 2004].sum())
        assert got["wage_end"] == pytest.approx(v.total("mean_wage")[-1])  # worker-weighted over cities
        assert got["struck"] == pytest.approx(v.strikes.weight.sum())
    assert X.evaluate(mem, X.BUILTIN) == X.evaluate(disk, X.BUILTIN)  # same numbers from memory and disk


def test_a_span_restricts_days_and_strikes(views) -> None:
    _, v = views
    X.define("started", "SELECT coalesce(sum(strikes_started), 0) FROM daily")
    X.define("struck", "SELECT coalesce(sum(weight), 0) FROM strikes")
    span = (dt.date(2004, 1, 1), dt.date(2004, 12, 31))
    got = X.evaluate(v, ["started", "struck"], span)
    in_2004 = v.years() == 2004
    assert got["started"] == pytest.approx(v.total("strikes_started")[in_2004].sum())
    st = v.strikes
    y = st.dates("start").astype("datetime64[Y]").astype(int) + 1970
    assert got["struck"] == pytest.approx(st.weight[y == 2004].sum())


def test_python_callables_and_the_registry(written_run, views) -> None:
    _, v = views
    X.define("big", big)
    X.define("gap_end", lambda w: w.total("gap")[-1])
    assert X.get("big").description.startswith("strikes (weighted)")
    got = O.compute(written_run.path, ["strikes_started", "big", "large_strikes", "gap_end"])
    assert list(got) == ["strikes_started", "big", "large_strikes", "gap_end"]
    assert got["big"] == big(v) and got["gap_end"] == pytest.approx(v.total("gap")[-1])
    assert O.check(["big", "arb_filed"]) == ["big", "arb_filed"]
    with pytest.raises(ValueError, match="cannot be restricted"):
        X.evaluate(v, ["big"], (dt.date(2004, 1, 1), dt.date(2004, 12, 31)))
    with pytest.raises(ValueError, match="unknown outcome"):
        O.check(["no_such_outcome"])
    rows = {r["name"]: r for r in X.catalogue()}
    assert rows["large_strikes"]["builtin"] and rows["big"]["kind"] == "python"


def test_definitions_are_checked_at_once(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not found"):
        X.define("typo", "SELECT sum(strikes_startd) FROM daily")
    with pytest.raises(ValueError, match="2 columns"):
        X.define("two", "SELECT 1, 2")
    with pytest.raises(ValueError, match="built-in"):
        X.define("arb_filed", "SELECT 1")
    with pytest.raises(ValueError, match="letters"):
        X.define("9lives", "SELECT 1")
    with pytest.raises(ValueError, match="NAME=SQL"):
        X.parse_definition("just a name")
    assert X.parse_definition("one=SELECT 1").sql == "SELECT 1"
    f = tmp_path / "outcomes.toml"
    f.write_text('[[outcomes]]\nname = "won"\nsql = "SELECT coalesce(sum(weight), 0) FROM strikes '
                 "WHERE outcome = 'won'\"\ndescription = \"strikes won\"\n")
    (e,) = X.read_file(f)
    assert e.name == "won" and X.known("won")
    f.write_text('[[outcomes]]\nname = "w"\nsql = "SELECT nope FROM strikes"\n')
    with pytest.raises(ValueError, match=r"outcomes\[0\]"):
        X.read_file(f)


def test_queries_cannot_reach_files(views, tmp_path: Path) -> None:
    _, v = views
    target = tmp_path / "leak.csv"
    X.define("leak", f"COPY daily TO '{target}'", check=False)
    with pytest.raises(ValueError, match="leak"):
        X.evaluate(v, ["leak"])
    assert not target.exists()


def test_the_worker_carries_this_process_definitions(written_run) -> None:
    from rightful.ensemble.batch import run_one

    assert X.worker_for(["strikes_started", "large_strikes"], run_one) is run_one  # nothing to carry
    X.define("started", "SELECT sum(strikes_started) FROM daily")
    w = pickle.loads(pickle.dumps(X.worker_for(["started"], base=_report_known)))  # as a spawned worker gets it
    X.undefine("started")
    assert not X.known("started")
    assert w("spec") == ("spec", True)  # the definition was registered before the base worker ran
    assert np.isfinite(O.compute(written_run.path, ["started"])["started"])


def _report_known(spec: str) -> tuple[str, bool]:
    return spec, X.known("started")


def test_an_ensemble_in_worker_processes_uses_this_process_expressions(tmp_path: Path) -> None:
    """A spawned worker starts with nothing of this process: the expression travels with the worker."""
    from rightful.ensemble.batch import run_one
    from rightful.ensemble.executors import LocalProcesses
    from rightful.ensemble.seeds import run_ensemble
    from rightful.scenarios.loader import load

    X.define("complaints_sql", "SELECT sum(complaints) FROM total")
    names = ["complaints", "complaints_sql", "escalated_strikes"]
    ex = LocalProcesses(1)
    try:
        r = run_ensemble(load(Path(__file__).parent / "data" / "ens_small.toml"), [1], tmp_path, ex,
                         until="2003-02-28", outcomes=names, report=False, progress=False,
                         worker=X.worker_for(names, run_one))
    finally:
        ex.close()
    (run,) = r.batch.runs
    assert run.ok, run.error
    assert run.outcomes["complaints_sql"] == pytest.approx(run.outcomes["complaints"])
