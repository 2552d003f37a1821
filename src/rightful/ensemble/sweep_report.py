"""The HTML report of a sweep, written from its batch folder (like a run's report from its folder).

Why from the folder: ``summary.json`` (what was varied, the indices, the PRIM boxes),
``points.csv`` (outcomes per design point) and the runs' Parquet files hold everything, so the
report can be rewritten at any time, e.g. after ``rightful discover`` adds a PRIM rule, without
running anything. The page is self-contained like the other reports (inline SVG, no script, no
external resource) and reuses their page, table and figure helpers; its own figures are drawn here
(``sweep_figures.py``).

Sections: what was varied (range, distribution, default, source of every factor); sensitivity
(Morris mu* and sigma, or Sobol S1 and ST, per outcome, with an overview heat map); each outcome
against each factor; scenario discovery (PRIM boxes, their coverage, density and quasi-p values,
the peeling trajectory); the spread of the main series across the whole sweep; every point.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np

from . import sweep_figures as SF

BAND_SERIES = ("strikes_started", "arb_filed", "recovered", "arrears", "mean_wage", "gap", "grievance",
               "union_members")
MAX_SHOWN = 8


def _h() -> Any:
    """The report's HTML helpers (loaded on use: a sweep without a report needs none of them)."""
    from types import SimpleNamespace

    from ..report.format import esc, figure_html, fmt, table_html
    from ..report.page import page

    return SimpleNamespace(esc=esc, figure_html=figure_html, fmt=fmt, table_html=table_html, page=page)


def outcome_label(name: str) -> str:
    """What an outcome means, in words (built-in description or the expression's)."""
    from . import expressions as X
    from .outcomes import OUTCOMES

    if name in OUTCOMES:
        return OUTCOMES[name].description
    if X.known(name):
        return X.get(name).description or X.get(name).text
    return name


def shown_outcomes(outcomes: list[str], prim_rules: list[str]) -> list[str]:
    """The outcomes drawn against each factor: those of PRIM rules, the main ones, then the rest,
    at most ``MAX_SHOWN``."""
    from . import prim as P
    from .outcomes import MAIN

    first = [P.parse_rule(r)[0] for r in prim_rules] + [o for o in MAIN if o in outcomes] + outcomes
    return [o for o in dict.fromkeys(first) if o in outcomes][:MAX_SHOWN]


def _log(s: dict[str, Any]) -> list[str]:
    """Factors drawn on a log scale: those with a log-uniform range."""
    return [u["name"] for u in s["uncertainties"] if u.get("distribution") == "loguniform"]


def _factors(H: Any, s: dict[str, Any]) -> str:
    from ..processes import all_params

    reg = {p.name: p for p in all_params()}
    rows = []
    for u in s["uncertainties"]:
        p = reg.get(u["name"])
        note = s.get("notes", {}).get(u["name"], "")
        rows.append([u["name"], u.get("kind", "uncertainty"), f"{u['low']:g} .. {u['high']:g}",
                     u.get("distribution", "uniform"), u.get("unit", ""), f"{p.default:g}" if p else "",
                     H.esc(u.get("source", "")) + (f' <span class="note">({H.esc(note)})</span>' if note else "")])
    return ('<h2 id="factors">What was varied</h2><p>Uncertainties are sizes the study does not give '
            "(the model assumes them); levers are what an actor of the model decides. Each run holds the "
            "values below for its whole span in every city: dated events that would change the same parameter "
            "are skipped (listed beside the factor).</p>"
            + H.table_html(["parameter", "kind", "range", "distribution", "unit", "default", "source"],
                           [[H.esc(c) if i < 6 else c for i, c in enumerate(r)] for r in rows], left_cols=7,
                           raw=True))


