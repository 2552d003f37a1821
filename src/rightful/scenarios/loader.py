"""Find, read, merge (``extends``) and validate scenario files.

Why: a wrong scenario must stop before anything runs, with a message a researcher can act on:
the file, the key, the value and what was expected. Nothing is written until a scenario loads.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import ScenarioError
from .schema import Scenario

__all__ = ["ScenarioError", "Loaded", "load", "locate", "builtin_names"]

BUILTIN = resources.files("rightful.scenarios") / "builtin"


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in BUILTIN.iterdir() if p.name.endswith(".toml"))


def locate(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A built-in scenario name, or a path (relative to the extending file if given)."""
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        if not p.is_absolute() and relative_to is not None and not p.exists():
            p = relative_to / p
        if not p.exists():
            raise ScenarioError(str(p), "(file)", str(name_or_path), "an existing scenario file")
        return p
    cand = BUILTIN / f"{name_or_path}.toml"
    if cand.is_file():
        return Path(str(cand))
    raise ScenarioError(str(name_or_path), "(name)", str(name_or_path),
                        f"a file path or one of the built-in scenarios {builtin_names()}")


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(str(path), "(syntax)", str(e), "valid TOML") from None


def _merge(base: dict, child: dict) -> dict:
    """Deep-merge tables; ``events``, ``uncertainties`` and ``levers`` are appended to the parent's;
    other lists (cities, firms) replace the parent's."""
    out = copy.deepcopy(base)
    for k, v in child.items():
        if k in ("events", "uncertainties", "levers") and isinstance(v, list):
            out[k] = list(out.get(k, [])) + list(v)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def read_raw(path: Path, _seen: tuple[str, ...] = ()) -> dict:
    """The scenario's table with every ``extends`` resolved."""
    data = _read_toml(path)
    parent = data.get("extends")
    if parent:
        if not isinstance(parent, str):
            raise ScenarioError(str(path), "extends", parent, "a scenario name or file path")
        ppath = locate(parent, relative_to=path.parent)
        if str(ppath) in _seen:
            raise ScenarioError(str(path), "extends", parent, "no cycle of extends")
        base = read_raw(ppath, _seen + (str(path),))
        base.pop("name", None)
        base.pop("title", None)
        base.pop("description", None)
        if data.get("inherit_events", True) is False:
            base.pop("events", None)
        drop = data.get("drop_events", [])
        if not isinstance(drop, list) or not all(isinstance(x, str) for x in drop):
            raise ScenarioError(str(path), "drop_events", drop, "a list of parameter names")
        if drop and "events" in base:  # a counterfactual: the parent's events on these parameters never happen
            base["events"] = [e for e in base["events"] if e.get("param") not in drop]
        data = _merge(base, data)
    return data


def _expected_for(err: dict) -> str:
    t = err.get("type", "")
    ctx = err.get("ctx") or {}
    if t == "extra_forbidden":
        return "no such key (check the spelling; see 'rightful scenarios show prd-2003-2010')"
    if t == "missing":
        return "this key to be present"
    if t.startswith("date"):
        return "a date written YYYY-MM-DD"
    if t in ("float_parsing", "float_type"):
        return "a number"
    if t in ("int_parsing", "int_type", "int_from_float"):
        return "an integer"
    if t == "literal_error":
        return f"one of {ctx.get('expected', '')}"
    if t in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return err.get("msg", t).replace("Input should be ", "a value ")
    if t == "value_error":
        return str(err.get("msg", t)).replace("Value error, ", "")
    if t == "finite_number":
        return "a finite number"
    return err.get("msg", t)


