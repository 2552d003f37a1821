"""The job queue: runs simulated in worker processes, their progress, their registration.

Why processes: Numba's parallel kernels must not be entered from two threads of one process, and
a run that crashes must not take the server with it. A small pool of spawned workers (at most
``Settings.max_jobs`` runs at once, each with its share of the cores) simulates and writes each
run's Parquet files; the server alone registers runs in the catalog (DuckDB has one writer).
Workers report progress through a queue that one pump thread turns into job state; the page
follows that state over server-sent events. A run whose folder is already there (run ids are
deterministic) is not simulated again.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from .config import Settings
from .data import RunStore
from .validate import RequestError

_QUEUE: Any = None  # the worker's progress queue (set by _init_worker)


def _orphan_watch(parent: int) -> None:
    """A worker whose server died (even by SIGKILL) exits instead of waiting for work forever."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(3)


def _init_worker(queue: Any, threads: int, parent: int) -> None:
    global _QUEUE
    _QUEUE = queue
    threading.Thread(target=_orphan_watch, args=(parent,), name="rightful-orphan-watch", daemon=True).start()
    from ..model import set_threads

    set_threads(threads)


def _simulate(job_id: str, index: int, spec: dict[str, Any], root: str) -> tuple[dict[str, Any], str]:
    """Worker side: simulate one run and write its folder; returns (metadata, folder)."""
    from ..runner import execute
    from ..scenarios.loader import load

    _QUEUE.put((job_id, index, "running", 0, 0))
    last = [0.0]

    def progress(day: int, days: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.2 or day == days:
            last[0] = now
            _QUEUE.put((job_id, index, "running", day, days))

    done = execute(load(spec["scenario"]), spec["seed"], spec["scale"], spec["until"], Path(root),
                   spec["overrides"] or None, progress)
    return json.loads(json.dumps(done.meta, default=str)), str(done.path)


class Job:
    """One request: one or more runs (seeds, scenarios), its state and a version that changes with it."""

    def __init__(self, kind: str, specs: list[dict[str, Any]]) -> None:
        self.id = "j" + uuid.uuid4().hex[:12]
        self.kind = kind
        self.created = time.time()
        self.runs = [{**s, "status": "queued", "day": 0, "days": 0, "error": None, "cached": False}
                     for s in specs]
        self.error: str | None = None
        self.version = 0
        self.lock = threading.Lock()

    @property
    def status(self) -> str:
        st = {r["status"] for r in self.runs}
        if st <= {"done", "failed"}:
            return "failed" if "failed" in st else "done"
        return "running" if st & {"running", "done", "failed"} else "queued"

    def update(self, index: int, **kw: Any) -> None:
        with self.lock:
            self.runs[index].update(kw)
            if kw.get("status") == "failed" and self.error is None:
                self.error = f"run {index + 1} ({self.runs[index]['scenario']}, seed " \
                             f"{self.runs[index]['seed']}) failed: {kw.get('error')}"
            self.version += 1

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            runs = [dict(r) for r in self.runs]
            version = self.version
        for r in runs:
            r["fraction"] = 1.0 if r["status"] == "done" else (r["day"] / r["days"] if r["days"] else 0.0)
        return {"id": self.id, "kind": self.kind, "status": self.status, "error": self.error,
                "created": self.created, "version": version, "runs": runs,
                "done": sum(r["status"] == "done" for r in runs), "total": len(runs),
                "fraction": sum(r["fraction"] for r in runs) / max(1, len(runs)),
                "run_ids": [r["run_id"] for r in runs]}


class JobQueue:
    """Bounded: at most ``max_jobs`` runs simulate at once and ``max_queue`` wait behind them."""

    def __init__(self, settings: Settings, store: RunStore) -> None:
        self.settings = settings
        self.store = store
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._queue: Any = None
        self._pump: threading.Thread | None = None
        self._pending = 0

    def _start(self) -> ProcessPoolExecutor:
        ctx = mp.get_context("spawn")
        if self._queue is None:
            self._queue = ctx.Queue()
            self._pump = threading.Thread(target=self._pump_progress, name="rightful-progress", daemon=True)
            self._pump.start()
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.settings.max_jobs, mp_context=ctx, initializer=_init_worker,
                                             initargs=(self._queue, self.settings.threads_per_run(), os.getpid()))
        return self._pool

    def _pump_progress(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job_id, index, status, day, days = item
            job = self.jobs.get(job_id)
            if job is not None and job.runs[index]["status"] not in ("done", "failed"):
                job.update(index, status=status, day=day, days=days or job.runs[index]["days"])

    def get(self, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            raise KeyError(f"no job {job_id} (jobs are kept while the server runs)")
        return job

    def submit(self, kind: str, specs: list[dict[str, Any]]) -> Job:
        """Queue the runs of one request; cached runs are done at once. RequestError (429) when full."""
        job = Job(kind, specs)
        todo = [i for i, s in enumerate(specs) if not self.store.completed(s["run_id"])]
        with self._lock:
            if self._pending + len(todo) > self.settings.max_queue:
                raise RequestError(f"the queue is full ({self._pending} runs waiting or running, at most "
                                   f"{self.settings.max_queue}); try again when they have finished", 429)
            self._pending += len(todo)
            self.jobs[job.id] = job
            while len(self.jobs) > 200:
                self.jobs.popitem(last=False)
        for i, s in enumerate(specs):
            if i not in todo:
                self._register_cached(job, i, s)
        for i in todo:
            args = (_simulate, job.id, i, {k: specs[i][k] for k in ("scenario", "seed", "scale", "until", "overrides")},
                    str(self.store.root))
            try:
                fut = self._start().submit(*args)
            except BrokenProcessPool:  # a worker died earlier (killed, out of memory): start afresh
                self._discard_pool()
                fut = self._start().submit(*args)
            fut.add_done_callback(lambda f, i=i: self._finished(job, i, f))
        return job

    def _discard_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _register_cached(self, job: Job, i: int, spec: dict[str, Any]) -> None:
        rid = spec["run_id"]
        try:
            if not self.store.runs_with(rid):
                meta = json.loads((self.store.root / rid / "run.json").read_text())
                self.store.register(meta, self.store.root / rid, batch=job.id)
            job.update(i, status="done", cached=True, day=1, days=1)
        except Exception as e:  # noqa: BLE001 - shown to the user, the server goes on
            job.update(i, status="failed", error=str(e))

    def _finished(self, job: Job, i: int, fut: Future) -> None:
        with self._lock:
            self._pending -= 1
        try:
            meta, path = fut.result()
            self.store.register(meta, Path(path), batch=job.id)
            job.update(i, status="done", day=job.runs[i]["days"] or 1, days=job.runs[i]["days"] or 1)
        except BrokenProcessPool:
            job.update(i, status="failed", error="its worker process died (out of memory, or killed)")
        except Exception as e:  # noqa: BLE001 - a failed run is reported, the server goes on
            job.update(i, status="failed", error=f"{type(e).__name__}: {e}")

    def pending(self) -> int:
        with self._lock:
            return self._pending

    def shutdown(self) -> None:
        """Stop the workers, runs in progress too (their files are written atomically, so an
        interrupted run leaves nothing behind that looks finished)."""
        pool = self._pool
        if pool is not None:
            procs = list(getattr(pool, "_processes", {}).values())
            self._discard_pool()
            for p in procs:
                if p.is_alive():
                    p.terminate()
        if self._queue is not None:
            self._queue.put(None)
            self._queue = None
