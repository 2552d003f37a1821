"""Issue 16, point 7: property-based fuzzing (Hypothesis) of the scenario loader and of the
command-line options. Every input either runs to physical results or fails with a clear message:
no traceback, and nothing written.

Bounded to a few seconds here (``RIGHTFUL_FUZZ_EXAMPLES``, default 12 per property, derandomised
so that CI is repeatable); ``benchmarks/fuzz.py`` runs the same properties with many more examples.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from rightful.engine.checks import NonPhysicalState  # noqa: E402
from rightful.scenarios.loader import ScenarioError, load, read_raw  # noqa: E402

DATA = Path(__file__).parent / "data"
SMALL = DATA / "ens_small.toml"
EXAMPLES = int(os.environ.get("RIGHTFUL_FUZZ_EXAMPLES", "12"))
SEEN: Counter[str] = Counter()  # what the examples came to (benchmarks/fuzz.py prints it)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50, database=None,
                suppress_health_check=list(HealthCheck))


# --- a TOML writer (inline tables and arrays: enough for any value a mutation leaves) -------------

def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v == math.inf else ("-inf" if v == -math.inf else repr(v)))
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return json.dumps(str(v))


def to_toml(d: dict) -> str:
    return "".join(f"{json.dumps(str(k))} = {toml_value(v)}\n" for k, v in d.items())


# --- mutations of a scenario ----------------------------------------------------------------------

NASTY = st.one_of(
    st.booleans(), st.integers(-10**6, 10**6), st.sampled_from([0, -1, 2**63, 10**12]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e300, -1e300, 1e-300, -0.5, 7.0]),
    st.text(max_size=12), st.sampled_from(["", "2003-13-45", "Atlantis", "legitimacy", "nan"]),
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def leaves(d: Any, path: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(d, dict):
        for k, v in d.items():
            out += leaves(v, path + (k,)) or [path + (k,)]
    elif isinstance(d, list):
        for i, v in enumerate(d):
            out += leaves(v, path + (i,)) or [path + (i,)]
    else:
        return []
    return out


def get_at(d: Any, path: tuple) -> Any:
    for p in path:
        d = d[p]
    return d


def set_at(d: Any, path: tuple, value: Any, delete: bool) -> None:
    for p in path[:-1]:
        d = d[p]
    if delete and isinstance(d, dict):
        d.pop(path[-1], None)
    else:
        d[path[-1]] = value


@st.composite
def mutated(draw: Any) -> dict:
    raw = json.loads(json.dumps(read_raw(SMALL), default=str))  # dates as strings: TOML reads them back
    raw.pop("extends", None)
    for _ in range(draw(st.integers(1, 3))):
        paths = leaves(raw)
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["value", "value", "near", "near", "delete", "add"]))
        cur = get_at(raw, path)
        if kind == "near" and isinstance(cur, (int, float)) and not isinstance(cur, bool):
            f = draw(st.sampled_from([0, 0.5, 0.9, 1.1, 2, 10, 1000, -1]))
            set_at(raw, path, type(cur)(cur * f) if isinstance(cur, int) else cur * f, False)
        elif kind == "add":
            set_at(raw, path[:-1] + (draw(st.sampled_from(["surprise", "scale", "seed", "set", "low"])),),
                   draw(NASTY), False)
        else:
            set_at(raw, path, draw(NASTY), kind == "delete")
    return raw


def physical(run_dir: Path) -> None:
    t = pq.read_table(run_dir / "daily.parquet")
    for c in t.column_names:
        if c in ("date", "city"):
            continue
        a = t.column(c).to_numpy(zero_copy_only=False)
        assert np.all(np.isfinite(a)) and np.all(a >= 0), c


def clear(msg: str) -> None:
    assert msg and "Traceback" not in msg and "expected" in msg, msg


@FUZZ
@given(mutated())
def test_mutated_scenarios_run_physically_or_fail_clearly(raw: dict) -> None:
    from rightful.runner import execute

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutant.toml"
        path.write_text(to_toml(raw))
        out = Path(tmp) / "runs"
        try:
            ld = load(path)
        except ScenarioError as e:
            clear(str(e))
            assert "mutant.toml" in str(e)
            SEEN["scenario: refused by the loader"] += 1
            return
        until = min(ld.scenario.end, ld.scenario.start + dt.timedelta(days=10)).isoformat()
        try:
            done = execute(ld, scale=0.001, until=until, out=out)
        except ScenarioError as e:  # found while building (the minimum-wage schedule, say)
            clear(str(e))
            assert not out.exists() or not any(out.glob("r*"))
            SEEN["scenario: refused while building"] += 1
            return
        except NonPhysicalState as e:
            assert "process" in str(e) and "series" in str(e)
            assert not out.exists() or not any(out.glob("r*"))
            SEEN["scenario: stopped as non-physical"] += 1
            return
        physical(done.path)
        SEEN["scenario: ran, physical"] += 1


SEED = st.one_of(st.integers(-5, 10**19).map(str), st.sampled_from(["-1", "abc", "1.5", "", "0"]))
SCALE = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.sampled_from(["0", "-1", "1e-9", "1.5", "nan", "inf", "x", "0.001", "0.0005"]))
UNTIL = st.one_of(st.dates(dt.date(2002, 11, 1), dt.date(2003, 1, 31)).map(str),
                  st.sampled_from(["2003-13-45", "yesterday", "2011-06-30", "2003-1-5", ""]))
THREADS = st.one_of(st.integers(-2, 200).map(str), st.sampled_from(["1", "x"]))
SET = st.one_of(
    st.tuples(st.sampled_from(["legitimacy", "claim_rate", "min_wage", "no_such", ""]),
              st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr), st.text(max_size=4)))
    .map(lambda kv: f"{kv[0]}={kv[1]}"),
    st.sampled_from(["legitimacy", "=", "legitimacy=0.5"]))


@FUZZ
@given(st.dictionaries(st.sampled_from(["--seed", "--scale", "--until", "--threads", "--set"]),
                       st.none(), min_size=1).flatmap(
    lambda keys: st.fixed_dictionaries({k: {"--seed": SEED, "--scale": SCALE, "--until": UNTIL,
                                            "--threads": THREADS, "--set": SET}[k] for k in keys})))
def test_command_line_options_run_physically_or_fail_clearly(opts: dict[str, str]) -> None:
    from click.testing import CliRunner

    from rightful.cli import main

    args = [a for k, v in opts.items() for a in (k, v)]
    if "--until" not in opts:
        args += ["--until", "2003-01-20"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "runs"
        r = CliRunner().invoke(main, ["run", str(SMALL), "--out", str(out), "--no-report", *args])
        assert r.exception is None or isinstance(r.exception, SystemExit), (args, r.exception)
        assert "Traceback" not in r.output
        if r.exit_code == 0:
            rid = r.stdout.strip().splitlines()[-1].split()[1]
            physical(out / rid)
            SEEN["options: ran, physical"] += 1
            return
        SEEN[f"options: exit {r.exit_code}"] += 1
        assert r.exit_code in (1, 2), (args, r.output)
        assert r.stderr.strip().startswith(("error: ", "Usage:")), (args, r.stderr)
        assert not out.exists(), (args, sorted(out.iterdir()))
