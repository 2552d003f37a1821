"""Where the runs of a batch execute: in this process, in local processes, or on a Dask cluster.

Why one small interface: the batch driver only needs to submit a picklable function with one
argument and to collect results in completion order, so it can register each run in the catalog
as soon as it finishes. Behind that, a laptop uses a spawn-safe process pool, a workstation or a
SLURM/PBS allocation uses Dask (``distributed.Client``), and tests or debugging use the current
process. The simulation itself is the same function everywhere, so numbers do not depend on the
executor (tests check this bit for bit).

Local worker processes watch their parent: if the driver dies (``kill -9`` included, which no
handler can catch), each worker notices within a second that it has been orphaned and exits, so
no run goes on that the catalog would never learn of. Runs already written are found by the next
call (batch.py) and not redone.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol


class Executor(Protocol):
    """The two things a batch needs from an executor, plus closing it."""

    name: str

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        """Start ``fn(arg)``; return a future-like object with ``.result()``."""

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]:
        """Yield the futures as they finish."""

    def close(self) -> None:
        """Release workers (a cluster the caller passed in is left running)."""


class _Done:
    """A finished 'future' for the in-process executor."""

    def __init__(self, fn: Callable[[Any], Any], arg: Any) -> None:
        self.fn, self.arg = fn, arg

    def result(self) -> Any:
        return self.fn(self.arg)


class InProcess:
    """Runs each task in the calling process when its result is asked for (debugging, tests,
    ``--workers 0``). Lazy evaluation keeps one run's arrays alive at a time."""

    name = "in-process"

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> _Done:
        return _Done(fn, arg)

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]:
        yield from futures

    def close(self) -> None:
        pass


WATCH_S = 0.5  # how often a worker checks that its parent is alive


def _watch(parent: int, every: float) -> None:
    while True:
        time.sleep(every)
        if os.getppid() != parent:  # reparented: the driver is gone
            os._exit(70)


def watch_parent(parent: int, every: float = WATCH_S) -> None:
    """Pool initializer: exit this worker as soon as ``parent`` is no longer its parent."""
    if os.getppid() != parent:
        os._exit(70)
    threading.Thread(target=_watch, args=(parent, every), daemon=True, name="rightful-watch-parent").start()


class LocalProcesses:
    """A pool of ``workers`` local processes started with 'spawn' (safe with Numba's threads and
    on every OS: nothing of the driver's state is forked into the workers); each worker exits when
    the driver dies."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.name = f"{self.workers} local processes"
        self.pool = cf.ProcessPoolExecutor(max_workers=self.workers,
                                           mp_context=multiprocessing.get_context("spawn"),
                                           initializer=watch_parent, initargs=(os.getpid(),))

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> cf.Future:
        return self.pool.submit(fn, arg)

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]:
        return cf.as_completed(list(futures))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskCluster:
    """A Dask distributed cluster, given its scheduler address or an existing ``Client``.

    Workers must import the same ``rightful`` and see the ``--out`` folder (a shared file
    system on a cluster): each writes its own run folder there; only the driver writes the
    catalog.
    """

    def __init__(self, scheduler: str | Any) -> None:
        from distributed import Client

        if isinstance(scheduler, str):
            self.client = Client(scheduler)
            self._own = True
        else:
            self.client = scheduler
            self._own = False
        self.name = f"dask {self.client.scheduler.address}"

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        # pure=False: two runs with equal arguments are still two tasks (a failed run may be retried)
        return self.client.submit(fn, arg, pure=False)

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed

        return iter(as_completed(list(futures)))

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_executor(workers: int | None = None, scheduler: str | Any | None = None) -> Executor:
    """Dask when a scheduler is given, the calling process for ``workers == 0``, else a pool."""
    if scheduler is not None:
        return DaskCluster(scheduler)
    if workers == 0:
        return InProcess()
    return LocalProcesses(workers)
