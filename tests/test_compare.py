"""Comparisons on common random numbers: a scenario against itself differs by exactly nothing;
a dated policy change differs from its baseline only from its date on."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from rightful.ensemble import outcomes as O
from rightful.ensemble.compare import run_compare
from rightful.ensemble.executors import InProcess
from rightful.scenarios.loader import load

DATA = Path(__file__).parent / "data"
UNTIL = "2003-04-30"
POLICY_DATE = np.datetime64("2003-03-01")  # the event in tests/data/ens_variant.toml


@pytest.fixture(scope="module")
def scenarios():
    return load(DATA / "ens_small.toml"), load(DATA / "ens_variant.toml")


def test_a_scenario_compared_with_itself_differs_by_zero(tmp_path, scenarios):
    base, _ = scenarios
    r = run_compare([base, base], [1, 2], tmp_path, InProcess(), until=UNTIL, report=False, progress=False)
    assert r.labels == ["ens-small", "ens-small#2"]
    assert len(r.batch.ran) == 2  # same content and seeds: the same runs, made once
    for row in r.rows:
        assert row["diff_median"] == 0.0 and row["diff_q10"] == 0.0 and row["diff_q90"] == 0.0
    with open(r.folder / "comparison.csv") as fh:
        assert len(list(csv.DictReader(fh))) == 2 * len(O.MAIN)


def test_a_dated_change_differs_only_downstream(tmp_path, scenarios):
    base, variant = scenarios
    outs = ["complaints", "arb_filed", "strikes_started"]
    r = run_compare([base, variant], [1, 2], tmp_path, InProcess(), until=UNTIL, outcomes=outs,
                    report=True, progress=False)
    assert all(x.ok for x in r.batch.runs)
    base_runs, var_runs = r.batch.runs[:2], r.batch.runs[2:]
    changed_after = False
    for a, b in zip(base_runs, var_runs, strict=True):
        ta, tb = pq.read_table(Path(a.path) / "daily.parquet"), pq.read_table(Path(b.path) / "daily.parquet")
        dates = ta.column("date").to_numpy().astype("datetime64[D]")
        before = dates < POLICY_DATE
        for c in ta.column_names:
            if c in ("date", "city"):
                continue
            va, vb = ta.column(c).to_numpy(), tb.column(c).to_numpy()
            assert np.array_equal(va[before], vb[before], equal_nan=True), c  # upstream: identical
            changed_after |= not np.array_equal(va[~before], vb[~before], equal_nan=True)
    assert changed_after
    rows = {(row["outcome"], row["scenario"]): row for row in r.rows}
    for o in outs:
        assert rows[(o, "ens-small")]["diff_median"] == 0.0
    assert np.any(r.values["complaints"][1] != r.values["complaints"][0])  # claims respond downstream
    assert (r.folder / "report.html").is_file()
    bands = pq.read_table(r.folder / "bands.parquet")
    assert set(bands.column("scenario").to_pylist()) == {"ens-small", "ens-variant"}
