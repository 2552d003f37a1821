"""Regenerate the generated tables of docs/ODD.md from the units' declarations and the default scenario.

Why: the ODD's parameter table, its list of stated assumptions, the tables' columns, the recorded
series, the population defaults, the dated events of the default scenario and the minimum-wage
schedule must be rewritten from their single sources of truth (what each process declares, see
``rightful.engine.declare``; the scenario schema, the scenario TOML and the minimum-wage CSV),
never edited by hand. Each table lives between a pair of markers in docs/ODD.md::

    <!-- PARAMS:BEGIN --> ... <!-- PARAMS:END -->

Usage: ``python scripts/odd_params.py`` (or ``python -m rightful.odd``) rewrites docs/ODD.md in
place; ``--check`` only reports (exit status 1) whether it is out of date; ``--odd PATH`` names
another file.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

from .processes import COLUMNS, HELPERS, PLAN, RESULTS, param_index
from .scenarios.loader import load
from .scenarios.schema import Population

ODD = Path.cwd() / "docs" / "ODD.md"
DEFAULT_SCENARIO = "prd-2003-2010"


def cell(v: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(v).replace("|", "\\|").replace("\n", " ").strip()


def fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def params_table() -> list[str]:
    idx = param_index()
    lines = [
        "| parameter | default | unit | range | declared by | also read by | source | meaning |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for p, unit, readers in idx.values():
        rng = f"{fmt(p.low)}..{fmt(p.high)}" if p.low is not None or p.high is not None else ""
        lines.append(f"| `{p.name}` | {p.default:g} | {cell(p.unit)} | {rng} | {unit} | {', '.join(readers)} | "
                     f"{cell(p.source)} | {cell(p.doc)} |")
    units = sorted({u for _, u, _ in idx.values()})
    lines.append("")
    lines.append(f"{len(idx)} parameters declared by {len(units)} units. 'declared by' is the unit that declares "
                 "the parameter beside its mechanism; 'also read by' lists the units that read it by name "
                 "(their ``uses``).")
    return lines


def assumptions_list() -> list[str]:
    strict, partly = [], []
    for p, unit, _ in param_index().values():
        src = p.source.strip()
        if src.lower().startswith("assumption"):
            rest = src[len("assumption"):].strip()
            rest = rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest.lstrip(" :;")
            strict.append(f"- `{p.name}` = {p.default:g} {p.unit} ({unit}): {p.doc}."
                          + (f" Note: {rest}." if rest else ""))
        elif re.search(r"assum", src, re.IGNORECASE):
            partly.append(f"- `{p.name}` = {p.default:g} {p.unit} ({unit}): {src}.")
    out = [f"**Parameters whose source is an assumption** ({len(strict)}; source starts with 'assumption'):", ""]
    out += strict
    out += ["", f"**Parameters grounded in the chapter whose size or timing is assumed** ({len(partly)}):", ""]
    out += partly
    return out


def columns_table() -> list[str]:
    by: dict[tuple[str, str], str] = {}
    for p in PLAN + HELPERS:
        for t, cols in p.states.items():
            for c in cols:
                by[t, c.name] = p.name
    lines = ["| table | column | dtype | bytes | owned by | meaning |", "| --- | --- | --- | --- | --- | --- |"]
    for t, cols in COLUMNS.items():
        for c in cols.values():
            shape = f" x {c.shape}" if c.shape else ""
            lines.append(f"| {t} | `{c.name}` | {c.dtype}{shape} | {c.nbytes} | {by.get((t, c.name), 'population')} "
                         f"| {cell(c.doc)} |")
    per_worker = sum(c.nbytes for c in COLUMNS["workers"].values())
    lines += ["", f"A worker row takes {per_worker} bytes."]
    return lines


POP_DOC = {
    "sector_shares": "share of a zone's migrant workers in each sector",
    "firm_size_median": "median firm size (workers), lognormal",
    "firm_size_sigma": "lognormal sigma of firm size",
    "firm_size_max": "largest firm (workers)",
    "foreign_share": "share of firms that are foreign-invested (incl. Hong Kong/Taiwan joint ventures)",
    "state_share": "share of firms that are state-owned (they start with a 'bridge' union branch)",
    "hours_per_day": "mean working hours a day (firm sd 1 h, clipped to 8..15)",
    "days_per_week": "mean working days a week (firm sd 0.4, clipped to 5..7)",
    "base_wage_ratio_mean": "mean base wage / minimum wage on day 0 (firm sd below; floor 0.3)",
    "base_wage_ratio_sd": "sd of base wage / minimum wage",
    "ot_rate_ratio_mean": "mean overtime rate / legal weekday overtime rate (floor 0.3)",
    "ot_rate_ratio_sd": "sd of that ratio",
    "hometowns": "hometowns (Zipf-distributed origins) per city",
    "core_hometowns_per_firm": "hometowns a firm recruits most of its workers from (chain migration)",
    "core_hometown_share": "share of a firm's workers from its core hometowns",
    "dorm_size": "workers per dormitory block",
    "shared_dorm_below": "firms smaller than this house workers in shared zone dormitories",
    "oversample_from": "larger firms (n workers) are over-sampled: odds min(1, scale x sqrt(n / this)), weight 1/odds",
}


def population_table() -> list[str]:
    pop = Population()
    lines = ["| attribute | manufacturing | construction | services | scalar | meaning |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name in Population.model_fields:
        v = getattr(pop, name)
        doc = POP_DOC.get(name, "")
        if hasattr(v, "manufacturing"):
            lines.append(f"| `{name}` | {v.manufacturing:g} | {v.construction:g} | {v.services:g} |  | {doc} |")
        else:
            lines.append(f"| `{name}` |  |  |  | {v:g} | {doc} |")
    return lines


def events_table() -> list[str]:
    sc = load(DEFAULT_SCENARIO).scenario
    lines = ["| date | label | parameter | operation | where | source |", "| --- | --- | --- | --- | --- | --- |"]
    for ev in sorted(sc.events, key=lambda e: e.date):  # stable: file order on ties
        op = ev.op
        what = f"{op[0]} {op[1]:g}" if op else ""
        target = f"`{ev.param}`" if ev.param else (f"{ev.firm}.{ev.attribute}" if ev.firm else "(marker)")
        where = ", ".join(f"{k}={v}" for k, v in ev.where.model_dump().items() if v is not None) or "everywhere"
        lines.append(f"| {ev.date} | {cell(ev.label)} | {target} | {what} | {cell(where)} | {cell(ev.source)} |")
    lines += ["", "Initial parameter values set by the scenario (not events): "
              + "; ".join(f"{c.name}: " + ", ".join(f"`{k}` = {v:g}" for k, v in c.parameters.items())
                          for c in sc.cities if c.parameters)
              + (("; everywhere: " + ", ".join(f"`{k}` = {v:g}" for k, v in sc.parameters.items()))
                 if sc.parameters else "") + "."]
    return lines


def minimum_wage_table() -> list[str]:
    sc = load(DEFAULT_SCENARIO).scenario
    path = resources.files("rightful.scenarios") / "data" / sc.minimum_wage.file
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    lines = ["| city | wage area | effective | yuan/month | status | source |", "| --- | --- | --- | --- | --- | --- |"]
    for b in sc.minimum_wage.before:
        lines.append(f"| {b.city} | {b.wage_area} | {sc.start} (before the first row) | {b.yuan:g} | "
                     f"stated assumption | {cell(b.note)} |")
    for r in rows:
        lines.append(f"| {r['city']} | {r['zone']} | {r['effective']} | {r['yuan_per_month']} | "
                     f"{r.get('status', '')} | {cell(r.get('source', ''))} |")
    return lines


def series_table() -> list[str]:
    lines = ["| series | label | unit | kind | over cities | over time | written by |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    by = {r.name: p.name for p in PLAN for r in p.results}
    for n, r in RESULTS.items():
        cities = "worker-weighted mean" if r.cities == "mean" else "sum"
        lines.append(f"| `{n}` | {cell(r.label)} | {cell(r.unit)} | {r.kind} | {cities} | {r.time} | "
                     f"{by.get(n, '')} |")
    return lines


SECTIONS: dict[str, Callable[[], Iterable[str]]] = {
    "PARAMS": params_table,
    "ASSUMPTIONS": assumptions_list,
    "POPULATION": population_table,
    "EVENTS": events_table,
    "MINWAGE": minimum_wage_table,
    "SERIES": series_table,
    "COLUMNS": columns_table,
}


def render(text: str) -> str:
    for key, fn in SECTIONS.items():
        begin, end = f"<!-- {key}:BEGIN -->", f"<!-- {key}:END -->"
        pat = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if not pat.search(text):
            if key == "PARAMS":
                raise SystemExit(f"markers {begin} ... {end} not found")
            continue
        body = "\n".join([begin, "<!-- generated by scripts/odd_params.py; do not edit by hand -->", "",
                          *fn(), "", end])
        text = pat.sub(lambda _m, b=body: b, text, count=1)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--odd", type=Path, default=ODD, help="the ODD file to rewrite")
    ap.add_argument("--check", action="store_true", help="exit 1 if the file is out of date; write nothing")
    a = ap.parse_args(argv)
    old = a.odd.read_text()
    new = render(old)
    if a.check:
        print("up to date" if new == old else f"{a.odd} is out of date: run python scripts/odd_params.py")
        return 0 if new == old else 1
    if new != old:
        a.odd.write_text(new)
        print(f"rewrote the generated tables of {a.odd}")
    else:
        print(f"{a.odd} already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
