"""``rightful validate``: run the scenarios the stylised facts need over seeds and tabulate.

Why through the ensemble layer: the runs are ordinary batch runs (deterministic ids, resumable,
registered in the catalog, one process per core or a Dask cluster); only the reduction differs.
For each seed the facts read the run folders of every scenario on that seed (common random
numbers), so a paired experiment (ngo-none vs ngo-paternalist) compares runs that differ only by
what the scenarios change. The verdict of a check is the share of seeds on which it passes,
against a stated share (default 0.7): one seed is an anecdote, and some facts are tendencies.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..ensemble.batch import BatchResult, batch_dir, batch_id, make_specs, run_batch
from ..ensemble.executors import Executor
from ..ensemble.reduce import write_json
from ..scenarios.loader import load
from .facts import Fact, FactResult, evaluate, scenarios_needed, select
from .views import RunView

PASS_SHARE = 0.7
SEED_COLUMNS = ("seed", "fact", "check", "measure", "threshold", "passed", "detail")
COLUMNS = ("fact", "check", "measure_median", "threshold", "seeds", "share_passing", "verdict", "title")


@dataclass
class ValidationResult:
    batch: BatchResult
    folder: Path
    rows: list[dict[str, Any]]
    per_seed: dict[int, list[FactResult]]
    report: Path


def verdict(share: float, n: int, pass_share: float) -> str:
    return "n/a" if n == 0 else ("pass" if share >= pass_share else "fail")


def summarise(per_seed: dict[int, list[FactResult]], pass_share: float = PASS_SHARE) -> list[dict[str, Any]]:
    """One row per fact (check '(all)': every check passes on the seed) and one per check."""
    rows: list[dict[str, Any]] = []
    if not per_seed:
        return rows
    first = next(iter(per_seed.values()))
    for i, fr in enumerate(first):
        facts = [res[i] for res in per_seed.values()]
        ok = [f.passed for f in facts if f.passed is not None]
        share = float(np.mean(ok)) if ok else float("nan")
        rows.append({"fact": fr.fact, "check": "(all)", "measure_median": float("nan"),
                     "threshold": "every check passes", "seeds": len(ok), "share_passing": share,
                     "verdict": verdict(share, len(ok), pass_share), "title": fr.title})
        for j, c in enumerate(fr.checks):
            cs = [f.checks[j] for f in facts]
            ok = [x.passed for x in cs if x.passed is not None]
            ms = [x.measure for x in cs if np.isfinite(x.measure)]
            share = float(np.mean(ok)) if ok else float("nan")
            med = float(np.median(ms)) if ms else float("nan")
            rows.append({"fact": fr.fact, "check": c.name, "measure_median": med,
                         "threshold": c.threshold, "seeds": len(ok), "share_passing": share,
                         "verdict": verdict(share, len(ok), pass_share), "title": fr.title})
    return rows


def run_validation(numbers: Sequence[int] | None, seeds: Sequence[int], out: Path | str, executor: Executor,
                   scale: float | None = None, until: str | None = None, pass_share: float = PASS_SHARE,
                   progress: bool = True, console: Any = None, threads: int = 1) -> ValidationResult:
    """Run every scenario the facts need on ``seeds``, check the facts per seed, write
    ``validation.csv`` (summary), ``validation_seeds.csv`` (every check of every seed),
    ``summary.json`` and ``report.html`` into the batch folder."""
    facts = select(numbers)
    names = scenarios_needed(facts)
    loadeds = [load(n) for n in names]
    sc = float(loadeds[0].scenario.scale if scale is None else scale)  # one scale for all: paired runs
    specs = []
    for n, ld in zip(names, loadeds, strict=True):
        specs += make_specs(ld, seeds, out, sc, until, None, (), threads, tag={"scenario": n})
    bid = batch_id("validate", {"facts": [f.number for f in facts], "scenarios": [[n, ld.hash] for n, ld in
                                zip(names, loadeds, strict=True)], "scale": sc, "until": until})
    res = run_batch(specs, executor, out, bid, "validate", progress, console)
    folder = batch_dir(out, bid)
    paths: dict[int, dict[str, str]] = {}
    for spec, r in zip(specs, res.runs, strict=True):
        if r.ok and r.path:
            paths.setdefault(spec.seed, {})[spec.tag["scenario"]] = r.path
    per_seed: dict[int, list[FactResult]] = {}
    for s in seeds:
        got = paths.get(s, {})
        if all(n in got for n in names):
            per_seed[s] = evaluate({n: RunView.open(p, n) for n, p in got.items()}, [f.number for f in facts])
    rows = summarise(per_seed, pass_share)
    _write_csv(folder / "validation.csv", rows, COLUMNS)
    seed_rows = [{"seed": s, "fact": fr.fact, "check": c.name, "measure": c.measure, "threshold": c.threshold,
                  "passed": c.passed, "detail": c.detail} for s, frs in per_seed.items() for fr in frs
                 for c in fr.checks]
    _write_csv(folder / "validation_seeds.csv", seed_rows,
               SEED_COLUMNS)
    page = write_report(folder / "report.html", facts, rows, seed_rows, names, list(seeds), sc, until, pass_share)
    write_json(folder / "summary.json", {
        "batch": bid, "kind": "validate", "facts": [f.number for f in facts], "scenarios": names,
        "hashes": [ld.hash for ld in loadeds], "seeds": list(seeds), "scale": sc, "until": until,
        "pass_share": pass_share, "evaluated_seeds": sorted(per_seed), "completed": len(res.completed),
        "failed": {r.run_id: r.error for r in res.failed}, "runs": [r.run_id for r in res.runs], "table": rows,
        "report": str(page),
    })
    return ValidationResult(res, folder, rows, per_seed, page)


def _write_csv(path: Path, rows: list[dict[str, Any]], cols: Sequence[str]) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(cols))
        w.writeheader()
        w.writerows(rows)
    return path


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return "" if not np.isfinite(v) else f"{v:.4g}"
    return "" if v is None else str(v)


def write_report(path: Path, facts: Sequence[Fact], rows: list[dict[str, Any]], seed_rows: list[dict[str, Any]],
                 scenarios: Sequence[str], seeds: Sequence[int], scale: float, until: str | None,
                 pass_share: float) -> Path:
    """A self-contained HTML page: what was run, the verdict table, every seed's checks."""
    e = html.escape
    colour = {"pass": "#d7f0d7", "fail": "#f6d5d5", "n/a": "#eeeeee"}

    def table(cols: Sequence[str], data: list[dict[str, Any]], key: str | None = None) -> str:
        head = "".join(f"<th>{e(c)}</th>" for c in cols)
        body = []
        for r in data:
            bg = f' style="background:{colour.get(str(r.get(key)), "white")}"' if key else ""
            body.append(f"<tr{bg}>" + "".join(f"<td>{e(_fmt(r.get(c)))}</td>" for c in cols) + "</tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"

    seed_tab = [dict(r, passed={True: "pass", False: "fail", None: "n/a"}[r["passed"]]) for r in seed_rows]
    body = (
        f"<h1>Stylised facts of the study: validation</h1>"
        f"<p>Scenarios {e(', '.join(scenarios))} on seeds {e(', '.join(map(str, seeds)))} (common random numbers), "
        f"scale {scale:g}, horizon {e(until or 'the scenarios’ own')}. A check passes on a seed when its measure "
        f"meets the threshold; the verdict is <b>pass</b> when at least {pass_share:g} of the seeds on which it "
        f"could be evaluated pass. Measures and thresholds are documented in "
        f"<code>rightful/validation/facts.py</code>.</p>"
        f"<h2>Verdicts</h2>{table(COLUMNS, rows, 'verdict')}"
        f"<h2>Every seed</h2>{table(SEED_COLUMNS, seed_tab, 'passed')}"
    )
    css = ("body{font-family:sans-serif;max-width:1100px;margin:2rem auto;}table{border-collapse:collapse;"
           "font-size:0.9rem}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}")
    path.write_text(f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>validation</title>"
                    f"<style>{css}</style></head><body>{body}</body></html>\n")
    return path


def rich_table(rows: list[dict[str, Any]], title: str) -> Any:
    """The verdicts: one bold row per fact ('all checks'), then its checks; titles in the caption."""
    from rich.table import Table

    titles = {}
    for r in rows:
        titles.setdefault(r["fact"], r["title"])
    t = Table(title=title, caption="; ".join(f"{k}: {v}" for k, v in titles.items()), caption_justify="left")
    for c in ("fact", "check", "median measure", "threshold", "seeds", "share passing", "verdict"):
        t.add_column(c, justify="left" if c in ("check", "threshold", "verdict") else "right", no_wrap=True)
    style = {"pass": "green", "fail": "red", "n/a": "dim"}
    for r in rows:
        head = r["check"] == "(all)"
        t.add_row(str(r["fact"]) if head else "", "(all checks)" if head else r["check"],
                  _fmt(r["measure_median"]), r["threshold"], str(r["seeds"]), _fmt(r["share_passing"]),
                  f"[{style[r['verdict']]}]{r['verdict']}[/]", style="bold" if head else None)
    return t
