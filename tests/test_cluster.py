"""Issue 16, point 6: the cluster as users run it. A ``dask scheduler`` and two ``dask worker``
processes on 127.0.0.1 (ports chosen by the scheduler, written to a scheduler file), started here
and torn down at the end. An ensemble on them gives the same numbers as the local executor, bit
for bit, and survives a worker killed mid-batch: its runs are rescheduled, none is lost or
registered twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from rightful.ensemble.executors import DaskCluster, InProcess
from rightful.ensemble.seeds import run_ensemble
from rightful.scenarios.loader import load
from tests.test_faults import SMALL, env, run_folders, warm  # noqa: F401 - warm is a fixture

distributed = pytest.importorskip("distributed")
UNTIL = "2003-04-30"
DASK = Path(sys.executable).with_name("dask")


def _start(args: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    cmd = [str(DASK), *args] if DASK.exists() else [sys.executable, "-m", "dask", *args]
    return subprocess.Popen(cmd, cwd=cwd, env=env(), stdout=open(log, "w"), stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, warm):  # noqa: F811
    d = tmp_path_factory.mktemp("dask")
    sfile = d / "scheduler.json"
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(sfile)], d, d / "scheduler.log")]
    client = None
    try:
        deadline = time.monotonic() + 60
        while not sfile.exists():
            assert procs[0].poll() is None and time.monotonic() < deadline, (d / "scheduler.log").read_text()
            time.sleep(0.2)
        for name in ("a", "b"):
            procs.append(_start(["worker", "--scheduler-file", str(sfile), "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard", "--host", "127.0.0.1", "--name", name,
                                 "--memory-limit", "0"], d, d / f"worker-{name}.log"))
        address = json.loads(sfile.read_text())["address"]
        client = distributed.Client(address, timeout=30)
        client.wait_for_workers(2, timeout=60)
        yield client, procs
    finally:
        if client is not None:
            client.close()
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
        end = time.monotonic() + 3
        for p in procs:
            try:
                p.wait(max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)


def daily(run_dir: str) -> dict[str, np.ndarray]:
    t = pq.read_table(Path(run_dir) / "daily.parquet")
    return {c: t.column(c).to_numpy(zero_copy_only=False) for c in t.column_names}


def catalog_rows(out: Path) -> list[tuple]:
    from rightful.store.catalog import reading

    with reading(out) as cat:
        return cat.con.execute("SELECT run_id, status FROM runs").fetchall()


def test_dask_cluster_of_processes_gives_the_local_numbers_bit_for_bit(tmp_path, cluster) -> None:
    client, _ = cluster
    small = load(SMALL)
    local = run_ensemble(small, [1, 2, 3], tmp_path / "local", InProcess(), until=UNTIL, report=False,
                         progress=False)
    ex = DaskCluster(client)
    remote = run_ensemble(small, [1, 2, 3], tmp_path / "dask", ex, until=UNTIL, report=False, progress=False)
    ex.close()
    assert local.batch.batch_id == remote.batch.batch_id
    assert all(r.ok for r in remote.batch.runs), [r.error for r in remote.batch.runs]
    for a, b in zip(local.batch.runs, remote.batch.runs, strict=True):
        assert a.run_id == b.run_id and a.outcomes == b.outcomes
        da, db = daily(a.path), daily(b.path)
        assert da.keys() == db.keys() and all(np.array_equal(da[k], db[k]) for k in da)
    assert pq.read_table(local.folder / "bands.parquet").equals(pq.read_table(remote.folder / "bands.parquet"))


def test_a_worker_killed_mid_batch_loses_nothing(tmp_path, cluster) -> None:
    client, procs = cluster
    out = tmp_path / "runs"
    seeds = list(range(11, 17))
    pids = client.run(os.getpid)  # worker address -> pid
    victim = next(p for p in procs[1:] if p.pid in pids.values())
    result: dict = {}

    def drive() -> None:
        ex = DaskCluster(client)
        try:
            result["r"] = run_ensemble(load(SMALL), seeds, out, ex, until=UNTIL, report=False, progress=False)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            result["error"] = e

    t = threading.Thread(target=drive)
    t.start()
    deadline = time.monotonic() + 120
    addr = next(a for a, pid in pids.items() if pid == victim.pid)
    while not (run_folders(out) and client.processing().get(addr)):  # a run done, the victim busy
        assert t.is_alive() and time.monotonic() < deadline, result
        time.sleep(0.05)
    os.kill(victim.pid, signal.SIGKILL)
    t.join(180)
    assert not t.is_alive() and "error" not in result, result
    r = result["r"]
    assert [x.ok for x in r.batch.runs] == [True] * len(seeds), [x.error for x in r.batch.runs]
    rows = catalog_rows(out)
    assert sorted(rid for rid, _ in rows) == sorted(x.run_id for x in r.batch.runs)  # each once
    assert {s for _, s in rows} == {"completed"}
    assert len(run_folders(out)) == len(seeds) and not list(out.glob(".tmp-*"))
    for x in r.batch.runs:
        assert (Path(x.path) / "run.json").is_file()
