"""Settings of the web laboratory: where runs live and the ceilings that every request respects.

Why explicit ceilings: the page lets anyone on the machine start simulations, and one request for
scale 1.0 over 40 seeds would hold both cores for hours. The server refuses such requests with a
message (4xx) instead of queueing them; the operator raises the ceilings with `rightful serve`
options when the machine can afford it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _default_workers() -> int:
    return max(1, min(2, (os.cpu_count() or 2) // 2))


@dataclass(frozen=True)
class Settings:
    """What one server may do.

    ``max_jobs`` runs are simulated at once (each in its own worker process, so Numba's thread
    pool is never entered from two threads); ``max_queue`` runs may wait behind them.
    """

    runs: Path = Path("runs")
    max_scale: float = 0.05
    max_seeds: int = 8
    max_scenarios: int = 4
    max_jobs: int = _default_workers()
    max_queue: int = 32
    threads: int | None = None  # Numba threads per run (default: cores / max_jobs)

    def threads_per_run(self) -> int:
        if self.threads:
            return self.threads
        return max(1, (os.cpu_count() or 1) // max(1, self.max_jobs))