def _sensitivity(H: Any, s: dict[str, Any]) -> str:
    idx: dict[str, list[dict[str, Any]]] = s.get("sensitivity") or {}
    design = s["design"]
    if design not in ("morris", "sobol"):
        return ('<h2 id="sensitivity">Sensitivity</h2><p class="note">A ' + H.esc(design) + " design gives no "
                "sensitivity indices (use morris or sobol); the outcomes against each factor are below.</p>")
    out = ['<h2 id="sensitivity">Sensitivity</h2>']
    if design == "morris":
        out.append("<p>Morris screening: <b>mu*</b> is the mean absolute change of the outcome when one factor "
                   "moves by one step of its range (in the outcome's units), <b>sigma</b> the spread of those "
                   "changes (interactions or non-linearity). The map shows mu* relative to the largest for each "
                   "outcome: a factor near 0 hardly moves that outcome in these ranges.</p>")
    else:
        out.append("<p>Sobol indices: <b>S1</b> is the share of the outcome's variance due to one factor alone, "
                   "<b>ST</b> that share including its interactions. The map shows ST.</p>")
    if s.get("sensitivity_error"):
        out.append(f'<p class="warn">{H.esc(s["sensitivity_error"])}</p>')
    if idx:
        key = "mu_star" if design == "morris" else "ST"
        params = [u["name"] for u in s["uncertainties"]]
        out.append(H.figure_html(SF.heatmap(idx, params, key, design == "morris"),
                                 "rows: outcomes; columns: factors"))
        for o, rows in idx.items():
            cols = list(rows[0])
            out.append(f"<details><summary>{H.esc(o)}: {H.esc(outcome_label(o))}</summary>"
                       + H.table_html(cols, [[r[c] for c in cols] for r in rows]) + "</details>")
    skipped = {k: v for k, v in (s.get("notes") or {}).items() if k in s.get("outcomes", [])}
    if skipped:
        out.append('<p class="note">Not analysed: ' + "; ".join(f"{H.esc(k)} ({H.esc(v)})"
                                                                 for k, v in skipped.items()) + ".</p>")
    return "\n".join(out)


def _effects(H: Any, s: dict[str, Any], x: dict[str, np.ndarray], y: dict[str, np.ndarray]) -> str:
    shown = shown_outcomes(list(y), [d["rule"] for d in s.get("prim", [])])
    out = ['<h2 id="effects">Outcomes against each factor</h2><p>One dot per design point (the mean over its '
           "seeds); the line joins the means of the points in each fifth of the factor's range. A trend means "
           "the outcome follows that factor; a cloud without trend means the others dominate.</p>"]
    for o in shown:
        if not np.isfinite(y[o]).any():
            out.append(f"<h3>{H.esc(o)}</h3><p class='note'>undefined (NaN) at every point.</p>")
            continue
        out.append(f"<h3>{H.esc(o)}</h3><p class='note'>{H.esc(outcome_label(o))}</p>"
                   + H.figure_html(SF.scatter_row(x, y[o], o, _log(s))))
    rest = [o for o in y if o not in shown]
    if rest:
        out.append(f'<p class="note">Also in points.csv: {H.esc(", ".join(rest))}.</p>')
    return "\n".join(out)


def _discovery(H: Any, s: dict[str, Any], folder: Path) -> str:
    from . import prim as P

    out = ['<h2 id="discovery">Scenario discovery (PRIM)</h2><p>PRIM (Friedman and Fisher 1999, as implemented '
           "by the EMA Workbench) looks for a box of factor values where the cases of interest concentrate. "
           "<b>Coverage</b>: the share of all cases of interest inside the box; <b>density</b>: the share of "
           "the points inside the box that are cases; <b>mass</b>: the share of all points inside it. The "
           "quasi-p value of a restriction is the chance that it arose by luck (Bryant and Lempert 2010): "
           "above 0.05, distrust it. A space-filling design (lhs) suits discovery better than morris.</p>"]
    units = {u["name"]: u.get("unit", "") for u in s["uncertainties"]}
    found = s.get("prim") or []
    if not found:
        out.append('<p class="note">No rule was given. Add one without running anything again: '
                   f"<code>rightful discover {H.esc(folder)} --rule 'strikes_started&gt;q80'</code> (a number "
                   "or a quantile qNN of the outcome; &lt; for low values).</p>")
    for raw in found:
        d = P.Discovery.from_dict(raw)
        out.append(f"<h3>{H.esc(d.rule)}</h3><p>Cases of interest: {H.esc(d.outcome)} {H.esc(d.op)} "
                   f"{H.fmt(d.threshold)}: {d.cases} of {d.points} points (base rate "
                   f"{d.cases / max(d.points, 1):.0%}).{(' ' + H.esc(d.note)) if d.note else ''}</p>")
        for i, b in enumerate(d.boxes, start=1):
            out.append(f"<p><b>Box {i}</b>: {H.esc(P.describe(b, units))}; coverage {b.coverage:.0%}, density "
                       f"{b.density:.0%}, mass {b.mass:.0%} ({b.k} cases among {b.n} points).</p>")
            rows = [[k, d.ranges[k][0], d.ranges[k][1], lo, hi, b.qp.get(k, float("nan"))]
                    for k, (lo, hi) in b.limits.items()]
            out.append(H.table_html(["factor", "sweep low", "sweep high", "box low", "box high", "quasi-p"], rows))
            out.append(H.figure_html(SF.prim_box(b, d.ranges, _log(s)), "the peeling trajectory (the chosen box "
                                     "circled) and the box within each factor's range"))
    return "\n".join(out)


