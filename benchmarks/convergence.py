"""Convergence benchmark: does a run at a small ``--scale`` estimate the region (issue 11)?

``--scale`` is the share of the region's workers simulated; every recorded series is weighted to
the region (each sampled firm stands for 1/scale firms). So the expectation of every series should
not depend on the scale: only its noise should grow as the scale shrinks. This benchmark measures
it. For the default scenario at scales 0.001 ... 1.0, with several seeds per scale, it computes
each key series over the horizon (flows: the total; stocks: the mean level over the days; per-worker
means: the mean over days of the worker-weighted mean over cities) and its ratio to the 1:1 value
(the largest scale run, or ``--reference``), with a 95% interval over seeds, and judges the
targets of issue 11: from scale 0.003 up every key series within 10% of 1:1, from 0.01 up within
5%, a series passing also when its 95% interval contains 1.

Interval of the ratio R = mean(x) / mean(y) of the scale's seeds x (n of them) and the reference's
seeds y (m): delta method on log R, var = s_x^2 / (n mean(x)^2) + s_y^2 / (m mean(y)^2), with a
Student t quantile at the Welch-Satterthwaite degrees of freedom. A reference with one seed adds no
variance (its own noise is then unknown: the table says so); a scale with one seed has no interval.

Each (scale, seed) run is a fresh ``simulate`` in a worker process; its summary (yearly values of
every series used) is cached in ``PREFIX_runs.json`` under a key of the scenario's content, the
model code, the horizon, the scale and the seed, written after every run: a rerun, or a run that
was interrupted, skips what is done, and a change of the model's code starts afresh. ``--years``
judges a window of calendar years of the cached runs without running anything again.

Examples (more in benchmarks/README.md)::

    .venv/bin/python benchmarks/convergence.py --workers 2          # the benchmark (35-50 min on 2 cores)
    .venv/bin/python benchmarks/convergence.py --years 2004-2006 --no-run   # 2004-2006 of the cached runs
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT / "src") not in sys.path:  # the checkout this file lives in, before any installed copy
    sys.path.insert(0, str(ROOT / "src"))

SCALES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
# seeds per scale: more where the noise is larger, enough at 1:1 for the reference's own interval
SEEDS = {0.001: 24, 0.003: 16, 0.01: 12, 0.03: 8, 0.1: 6, 0.3: 4, 1.0: 4}
# (label, series): recorded series by name, or ``log:...`` counts from the strike log
KEY = (("strikes started", "strikes_started"), ("strikers", "strikers_started"), ("escalated", "escalated"),
       ("covered", "covered"), ("won", "strikes_won"), ("complaints", "complaints"),
       ("arbitration filed", "arb_filed"), ("arbitration accepted", "arb_accepted"),
       ("collective cases", "collective_cases"), ("court cases", "court_filed"), ("wages recovered", "recovered"),
       ("mean wage", "mean_wage"), ("share paid the minimum", "share_min_wage"),
       ("union members", "union_members"), ("NGO reach", "ngo_reach"))
# reported, not judged
EXTRA = (("strikes (log)", "log:strikes"), ("strikes over 1,000 workers (log)", "log:strikes_1000"),
         ("strike days", "strike_days"), ("repressed", "repressed"), ("arrears owed", "arrears"),
         ("grievance", "grievance"), ("awareness", "awareness"))
TARGETS = ((0.01, 0.05), (0.003, 0.10))  # (from this scale up, tolerance)
MIN_SEEDS = 3  # an interval over fewer seeds is shown but cannot make a cell pass (t at 1 df is 12.7)
T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042)


def rule(name: str) -> str:
    """How a series combines over days and cities: ``flow`` (total), ``sum`` (stock summed over
    cities, mean over days) or ``mean`` (worker-weighted mean over cities, mean over days)."""
    if name.startswith("log:"):
        return "flow"
    try:
        from rightful.processes import RESULTS
        r = RESULTS[name]
        return "flow" if r.kind == "flow" else ("mean" if r.cities == "mean" else "sum")
    except (ImportError, KeyError, AttributeError):
        from rightful.processes import observe
        if name in getattr(observe, "STOCKS", ()):
            return "mean" if name in observe.MEAN_STOCKS else "sum"
        return "flow"


# ---------------------------------------------------------------- one run (in a worker process)

def _init_worker(threads: int) -> None:
    __import__("rightful.model").model.set_threads(threads)


def summarise(r: Any, names: list[str]) -> dict[str, Any]:
    """Yearly values of each series of a RunResult: totals for flows, means over days for stocks."""
    years = r.dates.astype("datetime64[Y]").astype(np.int64) + 1970
    ys = sorted(set(years.tolist()))
    out: dict[str, Any] = {"years": ys, "days": [int((years == y).sum()) for y in ys], "series": {}}
    log = r.logs["strikes"]
    start_year = years[np.clip(log["start"].astype(np.int64), 0, len(years) - 1)] if len(log["start"]) else years[:0]
    wt = log["weight"].astype(np.float64)
    for n in names:
        how = rule(n)
        if n == "log:strikes":
            v = [float(wt[start_year == y].sum()) for y in ys]
        elif n == "log:strikes_1000":
            v = [float(wt[(start_year == y) & (log["peak"] > 1000)].sum()) for y in ys]
        elif n not in r.series.index:
            continue
        else:
            daily = r.city_mean(n) if how == "mean" else r.total(n)
            v = [float(daily[years == y].sum() if how == "flow" else daily[years == y].mean()) for y in ys]
        out["series"][n] = v
    return out


def run_one(scenario: str, scale: float, seed: int, until: str | None, names: list[str]) -> dict[str, Any]:
    from rightful.model import simulate
    from rightful.scenarios.loader import load
    t0 = time.perf_counter()
    r = simulate(load(scenario), seed=seed, scale=scale, until=until)
    s = summarise(r, names)
    s.update(scenario=scenario, scale=scale, seed=seed, until=until, agents=int(r.agents), firms=int(r.firms),
             run_s=round(float(r.wall_s), 2), total_s=round(time.perf_counter() - t0, 2))
    return s


# ---------------------------------------------------------------- the cache

def code_key(scenario: str) -> str:
    from rightful.scenarios.loader import load
    from rightful.store.parquet import code_hash
    return f"{load(scenario).hash[:12]}.{code_hash()}"


def run_key(scenario: str, code: str, until: str | None, scale: float, seed: int) -> str:
    return f"{scenario}|{code}|{until or 'end'}|{scale:g}|{seed}"


def load_cache(path: Path) -> dict[str, Any]:  # run key -> summary
    return json.loads(path.read_text())["runs"] if path.exists() else {}


def save_cache(path: Path, runs: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"runs": runs}, indent=1))
    os.replace(tmp, path)


# ---------------------------------------------------------------- statistics

def window_value(summary: dict[str, Any], name: str, years: tuple[int, int] | None) -> float | None:
    v = summary["series"].get(name)
    if v is None:
        return None
    sel = [i for i, y in enumerate(summary["years"]) if years is None or years[0] <= y <= years[1]]
    if not sel:
        return None
    if rule(name) == "flow":
        return float(sum(v[i] for i in sel))
    d = [summary["days"][i] for i in sel]
    return float(sum(v[i] * di for i, di in zip(sel, d, strict=True)) / sum(d))


def t975(df: float) -> float:
    if not math.isfinite(df) or df > len(T975):
        return 1.96 + 2.4 / max(df, 1.0) if math.isfinite(df) else 1.96
    return T975[max(1, int(df)) - 1]


def ratio_ci(x: list[float], y: list[float]) -> dict[str, Any]:
    """Ratio of means and its 95% interval (delta method on the log, Welch-Satterthwaite df)."""
    xm, ym = float(np.mean(x)), float(np.mean(y))
    out: dict[str, Any] = {"mean": xm, "ref": ym, "n": len(x), "m": len(y), "ratio": None, "lo": None, "hi": None}
    if ym == 0.0:
        out["ratio"] = 1.0 if xm == 0.0 else math.inf
        return out
    out["ratio"] = xm / ym
    if xm <= 0.0 or len(x) < 2:
        return out
    a = float(np.var(x, ddof=1)) / len(x) / xm ** 2
    b = float(np.var(y, ddof=1)) / len(y) / ym ** 2 if len(y) > 1 else 0.0
    if a + b == 0.0:
        out["lo"] = out["hi"] = out["ratio"]
        return out
    df = (a + b) ** 2 / (a * a / (len(x) - 1) + (b * b / (len(y) - 1) if len(y) > 1 else 0.0))
    h = t975(df) * math.sqrt(a + b)
    out["lo"], out["hi"] = out["ratio"] * math.exp(-h), out["ratio"] * math.exp(h)
    return out


def judge(scale: float, c: dict[str, Any]) -> str:
    """'within' (inside the band), 'interval' (the 95% interval, over MIN_SEEDS seeds or more, contains
    1), 'FAIL', or '' (not judged)."""
    tol = next((t for s0, t in TARGETS if scale >= s0 - 1e-12), None)
    if tol is None or c["ratio"] is None:
        return ""
    if math.isfinite(c["ratio"]) and abs(c["ratio"] - 1.0) <= tol:
        return "within"
    if c["lo"] is not None and c["n"] >= MIN_SEEDS and c["lo"] <= 1.0 <= c["hi"]:
        return "interval"
    return "FAIL"


def analyse(runs: list[dict[str, Any]], ref_runs: list[dict[str, Any]], years: tuple[int, int] | None
            ) -> dict[str, Any]:
    ref_scale = max(r["scale"] for r in ref_runs)
    ref = [r for r in ref_runs if r["scale"] == ref_scale]
    scales = sorted({r["scale"] for r in runs if r["scale"] < ref_scale})
    rows: dict[str, Any] = {}
    for label, name in KEY + EXTRA:
        y = [v for v in (window_value(r, name, years) for r in ref) if v is not None]
        if not y:
            continue
        row = {"series": name, "key": (label, name) in KEY, "rule": rule(name), "ref_mean": float(np.mean(y)),
               "ref_sd": float(np.std(y, ddof=1)) if len(y) > 1 else None, "by_scale": {}}
        for s in scales:
            x = [v for v in (window_value(r, name, years) for r in runs if r["scale"] == s) if v is not None]
            if x:
                c = ratio_ci(x, y)
                c["verdict"] = judge(s, c) if row["key"] else ""
                row["by_scale"][f"{s:g}"] = c
        rows[label] = row
    verdicts = [c["verdict"] for r in rows.values() if r["key"] for c in r["by_scale"].values() if c["verdict"]]
    return {"reference_scale": ref_scale, "reference_seeds": [r["seed"] for r in ref], "scales": scales,
            "years": list(years) if years else None, "rows": rows, "judged": len(verdicts),
            "failed": verdicts.count("FAIL"), "within": verdicts.count("within"),
            "by_interval": verdicts.count("interval"), "passed": bool(verdicts) and "FAIL" not in verdicts,
            "passed_strictly": bool(verdicts) and all(v == "within" for v in verdicts)}


# ---------------------------------------------------------------- outputs

def fmt(v: float | None) -> str:
    return "-" if v is None else "inf" if not math.isfinite(v) else f"{v:.3f}" if abs(v) < 10 else f"{v:,.1f}"


def markdown(res: dict[str, Any], meta: dict[str, Any]) -> str:
    sc = [f"{s:g}" for s in res["scales"]]
    win = f"{res['years'][0]}-{res['years'][1]}" if res["years"] else f"{meta['start']}..{meta['until']}"
    lines = [f"# Convergence: {meta['scenario']}, {win}", "",
             f"Ratio of each series' mean over seeds to its value at scale {res['reference_scale']:g} "
             f"(seeds {', '.join(map(str, res['reference_seeds']))}), with its 95% interval. Flows: total over the "
             "window; stocks: mean level; per-worker means: mean over days. Seeds per scale: "
             + ", ".join(f"{s}: {n}" for s, n in meta["seeds"].items()) + f". Model code {meta['code']}, "
             f"{meta['when']}." + (f" **The reference is scale {res['reference_scale']:g}, not 1:1.**"
                                   if res["reference_scale"] < 1.0 else ""), "",
             "Targets (issue 11): from 0.003 up within 10% of 1:1, from 0.01 up within 5% (or the 95% interval "
             f"contains 1; an interval counts from {MIN_SEEDS} seeds). Marks: `ok` inside the band, `~` only the "
             "interval contains 1, **FAIL**; unmarked scales are not judged.", "",
             f"| series | value at {res['reference_scale']:g} | " + " | ".join(sc) + " |",
             "|---|---:|" + "---:|" * len(sc)]
    mark = {"within": " ok", "interval": " ~", "FAIL": " **FAIL**", "": ""}
    rows = [(lb, r) for lb, r in res["rows"].items() if r["key"]]
    rows += [("", None)] + [(lb, r) for lb, r in res["rows"].items() if not r["key"]]
    for label, row in rows:
        if row is None:
            lines.append("| *reported, not judged:* | |" + " |" * len(sc))
            continue
        cells = []
        for s in sc:
            c = row["by_scale"].get(s)
            cells.append("-" if c is None else f"{fmt(c['ratio'])} [{fmt(c['lo'])}, {fmt(c['hi'])}]"
                         + mark[c["verdict"]])
        lines.append(f"| {label} | {fmt(row['ref_mean'])} | " + " | ".join(cells) + " |")
    if len(res["reference_seeds"]) < 2:
        lines += ["", "The reference has one seed: its own noise is not in the intervals."]
    verdict = "PASS" if res["passed"] else "FAIL" if res["judged"] else "NOT JUDGED (no scale from 0.003 up)"
    lines += ["", f"**{verdict}**: {res['judged'] - res['failed']} of {res['judged']} judged cells meet the "
              f"targets, {res['failed']} fail; {res['within']} are inside their band, {res['by_interval']} pass "
              "only because their 95% interval contains 1 (more seeds narrow those)."]
    return "\n".join(lines) + "\n"


def plot(res: dict[str, Any], path: Path) -> None:
    """Ratio vs scale (log x), one line per key series: the full range on a log axis, and a
    linear close-up of the target bands."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: E402 - after the backend is chosen
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    fig, axes = plt.subplots(1, 2, figsize=(14, 6))
    xs = np.array(list(res["scales"]) + [res["reference_scale"]], dtype=float)
    cmap = plt.get_cmap("tab20")
    keys = [(lb, r) for lb, r in res["rows"].items() if r["key"]]
    for ax, zoom in zip(axes, (False, True), strict=True):
        ax.axhspan(0.9, 1.1, color="0.88", label="within 10%")
        ax.axhspan(0.95, 1.05, color="0.75", label="within 5%")
        ax.axhline(1.0, color="k", lw=0.8)
        for k, (label, row) in enumerate(keys):
            pts = [(float(s), c) for s, c in row["by_scale"].items() if c["ratio"] and math.isfinite(c["ratio"])]
            if not pts:
                continue
            x = np.array([p[0] for p in pts] + [res["reference_scale"]]) * (1.0 + 0.04 * (k - 7) / 7)
            y = np.array([p[1]["ratio"] for p in pts] + [1.0])
            lo = np.array([p[1]["lo"] or p[1]["ratio"] for p in pts] + [1.0])
            hi = np.array([p[1]["hi"] or p[1]["ratio"] for p in pts] + [1.0])
            ax.errorbar(x, y, yerr=[y - lo, hi - y], marker="o", ms=3, lw=1.2, capsize=2, color=cmap(k),
                        label=label)
        ax.set_xscale("log")
        ax.set_xticks(xs, [f"{s:g}" for s in xs])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("scale (share of the region's workers simulated)")
        if zoom:
            ax.set_ylim(0.7, 1.3)
            ax.set_title("close-up of the target bands")
        else:
            ax.set_yscale("log")
            r = [c["ratio"] for _, row in keys for c in row["by_scale"].values()
                 if c["ratio"] and math.isfinite(c["ratio"])] + [1.0]
            ax.set_ylim(min(0.5, min(r) / 2), max(2.0, max(r) * 2))
            ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_formatter(NullFormatter())
            ax.set_ylabel(f"mean over seeds / value at scale {res['reference_scale']:g}")
            ax.set_title("ratio to the reference, 95% intervals over seeds")
    axes[1].legend(fontsize=7, ncol=2, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---------------------------------------------------------------- main

def parse_seeds(text: str | None, scales: list[float]) -> dict[float, int]:
    if text is None:
        return {s: SEEDS.get(s, 4) for s in scales}
    if "=" not in text:
        return {s: int(text) for s in scales}
    given = {float(k): int(v) for k, v in (p.split("=") for p in text.split(","))}
    return {s: given.get(s, SEEDS.get(s, 4)) for s in scales}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scenario", default="prd-2003-2010")
    ap.add_argument("--scales", default=",".join(f"{s:g}" for s in SCALES), help="comma list")
    ap.add_argument("--seeds-per-scale", help="N for every scale, or SCALE=N,... (default: " +
                    ", ".join(f"{k:g}={v}" for k, v in SEEDS.items()) + ")")
    ap.add_argument("--seed-base", type=int, default=1, help="seeds are seed-base .. seed-base+N-1")
    ap.add_argument("--until", help="last day (default: the scenario's end)")
    ap.add_argument("--years", help="judge a window of calendar years, e.g. 2004-2006 (default: the horizon)")
    ap.add_argument("--reference", type=Path, help="a _runs.json whose largest scale is the 1:1 reference")
    ap.add_argument("--out", default=str(HERE / "results" / "convergence"), help="PREFIX of .md .json .png _runs.json")
    ap.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) // 2), help="parallel processes")
    ap.add_argument("--threads", type=int, default=1, help="Numba threads per process")
    ap.add_argument("--no-run", action="store_true", help="only analyse the cached runs")
    a = ap.parse_args(argv)
    scales = [float(s) for s in a.scales.split(",")]
    seeds = parse_seeds(a.seeds_per_scale, scales)
    names = [n for _, n in KEY + EXTRA]
    prefix = Path(a.out)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    cache_path = Path(f"{prefix}_runs.json")
    runs = load_cache(cache_path)
    code = code_key(a.scenario)
    wanted = [(s, a.seed_base + k) for s in scales for k in range(seeds[s])]
    todo = [(s, k) for s, k in wanted if run_key(a.scenario, code, a.until, s, k) not in runs]
    todo.sort(key=lambda t: -t[0])  # longest first
    print(f"{len(wanted)} runs wanted, {len(wanted) - len(todo)} cached, {len(todo)} to run "
          f"({a.workers} processes x {a.threads} threads)", flush=True)
    if todo and not a.no_run:
        with ProcessPoolExecutor(a.workers, mp_context=get_context("spawn"), initializer=_init_worker,
                                 initargs=(a.threads,)) as ex:
            futs = {ex.submit(run_one, a.scenario, s, k, a.until, names): (s, k) for s, k in todo}
            for fu in as_completed(futs):
                s, k = futs[fu]
                res = fu.result()
                runs[run_key(a.scenario, code, a.until, s, k)] = res
                save_cache(cache_path, runs)
                print(f"  scale {s:g} seed {k}: {res['agents']:,} agents, run {res['run_s']:.1f} s, "
                      f"strikes {sum(res['series'].get('strikes_started', [0])):,.0f}", flush=True)
    mine = [runs[run_key(a.scenario, code, a.until, s, k)] for s, k in wanted
            if run_key(a.scenario, code, a.until, s, k) in runs]
    ref_runs = mine
    if a.reference is not None:
        ref_runs = [r for r in load_cache(a.reference).values()
                    if r["scenario"] == a.scenario and r.get("until") == a.until]
    if not mine or not ref_runs:
        print("nothing to analyse", file=sys.stderr)
        return 1
    years = tuple(int(y) for y in a.years.split("-")) if a.years else None
    res = analyse(mine, ref_runs, years)  # type: ignore[arg-type]
    from rightful.scenarios.loader import load
    meta = {"scenario": a.scenario, "start": str(load(a.scenario).scenario.start), "until": a.until or "end",
            "code": code, "when": time.strftime("%Y-%m-%d %H:%M"),
            "seeds": {f"{s:g}": sum(1 for r in mine if r["scale"] == s) for s in sorted(scales)},
            "reference": str(a.reference) if a.reference else None,
            "wall_s": {f"{s:g}": round(float(np.mean([r["run_s"] for r in mine if r["scale"] == s])), 2)
                       for s in scales if any(r["scale"] == s for r in mine)}}
    md = markdown(res, meta)
    Path(f"{prefix}.md").write_text(md)
    Path(f"{prefix}.json").write_text(json.dumps({"meta": meta, **res}, indent=1))
    plot(res, Path(f"{prefix}.png"))
    print(md)
    print(f"wrote {prefix}.md, {prefix}.json, {prefix}.png ({cache_path.name} holds the runs)")
    return 0 if res["passed"] else 2


if __name__ == "__main__":
    raise SystemExit(main())
