"""Peer benchmark: Epstein's civil-violence model on rightful's engine versus Mesa's example.

Why: a speed claim is only worth something against a well-known implementation of the *same*
model. Mesa ships Epstein's Model 1 as ``mesa.examples.advanced.epstein_civil_violence``; this
script runs that example unchanged next to `civil_violence` (rightful's tables, counter-based
random streams and a Numba kernel) and reports

1. agent-steps per second for both at 40x40 and 200x200 (Mesa's default densities and
   parameters), and the ratio. Compile time and each model's first tick (Numba's compilation,
   Mesa's neighbourhood cache) are excluded; both are timed over the same ticks of a run.
2. evidence that both implement the same model: distribution of the number of ACTIVE citizens,
   outbursts per 1,000 ticks and waiting times between outbursts, over several seeds at 40x40,
   side by side, plus where Mesa's figures fall in rightful's seed-to-seed sampling range.

Run it through ``bash benchmarks/peers/run.sh`` (which makes the Mesa venv); it prints JSON and
a markdown table and writes ``results.md`` and ``results.json`` next to this file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from civil_violence import CivilViolence, Params  # noqa: E402

HERE = Path(__file__).resolve().parent
QUANTILES = (0.5, 0.9, 0.99, 0.999)


def _mesa_model(width: int, seed: int, collect: bool = True) -> object:
    """Mesa's example model with its defaults; ``collect=False`` turns its DataCollector off."""
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    m = EpsteinCivilViolence(width=width, height=width, seed=seed)
    if not collect:
        m.datacollector.collect = lambda *_a, **_k: None  # type: ignore[method-assign]
    return m


