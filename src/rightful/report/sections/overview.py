"""The top of a run's report: what was run, how to read the page, key figures per year; and the
event table the plots' numbers refer to."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ...runview import RunView, S, is_count, is_share, label
from ..context import Context
from ..events import events_section
from ..format import Raw, esc, fmt, number, table_html

HOW_TO_READ = """
<p>This page describes <b>one simulated history</b> of migrant workers' labour contention in the
cities listed below, produced by the <i>rightful</i> agent-based model. Each simulated worker and
firm stands for many real ones (the <i>scale</i> above): counts are already multiplied back to the
size of the region, so they read as regional totals, rounded to whole numbers. One run is one draw
of chance; compare several seeds (an ensemble) before trusting a difference smaller than the noise
you see between months.</p>
<p><b>Stocks</b> (workers, wages, awareness, trust ...) are states on a day; <b>flows</b> (quits,
complaints, strikes started ...) are counts of things that happened, shown per week or per month.
Averages such as the mean wage or trust are weighted by the number of workers in each city; shares
are drawn from 0 to 100%. Dated policy events (new minimum wages, laws, campaigns) are faint dotted
lines on the plots; their <span class="num">numbers</span> stand in a strip above each figure, each
joined by a thin line to its date, and refer to the <a href="#events">event table</a>. Figures
marked <i>assumption</i> in event labels or parameters are modelling choices, not facts from the
study.</p>
"""

# the yearly table: all cities, each series by its declared rules
KEY = (S.workers, S.mean_wage, S.share_min_wage, S.arrears, S.arrears_accrued, S.recovered, S.quits,
       S.complaints, S.arb_filed, S.arb_accepted, S.arb_won, S.arb_enforced, S.court_filed, S.collective_cases,
       S.strikes_started, S.strikers_started, S.escalated, S.covered, S.strikes_won, S.repressed, S.awareness,
       S.grievance, S.trust_central, S.trust_local, S.gap, S.union_members, S.ngo_reach, S.ngos_open)


def row_label(view: RunView, name: str) -> str:
    """A series' label and how a year's value is taken: 'workers (year end)', 'mean wage (mean, yuan)'."""
    r = view.rule(name)
    how = {"last": "year end", "mean": "mean"}.get(r.time, "")
    unit = r.unit if r.kind == "stock" and r.unit and not is_share(name) else ""
    extra = ", ".join(x for x in (how, unit) if x)
    return f"{label(name)} ({extra})" if extra else label(name)


def cell(view: RunView, name: str, v: float) -> Raw:
    if is_share(name):
        return Raw("–" if v != v else f"{v:.1%}")
    return Raw(esc(number(v, count=is_count(name))))


def scenario_text(meta: dict[str, Any]) -> tuple[str, str]:
    """Title and description of the run's scenario.

    run.json stores the scenario's name and content hash, not its prose; the prose is read back
    from the scenario file, but only when that file still hashes to what was run, so a report never
    describes a scenario other than the one simulated.
    """
    if meta.get("title"):
        return str(meta["title"]), str(meta.get("description") or "")
    name = meta.get("scenario")
    if not name:
        return "", ""
    try:
        from ...scenarios.loader import load

        loaded = load(name)
    except Exception:  # noqa: BLE001 - prose is optional: a renamed or broken file must not stop a report
        return "", ""
    if meta.get("scenario_hash") and loaded.hash != meta["scenario_hash"]:
        return "", ""
    return loaded.scenario.title, " ".join(loaded.scenario.description.split())


def header(ctx: Context) -> str:
    v = ctx.v
    m = v.meta
    sc_title, sc_desc = scenario_text(m)
    title = sc_title or m.get("scenario") or v.label
    rows: list[tuple[str, Any]] = [
        ("scenario", m.get("scenario")), ("seed", m.get("seed")), ("scale", m.get("scale")),
        ("run id", v.run_id), ("simulated span", f"{ctx.start} to {ctx.end} ({ctx.n_days} days)"),
        ("cities", ", ".join(v.cities)), ("agents / firms", f"{fmt(m.get('agents'))} / {fmt(m.get('firms'))}"),
        ("version", m.get("version")), ("git commit", m.get("git_commit")), ("scenario hash", m.get("scenario_hash")),
        ("started / ended", f"{m.get('started')} / {m.get('ended')}"),
        ("wall time", f"{m['wall_s']:.1f} s" if isinstance(m.get("wall_s"), (int, float)) else None),
        ("parameter overrides", json.dumps(m.get("overrides")) if m.get("overrides") else "none"),
    ]
    meta_rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(x if x is not None else '–')}</td></tr>" for k, x in rows)
    miss = (f'<p class="warn">Missing from the run folder: {esc(", ".join(v.missing))}; '
            "the sections that need them are left out.</p>" if v.missing else "")
    nav = ('<nav><a href="#figures">key figures</a><a href="#workers">workers &amp; wages</a>'
           '<a href="#minds">awareness &amp; trust</a><a href="#strikes">strikes</a>'
           '<a href="#claims">claims</a><a href="#unions">unions &amp; NGOs</a><a href="#events">events</a>'
           '<a href="#cpu">CPU</a><a href="#params">parameters</a></nav>')
    return (f'<h1>{esc(title)}</h1><p class="note">rightful run report, written '
            f"{dt.datetime.now().isoformat(timespec='seconds')}</p>"
            f'<p>{esc(sc_desc)}</p><table class="meta">{meta_rows}</table>{miss}'
            f"<h2>How to read this report</h2>{HOW_TO_READ}{nav}")


def key_figures(ctx: Context) -> str:
    v = ctx.v
    years, by = v.yearly(KEY)
    rows = [(row_label(v, n), *(cell(v, n, x) for x in by[n])) for n in KEY if n in by]
    full, ys = v.full_years(), v.years()
    hdr = [str(y) if y in full else f"{y} ({int((ys == y).sum())} d)" for y in years]
    return ('<h2 id="figures">Key figures per year</h2><p class="note">All cities together. Flows are totals '
            "over the simulated days of each year (a year shown with its number of days is partial); stocks are "
            "taken at the year's end; means are worker-weighted averages over the year. Counts are rounded to "
            "whole numbers.</p>" + table_html(["", *hdr], rows))


def events(ctx: Context) -> str:
    return events_section(ctx.groups, ctx.before, ctx.after)
