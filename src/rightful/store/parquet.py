"""Write a run's results as Parquet files in its own folder, atomically.

Layout of ``<out>/<run_id>/``: ``daily.parquet`` (one row per date and city, one column per
series), ``strikes.parquet`` (one row per strike), ``ngo_events.parquet``, ``policy.parquet``
(endogenous policy adjustments), ``events.parquet`` (the dated events applied) and ``run.json``
(everything that produced the run). A run is written whole into a temporary folder in the runs
folder (``.tmp-<run id>-<host>-<pid>-<random>``) and renamed into place in one step, so a run
killed at any moment leaves either a complete folder or nothing under its id; temporary folders of
processes that died are removed by ``clean_stale`` (before a run, and after a batch).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..model import RunResult
from ..population.codes import MGMT, OFFICIAL, OUTCOMES, PRESS
from ..population.schema import CAUSES
from ..processes import STOCKS

_CODE_HASH: str | None = None


def code_hash() -> str:
    """Hash of the package's source and data files: a run id changes when the model does, so an
    ensemble never resumes onto runs made by other code."""
    global _CODE_HASH
    if _CODE_HASH is None:
        root = Path(__file__).resolve().parents[1]
        h = hashlib.sha256()
        for p in sorted(root.rglob("*")):
            if p.suffix in (".py", ".toml", ".csv") and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
        _CODE_HASH = h.hexdigest()[:16]
    return _CODE_HASH


def run_id(scenario_hash: str, seed: int, scale: float, until: str | None,
           overrides: dict[str, float] | None = None) -> str:
    """Deterministic id: the same scenario content, seed, scale, horizon, overrides, version and
    model code give the same id (so ensembles can skip runs already done)."""
    blob = json.dumps([scenario_hash, seed, scale, until, sorted((overrides or {}).items()), __version__,
                       code_hash()], default=str).encode()
    return "r" + hashlib.sha256(blob).hexdigest()[:12]


def git_commit() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _write_table(table: pa.Table, path: Path) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def daily_table(r: RunResult) -> pa.Table:
    s = r.series
    n_days, n_c, _ = s.daily.shape
    cols: dict[str, Any] = {
        "date": pa.array(np.repeat(r.dates, n_c).astype("datetime64[D]")),
        "city": pa.array(np.tile(np.array(r.cities, dtype=object), n_days)),
    }
    for k, name in enumerate(s.names):
        cols[name] = pa.array(s.daily[:, :, k].reshape(-1))
    return pa.table(cols)


def strikes_table(r: RunResult) -> pa.Table:
    lg = r.logs["strikes"]
    d0 = r.dates[0]
    zones = np.array(r.meta["zones"], dtype=object)
    cities = np.array(r.cities, dtype=object)
    n = len(lg["strike"])
    return pa.table({
        "strike": lg["strike"], "firm": lg["firm"],
        "zone": pa.array(zones[lg["zone"]] if n else np.array([], dtype=object), pa.string()),
        "city": pa.array(cities[lg["city"]] if n else np.array([], dtype=object), pa.string()),
        "start": pa.array((d0 + lg["start"].astype("timedelta64[D]")).astype("datetime64[D]")),
        "end": pa.array((d0 + lg["end"].astype("timedelta64[D]")).astype("datetime64[D]")),
        "days": lg["end"] - lg["start"] + 1,
        "peak_size": lg["peak"], "workers_weighted": lg["workers_weighted"],
        "escalated": lg["escalated"].astype(bool), "covered": lg["covered"].astype(bool),
        "press": pa.array(np.array(PRESS, dtype=object)[lg["press"]], pa.string()),
        "organised": lg["organised"].astype(bool),
        "official_response": pa.array(np.array(OFFICIAL, dtype=object)[lg["official"]], pa.string()),
        "management_response": pa.array(np.array(MGMT, dtype=object)[lg["management"]], pa.string()),
        "outcome": pa.array(np.array(OUTCOMES, dtype=object)[lg["outcome"]], pa.string()),
        "wage_change": lg["wage_change"], "ot_change": lg["ot_change"],
        "cause": pa.array(np.array(CAUSES, dtype=object)[lg["cause"]], pa.string()),
        "weight": lg["weight"],
    })


def events_table(r: RunResult) -> pa.Table:
    ev = r.events
    return pa.table({
        "date": pa.array([e.date for e in ev], pa.date32()),
        "day": [e.day for e in ev], "label": [e.label for e in ev],
        "param": pa.array([e.param or (f"firm:{e.firm}.{e.attribute}" if e.firm else None) for e in ev],
                          pa.string()),
        "op": pa.array([e.op for e in ev], pa.string()), "value": [e.value for e in ev],
        "zones": pa.array([list(e.zones) for e in ev], pa.list_(pa.int32())),
    })


def metadata(r: RunResult, rid: str, overrides: dict[str, float] | None, until: str | None,
             started: str, ended: str) -> dict[str, Any]:
    return {
        "run_id": rid, "scenario": r.scenario, "scenario_hash": r.scenario_hash, "seed": r.seed,
        "scale": r.scale, "until": until, "overrides": overrides or {}, "version": __version__,
        "git_commit": git_commit(), "code_hash": code_hash(), "started": started, "ended": ended, "wall_s": r.wall_s,
        "cpu_per_process": r.timings, "agents": r.agents, "firms": r.firms,
        "bytes_per_worker": r.bytes_per_worker, "cities": r.cities, "zones": r.meta.get("zones"),
        "start": r.meta.get("start"), "end": r.meta.get("end"), "params": r.params,
        "stocks": list(STOCKS), "series": list(r.series.names),
        "events_skipped_for_overrides": list(r.meta.get("events_skipped_for_overrides") or []),
    }


TMP_PREFIX = ".tmp-"


def _tmp_name(rid: str) -> str:
    host = "".join(c if c.isalnum() else "_" for c in socket.gethostname())[:40]
    return f"{TMP_PREFIX}{rid}-{host}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def write_run(r: RunResult, out: Path, rid: str, meta: dict[str, Any]) -> Path:
    """Write the run's files into a temporary folder, then rename it to ``out/<rid>`` atomically.
    A folder already there (the same run made again: same id, same numbers) is replaced."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    d = out / rid
    tmp = out / _tmp_name(rid)
    tmp.mkdir()
    try:
        _write_table(daily_table(r), tmp / "daily.parquet")
        _write_table(strikes_table(r), tmp / "strikes.parquet")
        ng = r.logs["ngos"]
        _write_table(pa.table({k: v for k, v in ng.items()}), tmp / "ngo_events.parquet")
        _write_table(pa.table({k: v for k, v in r.logs["policy"].items()}), tmp / "policy.parquet")
        _write_table(events_table(r), tmp / "events.parquet")
        (tmp / "run.json").write_text(json.dumps(meta, indent=1, default=str))
        _publish(tmp, d)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return d


