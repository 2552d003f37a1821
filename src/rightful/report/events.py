"""The scenario's dated events in a report: numbered groups, and the table the plots refer to.

Why numbers: several policies often land on the same day or within weeks of each other (around
2008 a dozen do), so labels on the plots would overlap into an unreadable smear. Each date gets
one number, shown once per figure in a strip above its panels (``figures.number_strip``), and the
table here says what each number is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .format import Raw, esc, fmt, table_html


@dataclass
class EventGroup:
    """All events on one date, shown under one number."""

    number: int
    date: np.datetime64
    items: list[tuple[str, str]]  # (label, what changed)


def _zlist(z: Any) -> list[int]:
    """Zones of an event as a plain list (Parquet gives an array, callers may give None)."""
    return [] if z is None else [int(x) for x in list(z)]


def zones_text(zones: Any, zone_names: Sequence[str]) -> str:
    z = _zlist(zones)
    if not z or (zone_names and sorted(set(z)) == list(range(len(zone_names)))):
        return "all zones"
    return ", ".join(zone_names[i] if i < len(zone_names) else str(i) for i in sorted(set(z)))


def group_events(events: Sequence[dict[str, Any]], start: np.datetime64, end: np.datetime64,
                 zone_names: Sequence[str]) -> tuple[list[EventGroup], list[dict[str, Any]], list[dict[str, Any]]]:
    """Split events into numbered groups inside the run span, those dated before it (in force from
    the first day) and those after it (never reached); duplicates per zone are merged."""
    merged: dict[tuple[Any, str], dict[str, Any]] = {}
    for e in events:
        d = np.datetime64(e["date"], "D")
        key = (d, str(e.get("label")))
        what = ""
        if e.get("param") is not None:
            what = f"{e['param']} {e.get('op') or ''} {fmt(e.get('value'))}".strip()
        if key in merged:
            merged[key]["zones"] = list(merged[key]["zones"]) + _zlist(e.get("zones"))
            if what and what not in merged[key]["whats"]:
                merged[key]["whats"].append(what)
        else:
            merged[key] = {"date": d, "label": str(e.get("label")), "zones": _zlist(e.get("zones")),
                           "whats": [what] if what else []}
    items = sorted(merged.values(), key=lambda x: (x["date"], x["label"]))
    for it in items:
        it["where"] = zones_text(it["zones"], zone_names)
        it["what"] = "; ".join(it["whats"])
    before = [it for it in items if it["date"] < start]
    after = [it for it in items if it["date"] > end]
    groups: list[EventGroup] = []
    for it in (it for it in items if start <= it["date"] <= end):
        if not groups or groups[-1].date != it["date"]:
            groups.append(EventGroup(len(groups) + 1, it["date"], []))
        groups[-1].items.append((it["label"], f"{it['what']} ({it['where']})" if it["what"] else it["where"]))
    return groups, before, after


def events_section(groups: list[EventGroup], before: list[dict[str, Any]], after: list[dict[str, Any]],
                   detail: bool = True) -> str:
    """The numbered event table the plot markers refer to, plus collapsed lists of events outside
    the run (so a reader sees what the scenario holds but the run never reached)."""
    rows = []
    for g in groups:
        for i, (label, what) in enumerate(g.items):
            num = Raw(f'<span class="num">{g.number}</span>') if i == 0 else ""
            rows.append((num, str(g.date) if i == 0 else "", label, what) if detail else
                        (num, str(g.date) if i == 0 else "", label))
    head = ["#", "date", "event", "what changed (where)"] if detail else ["#", "date", "event"]
    out = ['<h2 id="events">Dated events</h2>',
           '<p class="note">Policy events of the scenario inside the span, numbered as in the strip above '
           "each figure (a thin line joins each number to its date). Events sharing a date share a number.</p>"]
    out.append('<div class="ev">' + table_html(head, rows, left_cols=len(head)) + "</div>" if rows
               else '<p class="note">No dated events fell inside the span.</p>')
    for title, lst in (("dated before the start (in force from the first day)", before),
                       ("scheduled after the end (not reached)", after)):
        if lst:
            r = [(str(it["date"]), it["label"], f"{it['what']} ({it['where']})") for it in lst]
            out.append(f"<details><summary>{len(lst)} event{'s' if len(lst) != 1 else ''} {esc(title)}</summary>"
                       + table_html(["date", "event", "what changed (where)"], r, left_cols=3) + "</details>")
    return "\n".join(out)
