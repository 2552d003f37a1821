"""Scale benchmark of rightful: speed, memory and distance from the memory-bandwidth limit.

For the default scenario (prd-2003-2010, 2003-01-01..2010-12-31, 2922 days) at each requested
scale and Numba thread count, one *fresh subprocess* per configuration:

1. imports rightful and runs a small warm-up simulation (scale 0.0005, one year), so every kernel
   is compiled or loaded from Numba's cache before anything is timed;
2. reads its resident set (``VmRSS``) as the *baseline* (a process that imported everything and
   has its kernels ready) and resets the peak (``/proc/self/clear_refs``);
3. builds the population (timed apart) and runs the horizon, timing the run (``RunResult.wall_s``);
4. reads ``VmHWM`` (peak resident) and ``VmRSS`` at the end and reports
   (peak - baseline) / agents and (end - baseline) / agents as resident bytes per agent, next to
   the tables' own bytes per agent (``Table.nbytes``) and the worker row (``nbytes_per_row``).

The parent also records each child's ``ru_maxrss`` through ``os.wait4`` (a cross-check of the
peak: it includes the warm-up, unlike ``VmHWM`` after the reset).

The physical bound: ``traffic_model`` counts the bytes of worker columns the daily plan streams
per agent-day (see its docstring for the method and the count), ``bandwidth.measure`` measures the
STREAM triad bandwidth at the same thread counts in the same command, and
bound = bandwidth / bytes-per-agent-day agent-days per second.

``--check-identical`` runs a short horizon at a mid scale at 1 and 2 threads and compares the
daily series, the event logs and the final worker table bit for bit.

Examples::

    .venv/bin/python benchmarks/scale.py                       # 0.001, 0.01, 0.1 x 1, 2 threads
    .venv/bin/python benchmarks/scale.py --scales 1 --threads 2 --until 2003-12-31
    .venv/bin/python benchmarks/scale.py --scales 0.001 --until 2003-03-31 --out /tmp/quick
    .venv/bin/python benchmarks/scale.py --check-identical
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import inspect
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
SCENARIO = "prd-2003-2010"
WARMUP_SCALE = 0.0005
WARMUP_UNTIL = "2003-12-31"
TRIAD = "triad_gbs"


# --------------------------------------------------------------------------------------------
# memory introspection (Linux /proc)
# --------------------------------------------------------------------------------------------


def proc_status_kib(field: str) -> int:
    """A ``/proc/self/status`` field in KiB (``VmRSS``, ``VmHWM``), 0 where unavailable."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak_rss() -> bool:
    """Reset this process's ``VmHWM`` to its current RSS (Linux >= 4.0); True on success."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# bytes touched per agent-day
# --------------------------------------------------------------------------------------------

# Worker columns each process streams on its common path, per call, as (column, mode, share):
# mode "r" read, "w" written only, "rw" read then written; share is the fraction of rows for
# which the column is touched on a call (1 = the whole column). Derived by reading the kernels
# in src/rightful/processes/ (state of the tree on the measurement date); rare branches
# (a quit, a new migrant, a claim step, a strike cascade) are not counted.
ACCESS: dict[str, list[tuple[str, str, float]]] = {
    # per paying firm (each firm pays on one day of the month): status, then gap, wage written,
    # arrears updated; the 'share' of a call is the share of firms paying that day (set at run time)
    "payroll": [("status", "r", 1.0), ("gap", "w", 1.0), ("wage", "w", 1.0), ("arrears", "rw", 1.0)],
    # every slot: status, read eight slots to a word; on the firm's weekly turn (1/7) the quit
    # decision reads status and grievance again
    "labour_market": [("status", "r", 1.0), ("status", "r", 1 / 7), ("griev", "r", 1 / 7)],
    # two passes: firm and (city, hometown) sums read aware and home; learning reads home and
    # ngo and updates aware
    "information": [("aware", "r", 1.0), ("home", "r", 1.0), ("home", "r", 1.0), ("ngo", "r", 1.0),
                    ("aware", "rw", 1.0)],
    # a firm's workers on its weekly turn (1/7), and every day while a news pulse is fresh in the
    # zone (above 0.01: ~130 days after each yearly minimum-wage change, counted as 0.3 of the other
    # days); trust only on the turn
    "grievance": [("status", "r", 0.4), ("aware", "r", 0.4), ("gap", "r", 0.4), ("arrears", "r", 0.4),
                  ("flags", "r", 0.4), ("griev", "w", 0.4), ("trust_c", "rw", 1 / 7), ("trust_l", "rw", 1 / 7)],
    # monthly; zones with an open NGO only (counted as all: an upper figure for this line)
    "ngos": [("ngo", "r", 1.0), ("status", "r", 1.0)],
    # monthly; firms with a branch count members (flags), those under the cap enrol (flags, status)
    "unions": [("flags", "r", 1.0), ("flags", "r", 1.0), ("status", "r", 1.0)],
    # new claims on the firm's weekly turn: claim, status, grievance, and local trust for the
    # (about half) above the threshold; firms with a stage ending that day are not counted
    "claims": [("claim", "r", 1 / 7), ("status", "r", 1 / 7), ("griev", "r", 1 / 7), ("trust_l", "r", 1 / 14)],
    # firms not on strike: arrears and home on the weekly turn while a hometown signal is alive,
    # and every day in the 30 days before the New Year (1/7 + 30/365); the reach test (status,
    # griev, thresh) on the weekly turn (1/7); rising-trigger days and cascades not counted
    "mobilisation": [("arrears", "r", 0.22), ("home", "r", 0.22), ("status", "r", 1 / 7),
                     ("griev", "r", 1 / 7), ("thresh", "r", 1 / 7)],
    # only firms with a strike under way touch their workers: not counted
    "strikes": [],
    # only firms on a later-firing day touch their workers: not counted
    "diffusion": [],
    "central_state": [],
    "observe": [("status", "r", 1.0), ("arrears", "r", 1.0), ("ngo", "r", 1.0), ("wage", "r", 1.0),
                ("aware", "r", 1.0), ("griev", "r", 1.0), ("trust_c", "r", 1.0), ("trust_l", "r", 1.0),
                ("gap", "r", 1.0), ("flags", "r", 1.0)],
}
MODE_FACTOR = {"r": 1, "w": 1, "rw": 2}  # STREAM counting: a read-modify-write moves the bytes twice


def kernel_columns(process: Any) -> list[str]:
    """Worker columns a process hands its kernels: every ``wk.<column>`` in its class source."""
    try:
        src = inspect.getsource(type(process))
    except (OSError, TypeError):
        return []
    return sorted(set(re.findall(r"\bwk\.([a-z_]\w*)\b", src)))


def traffic_model(sim: Any) -> dict[str, Any]:
    """Bytes of worker columns streamed per agent-day by the daily plan of ``sim``.

    Method: for each process of ``sim.plan`` the columns of ``ACCESS`` (read from the kernels)
    are priced at the schema's item size (``sim.world.workers.schema``), twice for a column read
    then written (STREAM counting: reads + writes, no write-allocate), times the share of rows
    touched, times the process's calls per day from its cadence mask over the calendar. Payroll
    runs daily but each firm pays once a month, so its share is months / days. Firm-, zone- and
    parameter-sized arrays are ignored (about 100 times fewer rows than workers).

    Also given, as a cross-check: the naive count "every worker column a process hands its
    kernels (parsed from its ``step`` source), streamed once per call".
    """
    cal = sim.cal
    itemsize = {k: v.itemsize for k, v in sim.world.workers.schema.items()}
    n_days = cal.n_days
    months = int((cal.day_of_month() == 1).sum())
    per_process: dict[str, Any] = {}
    total = 0.0
    naive_total = 0.0
    for p in sim.plan.processes:
        calls_per_day = float(p.cadence.mask(cal).sum()) / n_days
        share = months / n_days if p.name == "payroll" else 1.0
        acc = ACCESS.get(p.name)
        per_call = sum(itemsize[c] * MODE_FACTOR[m] * s for c, m, s in acc) * share if acc is not None else None
        cols = kernel_columns(p)
        naive = sum(itemsize[c] for c in cols if c in itemsize)
        entry = {"cadence": str(p.cadence), "calls_per_day": calls_per_day, "bytes_per_call": per_call,
                 "bytes_per_agent_day": None if per_call is None else per_call * calls_per_day,
                 "kernel_columns": cols, "naive_bytes_per_agent_day": naive * calls_per_day,
                 "counted": acc is not None}
        if per_call is not None:
            total += per_call * calls_per_day
        naive_total += naive * calls_per_day
        per_process[p.name] = entry
    return {"bytes_per_agent_day": total, "naive_bytes_per_agent_day": naive_total,
            "worker_row_bytes": int(sum(itemsize.values())), "per_process": per_process,
            "uncounted_processes": [k for k, v in per_process.items() if not v["counted"]]}


# --------------------------------------------------------------------------------------------
# child: one configuration in a fresh process
# --------------------------------------------------------------------------------------------


def _save_state(path: str, res: Any, sim: Any) -> None:
    """Daily series, event logs and the final worker table, for the bit-for-bit comparison."""
    arrays: dict[str, np.ndarray] = {"series.daily": res.series.daily}
    for log, cols in res.logs.items():
        for k, v in cols.items():
            arrays[f"log.{log}.{k}"] = v
    for k, v in sim.world.workers.columns().items():
        arrays[f"workers.{k}"] = v
    np.savez(path, **arrays)


def child(cfg: dict[str, Any]) -> dict[str, Any]:
    """Run one configuration (``scale``, ``threads``, ``until``, ``seed``) and measure it."""
    t_start = time.perf_counter()
    import numba

    from rightful.model import Simulation, set_threads
    from rightful.scenarios.loader import load

    threads = int(cfg["threads"])
    if threads > numba.config.NUMBA_NUM_THREADS:
        raise SystemExit(f"{threads} threads requested, Numba allows {numba.config.NUMBA_NUM_THREADS}")
    set_threads(threads)
    loaded = load(SCENARIO)
    t0 = time.perf_counter()
    warm = Simulation(loaded, seed=cfg["seed"], scale=WARMUP_SCALE, until=WARMUP_UNTIL)
    warm.run()
    del warm
    import gc

    gc.collect()
    warmup_s = time.perf_counter() - t0
    try:
        layer = numba.threading_layer()
    except ValueError:
        layer = "none"
    baseline_kib = proc_status_kib("VmRSS")
    peak_reset = reset_peak_rss()
    t0 = time.perf_counter()
    sim = Simulation(loaded, seed=cfg["seed"], scale=cfg["scale"], until=cfg["until"])
    build_s = time.perf_counter() - t0
    after_build_kib = proc_status_kib("VmRSS")
    load_before = os.getloadavg()[0]
    cpu0 = time.process_time()
    res = sim.run()
    run_cpu_s = time.process_time() - cpu0
    load_after = os.getloadavg()[0]
    end_kib = proc_status_kib("VmRSS")
    hwm_kib = proc_status_kib("VmHWM")
    agents = int(res.agents)
    days = len(res.dates)
    burn = int(res.meta.get("burn_in_days", 0))  # simulated before the first recorded day, then discarded
    simulated = days + burn
    tables = {k: {"rows": t.n, "nbytes": t.nbytes, "nbytes_per_row": t.nbytes_per_row}
              for k, t in sim.world.tables.items()}
    cpu_total = sum(v["cpu_s"] for v in res.timings.values())
    wall_total = sum(v["wall_s"] for v in res.timings.values())
    processes = {k: dict(v, cpu_share=v["cpu_s"] / cpu_total if cpu_total else 0.0,
                         wall_share=v["wall_s"] / wall_total if wall_total else 0.0)
                 for k, v in res.timings.items()}
    out: dict[str, Any] = {
        "scale": cfg["scale"], "threads": threads, "seed": cfg["seed"], "start": res.meta["start"],
        "end": res.meta["end"], "days": days, "burn_in_days": burn,
        "burn_in_share_of_run": burn / simulated if simulated else 0.0, "agents": agents, "firms": int(res.firms),
        "warmup_s": warmup_s, "build_s": build_s, "run_wall_s": res.wall_s, "run_cpu_s": run_cpu_s,
        "run_cores_used": run_cpu_s / res.wall_s, "loadavg1_before": load_before, "loadavg1_after": load_after,
        "threading_layer": layer,
        "agent_days": agents * simulated, "agent_days_per_s": agents * simulated / res.wall_s,
        "rss_baseline_mib": baseline_kib / 1024, "rss_after_build_mib": after_build_kib / 1024,
        "rss_end_mib": end_kib / 1024, "rss_peak_mib": hwm_kib / 1024, "peak_reset": peak_reset,
        "resident_bytes_per_agent_peak": (hwm_kib - baseline_kib) * 1024 / agents,
        "resident_bytes_per_agent_end": (end_kib - baseline_kib) * 1024 / agents,
        "table_bytes_per_agent_workers": tables["workers"]["nbytes"] / agents,
        "table_bytes_per_agent_all": sum(t["nbytes"] for t in tables.values()) / agents,
        "worker_row_bytes": sim.world.workers.nbytes_per_row, "tables": tables,
        "processes": processes, "process_cpu_s": cpu_total, "process_wall_s": wall_total,
        "traffic": traffic_model(sim), "child_total_s": 0.0,
    }
    if cfg.get("save"):
        _save_state(cfg["save"], res, sim)
    out["child_total_s"] = time.perf_counter() - t_start
    return out


# --------------------------------------------------------------------------------------------
# parent: spawn children, measure bandwidth, report
# --------------------------------------------------------------------------------------------


def run_child(cfg: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run ``child(cfg)`` in a fresh interpreter; add its ``ru_maxrss`` (``os.wait4``) to the result."""
    with tempfile.TemporaryDirectory() as tmp:
        out_path = Path(tmp) / "result.json"
        log_path = Path(tmp) / "child.log"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(cfg), "--child-out", str(out_path)]
        with open(log_path, "w") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
            killed = threading.Event()

            def _kill() -> None:
                killed.set()
                proc.kill()

            timer = threading.Timer(timeout, _kill)
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)
        if killed.is_set():
            return dict(cfg, error=f"timed out after {timeout:.0f} s")
        if proc.returncode != 0 or not out_path.exists():
            return dict(cfg, error=f"exit {proc.returncode}: {log_path.read_text()[-2000:]}")
        res = json.loads(out_path.read_text())
        res["ru_maxrss_mib"] = usage.ru_maxrss / 1024  # Linux: KiB
        return res


