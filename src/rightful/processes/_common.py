"""Helpers shared by the process kernels: a firm's worker rows, a week's odds, blocks of firms.

Why: kernels read their parameters and columns as named groups (engine.declare); every sum that
feeds a result is accumulated per firm (each firm owned by one thread) and reduced in firm order
(engine.plan.to_cities), so totals are bit-identical whatever the number of threads.

Numba's on-disk cache is keyed on each kernel's own source file: after editing a helper here that
kernels elsewhere inline (``span``, ``week_odds``), delete the ``__pycache__`` folders under
``src/rightful`` so that those kernels are compiled again.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def span(f_start: np.ndarray, f_end: np.ndarray, f: int) -> tuple[np.uint64, np.uint64]:
    """A firm's worker rows as unsigned bounds: ``for i in range(*span(...))`` indexes without the
    negative-index check Numba adds for signed indices (about a fifth faster on streaming loops).
    Use only where ``i`` is just an index: arithmetic mixing uint64 and signed ints gives floats."""
    return np.uint64(f_start[f]), np.uint64(f_end[f])


@njit(cache=True, inline="always")
def week_odds(daily: float) -> float:
    """Odds of at least one event in seven days at a daily probability: 1 - (1 - p)**7, for the
    processes that draw a week's events in one draw on a firm's weekly turn (quits, new claims)."""
    y = 1.0 - daily
    y2 = y * y
    return 1.0 - y2 * y2 * y2 * y


FIRM_BLOCK = 256  # firms a parallel kernel hands to one call (see ``block``)


@njit(cache=True, inline="always")
def n_blocks(n: int) -> int:
    return (n + FIRM_BLOCK - 1) // FIRM_BLOCK


@njit(cache=True, inline="always")
def block(b: int, n: int) -> tuple[int, int]:
    """Firm rows [lo, hi) of block ``b`` of ``n`` firms.

    A parallel kernel whose loop writes through the named groups runs ``prange`` over blocks and
    calls an ordinary function per block, because stores through a namedtuple field inside a
    prange body are lost (engine.declare), while in a called function they are kept. That function
    is compiled with ``_nrt=False`` (no reference counting) when it allocates nothing: with
    counting, every array taken from a group is acquired and released, in the loops too, which
    costs more than the work (measured at scale 0.01: mobilisation 0.45 -> 2.4 ms a day, claims
    0.2 -> 0.42 ms), and a counted call that passes the groups costs microseconds. Results do not
    depend on the blocks: each firm belongs to one block and its sums go to its own row."""
    lo = b * FIRM_BLOCK
    return lo, min(lo + FIRM_BLOCK, n)
