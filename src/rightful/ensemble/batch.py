"""Run a batch of runs (seeds x scenarios x parameter points) on an executor, resumably.

Why this shape:
- Each run has a deterministic id (scenario content, seed, scale, horizon, overrides, version),
  so the driver asks the catalog which ids are already completed and submits only the rest:
  re-running an interrupted command picks up where it stopped. A run folder that is complete
  but was never registered (the driver was killed between the two) is registered, not redone.
- Workers only simulate and write their own Parquet folder (``runner.execute``, atomically); the
  driver registers each run as it completes, with ``batch`` set, holding the catalog only for
  that moment, so other commands can read and write the same folder meanwhile.
- A batch id covers everything that defines the batch: its kind, what the caller names (scenarios,
  design...), every run id (scenario content, seeds, scale, horizon, overrides, version, code),
  the outcomes; so no two different batches share a folder.
- A run that raises is recorded as 'failed' with its error text; the others go on.
- The driver keeps a few scalar outcomes per run (``outcomes.py``), never the runs' arrays;
  bands are computed afterwards from the Parquet files (``reduce.py``).
"""

from __future__ import annotations

import hashlib
import json
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..scenarios.loader import Loaded
from ..store import catalog
from ..store.parquet import clean_stale, code_hash, run_id
from . import outcomes as O
from .executors import Executor


@dataclass(frozen=True)
class RunSpec:
    """One run to make: everything ``runner.execute`` needs, picklable for any executor.

    The loaded scenario travels with the spec (not its path), so a worker runs exactly the
    content the driver hashed, even on a machine where the file lives elsewhere.
    """

    loaded: Loaded
    seed: int
    scale: float
    until: str | None
    overrides: dict[str, float] | None
    out: str
    outcomes: tuple[str, ...] = tuple(O.OUTCOMES)
    threads: int = 1
    tag: dict[str, Any] = field(default_factory=dict)  # e.g. the design point of a sweep

    @property
    def run_id(self) -> str:
        return run_id(self.loaded.hash, self.seed, self.scale, self.until, self.overrides)

    def meta(self) -> dict[str, Any]:
        """What the catalog records for a run that produced nothing."""
        return {"run_id": self.run_id, "scenario": self.loaded.name, "scenario_hash": self.loaded.hash,
                "seed": self.seed, "scale": self.scale, "until": self.until,
                "overrides": self.overrides or {}}


@dataclass
class RunOutcome:
    """What comes back from a worker: small by design."""

    run_id: str
    ok: bool
    meta: dict[str, Any]
    path: str | None = None
    error: str | None = None
    outcomes: dict[str, float] = field(default_factory=dict)
    skipped: bool = False
    tag: dict[str, Any] = field(default_factory=dict)


def run_one(spec: RunSpec) -> RunOutcome:
    """The worker function: simulate, write Parquet, compute the outcomes; never raises.

    Numba uses ``spec.threads`` threads (default 1): the parallelism of a batch comes from its
    processes, and several multi-threaded runs on the same cores slow each other down badly.
    Results do not depend on the thread count.
    """
    try:
        import numba

        from ..model import set_threads
        from ..runner import execute

        set_threads(max(1, min(spec.threads, numba.config.NUMBA_NUM_THREADS)))

        done = execute(spec.loaded, spec.seed, spec.scale, spec.until, Path(spec.out), spec.overrides,
                       check_folder=False)
        vals = O.compute(done.path, spec.outcomes)
        return RunOutcome(done.run_id, True, done.meta, str(done.path), None, vals, tag=spec.tag)
    except Exception as e:  # noqa: BLE001 - a failed run is data, not a crash of the batch
        err = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=6)}"
        return RunOutcome(spec.run_id, False, spec.meta(), None, err, tag=spec.tag)


def batch_id(kind: str, payload: Any, specs: Sequence[RunSpec] | None = None) -> str:
    """A deterministic id: the same command gives the same batch (and batch folder); a different
    seed set, first seed, scale, horizon, override, outcome list, version or model code gives
    another. Pass ``specs`` so that the runs themselves (and their outcomes) are covered."""
    runs = [[s.run_id, list(s.outcomes)] for s in specs] if specs is not None else None
    blob = json.dumps([kind, payload, runs, __version__, code_hash()], sort_keys=True, default=str).encode()
    return kind[:1] + hashlib.sha256(blob).hexdigest()[:11]


def batch_dir(out: Path | str, bid: str) -> Path:
    d = Path(out) / "batches" / bid
    d.mkdir(parents=True, exist_ok=True)
    return d


