"""What a request to start runs may ask for, checked before anything is queued.

Why here and not in the runner: the page is open to anyone on the machine, so every value is
checked against what the model declares (a built-in scenario, a parameter's declared range, a
date inside the scenario's span) and against the server's ceilings, and a refusal says in words
what was wrong and what is allowed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .config import Settings

# shown on the page as the levers of a scenario that declares none of its own
DEFAULT_LEVERS = ("media_independence", "collusion", "repression", "arbitration_fee", "awards_binding",
                  "labour_shortage", "ngo_autonomy", "legal_training")


class RequestError(ValueError):
    """A request that cannot be served: ``status`` is the HTTP code, the message says why."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


class _Common(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seeds: int = Field(1, ge=1, description="number of seeds (replicates), seed, seed+1, ...")
    seed: int | None = Field(None, ge=0, le=2**31 - 1, description="first seed (default: the scenario's)")
    scale: float | None = Field(None, gt=0, le=1, description="share of workers simulated")
    until: dt.date | None = Field(None, description="last day simulated (default: the scenario's end)")
    set: dict[str, float] = Field(default_factory=dict, description="parameter overrides, within their ranges")


class RunRequest(_Common):
    scenario: str


class CompareRequest(_Common):
    scenarios: list[str] = Field(min_length=1)


@lru_cache(maxsize=64)
def _loaded(name: str) -> Any:
    from ..scenarios.loader import builtin_names, load

    if name not in builtin_names():
        raise RequestError(f"scenario: {name!r} is not a built-in scenario (choose one of "
                           f"{', '.join(builtin_names())})")
    return load(name)


def scenario(name: str) -> Any:
    """The loaded built-in scenario (never a file path: the page may not read files)."""
    return _loaded(name)


@lru_cache(maxsize=1)
def params() -> dict[str, Any]:
    from ..processes import all_params

    return {p.name: p for p in all_params()}


def levers_of(sc: Any) -> list[dict[str, Any]]:
    """The scenario's own levers and uncertainties (with their ranges), else the default levers."""
    ps = params()
    out: list[dict[str, Any]] = []
    for kind in ("levers", "uncertainties"):
        for u in getattr(sc, kind, None) or []:
            name = getattr(u, "name", None)
            if name in ps and name not in {o["name"] for o in out}:
                p = ps[name]
                low = max(p.low, u.low) if p.low is not None else u.low
                high = min(p.high, u.high) if p.high is not None else u.high
                out.append({"name": name, "low": low, "high": high, "kind": kind[:-1]})
    if not out:
        out = [{"name": n, "low": ps[n].low, "high": ps[n].high, "kind": "default"} for n in DEFAULT_LEVERS
               if n in ps]
    for o in out:
        n = o["name"]
        o["value"] = float(sc.parameters.get(n, ps[n].default))
        local = {c.name: c.parameters[n] for c in sc.cities if n in c.parameters}
        local.update({z.name: z.parameters[n] for c in sc.cities for z in c.zones if n in z.parameters})
        o["local"] = local  # where the scenario sets its own value (a lever replaces them all)
        o["events"] = sum(1 for e in sc.events if e.param == n)
    return out


def _check_common(req: _Common, scenarios: list[str], cfg: Settings) -> list[dict[str, Any]]:
    if req.seeds > cfg.max_seeds:
        raise RequestError(f"seeds: {req.seeds} is above this server's ceiling of {cfg.max_seeds} seeds")
    ps = params()
    for k, v in req.set.items():
        if k not in ps:
            raise RequestError(f"set: {k!r} is not a model parameter (see GET /api/params)")
        p = ps[k]
        if p.low is None or p.high is None:
            raise RequestError(f"set: {k!r} declares no range, so the page cannot set it")
        if not (p.low <= v <= p.high):
            raise RequestError(f"set: {k} = {v:g} is outside its declared range {p.low:g} to {p.high:g} {p.unit}")
    specs = []
    # the same seeds for every scenario (common random numbers): the first scenario's by default
    first = scenario(scenarios[0]).scenario.seed if req.seed is None else req.seed
    for name in scenarios:
        sc = scenario(name).scenario
        scale = sc.scale if req.scale is None else req.scale
        if scale > cfg.max_scale:
            src = "the scenario's default scale" if req.scale is None else "scale"
            raise RequestError(f"scale: {src} {scale:g} is above this server's ceiling of {cfg.max_scale:g} "
                               "(give a smaller scale)")
        if req.until is not None and not (sc.start <= req.until <= sc.end):
            raise RequestError(f"until: {req.until} is outside {name}'s span {sc.start} to {sc.end}")
        for s in range(first, first + req.seeds):
            specs.append({"scenario": name, "seed": s, "scale": float(scale),
                          "until": req.until.isoformat() if req.until else None, "overrides": dict(req.set)})
    if len(specs) > cfg.max_seeds * cfg.max_scenarios:
        raise RequestError(f"{len(specs)} runs in one request is above this server's ceiling")
    return specs


def run_specs(req: RunRequest, cfg: Settings) -> list[dict[str, Any]]:
    """One spec per seed; RequestError when any value is out of bounds."""
    return _check_common(req, [req.scenario], cfg)


def compare_specs(req: CompareRequest, cfg: Settings) -> list[dict[str, Any]]:
    """One spec per scenario and seed, the same seeds for every scenario (common random numbers)."""
    if len(req.scenarios) > cfg.max_scenarios:
        raise RequestError(f"scenarios: {len(req.scenarios)} is above this server's ceiling of "
                           f"{cfg.max_scenarios} scenarios")
    if len(set(req.scenarios)) != len(req.scenarios):
        raise RequestError("scenarios: each scenario may appear once")
    return _check_common(req, req.scenarios, cfg)


def with_run_ids(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each spec with its deterministic run id (the one the runner will give it)."""
    from ..store.parquet import run_id

    for s in specs:
        s["run_id"] = run_id(scenario(s["scenario"]).hash, s["seed"], s["scale"], s["until"], s["overrides"] or None)
    return specs