def _bands(H: Any, s: dict[str, Any], folder: Path) -> str:
    from .reduce import bands

    out_dir = folder.parent.parent
    paths = [out_dir / r for r in dict.fromkeys(s.get("runs", [])) if (out_dir / r / "daily.parquet").is_file()]
    if not paths:
        return ""
    try:
        dates, b = bands(paths, BAND_SERIES)
    except ValueError as e:
        return f'<h2 id="series">Series across the sweep</h2><p class="note">{H.esc(e)}</p>'
    return ('<h2 id="series">Series across the sweep</h2><p>Every run of the sweep (all points and seeds): the '
            "line is the median of the daily value across runs, the band spans the 10th to 90th percentile, i.e. "
            f"how far the factors' ranges (and chance) spread each series. {len(paths)} runs.</p>"
            + H.figure_html(SF.bands(dates, b)))


def _points(H: Any, x: dict[str, np.ndarray], y: dict[str, np.ndarray]) -> str:
    cols = [*x, *y]
    n = len(next(iter(x.values()))) if x else 0
    rows = [[i, *(x[c][i] for c in x), *(y[c][i] for c in y)] for i in range(n)]
    return ('<h2 id="points">Every point</h2><details><summary>' + f"{n} design points (mean over seeds)"
            + "</summary>" + H.table_html(["point", *cols], rows) + "</details>")


def write_sweep_report(folder: Path | str) -> Path:
    """Write ``folder/report.html`` from a sweep's batch folder and return its path."""

    H = _h()
    folder = Path(folder)
    s = json.loads((folder / "summary.json").read_text())
    _, x, y = read_points(folder)
    k = len(s["uncertainties"])
    title = f"Sweep of {s['scenario']}: {s['design']} design over {k} {s.get('over', 'uncertainties')}"
    seeds = s.get("seeds", [])
    failed = s.get("failed") or {}
    head = (f"<h1>{H.esc(title)}</h1><p class='note'>batch {H.esc(s['batch'])}; written "
            f"{dt.datetime.now().isoformat(timespec='seconds')}; scale {s['scale']:g}; "
            f"{'until ' + H.esc(s['until']) if s.get('until') else 'the whole span'}; "
            f"{s['points']} design points x {len(seeds)} seed(s) {H.esc(seeds)}; {s['completed']} runs completed"
            + (f', <span class="warn">{len(failed)} failed</span>' if failed else "") + "</p>"
            '<nav><a href="#factors">varied</a><a href="#sensitivity">sensitivity</a><a href="#effects">effects</a>'
            '<a href="#discovery">discovery</a><a href="#series">series</a><a href="#points">points</a></nav>'
            "<p>A sweep runs the model at many combinations of the factors below, every combination on the "
            "same seeds (common random numbers), so differences between points come from the factors, not from "
            "chance. Outcomes are means over a point's seeds.</p>")
    body = [head, _factors(H, s), _sensitivity(H, s), _effects(H, s, x, y), _discovery(H, s, folder),
            _bands(H, s, folder), _points(H, x, y),
            '<p class="note">Files: points.csv, outcomes.csv, summary.json'
            + (", sensitivity.csv, sensitivity.png" if s.get("sensitivity") else "")
            + (", prim.csv" if s.get("prim") else "") + ".</p>"]
    path = folder / "report.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(H.page(title, "\n".join(body)), encoding="utf-8")
    tmp.replace(path)
    return path


def read_points(folder: Path | str) -> tuple[list[str], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """A sweep folder's points.csv: the factors' names, their values and the outcomes per point."""
    import json

    folder = Path(folder)
    factors = [u["name"] for u in json.loads((folder / "summary.json").read_text())["uncertainties"]]
    with open(folder / "points.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cols = list(rows[0]) if rows else []
    num = {c: np.array([float(r[c]) if r[c] not in ("", "nan") else np.nan for r in rows]) for c in cols}
    x = {f: num[f] for f in factors}
    y = {c: num[c] for c in cols if c not in ("point", "runs", *factors)}
    return factors, x, y