def _publish(tmp: Path, d: Path) -> None:
    try:
        os.rename(tmp, d)
        return
    except OSError:
        if not d.exists():
            raise
    # the same run exists (made before, or by a concurrent process): swap ours in
    old = d.parent / _tmp_name(d.name + "-old")
    try:
        os.rename(d, old)
    except FileNotFoundError:
        pass
    try:
        os.rename(tmp, d)
    except OSError:
        if not d.is_dir():  # lost a race to a third process: its copy has the same numbers
            raise
        shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs. A killed process whose parent has not yet reaped it (a
    zombie: a Dask worker killed under a nanny or a test) answers signal 0, but it will never
    finish its folder, so it counts as dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (not Linux) or gone meanwhile: trust signal 0
        return True
    return stat[stat.rfind(")") + 2:][:1] not in ("Z", "X")


def clean_stale(out: Path) -> list[Path]:
    """Remove the temporary folders left by runs of this host whose process has died."""
    host = "".join(c if c.isalnum() else "_" for c in socket.gethostname())[:40]
    gone = []
    for p in Path(out).glob(f"{TMP_PREFIX}*"):
        parts = p.name.split("-")
        try:
            pid = int(parts[-2])
        except (IndexError, ValueError):
            continue
        if parts[-3] == host and not _alive(pid):
            shutil.rmtree(p, ignore_errors=True)
            gone.append(p)
    return gone