@dataclass
class BatchResult:
    """The outcome of every run of a batch, in the order of the specs."""

    batch_id: str
    runs: list[RunOutcome]

    @property
    def unique(self) -> list[RunOutcome]:
        """Each run once (a run asked for twice, e.g. a scenario compared with itself, is made once)."""
        return list({id(r): r for r in self.runs}.values())

    @property
    def completed(self) -> list[RunOutcome]:
        return [r for r in self.unique if r.ok]

    @property
    def failed(self) -> list[RunOutcome]:
        return [r for r in self.unique if not r.ok]

    @property
    def ran(self) -> list[RunOutcome]:
        """The runs made by this call (not found completed from an earlier one)."""
        return [r for r in self.unique if not r.skipped]


def _already_done(spec: RunSpec, rid: str) -> RunOutcome | None:
    """A completed run found on disk: its outcomes are recomputed from its Parquet files. Run
    folders appear whole (store.parquet.write_run), so one with its run.json is complete."""
    path = Path(spec.out) / rid
    if not (path / "daily.parquet").is_file() or not (path / "run.json").is_file():
        return None
    try:
        vals = O.compute(path, spec.outcomes)
        meta = json.loads((path / "run.json").read_text())
    except Exception:  # noqa: BLE001 - an unreadable folder is simply run again
        return None
    return RunOutcome(rid, True, meta, str(path), None, vals, skipped=True, tag=spec.tag)


def run_batch(specs: Sequence[RunSpec], executor: Executor, out: Path | str, bid: str,
              kind: str = "ensemble", progress: bool = True, console: Any = None,
              worker: Callable[[RunSpec], RunOutcome] = run_one) -> BatchResult:
    """Run the specs not yet completed, registering each in the catalog as it completes."""
    from ..inputs import check_out

    out = check_out(out, "out=")  # writable, catalog readable, stale temporary folders gone
    out.mkdir(parents=True, exist_ok=True)
    ids = [s.run_id for s in specs]
    results: dict[int, RunOutcome] = {}
    done_ids = catalog.completed(out, sorted(set(ids)))
    todo: list[int] = []
    first_of: dict[str, int] = {}
    for i, (s, rid) in enumerate(zip(specs, ids, strict=True)):
        if rid in first_of:  # the same run asked twice (e.g. a scenario compared with itself)
            continue
        first_of[rid] = i
        prev = _already_done(s, rid)
        if prev is not None:
            if rid not in done_ids:  # written, never registered: the driver died in between
                catalog.register(out, prev.meta, status="completed", path=prev.path, kind=kind, batch=bid)
            results[i] = prev
        else:
            todo.append(i)
    bar = _Bar(len(first_of), len(results), executor.name, bid, console) if progress else None
    try:
        futures = {}
        for i in todo:
            futures[executor.submit(worker, specs[i])] = i
        for fut in executor.as_completed(futures):
            i = futures[fut]
            try:
                res = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker died (killed, out of memory)
                res = RunOutcome(ids[i], False, specs[i].meta(), None,
                                 f"{type(e).__name__}: {e}", tag=specs[i].tag)
            if res.ok:
                catalog.register(out, res.meta, status="completed", path=res.path, kind=kind, batch=bid)
            else:
                catalog.register(out, res.meta, status="failed", error=res.error, path=None, kind=kind,
                                 batch=bid)
            results[i] = res
            if bar is not None:
                bar.advance(res.ok)
    finally:
        if bar is not None:
            bar.stop()
        clean_stale(out)
    runs = [results[first_of[rid]] for rid in ids]
    return BatchResult(bid, runs)


class _Bar:
    """A rich progress bar counting completed, failed and skipped runs."""

    def __init__(self, total: int, skipped: int, where: str, bid: str, console: Any) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.failed = 0
        self.prog = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[note]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                             console=console or Console(stderr=True))
        self.prog.start()
        self.skipped = skipped
        self.task = self.prog.add_task(f"batch {bid} on {where}", total=total, completed=skipped,
                                       note=self._note())

    def _note(self) -> str:
        return f"skipped {self.skipped}, failed {self.failed}"

    def advance(self, ok: bool) -> None:
        self.failed += 0 if ok else 1
        self.prog.update(self.task, advance=1, note=self._note())

    def stop(self) -> None:
        self.prog.stop()


def make_specs(loaded: Loaded, seeds: Sequence[int], out: Path | str, scale: float | None = None,
               until: str | None = None, overrides: dict[str, float] | None = None,
               outcomes: Sequence[str] | None = None, threads: int = 1,
               tag: dict[str, Any] | None = None) -> list[RunSpec]:
    """One spec per seed. Scale and overrides are normalised (the scenario's scale when none is
    given, values as floats) so that the same command always gives the same run ids."""
    sc = float(loaded.scenario.scale if scale is None else scale)
    ov = {k: float(v) for k, v in sorted((overrides or {}).items())} or None
    names = tuple(O.check(outcomes if outcomes is not None else O.OUTCOMES))
    return [RunSpec(loaded, int(s), sc, until, ov, str(Path(out).resolve()), names, threads, dict(tag or {}))
            for s in seeds]
