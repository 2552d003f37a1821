"""Regenerate the generated tables of docs/ODD.md from the code and the default scenario.

Why: parameter values are still being tuned, so the ODD's parameter table, its list of stated
assumptions, the population defaults, the dated events of the default scenario and the list of
recorded series must be rewritten from their single sources of truth (the ``Param`` declarations
in ``rightful.processes``, the scenario schema, the scenario TOML and the minimum-wage CSV), never
edited by hand. Each table lives between a pair of markers in docs/ODD.md::

    <!-- PARAMS:BEGIN --> ... <!-- PARAMS:END -->

Usage: ``python scripts/odd_params.py`` rewrites docs/ODD.md in place; ``--check`` only reports
(exit status 1) whether it is out of date; ``--odd PATH`` names another file.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

from rightful.processes import MODULES, STOCKS
from rightful.scenarios.loader import load
from rightful.scenarios.schema import Population

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "ODD.md"
SRC = ROOT / "src" / "rightful"
DEFAULT_SCENARIO = "prd-2003-2010"
# modules whose parameters are packed and read by the strikes process (no Process class of their own)
RUN_BY = {"media": "strikes", "responses": "strikes"}


def cell(v: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(v).replace("|", "\\|").replace("\n", " ").strip()


def fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def short(mod: object) -> str:
    return mod.__name__.rsplit(".", 1)[-1]


def readers() -> dict[str, set[str]]:
    """Parameter name -> the other source files (processes, population builder) that read it.

    A file reads a parameter when it names it as a string literal outside a ``Param(`` declaration
    (``w.params["min_wage"]``), or packs the whole PARAMS tuple of the declaring module
    (``from . import diffusion as D`` ... ``D.PARAMS``).
    """
    files = sorted((SRC / "processes").glob("*.py")) + [SRC / "population" / "build.py"]
    text = {f.stem: f.read_text() for f in files}
    decl = {short(m): [p.name for p in getattr(m, "PARAMS", ())] for m in MODULES}
    out: dict[str, set[str]] = {n: set() for names in decl.values() for n in names}
    for stem, src in text.items():
        body = re.sub(r'Param\(\s*"[a-z_0-9]+"', "Param(", src)
        aliases = dict((a, m) for m, a in re.findall(r"from \. import (\w+) as (\w+)", src))
        packed = {aliases[a] for a in aliases if re.search(rf"\b{a}\.PARAMS\b", src)}
        for owner, names in decl.items():
            for n in names:
                if owner == stem:
                    continue
                if f'"{n}"' in body or owner in packed:
                    out[n].add(stem)
    return out


def params_table() -> list[str]:
    rd = readers()
    lines = [
        "| parameter | default | unit | range | process | also read by | source | meaning |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    n = 0
    for m in MODULES:
        mod = short(m)
        proc = f"{RUN_BY[mod]} ({mod})" if mod in RUN_BY else mod
        for p in getattr(m, "PARAMS", ()):
            rng = f"{fmt(p.low)}..{fmt(p.high)}" if p.low is not None or p.high is not None else ""
            other = ", ".join(sorted(rd.get(p.name, set()) - {mod, RUN_BY.get(mod, "")}))
            lines.append(f"| `{p.name}` | {p.default:g} | {cell(p.unit)} | {rng} | {proc} | {other} | "
                         f"{cell(p.source)} | {cell(p.doc)} |")
            n += 1
    lines.append("")
    lines.append(f"{n} parameters in {len(MODULES)} modules. 'process' is the module that declares the "
                 "parameter (media and responses are run inside strikes); 'also read by' lists other modules "
                 "(and the population builder, `build`) that read its value.")
    return lines


def assumptions_list() -> list[str]:
    strict, partly = [], []
    for m in MODULES:
        for p in getattr(m, "PARAMS", ()):
            src = p.source.strip()
            if src.lower().startswith("assumption"):
                rest = src[len("assumption"):].strip()
                rest = rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest.lstrip(" :;")
                strict.append(f"- `{p.name}` = {p.default:g} {p.unit} ({short(m)}): {p.doc}."
                              + (f" Note: {rest}." if rest else ""))
            elif re.search(r"assum", src, re.IGNORECASE):
                partly.append(f"- `{p.name}` = {p.default:g} {p.unit} ({short(m)}): {src}.")
    out = [f"**Parameters whose source is an assumption** ({len(strict)}; source starts with 'assumption'):", ""]
    out += strict
    out += ["", f"**Parameters grounded in the chapter whose size or timing is assumed** ({len(partly)}):", ""]
    out += partly
    return out


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
    "min_firms_per_zone": "fewest firms generated per zone at tiny scales",
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
    lines = ["| series | kind | written by |", "| --- | --- | --- |"]
    seen: dict[str, list[str]] = {}
    for m in MODULES:
        for n in getattr(m, "FLOWS", ()):
            seen.setdefault(n, []).append(short(m))
    for n, mods in seen.items():
        kind = "flow (daily count or sum)"
        if n in STOCKS:
            kind = "**stock; the flow of the same name is overwritten**"
        lines.append(f"| `{n}` | {kind} | {', '.join(mods)} |")
    for n in STOCKS:
        if n not in seen:
            lines.append(f"| `{n}` | stock (end of day) | observe |")
    return lines


SECTIONS: dict[str, Callable[[], Iterable[str]]] = {
    "PARAMS": params_table,
    "ASSUMPTIONS": assumptions_list,
    "POPULATION": population_table,
    "EVENTS": events_table,
    "MINWAGE": minimum_wage_table,
    "SERIES": series_table,
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
