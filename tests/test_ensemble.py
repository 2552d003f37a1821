"""Ensembles: the same numbers on every executor, resumable batches, failed runs recorded.

Runs are tiny (tests/data/ens_small.toml: ~300 agents, three months) so the file takes seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from rightful.ensemble.batch import make_specs, run_batch, run_one
from rightful.ensemble.executors import DaskCluster, InProcess, LocalProcesses
from rightful.ensemble.reduce import QUANTILES, read_bands
from rightful.ensemble.seeds import run_ensemble
from rightful.scenarios.loader import load
from rightful.store.catalog import Catalog

DATA = Path(__file__).parent / "data"
UNTIL = "2003-03-31"


@pytest.fixture(scope="module")
def small():
    return load(DATA / "ens_small.toml")


def daily_arrays(run_dir: Path) -> dict[str, np.ndarray]:
    t = pq.read_table(Path(run_dir) / "daily.parquet")
    return {c: t.column(c).to_numpy(zero_copy_only=False) for c in t.column_names}


def catalog_rows(out: Path) -> dict[str, dict]:
    with Catalog(out) as cat:
        cur = cat.con.execute("SELECT run_id, seed, status, error, batch, path FROM runs")
        names = [d[0] for d in cur.description]
        return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def test_dask_gives_the_same_numbers_as_local_processes(tmp_path, small):
    distributed = pytest.importorskip("distributed")
    ex = LocalProcesses(1)
    try:
        a = run_ensemble(small, [1, 2], tmp_path / "local", ex, until=UNTIL, report=False, progress=False)
    finally:
        ex.close()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        ex = DaskCluster(client)
        b = run_ensemble(small, [1, 2], tmp_path / "dask", ex, until=UNTIL, report=False, progress=False)
        ex.close()
    assert [r.run_id for r in a.batch.runs] == [r.run_id for r in b.batch.runs]
    assert all(r.ok for r in a.batch.runs + b.batch.runs)
    for ra, rb in zip(a.batch.runs, b.batch.runs, strict=True):
        da, db = daily_arrays(ra.path), daily_arrays(rb.path)
        assert da.keys() == db.keys()
        for k in da:
            assert np.array_equal(da[k], db[k]), k  # bit for bit
        assert ra.outcomes == rb.outcomes
    assert a.batch.batch_id == b.batch.batch_id
    ba = pq.read_table(a.folder / "bands.parquet")
    bb = pq.read_table(b.folder / "bands.parquet")
    assert ba.equals(bb)
    # only the driver wrote a catalog, one row per run, tagged with the batch
    rows = catalog_rows(tmp_path / "dask")
    assert {r["status"] for r in rows.values()} == {"completed"}
    assert {r["batch"] for r in rows.values()} == {b.batch.batch_id}


def test_resumed_ensemble_runs_only_what_is_missing(tmp_path, small):
    calls: list[int] = []

    def counting(spec):
        calls.append(spec.seed)
        return run_one(spec)

    out = tmp_path / "runs"
    r1 = run_ensemble(small, [1, 2], out, InProcess(), until=UNTIL, report=False, progress=False,
                      worker=counting)
    assert sorted(calls) == [1, 2]
    mtimes = {r.run_id: (Path(r.path) / "daily.parquet").stat().st_mtime_ns for r in r1.batch.runs}
    calls.clear()
    r2 = run_ensemble(small, [1, 2, 3], out, InProcess(), until=UNTIL, report=False, progress=False,
                      worker=counting)
    assert calls == [3]
    assert [r.skipped for r in r2.batch.runs] == [True, True, False]
    for r in r2.batch.runs[:2]:
        assert (Path(r.path) / "daily.parquet").stat().st_mtime_ns == mtimes[r.run_id]
        # outcomes of skipped runs are recomputed from their Parquet files: the same numbers
        assert r.outcomes == next(x for x in r1.batch.runs if x.run_id == r.run_id).outcomes
    rows = catalog_rows(out)
    assert len(rows) == 3 and {r["status"] for r in rows.values()} == {"completed"}
    assert r1.batch.batch_id != r2.batch.batch_id  # another seed set is another batch (its runs are reused)
    dates, bands = read_bands(r2.folder / "bands.parquet")
    assert pq.read_table(r2.folder / "bands.parquet").column("runs").to_pylist()[0] == 3
    for b in bands.values():  # quantile bands are ordered, whatever the model's numbers
        qs = [b[q] for q in QUANTILES]
        for lo, hi in zip(qs, qs[1:], strict=False):
            assert np.all(lo <= hi + 1e-9 * np.abs(hi))


def test_failed_run_is_recorded_and_the_others_complete(tmp_path, small):
    out = tmp_path / "runs"
    good = make_specs(small, [1, 2], out, until=UNTIL)
    bad = make_specs(small, [1], out, until=UNTIL, overrides={"no_such_parameter": 1.0})
    res = run_batch(good[:1] + bad + good[1:], InProcess(), out, "etest", progress=False)
    assert [r.ok for r in res.runs] == [True, False, True]
    rows = catalog_rows(out)
    failed = rows[bad[0].run_id]
    assert failed["status"] == "failed" and "no_such_parameter" in failed["error"]
    assert failed["batch"] == "etest"
    for s in good:
        assert rows[s.run_id]["status"] == "completed"
        assert (Path(rows[s.run_id]["path"]) / "daily.parquet").is_file()
    # a re-run retries the failed run only
    calls: list[str] = []

    def counting(spec):
        calls.append(spec.run_id)
        return run_one(spec)

    run_batch(good + bad, InProcess(), out, "etest", progress=False, worker=counting)
    assert calls == [bad[0].run_id]


def test_ensemble_command_writes_the_batch_folder(tmp_path):
    from rightful.cli import main

    out = tmp_path / "runs"
    res = CliRunner().invoke(main, ["ensemble", str(DATA / "ens_small.toml"), "--seeds", "2", "--until",
                                    UNTIL, "--workers", "0", "--out", str(out), "--set", "claim_rate=0.01"])
    assert res.exit_code == 0, res.output
    (folder,) = (out / "batches").iterdir()
    for f in ("bands.parquet", "summary.json", "outcomes.csv", "report.html"):
        assert (folder / f).is_file(), f
    rows = catalog_rows(out)
    assert len(rows) == 2 and {r["batch"] for r in rows.values()} == {folder.name}
    bad = CliRunner().invoke(main, ["ensemble", str(DATA / "ens_small.toml"), "--set", "nope=1",
                                    "--out", str(out)])
    assert bad.exit_code == 2 and "nope" in bad.output
