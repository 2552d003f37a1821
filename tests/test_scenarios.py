"""Scenario files: built-ins load; a wrong file gets an error naming the file, the key, the value
and what was expected, before anything runs or is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightful.scenarios.loader import ScenarioError, builtin_names, load


def _write(tmp: Path, body: str) -> Path:
    p = tmp / "bad.toml"
    p.write_text(body)
    return p


def test_builtins_load() -> None:
    names = builtin_names()
    assert {"prd-2003-2010", "haiyan-2004", "dalian-2005"} <= set(names)
    for n in names:
        ld = load(n)
        assert ld.scenario.name == n
        assert len(ld.hash) == 16


@pytest.mark.parametrize("body, key, expected", [
    ('name="x"\nextends="prd-2003-2010"\n[[events]]\ndate="2004-13-01"\nlabel="bad"\n', "events", "date"),
    ('name="x"\nextends="prd-2003-2010"\n[parameters]\nno_such_param = 1\n', "parameters.no_such_param",
     "a model parameter"),
    ('name="x"\nextends="prd-2003-2010"\nscale = -1\n', "scale", "greater than 0"),
    ('name="x"\nextends="prd-2003-2010"\nsurprise = 1\n', "surprise", "no such key"),
    ('name="x"\nextends="prd-2003-2010"\n[[events]]\ndate=2004-01-01\nlabel="e"\nparam="legitimacy"\n'
     'set=0.5\nwhere={city="Atlantis"}\n', "events[", "one of"),
    ('name="x"\nextends="prd-2003-2010"\n[[events]]\ndate=2004-01-01\nlabel="e"\nparam="legitimacy"\n',
     "events[", "exactly one of set, scale or add"),
    ('name="x"\nextends="no-such-scenario"\n', "(name)", "built-in"),
    ('name = "x"\nstart = 2003-01-01\n[[broken\n', "(syntax)", "valid TOML"),
])
def test_bad_scenarios_name_file_key_value_expected(tmp_path, body, key, expected) -> None:
    p = _write(tmp_path, body)
    with pytest.raises(ScenarioError) as e:
        load(p)
    msg = str(e.value)
    assert key in msg, msg
    assert expected in msg, msg
    assert "bad.toml" in msg or "no-such-scenario" in msg, msg


def test_missing_minimum_wage_assumption_is_named(tmp_path) -> None:
    p = _write(tmp_path, 'name="x"\nextends="prd-2003-2010"\ninherit_events=false\n[minimum_wage]\nbefore=[]\n')
    from rightful.model import Simulation

    with pytest.raises(ScenarioError) as e:
        Simulation(load(p), scale=0.0005, until="2003-01-10")
    assert "minimum_wage.before" in str(e.value) and "Shenzhen" in str(e.value)


def test_cli_bad_scenario_writes_nothing(tmp_path) -> None:
    from click.testing import CliRunner

    from rightful.cli import main

    p = _write(tmp_path, 'name="x"\nextends="prd-2003-2010"\n[parameters]\nno_such_param = 1\n')
    out = tmp_path / "runs"
    res = CliRunner().invoke(main, ["run", str(p), "--out", str(out)])
    assert res.exit_code == 2
    assert "no_such_param" in res.output
    assert not out.exists()
