"""A/B benchmark: the same configuration on another commit (A) and on the working tree (B), in one
command, interleaved (A B A B ...) so that drift in the machine's load falls on both sides.

Each run is one fresh child of ``benchmarks/scale.py`` (warm-up compile first, then the timed
run, resident bytes per agent measured the same way); only ``PYTHONPATH`` differs: A imports
``rightful`` from ``git archive REV src`` unpacked in a temporary folder, B from this tree.
Reported: the median run time of each side, B/A, and resident bytes per worker of each side.

    .venv/bin/python benchmarks/ab.py --rev 34ce1ec --scale 0.1 --threads 2 --repeats 2
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def unpack(rev: str, dest: Path) -> Path:
    """``src/`` of commit ``rev`` in ``dest`` (no worktree, nothing left in the repository)."""
    tar = dest / "src.tar"
    with open(tar, "wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], stdout=fh, check=True)
    with tarfile.open(tar) as t:
        t.extractall(dest, filter="data")
    return dest / "src"


def run(src: Path, cfg: dict[str, Any], timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        env = dict(os.environ, PYTHONPATH=str(src))
        cmd = [sys.executable, str(HERE / "scale.py"), "--child", json.dumps(cfg), "--child-out", str(out)]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        if p.returncode != 0 or not out.exists():
            raise SystemExit(f"run failed ({src}): {p.stdout[-1500:]}{p.stderr[-1500:]}")
        return json.loads(out.read_text())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rev", default="34ce1ec", help="commit A (default: the last commit before the process units)")
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--until", default=None, help="last day (default: the full horizon)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=2, help="runs of each side, interleaved")
    ap.add_argument("--timeout", type=float, default=3600.0)
    ap.add_argument("--out", default=None, help="write the result as JSON here")
    a = ap.parse_args()
    cfg = {"scale": a.scale, "threads": a.threads, "until": a.until, "seed": a.seed}
    with tempfile.TemporaryDirectory() as tmp:
        sides = {"A": unpack(a.rev, Path(tmp)), "B": ROOT / "src"}
        runs: dict[str, list[dict[str, Any]]] = {"A": [], "B": []}
        for i in range(a.repeats):
            for side in ("A", "B"):
                r = run(sides[side], cfg, a.timeout)
                runs[side].append(r)
                print(f"{side} #{i + 1}: run {r['run_wall_s']:.1f} s, {r['resident_bytes_per_agent_end']:.1f} B/agent "
                      f"at the end, load {r['loadavg1_before']:.1f}", file=sys.stderr)
    med = {s: statistics.median(r["run_wall_s"] for r in runs[s]) for s in runs}
    res = {"rev_A": a.rev, "B": "working tree", "config": cfg, "agents": runs["B"][0]["agents"],
           "median_run_s": med, "ratio_B_over_A": med["B"] / med["A"],
           "bytes_per_worker_row": {s: runs[s][0]["worker_row_bytes"] for s in runs},
           "resident_bytes_per_agent_end": {s: statistics.median(r["resident_bytes_per_agent_end"] for r in runs[s])
                                            for s in runs},
           "runs": runs}
    print(json.dumps({k: v for k, v in res.items() if k != "runs"}, indent=1))
    if a.out:
        Path(a.out).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
