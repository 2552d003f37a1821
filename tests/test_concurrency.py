"""Issue 16, point 3: any number of runs, ensembles and readers on one runs folder at once all
succeed. Eight ``rightful run`` processes and an ``ensemble`` write into the same folder while
``runs list`` keeps reading it: writers hold the catalog only to register (retrying while another
holds it), readers open it read-only.
"""

from __future__ import annotations

import json
import time

from tests.test_faults import SMALL, cli, rightful, run_folders, warm  # noqa: F401 - warm is a fixture


def test_eight_runs_and_an_ensemble_at_once_while_runs_list_reads(tmp_path, warm) -> None:  # noqa: F811
    out = tmp_path / "runs"
    until = "2003-03-31"
    ens = rightful("ensemble", SMALL, "--seeds", "3", "--first-seed", "101", "--workers", "0", "--until", until,
                   "--out", str(out), "--no-report")
    runs = [rightful("run", SMALL, "--seed", str(s), "--until", until, "--out", str(out), "--no-report")
            for s in range(1, 9)]
    procs = [ens, *runs]
    reads = seen = 0
    deadline = time.monotonic() + 240
    try:
        while any(p.poll() is None for p in procs):
            assert time.monotonic() < deadline, "concurrent runs did not finish in time"
            if (out / "catalog.duckdb").exists():
                ls = cli("runs", "list", "--out", str(out), "--limit", "100")
                assert ls.exit_code == 0, ls.output  # a reader never fails while others write
                reads += 1
                seen = max(seen, ls.stdout.count("ens-small"))
            time.sleep(0.25)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    results = [p.communicate() for p in procs]
    for p, (_so, se) in zip(procs, results, strict=True):
        assert p.returncode == 0, se
    assert reads > 0
    ls = cli("runs", "list", "--out", str(out), "--limit", "100")
    assert ls.exit_code == 0 and ls.stdout.count("completed") == 11, ls.output
    assert len(run_folders(out)) == 11 and not list(out.glob(".tmp-*"))
    summary = json.loads(next((out / "batches").glob("*/summary.json")).read_text())
    assert summary["completed"] == 3 and summary["seeds"] == [101, 102, 103]