def load_bandwidth_module() -> Any:
    """Import benchmarks/bandwidth.py (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("rightful_bench_bandwidth", HERE / "bandwidth.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def machine() -> dict[str, Any]:
    """nproc, CPU model, memory, load average, versions."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    import numba

    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_gib": round(mem_kib / 2**20, 1),
            "loadavg": os.getloadavg(), "python": platform.python_version(), "numpy": np.__version__,
            "numba": numba.__version__, "platform": platform.platform()}


def parse_until(spec: str | None) -> dict[float | None, str | None]:
    """``--until``: a date for every scale, or ``SCALE=DATE,...``; returns {scale or None: date}."""
    if not spec:
        return {None: None}
    out: dict[float | None, str | None] = {}
    for part in spec.split(","):
        if "=" in part:
            s, d = part.split("=", 1)
            out[float(s)] = str(dt.date.fromisoformat(d.strip()))
        else:
            out[None] = str(dt.date.fromisoformat(part.strip()))
    return out


def add_bound(r: dict[str, Any], bw: dict[str, Any]) -> None:
    """Bound agent-days/s = triad bandwidth at the run's thread count / bytes per agent-day."""
    if "error" in r:
        return
    b = bw["numba"].get(str(r["threads"]))
    bpad = r["traffic"]["bytes_per_agent_day"]
    if b is None or bpad <= 0:
        return
    r["bandwidth_gbs"] = b[TRIAD]
    r["bound_agent_days_per_s"] = b[TRIAD] * 1e9 / bpad
    r["achieved_over_bound"] = r["agent_days_per_s"] / r["bound_agent_days_per_s"]
    r["achieved_gbs_model"] = r["agent_days_per_s"] * bpad / 1e9


