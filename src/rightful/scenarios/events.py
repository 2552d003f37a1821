"""Compile a scenario's dated events (and its minimum-wage schedule) into a day-indexed list.

Why: the engine applies events before the day's processes; an event is data (which parameter or
firm attribute, which operation, which cells), so a policy experiment is a scenario file.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..engine.params import SECTORS
from ..population.build import Geography
from .errors import ScenarioError
from .schema import Scenario, Where

FIRM_ATTRIBUTES = {"base_wage": "base", "hours_per_day": "hours", "days_per_week": "dpw",
                   "ot_rate": "ot", "comply": "comply", "cash": "cash", "brand": "brand",
                   "trigger": "trig"}


@dataclass(frozen=True)
class Scheduled:
    day: int
    label: str
    op: str | None
    value: float
    param: str | None = None
    zones: tuple[int, ...] = ()
    sectors: tuple[int, ...] = ()
    firm: str | None = None
    attribute: str | None = None
    date: dt.date | None = None


def cells(where: Where, sc: Scenario, geo: Geography) -> tuple[tuple[int, ...], tuple[int, ...]]:
    zones = []
    zi = 0
    for c in sc.cities:
        for z in c.zones:
            ok = (where.city in (None, c.name) and where.zone in (None, z.name)
                  and where.wage_area in (None, z.wage_area))
            if ok:
                zones.append(zi)
            zi += 1
    sectors = tuple(range(len(SECTORS))) if where.sector is None else (SECTORS.index(where.sector),)
    return tuple(zones), sectors


def read_minimum_wage(sc: Scenario, scenario_path: Path) -> list[dict]:
    f = sc.minimum_wage.file
    p = Path(f)
    if not p.is_absolute():
        cand = scenario_path.parent / p
        p = cand if cand.exists() else Path(str(resources.files("rightful.scenarios") / "data" / f))
    if not p.exists():
        raise ScenarioError(str(scenario_path), "minimum_wage.file", f, "an existing CSV file")
    with open(p, newline="") as fh:
        rows = list(csv.DictReader(fh))
    need = {"city", "zone", "effective", "yuan_per_month"}
    if rows and not need <= set(rows[0]):
        raise ScenarioError(str(p), "(columns)", sorted(rows[0]), f"columns including {sorted(need)}")
    return rows


def compile_events(sc: Scenario, geo: Geography, scenario_path: Path, file: str,
                   day0: dt.date | None = None) -> list[Scheduled]:
    """All events in day order (ties keep file order); the wage schedule comes first on a day.
    Days count from ``day0`` (the calendar's first day: the scenario's start, or the start of
    a burn-in before it); what is dated earlier is in force from day 0."""
    out: list[Scheduled] = []
    day0 = sc.start if day0 is None else day0
    rows = read_minimum_wage(sc, scenario_path)
    zone_i = 0
    for c in sc.cities:
        for z in c.zones:
            mine = sorted(((dt.date.fromisoformat(r["effective"]), float(r["yuan_per_month"]), r)
                           for r in rows if r["city"] == c.name and r["zone"] in (z.wage_area, "unified")),
                          key=lambda t: t[0])
            before = [b for b in sc.minimum_wage.before if b.city == c.name and b.wage_area == z.wage_area]
            first_known = mine[0][0] if mine else None
            if first_known is not None and first_known > day0 and not before and first_known <= sc.start:
                # only a burn-in reaches back before the first known level: assume it held then too
                out.append(Scheduled(0, f"minimum wage {c.name} {z.wage_area} (first known level, assumed "
                                     "for the burn-in)", "set", mine[0][1], "min_wage", (zone_i,), (0, 1, 2),
                                     date=day0))
            elif first_known is None or first_known > day0:
                if not before:
                    raise ScenarioError(file, "minimum_wage.before", f"{c.name}/{z.wage_area}",
                                        f"an assumed minimum wage for {c.name} {z.wage_area} before "
                                        f"{first_known or 'any row of the CSV'} (the data has none)")
                out.append(Scheduled(0, f"minimum wage {c.name} {z.wage_area} (assumed)", "set",
                                     before[0].yuan, "min_wage", (zone_i,), (0, 1, 2), date=day0))
            for d, yuan, _r in mine:
                day = max(0, (d - day0).days)
                if d > sc.end:
                    continue
                out.append(Scheduled(day, f"minimum wage {c.name} {z.wage_area} {yuan:.0f}", "set", yuan,
                                     "min_wage", (zone_i,), (0, 1, 2), date=d))
            zone_i += 1
    for ev in sc.events:
        if ev.date > sc.end:
            continue
        day = max(0, (ev.date - day0).days)
        op = ev.op
        if ev.firm is not None:
            out.append(Scheduled(day, ev.label, op[0], op[1], firm=ev.firm,
                                 attribute=FIRM_ATTRIBUTES[ev.attribute], date=ev.date))
        elif ev.param is not None:
            zones, sectors = cells(ev.where, sc, geo)
            out.append(Scheduled(day, ev.label, op[0], op[1], ev.param, zones, sectors, date=ev.date))
        else:
            out.append(Scheduled(day, ev.label, None, 0.0, date=ev.date))
    out.sort(key=lambda e: e.day)  # stable: CSV schedule, then file order
    return out


def apply_overrides(sc: Scenario, geo: Geography, params) -> None:
    """Scenario-, city- and zone-level parameter values (in that order of precedence)."""
    for k, v in sc.parameters.items():
        params[k][:] = v
    zi = 0
    for c in sc.cities:
        idx = list(range(zi, zi + len(c.zones)))
        for k, v in c.parameters.items():
            params[k][idx] = v
        for j, z in enumerate(c.zones):
            for k, v in z.parameters.items():
                params[k][zi + j] = v
        zi += len(c.zones)

