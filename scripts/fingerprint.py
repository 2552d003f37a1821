"""Print a fingerprint (SHA-256) of a run's numbers: every daily series and every event log.

Why: a refactor must change no number. Run this before and after a change, on the same scenario,
seed, scale and horizon; equal fingerprints mean the runs are bit-identical. Series are hashed by
name (sorted), so reordering columns does not change the fingerprint.

    .venv/bin/python scripts/fingerprint.py [--scenario S] [--seed N] [--scale X] [--until DATE]
"""

from __future__ import annotations

import argparse
import hashlib

import numpy as np

from rightful.model import simulate
from rightful.scenarios.loader import load


def fingerprint(r) -> tuple[str, dict[str, str]]:
    parts: dict[str, str] = {}
    s = r.series
    for name in sorted(s.names):
        col = np.ascontiguousarray(s.daily[:, :, s.index[name]])
        parts[f"series.{name}"] = hashlib.sha256(col.tobytes()).hexdigest()
    for log, cols in sorted(r.logs.items()):
        for c in sorted(cols):
            parts[f"{log}.{c}"] = hashlib.sha256(np.ascontiguousarray(cols[c]).tobytes()).hexdigest()
    h = hashlib.sha256("".join(f"{k}={v};" for k, v in sorted(parts.items())).encode()).hexdigest()
    return h, parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="prd-2003-2010")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--scale", type=float, default=0.002)
    ap.add_argument("--until", default=None)
    ap.add_argument("--parts", help="write the per-series hashes to this file")
    a = ap.parse_args()
    r = simulate(load(a.scenario), seed=a.seed, scale=a.scale, until=a.until)
    h, parts = fingerprint(r)
    if a.parts:
        with open(a.parts, "w") as fh:
            fh.writelines(f"{k} {v}\n" for k, v in sorted(parts.items()))
    print(h)


if __name__ == "__main__":
    main()