def extrapolate(r: dict[str, Any], full_days: int) -> None:
    """Full-horizon wall time from a shorter run, at the same agent-days/s (labelled as such)."""
    if "error" in r or r["days"] >= full_days:
        return
    days = full_days + r.get("burn_in_days", 0)  # the burn-in is simulated at full cost too
    r["extrapolated_full_wall_s"] = r["agent_days_per_s"] and r["agents"] * days / r["agent_days_per_s"]


def _f(x: float | None, nd: int = 1) -> str:
    return "-" if x is None else f"{x:,.{nd}f}"


def markdown(results: list[dict[str, Any]], bandwidth_runs: list[dict[str, Any]], mach: dict[str, Any],
             date: str, full_days: int) -> str:
    """Markdown report: the main table, the bound, CPU shares per process, the bytes model."""
    lines = [f"# rightful scale benchmark ({SCENARIO}), {date}", "",
             f"Machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['mem_gib']} GiB; load average at start "
             f"{', '.join(f'{x:.2f}' for x in mach['loadavg'])}; Python {mach['python']}, NumPy {mach['numpy']}, "
             f"Numba {mach['numba']}.", "",
             "| scale | threads | agents | days (+ burn-in) | build s | run s | M agent-days/s | peak RSS MiB "
             "| baseline MiB "
             "| B/agent peak | B/agent end | table B/agent | bound M ad/s | achieved/bound | full horizon s "
             "| cores used | load 1-min |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['scale']} | {r['threads']} | error: {r['error'][:200]} |" + " |" * 14)
            continue
        full = r.get("extrapolated_full_wall_s")
        full_s = f"{full:,.0f} (extrapolated)" if full else f"{r['run_wall_s']:,.0f}"
        lines.append(
            f"| {r['scale']} | {r['threads']} | {r['agents']:,} | {r['days']} (+{r.get('burn_in_days', 0)}) "
            f"| {r['build_s']:.1f} "
            f"| {r['run_wall_s']:.1f} | {r['agent_days_per_s'] / 1e6:.1f} | {r['rss_peak_mib']:,.0f} "
            f"| {r['rss_baseline_mib']:,.0f} | {r['resident_bytes_per_agent_peak']:.1f} "
            f"| {r['resident_bytes_per_agent_end']:.1f} | {r['table_bytes_per_agent_all']:.1f} "
            f"| {_f(r.get('bound_agent_days_per_s', 0) / 1e6 if r.get('bound_agent_days_per_s') else None)} "
            f"| {_f(r.get('achieved_over_bound'), 2)} | {full_s} | {r['run_cores_used']:.2f} "
            f"| {r['loadavg1_before']:.1f}-{r['loadavg1_after']:.1f} |")
    lines += ["", "Burn-in: the days simulated before the scenario's start and discarded (a steady start, "
              "docs/ODD.md 5); they cost run time like any other day: the burn-in's cost is its share of the "
              "days simulated (JSON: burn_in_share_of_run).",
              "", f"Full horizon = {full_days} days; a run over a shorter horizon is extrapolated at its own "
              "agent-days/s and labelled so. B/agent = (resident - baseline) / agents, baseline = RSS after "
              "imports and warm-up; table B/agent = bytes of all tables (workers, firms, zones, NGOs) / agents. "
              "Cores used = process CPU time / wall time during the run (below the thread count: the run was "
              "descheduled or waited at barriers); load 1-min = the machine's load average before-after the run "
              "(it includes the benchmark itself; the machine has 2 CPUs and is shared).", ""]
    for bw in bandwidth_runs:
        bws = ", ".join(f"{t} thread(s): copy {v['copy_gbs']:.1f}, triad {v['triad_gbs']:.1f}"
                        for t, v in bw["numba"].items())
        lines += [f"Memory bandwidth measured {bw.get('date', date)} (GB/s, STREAM counting, {bw['array_mib']} MiB "
                  f"arrays, best of {bw['reps']}): {bws}; NumPy copyto 1 thread "
                  f"{bw['numpy_copyto_1thread_gbs']:.1f}. The bound of a row uses the triad figure of its command "
                  "at its thread count.", ""]
    ok = [r for r in results if "error" not in r]
    if ok:
        tr = ok[-1]["traffic"]
        lines += [f"Bytes of worker columns per agent-day (model, see `traffic_model`): "
                  f"**{tr['bytes_per_agent_day']:.1f}** (naive: every column handed to a kernel once per call: "
                  f"{tr['naive_bytes_per_agent_day']:.1f}; worker row {tr['worker_row_bytes']} B).", "",
                  "| process | cadence | calls/day | B/call/agent | B/agent-day | naive B/agent-day |",
                  "|---|---|---:|---:|---:|---:|"]
        for name, e in tr["per_process"].items():
            lines.append(f"| {name} | {e['cadence']} | {e['calls_per_day']:.3f} | {_f(e['bytes_per_call'])} "
                         f"| {_f(e['bytes_per_agent_day'])} | {e['naive_bytes_per_agent_day']:.1f} |")
        names = list(ok[0]["processes"])
        head = " | ".join(f"{r['scale']}x{r['threads']}t" for r in ok)
        lines += ["", "CPU share per process (process CPU time / sum over processes; at 2 threads CPU time "
                  "counts both threads):", "", f"| process | {head} |", "|---|" + "---:|" * len(ok)]
        for n in names:
            lines.append(f"| {n} | " + " | ".join(f"{100 * r['processes'][n]['cpu_share']:.1f}%" for r in ok) + " |")
    return "\n".join(lines) + "\n"


