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

from .schema import Scenario

BUILTIN = resources.files("rightful.scenarios") / "builtin"


class ScenarioError(ValueError):
    """A scenario file that cannot be run, with the file, key, value and expectation."""

    def __init__(self, file: str, key: str, value: Any, expected: str) -> None:
        self.file, self.key, self.value, self.expected = file, key, value, expected
        super().__init__(f"{file}: key '{key}': got {value!r}; expected {expected}")


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
    """Deep-merge tables; ``events`` and ``uncertainties`` are appended to the parent's;
    other lists (cities, firms) replace the parent's."""
    out = copy.deepcopy(base)
    for k, v in child.items():
        if k in ("events", "uncertainties") and isinstance(v, list):
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


def check_semantics(sc: Scenario, file: str, param_names: set[str]) -> None:
    """Names that the schema cannot know: parameters, cities, zones, wage areas, dates."""
    cities = {c.name for c in sc.cities}
    zones = {z.name for c in sc.cities for z in c.zones}
    areas = {z.wage_area for c in sc.cities for z in c.zones}
    names = sorted(param_names)

    def _param(key: str, name: str) -> None:
        if name not in param_names:
            raise ScenarioError(file, key, name, f"a model parameter (one of: {', '.join(names)})")

    for k in sc.parameters:
        _param(f"parameters.{k}", k)
    for i, c in enumerate(sc.cities):
        for k in c.parameters:
            _param(f"cities[{i}].parameters.{k}", k)
        for j, z in enumerate(c.zones):
            for k in z.parameters:
                _param(f"cities[{i}].zones[{j}].parameters.{k}", k)
    if len(zones) != sum(len(c.zones) for c in sc.cities):
        raise ScenarioError(file, "cities.zones.name", "duplicate", "zone names unique across cities")
    for i, f in enumerate(sc.firms):
        if f.zone not in zones:
            raise ScenarioError(file, f"firms[{i}].zone", f.zone, f"one of the zones {sorted(zones)}")
    for i, u in enumerate(sc.uncertainties):
        _param(f"uncertainties[{i}].name", u.name)
    for i, ev in enumerate(sc.events):
        if ev.param is not None:
            _param(f"events[{i}].param", ev.param)
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
    check_semantics(sc, str(path), {p.name for p in all_params()})
    return Loaded(sc, path, raw)
