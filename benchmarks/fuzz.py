"""The long run of the fuzz test (tests/test_fuzz.py): many more Hypothesis examples of mutated
scenarios and command-line options, each of which must run to physical results or fail with a
clear message, no traceback and nothing written. Prints what the examples came to.

    .venv/bin/python benchmarks/fuzz.py [--examples 500]

Why outside the suite: the suite runs a dozen derandomised examples per property in seconds; this
explores far more inputs (random each time) and takes minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=500, help="Hypothesis examples per property")
    args = ap.parse_args()
    os.environ["RIGHTFUL_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path.insert(0, str(ROOT))
    import pytest

    t0 = time.perf_counter()
    rc = pytest.main(["-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_fuzz.py")])
    from tests import test_fuzz

    print(f"\n{args.examples} examples per property in {time.perf_counter() - t0:.0f} s:")
    for k, n in sorted(test_fuzz.SEEN.items()):
        print(f"  {k:40s} {n}")
    return int(rc)


if __name__ == "__main__":
    raise SystemExit(main())