def check_identical(scale: float, until: str, seed: int, timeout: float) -> dict[str, Any]:
    """Run ``scale``/``until`` at 1 and 2 threads; compare every saved array bit for bit."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = {}
        for t in (1, 2):
            path = str(Path(tmp) / f"t{t}.npz")
            runs[t] = run_child({"scale": scale, "threads": t, "until": until, "seed": seed, "save": path}, timeout)
            if "error" in runs[t]:
                return {"identical": False, "error": runs[t]["error"]}
        a = np.load(str(Path(tmp) / "t1.npz"))
        b = np.load(str(Path(tmp) / "t2.npz"))
        diff = [k for k in a.files if k not in b.files or a[k].shape != b[k].shape or a[k].dtype != b[k].dtype
                or a[k].tobytes() != b[k].tobytes()]
        diff += [k for k in b.files if k not in a.files]
        return {"identical": not diff, "scale": scale, "until": until, "seed": seed,
                "agents": runs[1]["agents"], "days": runs[1]["days"], "arrays_compared": len(a.files),
                "differing": diff, "wall_s": {t: runs[t]["run_wall_s"] for t in runs}}


def main() -> None:
    ap = argparse.ArgumentParser(description="rightful scale benchmark", epilog=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="0.001,0.01,0.1", help="comma-separated scales (1.0 ~ 18.5M agents)")
    ap.add_argument("--threads", default="1,2", help="comma-separated Numba thread counts")
    ap.add_argument("--until", default=None,
                    help="last day: DATE for all scales, or SCALE=DATE,... (e.g. 1=2003-12-31); default full")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(HERE / "results" / "scale"),
                    help="output prefix: writes PREFIX.json and PREFIX.md")
    ap.add_argument("--append", action="store_true",
                    help="add these results to an existing PREFIX.json (e.g. scale 1 at 2 threads only)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed per configuration")
    ap.add_argument("--bandwidth-mib", type=int, default=256, help="array size for the bandwidth kernels")
    ap.add_argument("--no-bandwidth", action="store_true", help="skip the bandwidth measurement")
    ap.add_argument("--check-identical", action="store_true",
                    help="only compare 1 vs 2 threads bit for bit (see --identical-scale/--identical-until)")
    ap.add_argument("--identical-scale", type=float, default=0.02)
    ap.add_argument("--identical-until", default="2003-09-30")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--child-out", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        res = child(json.loads(args.child))
        Path(args.child_out).write_text(json.dumps(res))
        return

    date = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.check_identical:
        res = check_identical(args.identical_scale, args.identical_until, args.seed, args.timeout)
        res["date"] = date
        print(json.dumps(res, indent=2))
        Path(str(out) + "_identical.json").write_text(json.dumps(res, indent=2))
        sys.exit(0 if res["identical"] else 1)

    mach = machine()
    threads = [int(t) for t in args.threads.split(",")]
    scales = [float(s) for s in args.scales.split(",")]
    until = parse_until(args.until)
    bw = None
    if not args.no_bandwidth:
        bw = load_bandwidth_module().measure(sorted(set(threads)), args.bandwidth_mib, reps=10)
        print("bandwidth:", json.dumps(bw["numba"]), file=sys.stderr)
    full_days = 2922
    results: list[dict[str, Any]] = []
    bandwidth_runs: list[dict[str, Any]] = []
    if args.append and Path(str(out) + ".json").exists():
        old = json.loads(Path(str(out) + ".json").read_text())
        results = old["results"]
        bandwidth_runs = old.get("bandwidth_runs", [])
    if bw is not None:
        bandwidth_runs.append(dict(bw, date=date))
    for s in scales:
        for t in threads:
            cfg = {"scale": s, "threads": t, "until": until.get(s, until.get(None)), "seed": args.seed}
            t0 = time.perf_counter()
            r = run_child(cfg, args.timeout)
            if bw is not None:
                add_bound(r, bw)
            extrapolate(r, full_days)
            results.append(r)
            msg = r.get("error") or (f"{r['agents']:,} agents x {r['days']} days: run {r['run_wall_s']:.1f} s, "
                                     f"{r['agent_days_per_s'] / 1e6:.1f} M agent-days/s, "
                                     f"peak {r['rss_peak_mib']:.0f} MiB")
            print(f"scale {s} threads {t}: {msg} ({time.perf_counter() - t0:.0f} s total)", file=sys.stderr)
            r["date"] = date
            payload = {"date": date, "scenario": SCENARIO, "machine": mach, "bandwidth": bw,
                       "bandwidth_runs": bandwidth_runs, "full_horizon_days": full_days, "results": results}
            Path(str(out) + ".json").write_text(json.dumps(payload, indent=2))  # after each config
    md = markdown(results, bandwidth_runs, mach, date, full_days)
    Path(str(out) + ".md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
