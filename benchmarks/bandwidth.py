"""STREAM-like memory bandwidth of this machine: copy and triad over arrays far larger than cache.

Why: rightful's daily loop streams worker columns from memory, so its speed limit is the memory
bandwidth divided by the bytes the loop touches per agent-day. ``benchmarks/scale.py`` calls
``measure`` in the same command as the model runs, at the same thread counts, to state how far
from that limit the model runs.

Kernels (float64, ``n`` elements each, Numba ``prange`` so the thread count is the Numba one):

- copy:  ``c[i] = a[i]``            counted as 16 bytes per element (one read, one write)
- triad: ``a[i] = b[i] + s * c[i]`` counted as 24 bytes per element (two reads, one write)

Bytes are counted as STREAM counts them (reads + writes; the write-allocate read of the
destination is not counted). The best of ``reps`` repetitions is reported, as STREAM does. A
single-threaded NumPy ``np.copyto`` figure is given for reference (it may use non-temporal
stores, so it can exceed the Numba copy).

Run alone: ``.venv/bin/python benchmarks/bandwidth.py [--mib 256] [--threads 1,2] [--reps 8]``.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numba
import numpy as np
from numba import njit, prange


@njit(parallel=True, cache=True)
def _copy(a: np.ndarray, c: np.ndarray) -> None:
    for i in prange(a.shape[0]):
        c[i] = a[i]


@njit(parallel=True, cache=True)
def _triad(a: np.ndarray, b: np.ndarray, c: np.ndarray, s: float) -> None:
    for i in prange(a.shape[0]):
        a[i] = b[i] + s * c[i]


def _best(fn: Any, reps: int) -> float:
    """Shortest wall time of ``reps`` calls of ``fn``."""
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def measure(threads: list[int], mib: int = 256, reps: int = 8) -> dict[str, Any]:
    """Copy and triad bandwidth (GB/s, 1e9 bytes) at each thread count, arrays of ``mib`` MiB each.

    Three float64 arrays of ``mib`` MiB are allocated (3 x 256 MiB by default, far above any L3).
    """
    n = mib * (1 << 20) // 8
    a = np.full(n, 1.0)
    b = np.full(n, 2.0)
    c = np.full(n, 0.5)
    old = numba.get_num_threads()
    out: dict[str, Any] = {"array_mib": mib, "reps": reps, "elements": n, "byte_counting": "STREAM",
                           "numba": {}}
    try:
        for t in threads:
            numba.set_num_threads(t)
            _copy(a, c)  # compile / load and fault the pages in
            _triad(a, b, c, 3.0)
            tc = _best(lambda: _copy(a, c), reps)
            tt = _best(lambda: _triad(a, b, c, 3.0), reps)
            out["numba"][str(t)] = {"copy_gbs": 16.0 * n / tc / 1e9, "triad_gbs": 24.0 * n / tt / 1e9}
    finally:
        numba.set_num_threads(old)
    tn = _best(lambda: np.copyto(c, a), reps)
    out["numpy_copyto_1thread_gbs"] = 16.0 * n / tn / 1e9
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mib", type=int, default=256, help="size of each of the three arrays (MiB)")
    ap.add_argument("--threads", default="1,2", help="comma-separated Numba thread counts")
    ap.add_argument("--reps", type=int, default=8, help="repetitions; the best is kept")
    args = ap.parse_args()
    res = measure([int(t) for t in args.threads.split(",")], args.mib, args.reps)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