def _key(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _value_at(data: Any, loc: tuple) -> Any:
    cur = data
    for part in loc:
        try:
            cur = cur[part]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def validate(data: dict, file: str) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        value = err.get("input") if err.get("type") != "missing" else None
        if err.get("type") != "extra_forbidden" and value is None:
            value = _value_at(data, loc)
        raise ScenarioError(file, _key(loc) or "(top level)", value, _expected_for(err)) from None


def check_semantics(sc: Scenario, file: str, param_names: set[str] | dict[str, Any]) -> None:
    """Names and ranges that the schema cannot know: parameters (declared names, each value within
    its declared range), cities, zones, wage areas, dates."""
    declared = param_names if isinstance(param_names, dict) else {}
    param_names = set(param_names)
    cities = {c.name for c in sc.cities}
    zones = {z.name for c in sc.cities for z in c.zones}
    areas = {z.wage_area for c in sc.cities for z in c.zones}
    names = sorted(param_names)

    def _param(key: str, name: str) -> None:
        if name not in param_names:
            raise ScenarioError(file, key, name, f"a model parameter (one of: {', '.join(names)})")

    def _value(key: str, name: str, value: float) -> None:
        _param(key, name)
        why = declared[name].problem(value) if name in declared else None
        if why is not None:
            raise ScenarioError(file, key, value, why)

    for k, v in sc.parameters.items():
        _value(f"parameters.{k}", k, v)
    for i, c in enumerate(sc.cities):
        for k, v in c.parameters.items():
            _value(f"cities[{i}].parameters.{k}", k, v)
        for j, z in enumerate(c.zones):
            for k, v in z.parameters.items():
                _value(f"cities[{i}].zones[{j}].parameters.{k}", k, v)
    if len(zones) != sum(len(c.zones) for c in sc.cities):
        raise ScenarioError(file, "cities.zones.name", "duplicate", "zone names unique across cities")
    for i, f in enumerate(sc.firms):
        if f.zone not in zones:
            raise ScenarioError(file, f"firms[{i}].zone", f.zone, f"one of the zones {sorted(zones)}")
    for i, u in enumerate(sc.uncertainties):
        _param(f"uncertainties[{i}].name", u.name)
        _value(f"uncertainties[{i}].low", u.name, u.low)
        _value(f"uncertainties[{i}].high", u.name, u.high)
    for i, ev in enumerate(sc.events):
        if ev.param is not None:
            _param(f"events[{i}].param", ev.param)
            if ev.set is not None:
                _value(f"events[{i}].set", ev.param, ev.set)
        if ev.firm is not None and ev.firm not in {f.name for f in sc.firms}:
            raise ScenarioError(file, f"events[{i}].firm", ev.firm,
                                f"one of the scenario's firms {sorted(f.name for f in sc.firms)}")
        w = ev.where
        if w.city is not None and w.city not in cities:
            raise ScenarioError(file, f"events[{i}].where.city", w.city, f"one of {sorted(cities)}")
        if w.zone is not None and w.zone not in zones:
            raise ScenarioError(file, f"events[{i}].where.zone", w.zone, f"one of {sorted(zones)}")
        if w.wage_area is not None and w.wage_area not in areas:
            raise ScenarioError(file, f"events[{i}].where.wage_area", w.wage_area, f"one of {sorted(areas)}")
        if not (sc.start <= ev.date <= sc.end) and ev.date < sc.start - dt.timedelta(days=3650):
            raise ScenarioError(file, f"events[{i}].date", str(ev.date), "a date near the scenario's span")


FIRM_LIMITS = {"base_wage": (1e-9, 100_000), "hours_per_day": (1e-9, 24), "days_per_week": (1e-9, 7),
               "ot_rate": (0, 10_000), "comply": (0, 1), "cash": (0, 1), "brand": (0, 1)}


def check_event_values(sc: Scenario, path: Path, file: str) -> None:
    """Replay the scenario's dated events (its minimum-wage schedule included) on the parameter
    table and on its explicit firms: every value an event leaves must lie in the declared range,
    so that ``scale`` and ``add`` cannot push a parameter where ``set`` may not go."""
    import numpy as np

    from ..engine.params import ParamTable
    from ..population.build import geography
    from ..processes import all_params
    from .events import apply_overrides, compile_events

    geo = geography(sc)
    table = ParamTable(all_params(), len(geo.zones))
    apply_overrides(sc, geo, table)
    firms = {f.name: f.model_dump() for f in sc.firms}
    for e in compile_events(sc, geo, path, file):
        if e.op is None:
            continue
        where = f"events (the event {e.label!r} of {e.date})"
        if e.param is not None:
            zones, sectors = np.array(e.zones, dtype=np.int64), np.array(e.sectors, dtype=np.int64)
            if not len(zones):
                continue
            table.apply(e.param, e.op, e.value, zones, sectors)
            vals = table[e.param][np.ix_(zones, sectors)].ravel()
            p = table.params[e.param]
            for v in vals:
                why = p.problem(float(v))
                if why is not None:
                    raise ScenarioError(file, where, float(v), f"{why}: the value this event leaves {e.param} at")
        elif e.firm in firms and e.attribute in FIRM_LIMITS:
            old = float(firms[e.firm][e.attribute])
            new = e.value if e.op == "set" else (old * e.value if e.op == "scale" else old + e.value)
            firms[e.firm][e.attribute] = new
            lo, hi = FIRM_LIMITS[e.attribute]
            if not (np.isfinite(new) and lo <= new <= hi):
                raise ScenarioError(file, where, new, f"a value in [{lo:g}, {hi:g}] for {e.firm}'s {e.attribute}")


def content_hash(data: dict) -> str:
    blob = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


class Loaded:
    """A validated scenario with the path it came from and the hash of its resolved content."""

    def __init__(self, scenario: Scenario, path: Path, raw: dict) -> None:
        self.scenario = scenario
        self.path = path
        self.raw = raw
        self.hash = content_hash(raw)

    @property
    def name(self) -> str:
        return self.scenario.name


def load(name_or_path: str | Path, overrides: dict[str, float] | None = None) -> Loaded:
    """Load and fully validate a scenario; ``overrides`` set global parameters on top."""
    from ..processes import all_params

    path = locate(name_or_path)
    raw = read_raw(path)
    if overrides:
        raw = _merge(raw, {"parameters": dict(overrides)})
    sc = validate(raw, str(path))
    check_semantics(sc, str(path), {p.name: p for p in all_params()})
    check_event_values(sc, path, str(path))
    return Loaded(sc, path, raw)
