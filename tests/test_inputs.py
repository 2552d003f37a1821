"""Issue 16, point 1 (and 2): every value is checked before anything runs; a bad one exits 2 with a
message naming its source, the value and what was expected, and nothing is written. A
non-physical state during a run stops it, naming the process, the series and the day. Also the
command line's output rules (issue 15 point 6, issue 10 point 3) and the catalog's views.

Runs are tiny (tests/data/ens_small.toml, a few months); the file takes a few seconds.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from rightful.cli import main
from rightful.inputs import InputError
from rightful.scenarios.loader import ScenarioError, load

DATA = Path(__file__).parent / "data"
SMALL = str(DATA / "ens_small.toml")
UNTIL = "2003-02-28"


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("args, source, expected", [
    (["--scale", "-1"], "--scale", "[0.0001, 1]"),
    (["--scale", "1.5"], "--scale", "[0.0001, 1]"),
    (["--scale", "1e-9"], "--scale", "[0.0001, 1]"),
    (["--scale", "0"], "--scale", "[0.0001, 1]"),
    (["--scale", "1e9"], "--scale", "[0.0001, 1]"),
    (["--scale", "nan"], "--scale", "[0.0001, 1]"),
    (["--scale", "inf"], "--scale", "[0.0001, 1]"),
    (["--seed", "-5"], "--seed", "an integer in [0,"),
    (["--threads", "0"], "--threads", "an integer in [1,"),
    (["--threads", "99"], "--threads", "an integer in [1,"),
    (["--until", "2002-06-30"], "--until", "from 2003-01-01"),
    (["--until", "2003-13-45"], "--until", "YYYY-MM-DD"),
    (["--until", "yesterday"], "--until", "YYYY-MM-DD"),
    (["--until", "2011-06-30"], "--until", "end 2010-12-31"),
    (["--set", "legitimacy=7"], "--set legitimacy", "[0, 1]"),
    (["--set", "legitimacy=nan"], "--set legitimacy", "[0, 1]"),
    (["--set", "no_such=1"], "--set no_such", "a model parameter"),
    (["--set", "legitimacy"], "--set legitimacy", "NAME=VALUE"),
    (["--set", "legitimacy=high"], "--set legitimacy", "a number"),
])
def test_bad_option_exits_2_naming_it_and_writes_nothing(tmp_path, args, source, expected) -> None:
    out = tmp_path / "runs"
    r = cli("run", SMALL, "--until", UNTIL, "--out", str(out), "--no-report", *args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)
    msg = r.stderr
    assert msg.startswith("error: ") and source in msg and expected in msg, msg
    assert not out.exists()


@pytest.mark.parametrize("body, key, expected", [
    ("[parameters]\nlegitimacy = 5.0\n", "parameters.legitimacy", "[0, 1]"),
    ("[parameters]\nlegitimacy = true\n", "parameters.legitimacy", "a number"),
    ('[parameters]\nlegitimacy = "0.5"\n', "parameters.legitimacy", "a number"),
    ("[parameters]\nlegitimacy = nan\n", "parameters.legitimacy", "a finite number"),
    ("[parameters]\nclaim_rate = -0.1\n", "parameters.claim_rate", "[0, 0.05]"),
    ("scale = 1.5\n", "scale", "less than or equal to 1"),
    ("scale = 1e-9\n", "scale", "at least 0.0001"),
    ("seed = -5\n", "seed", "greater than or equal to 0"),
    ("seed = 1.5\n", "seed", "an integer"),
    ("[population]\nhometowns = 1e300\n", "population.hometowns", "an integer"),
    ("[population]\ncore_hometown_share = inf\n", "population.core_hometown_share", "a finite number"),
    ("[[firms]]\nname='F'\nzone=\"Bao'an\"\nworkers=100\nbase_wage=1e300\nhours_per_day=10\n"
     "days_per_week=6\not_rate=5\n", "firms[0].base_wage", "less than or equal to"),
    ("[[events]]\ndate=2004-01-01\nlabel='e'\nparam='min_wage'\nset=1e300\n", "].set'", "[200, 2000]"),
    ("[[events]]\ndate=2004-01-01\nlabel='e'\nparam='legitimacy'\nscale=10.0\n", "the event 'e'", "[0, 1]"),
    ("[[events]]\ndate=2004-01-01\nlabel='e'\nparam='legitimacy'\nadd=-3.0\n", "the event 'e'", "[0, 1]"),
    ("[[uncertainties]]\nname='legitimacy'\nlow=0.1\nhigh=3.0\n", "].high", "[0, 1]"),
])
def test_bad_scenario_value_names_file_key_value_expected(tmp_path, body, key, expected) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(f'name = "bad"\nextends = "{SMALL}"\n{body}')
    with pytest.raises(ScenarioError) as e:
        load(p)
    msg = str(e.value)
    assert "bad.toml" in msg and key in msg and expected in msg, msg
    out = tmp_path / "runs"
    r = cli("run", str(p), "--out", str(out))
    assert r.exit_code == 2 and key in r.stderr and not out.exists(), r.output


@pytest.mark.parametrize("kw, source", [
    ({"scale": 0.0}, "scale="), ({"scale": True}, "scale="), ({"seed": -1}, "seed="), ({"seed": 1.5}, "seed="),
    ({"until": "2003-02-30"}, "until="), ({"overrides": {"legitimacy": 7}}, "set={'legitimacy'"),
    ({"overrides": {"legitimacy": float("inf")}}, "set={'legitimacy'"), ({"threads": 0}, "threads="),
])
def test_python_api_values_are_checked_the_same_way(tmp_path, kw, source) -> None:
    from rightful.runner import execute

    with pytest.raises(InputError) as e:
        execute(load(SMALL), out=tmp_path / "runs", **{"until": UNTIL, **kw})
    assert source in str(e.value), str(e.value)
    assert not (tmp_path / "runs").exists()


def test_non_physical_state_stops_the_run_naming_process_series_and_day(tmp_path, monkeypatch) -> None:
    from rightful.engine.checks import NonPhysicalState
    from rightful.processes.payroll import Payroll
    from rightful.runner import execute

    step = Payroll.step

    def broken(self, w, day):  # a kernel bug: a NaN wage bill on the 20th recorded day (after the burn-in)
        step(self, w, day)
        if day == 20 + w.series.offset:
            w.series.flows[1, w.series.index["wage_bill"]] = np.nan

    monkeypatch.setattr(Payroll, "step", broken)
    with pytest.raises(NonPhysicalState) as e:
        execute(load(SMALL), until=UNTIL, out=tmp_path / "runs")
    msg = str(e.value)
    assert "'payroll'" in msg and "'wage_bill'" in msg and "(2003-01-21)" in msg and "Dongguan" in msg, msg
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.fixture(scope="module")
def one_run(tmp_path_factory):
    """One small run through the command line, with an override that events also set."""
    out = tmp_path_factory.mktemp("cli") / "runs"
    r = cli("run", SMALL, "--until", "2003-06-30", "--out", str(out), "--no-report", "--set", "legitimacy=0.9")
    assert r.exit_code == 0, r.output
    return out, r


def test_run_prints_tables_to_stdout_uncut_and_progress_to_stderr(one_run) -> None:
    out, r = one_run
    assert "seed 1 scale 0.01" in r.stdout  # the yearly table (summary.print_summary)
    assert "simulating" in r.stderr and "simulating" not in r.stdout
    assert "…" not in r.stdout  # piped: nothing cut to 80 columns
    rid = r.stdout.strip().splitlines()[-1].split()[1]
    assert (out / rid / "run.json").is_file()


def test_overrides_pin_and_the_skipped_events_reach_run_json_catalog_and_runs_show(one_run) -> None:
    out, r = one_run
    assert "pins legitimacy" in r.stderr
    rid = r.stdout.strip().splitlines()[-1].split()[1]
    meta = json.loads((out / rid / "run.json").read_text())
    skipped = meta["events_skipped_for_overrides"]
    assert skipped and {e["param"] for e in skipped} == {"legitimacy"}
    assert meta["params"]["legitimacy"] == 0.9  # pinned: the events did not move it
    s = cli("runs", "show", rid, "--out", str(out))
    assert s.exit_code == 0 and "legitimacy" in s.stdout and skipped[0]["label"][:30] in s.stdout, s.output


def test_catalog_views_and_paths_resolve_from_anywhere(one_run, tmp_path) -> None:
    import shutil

    import duckdb

    out, r = one_run
    rid = r.stdout.strip().splitlines()[-1].split()[1]
    con = duckdb.connect(str(out / "catalog.duckdb"), read_only=True)
    try:
        n, path = con.execute("SELECT count(*), any_value(path) FROM runs").fetchone()
        days = con.execute("SELECT count(DISTINCT date) FROM daily WHERE run_id = ?", [rid]).fetchone()[0]
        strikes = con.execute("SELECT count(*) FROM strikes WHERE run_id = ?", [rid]).fetchone()[0]
    finally:
        con.close()
    assert n == 1 and Path(path).is_absolute() and days == 181 and strikes >= 0
    from rightful.store.catalog import reading

    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    with reading(moved) as cat:  # the folder moved: paths and views follow it
        assert Path(cat.get(rid)["path"]) == (moved / rid).resolve()
        rows = cat.sql("SELECT count(*) AS n FROM daily WHERE run_id = ?", [rid])
        assert rows[0]["n"] == 181 * 3


def test_params_json_and_unknown_name() -> None:
    r = cli("params", "--json")
    rows = json.loads(r.stdout)
    from rightful.processes import all_params

    assert len(rows) == len(all_params())
    assert set(rows[0]) == {"name", "default", "unit", "source", "doc", "low", "high", "process", "read_by"}
    one = json.loads(cli("params", "legitimacy", "--json").stdout)
    assert one["name"] == "legitimacy" and one["high"] == 1.0 and one["process"]
    bad = cli("params", "nosuch")
    assert bad.exit_code == 2 and "nosuch" in bad.stderr


def test_no_import_circle_between_cli_and_commands() -> None:
    src = Path(__file__).parents[1] / "src" / "rightful" / "commands.py"
    for node in ast.walk(ast.parse(src.read_text())):
        if isinstance(node, ast.ImportFrom):
            assert node.module not in ("cli", "rightful.cli"), "commands.py imports cli.py"


def test_compile_notice_on_a_cold_cache(tmp_path) -> None:
    import os
    import time

    from rightful.cliutil import cold_kernels

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "k.py").write_text("from numba import njit\n\n@njit(cache=True)\ndef f(x):\n    return x\n")
    assert cold_kernels(pkg) == ["k.py"]
    (pkg / "__pycache__").mkdir()
    idx = pkg / "__pycache__" / "k.f-3.py311.nbi"
    idx.write_bytes(b"")
    assert cold_kernels(pkg) == []
    later = time.time() + 10
    os.utime(pkg / "k.py", (later, later))  # the source changed after it was compiled
    assert cold_kernels(pkg) == ["k.py"]


def test_piped_results_console_takes_the_tables_full_width() -> None:
    from rich.table import Table

    from rightful.cliutil import out_console

    con = out_console()  # pytest's stdout is not a terminal
    t = Table()
    for y in range(2003, 2011):
        t.add_column(f"year {y} with a long heading")
    t.add_row(*(f"{1234567.891 * y:,.3f}" for y in range(8)))
    with con.capture() as cap:
        con.print(t)
    text = cap.get()
    assert "…" not in text and max(len(line) for line in text.splitlines()) > 200
