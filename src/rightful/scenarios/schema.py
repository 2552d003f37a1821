"""The scenario file's schema (pydantic): what a TOML scenario may say, typed and checked.

Why: a scenario is data, not code. Everything that differs between the default Pearl River Delta
run, the Hai Yan factory and a policy experiment is a value here or a dated event; the schema
rejects unknown keys and wrong types before anything runs, and the loader turns its errors into
messages naming the file, the key, the value and what was expected.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Sector = Literal["manufacturing", "construction", "services"]
Ownership = Literal["domestic_private", "state", "foreign"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Where(Strict):
    """Scope of an event or override; omitted keys mean 'all'."""

    city: str | None = None
    zone: str | None = None
    wage_area: str | None = None
    sector: Sector | None = None


class Event(Strict):
    """A dated change of a named parameter (set, scale or add), or a pure marker for reports."""

    date: dt.date
    label: str
    param: str | None = None
    firm: str | None = None
    attribute: Literal["base_wage", "hours_per_day", "days_per_week", "ot_rate", "comply", "cash",
                       "brand", "trigger"] | None = None
    set: float | None = None
    scale: float | None = None
    add: float | None = None
    where: Where = Field(default_factory=Where)
    source: str = ""

    @model_validator(mode="after")
    def _one_operation(self) -> Event:
        ops = [o for o in ("set", "scale", "add") if getattr(self, o) is not None]
        if (self.firm is None) != (self.attribute is None):
            raise ValueError("a firm event names both 'firm' and 'attribute'")
        if self.firm is not None and self.param is not None:
            raise ValueError("an event changes either a 'param' or a firm's 'attribute', not both")
        target = self.param is not None or self.firm is not None
        if not target and ops:
            raise ValueError("an event with set/scale/add must name its 'param' (or 'firm' and 'attribute')")
        if target and len(ops) != 1:
            raise ValueError("an event that changes a value needs exactly one of set, scale or add")
        return self

    @property
    def op(self) -> tuple[str, float] | None:
        for o in ("set", "scale", "add"):
            v = getattr(self, o)
            if v is not None:
                return o, float(v)
        return None


class Zone(Strict):
    """An industrial district: its wage area (minimum-wage schedule) and migrant workers at
    scale 1.0. ``generate = false`` means only the scenario's explicit firms populate it."""

    name: str
    wage_area: str
    workers: int = Field(ge=0)
    generate: bool = True
    sector_shares: dict[Sector, float] | None = None
    parameters: dict[str, float] = Field(default_factory=dict)


class City(Strict):
    name: str
    zones: list[Zone] = Field(min_length=1)
    parameters: dict[str, float] = Field(default_factory=dict)


class SectorDist(Strict):
    """Per-sector values of a population attribute."""

    manufacturing: float
    construction: float
    services: float


class Population(Strict):
    """Distributions the synthetic population is drawn from (defaults documented in
    docs/ODD.md with their sources)."""

    sector_shares: SectorDist = SectorDist(manufacturing=0.62, construction=0.16, services=0.22)
    firm_size_median: SectorDist = SectorDist(manufacturing=180, construction=120, services=25)
    firm_size_sigma: SectorDist = SectorDist(manufacturing=1.3, construction=0.9, services=1.0)
    firm_size_max: int = 40000
    foreign_share: SectorDist = SectorDist(manufacturing=0.45, construction=0.02, services=0.15)
    state_share: SectorDist = SectorDist(manufacturing=0.05, construction=0.25, services=0.10)
    hours_per_day: SectorDist = SectorDist(manufacturing=11.0, construction=10.5, services=10.0)
    days_per_week: SectorDist = SectorDist(manufacturing=6.5, construction=6.8, services=6.5)
    base_wage_ratio_mean: float = 0.95
    base_wage_ratio_sd: float = 0.18
    ot_rate_ratio_mean: float = 0.55
    ot_rate_ratio_sd: float = 0.2
    hometowns: int = Field(default=300, ge=1)
    core_hometowns_per_firm: int = Field(default=3, ge=1)
    core_hometown_share: float = Field(default=0.6, ge=0, le=1)
    dorm_size: int = Field(default=120, ge=2)
    shared_dorm_below: int = Field(default=60, ge=0)
    min_firms_per_zone: int = Field(default=8, ge=1)


class Firm(Strict):
    """An explicit firm (case studies such as Hai Yan); never scaled down."""

    name: str
    zone: str
    sector: Sector = "manufacturing"
    ownership: Ownership = "domestic_private"
    workers: int = Field(gt=0)
    base_wage: float = Field(gt=0)
    hours_per_day: float = Field(gt=0, le=24)
    days_per_week: float = Field(gt=0, le=7)
    ot_rate: float = Field(ge=0)
    comply: float = Field(default=0.3, ge=0, le=1)
    cash: float = Field(default=0.8, ge=0, le=1)
    brand: float = Field(default=0.0, ge=0, le=1)
    union: Literal["none", "bridge", "representative"] = "none"
    core_hometowns: int = Field(default=3, ge=1)


class WageRow(Strict):
    wage_area: str
    city: str
    yuan: float = Field(gt=0)
    note: str


class MinimumWage(Strict):
    """The legal minimum-wage schedule, read from a CSV (package data), plus the stated
    assumption for wage areas whose level before the first CSV row is unknown."""

    file: str = "minimum_wage.csv"
    before: list[WageRow] = Field(default_factory=list)


class Uncertainty(Strict):
    """A parameter range for sweeps and calibration (EMA Workbench's 'uncertainty': a factor the
    study cannot pin down), with where the range comes from."""

    name: str
    low: float
    high: float
    distribution: Literal["uniform", "loguniform"] = "uniform"
    unit: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _order(self) -> Uncertainty:
        if not self.low < self.high:
            raise ValueError("low must be below high")
        if self.distribution == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform range needs low > 0")
        return self


class Lever(Uncertainty):
    """A policy lever (EMA Workbench's term): a parameter an actor of the model decides (the state,
    NGOs, unions), with the range within which sweeps and the web page may set it."""


class Scenario(Strict):
    name: str
    title: str = ""
    description: str = ""
    extends: str | None = None
    inherit_events: bool = True  # false: drop the parent's events (case studies set their own levels)
    start: dt.date
    end: dt.date
    scale: float = Field(default=0.005, gt=0, le=1)
    seed: int = Field(default=1, ge=0)
    population: Population = Field(default_factory=Population)
    cities: list[City] = Field(min_length=1)
    firms: list[Firm] = Field(default_factory=list)
    parameters: dict[str, float] = Field(default_factory=dict)
    minimum_wage: MinimumWage = Field(default_factory=MinimumWage)
    events: list[Event] = Field(default_factory=list)
    uncertainties: list[Uncertainty] = Field(default_factory=list)
    levers: list[Lever] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> Scenario:
        if self.end < self.start:
            raise ValueError("'end' must not be before 'start'")
        return self