def mesa_run(width: int, seed: int, ticks: int, collect: bool = True
             ) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Run Mesa's example; return (active, arrested) after each tick 1..ticks, the number of
    agents, and the seconds spent on ticks 2..ticks (tick 1 fills Mesa's neighbourhood cache)."""
    m = _mesa_model(width, seed, collect)
    n_agents = len(m.agents)  # type: ignore[attr-defined]
    act = np.empty(ticks, dtype=np.int32)
    arr = np.empty(ticks, dtype=np.int32)
    m.step()  # type: ignore[attr-defined]
    act[0], arr[0] = m.ACTIVE, m.ARRESTED  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    for t in range(1, ticks):
        m.step()  # type: ignore[attr-defined]
        act[t], arr[t] = m.ACTIVE, m.ARRESTED  # type: ignore[attr-defined]
    return act, arr, n_agents, time.perf_counter() - t0


def rightful_run(width: int, seed: int, ticks: int, check: bool = False
                 ) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Same contract as `mesa_run`, for rightful's implementation."""
    m = CivilViolence(Params(width=width, height=width), seed)
    a1, j1 = m.run(1)
    t0 = time.perf_counter()
    a, j = m.run(ticks - 1)
    elapsed = time.perf_counter() - t0
    if check:
        m.check()
    return np.concatenate([a1, a]), np.concatenate([j1, j]), m.n_agents, elapsed


def warm_up() -> None:
    """Compile (or load from cache) the Numba kernels so no timing includes compilation."""
    rightful_run(40, 0, 3, check=True)


def onsets(active: np.ndarray, threshold: int) -> np.ndarray:
    """Ticks at which the ACTIVE count crosses from below ``threshold`` to >= ``threshold``."""
    above = active >= threshold
    return np.flatnonzero(~above[:-1] & above[1:]) + 1


def series_stats(runs: list[np.ndarray], thresholds: tuple[int, ...], primary: int
                 ) -> dict[str, float]:
    """Distribution of ACTIVE counts pooled over runs, outbursts and waiting times."""
    pooled = np.concatenate(runs).astype(np.float64)
    ticks = sum(len(r) for r in runs)
    out: dict[str, float] = {
        "mean": float(pooled.mean()),
        "sd": float(pooled.std(ddof=1)),
        "p_zero": float((pooled == 0).mean()),
        "max": float(pooled.max()),
    }
    for q in QUANTILES:
        out[f"q{q * 100:g}"] = float(np.quantile(pooled, q))
    for th in thresholds:
        n = sum(len(onsets(r, th)) for r in runs)
        out[f"outbursts_per_1000_ge{th}"] = 1000.0 * n / ticks
    waits = np.concatenate([np.diff(onsets(r, primary)) for r in runs])
    out[f"wait_mean_ge{primary}"] = float(waits.mean()) if len(waits) else float("nan")
    out[f"wait_median_ge{primary}"] = float(np.median(waits)) if len(waits) else float("nan")
    out["n_waits"] = float(len(waits))
    return out


def envelope(runs: list[np.ndarray], group: int, thresholds: tuple[int, ...], primary: int
             ) -> dict[str, tuple[float, float]]:
    """5th-95th percentile of each statistic over disjoint groups of ``group`` rightful seeds.

    Why: the model is heavy-tailed and seed-dependent, so two 5-seed samples of the *same* model
    differ a lot; the question is whether Mesa's figure is one rightful itself would produce.
    """
    per: dict[str, list[float]] = {}
    for g in range(len(runs) // group):
        for k, v in series_stats(runs[g * group:(g + 1) * group], thresholds, primary).items():
            per.setdefault(k, []).append(v)
    return {k: (float(np.nanquantile(v, 0.05)), float(np.nanquantile(v, 0.95)))
            for k, v in per.items() if not np.all(np.isnan(v))}


def timed_window(run: Callable[[int, int, int], tuple[np.ndarray, np.ndarray, int, float]],
                 width: int, ticks: int, min_seconds: float, max_reps: int
                 ) -> tuple[float, int, int]:
    """Agent-steps/s over ticks 2..ticks, repeating on seeds 0, 1, ... until ``min_seconds``."""
    steps = 0
    secs = 0.0
    reps = 0
    while reps < max_reps and (reps == 0 or secs < min_seconds):
        _, _, n, s = run(width, reps, ticks)
        steps += n * (ticks - 1)
        secs += s
        reps += 1
    return steps / secs, reps, steps


def fmt(v: float) -> str:
    """Compact number for the tables."""
    if v != v:  # NaN
        return "n/a"
    if abs(v) >= 1e5:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    return f"{v:.3g}"


def main() -> None:
    """Parse arguments, run both models, print and save the results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mesa-ticks-200", type=int, default=21,
                    help="Mesa ticks at 200x200 (first untimed); ~3 s each on 2 cores")
    ap.add_argument("--mesa-nodc-ticks-200", type=int, default=11,
                    help="Mesa ticks at 200x200 with its DataCollector off (0 to skip)")
    ap.add_argument("--eq-ticks", type=int, default=1000, help="ticks per equivalence run")
    ap.add_argument("--eq-seeds", type=int, default=5, help="seeds per model, 40x40")
    ap.add_argument("--ref-seeds", type=int, default=200,
                    help="extra rightful seeds for the sampling envelope")
    ap.add_argument("--threshold", type=int, default=10,
                    help="primary outburst threshold (ACTIVE citizens, 40x40)")
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args()
    thresholds = tuple(sorted({5, 10, 20, 50, args.threshold}))
    primary = args.threshold

    warm_up()
    res: dict[str, object] = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "processor": platform.processor() or platform.machine(),
                    "mesa": metadata.version("mesa"), "numba": metadata.version("numba"),
                    "numpy": metadata.version("numpy")},
        "params": Params().__dict__,
    }

    # ---- 2. equivalence at 40x40 (also gives the 40x40 throughput, over 5 x (T-1) ticks) ----
    print(f"40x40: Mesa {args.eq_seeds} seeds x {args.eq_ticks} ticks ...", file=sys.stderr,
          flush=True)
    mesa_a, mesa_j, m_steps, m_secs = [], [], 0, 0.0
    for s in range(args.eq_seeds):
        a, j, n, secs = mesa_run(40, s, args.eq_ticks)
        mesa_a.append(a)
        mesa_j.append(j)
        m_steps += n * (args.eq_ticks - 1)
        m_secs += secs
    print("40x40: rightful ...", file=sys.stderr, flush=True)
    rf_a, rf_j, r_steps, r_secs = [], [], 0, 0.0
    for s in range(args.eq_seeds):
        a, j, n, secs = rightful_run(40, s, args.eq_ticks, check=True)
        rf_a.append(a)
        rf_j.append(j)
        r_steps += n * (args.eq_ticks - 1)
        r_secs += secs
    ref = [rightful_run(40, 1000 + s, args.eq_ticks)[:2] for s in range(args.ref_seeds)]
    ref_a = [r[0] for r in ref]
    ref_j_means = [float(r[1].mean()) for r in ref]

    eq = {
        "ticks": args.eq_ticks, "seeds": args.eq_seeds, "ref_seeds": args.ref_seeds,
        "thresholds": list(thresholds), "primary_threshold": primary,
        "mesa": series_stats(mesa_a, thresholds, primary),
        "rightful": series_stats(rf_a, thresholds, primary),
        "rightful_envelope_5_95": envelope(ref_a, args.eq_seeds, thresholds, primary),
        "arrested_mean": {"mesa": float(np.mean(np.concatenate(mesa_j))),
                          "rightful": float(np.mean(np.concatenate(rf_j)))},
    }
    # Waiting times are rare events (a handful per 5 x 1000 ticks), so also pool rightful's
    # over all reference seeds and place each Mesa wait in that distribution.
    waits: dict[str, object] = {}
    for th in sorted({5, primary}):
        pool = np.concatenate([np.diff(onsets(r, th)) for r in ref_a])
        mw = np.concatenate([np.diff(onsets(r, th)) for r in mesa_a])
        waits[f"ge{th}"] = {
            "rightful_pooled_n": int(len(pool)),
            "rightful_pooled_mean": float(pool.mean()) if len(pool) else float("nan"),
            "rightful_pooled_median": float(np.median(pool)) if len(pool) else float("nan"),
            "mesa_waits": mw.tolist(),
            "mesa_wait_percentiles_in_rightful": [float((pool <= w).mean() * 100) for w in mw],
        }
    eq["waiting_times_pooled"] = waits
    k = args.eq_seeds
    groups = [np.mean(ref_j_means[g * k:(g + 1) * k]) for g in range(len(ref_j_means) // k)]
    eq["arrested_mean_rightful_envelope_5_95"] = (float(np.quantile(groups, 0.05)),
                                                  float(np.quantile(groups, 0.95)))
    res["equivalence_40x40"] = eq

    # ---- 1. throughput ----
    speed: dict[str, dict[str, float]] = {
        "40x40": {"mesa": m_steps / m_secs, "rightful": r_steps / r_secs,
                  "mesa_ticks_timed": args.eq_seeds * (args.eq_ticks - 1),
                  "rightful_ticks_timed": args.eq_seeds * (args.eq_ticks - 1)},
    }
    print(f"200x200: Mesa {args.mesa_ticks_200} ticks ...", file=sys.stderr, flush=True)
    a200, j200, n200, secs200 = mesa_run(200, 0, args.mesa_ticks_200)
    mesa200 = n200 * (args.mesa_ticks_200 - 1) / secs200
    rf200, reps, _ = timed_window(rightful_run, 200, args.mesa_ticks_200, 2.0, 200)
    long_a, long_j, nl, sl = rightful_run(200, 0, 1001)
    speed["200x200"] = {"mesa": mesa200, "rightful": rf200,
                        "mesa_ticks_timed": args.mesa_ticks_200 - 1,
                        "rightful_ticks_timed": reps * (args.mesa_ticks_200 - 1),
                        "rightful_1000_ticks": nl * 1000 / sl}
    if args.mesa_nodc_ticks_200 > 1:
        _, _, n, s = mesa_run(200, 0, args.mesa_nodc_ticks_200, collect=False)
        speed["200x200"]["mesa_no_datacollector"] = n * (args.mesa_nodc_ticks_200 - 1) / s
    for v in speed.values():
        v["ratio"] = v["rightful"] / v["mesa"]
    res["agent_steps_per_second"] = speed
    ra, rj, _, _ = rightful_run(200, 0, args.mesa_ticks_200)
    res["first_ticks_200x200_seed0"] = {
        "mesa_active": a200.tolist(), "mesa_arrested": j200.tolist(),
        "rightful_active": ra.tolist(), "rightful_arrested": rj.tolist()}
    res["target_500x_at_200x200_reached"] = bool(speed["200x200"]["ratio"] >= 500)

    md = markdown(res)
    print(json.dumps(res, indent=1, default=float))
    print(md)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(md)
    (args.out / "results.json").write_text(json.dumps(res, indent=1, default=float) + "\n")


def markdown(res: dict) -> str:
    """The two result tables as markdown."""
    sp = res["agent_steps_per_second"]
    eq = res["equivalence_40x40"]
    mach = res["machine"]
    lines = [
        "# Epstein civil violence: rightful vs Mesa",
        "",
        f"{res['date']}; {mach['cpus']} CPUs ({mach['processor']}), Python {mach['python']}, "
        f"mesa {mach['mesa']}, numba {mach['numba']}, numpy {mach['numpy']}. Single-threaded.",
        "",
        "## Agent-steps per second (citizens + cops activated per tick)",
        "",
        "| grid | Mesa | rightful | ratio | ticks timed (Mesa / rightful) |",
        "|---|---:|---:|---:|---|",
    ]
    for g, v in sp.items():
        lines.append(f"| {g} | {fmt(v['mesa'])} | {fmt(v['rightful'])} | "
                     f"{v['ratio']:.0f}x | {v['mesa_ticks_timed']:.0f} / "
                     f"{v['rightful_ticks_timed']:.0f} |")
    v = sp["200x200"]
    lines += ["", f"Target rightful >= 500x Mesa at 200x200: "
              f"{'reached' if res['target_500x_at_200x200_reached'] else 'NOT reached'} "
              f"({v['ratio']:.0f}x)."]
    if "mesa_no_datacollector" in v:
        lines.append(f"Mesa at 200x200 with its DataCollector switched off: "
                     f"{fmt(v['mesa_no_datacollector'])} agent-steps/s "
                     f"(ratio {v['rightful'] / v['mesa_no_datacollector']:.0f}x).")
    lines.append(f"rightful at 200x200 over 1,000 ticks (more citizens jailed, so cheaper "
                 f"ticks): {fmt(v['rightful_1000_ticks'])} agent-steps/s.")
    env = eq["rightful_envelope_5_95"]
    lines += [
        "",
        f"## Same model? ACTIVE citizens at 40x40, {eq['seeds']} seeds x {eq['ticks']} ticks "
        "each",
        "",
        f"Outburst: ACTIVE count crossing from below to >= threshold; waiting time: ticks "
        f"between consecutive outbursts (threshold {eq['primary_threshold']}) within a run. "
        f"Envelope: 5th-95th percentile of the statistic over disjoint groups of "
        f"{eq['seeds']} rightful seeds ({eq['ref_seeds']} seeds in all).",
        "",
        "| statistic | Mesa | rightful | rightful envelope | Mesa inside? |",
        "|---|---:|---:|---:|:-:|",
    ]
    for k, mv in eq["mesa"].items():
        rv = eq["rightful"][k]
        if k in env:
            lo, hi = env[k]
            inside = "n/a" if mv != mv else ("yes" if lo <= mv <= hi else "no")
            e = f"{fmt(lo)} - {fmt(hi)}"
        else:
            e, inside = "n/a", "n/a"
        lines.append(f"| {k} | {fmt(mv)} | {fmt(rv)} | {e} | {inside} |")
    am = eq["arrested_mean"]
    lo, hi = eq["arrested_mean_rightful_envelope_5_95"]
    lines += ["", f"Mean ARRESTED (jailed) citizens per tick: Mesa {fmt(am['mesa'])}, rightful "
              f"{fmt(am['rightful'])}, rightful envelope {fmt(lo)} - {fmt(hi)}.", ""]
    for th, wv in eq["waiting_times_pooled"].items():
        pct = ", ".join(f"{w} ({p:.0f}th pct)" for w, p in
                        zip(wv["mesa_waits"], wv["mesa_wait_percentiles_in_rightful"],
                            strict=True))
        lines.append(f"Waiting times, threshold {th[2:]}: rightful pooled over "
                     f"{eq['ref_seeds']} seeds n={wv['rightful_pooled_n']}, mean "
                     f"{fmt(wv['rightful_pooled_mean'])}, median "
                     f"{fmt(wv['rightful_pooled_median'])} ticks; Mesa's waits (percentile in "
                     f"rightful's pool): {pct or 'none'}.")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
