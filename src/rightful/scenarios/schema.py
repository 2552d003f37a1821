"""The scenario file's schema (pydantic): what a TOML scenario may say, typed and checked.

Why: a scenario is data, not code. Everything that differs between the default Pearl River Delta
run, the Hai Yan factory and a policy experiment is a value here or a dated event; the schema
rejects unknown keys and wrong types before anything runs, and the loader turns its errors into
messages naming the file, the key, the value and what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Sector = Literal["manufacturing", "construction", "services"]
Ownership = Literal["domestic_private", "state", "foreign"]




def _number(v: Any) -> Any:
    """Numbers only: TOML's booleans and strings are not numbers here (pydantic would take
    ``true`` as 1.0 and ``"5"`` as 5.0), nor are NaN and infinities."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("a number")
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError("a finite number")
    return v


def _integer(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError("an integer")
    return v


def _min_scale(v: float) -> float:
    if v < MIN_SCALE:
        raise ValueError(f"a share of workers of at least {MIN_SCALE:g} (below it most zone-sectors have no "
                         f"sampled firm at all)")
    return v


MIN_SCALE = 1e-4
Num = Annotated[float, BeforeValidator(_number)]
Int = Annotated[int, BeforeValidator(_integer)]
FIRST_DATE, LAST_DATE = dt.date(1980, 1, 1), dt.date(2100, 12, 31)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


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
    set: Num | None = None
    scale: Num | None = None
    add: Num | None = None
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
    workers: Int = Field(ge=0, le=100_000_000)
    generate: bool = True
    sector_shares: dict[Sector, Annotated[Num, Field(ge=0, le=1)]] | None = None
    parameters: dict[str, Num] = Field(default_factory=dict)


class City(Strict):
    name: str
    zones: list[Zone] = Field(min_length=1)
    parameters: dict[str, Num] = Field(default_factory=dict)


class SectorDist(Strict):
    """Per-sector values of a population attribute."""

    manufacturing: Num = Field(ge=0, le=100_000)
    construction: Num = Field(ge=0, le=100_000)
    services: Num = Field(ge=0, le=100_000)


class Population(Strict):
    """Distributions the synthetic population is drawn from (defaults documented in
    docs/ODD.md with their sources)."""

    sector_shares: SectorDist = SectorDist(manufacturing=0.62, construction=0.16, services=0.22)
    firm_size_median: SectorDist = SectorDist(manufacturing=180, construction=120, services=25)
    firm_size_sigma: SectorDist = SectorDist(manufacturing=1.3, construction=0.9, services=1.0)
    firm_size_max: Int = Field(default=40000, ge=5, le=1_000_000)
    foreign_share: SectorDist = SectorDist(manufacturing=0.45, construction=0.02, services=0.15)
    state_share: SectorDist = SectorDist(manufacturing=0.05, construction=0.25, services=0.10)
    hours_per_day: SectorDist = SectorDist(manufacturing=11.0, construction=10.5, services=10.0)
    days_per_week: SectorDist = SectorDist(manufacturing=6.5, construction=6.8, services=6.5)
    base_wage_ratio_mean: Num = Field(default=0.95, gt=0, le=10)
    base_wage_ratio_sd: Num = Field(default=0.18, ge=0, le=5)
    ot_rate_ratio_mean: Num = Field(default=0.55, ge=0, le=10)
    ot_rate_ratio_sd: Num = Field(default=0.2, ge=0, le=5)
    hometowns: Int = Field(default=300, ge=1, le=100_000)
    core_hometowns_per_firm: Int = Field(default=3, ge=1, le=1000)
    core_hometown_share: Num = Field(default=0.6, ge=0, le=1)
    dorm_size: Int = Field(default=120, ge=2, le=100_000)
    shared_dorm_below: Int = Field(default=60, ge=0, le=1_000_000)
    oversample_from: Int = Field(default=1000, ge=1, le=1_000_000)

    @model_validator(mode="after")
    def _ranges(self) -> Population:
        """Shares lie in 0..1 and hours and days within a day and a week; sizes are positive."""
        for name in ("sector_shares", "foreign_share", "state_share"):
            d: SectorDist = getattr(self, name)
            if any(not 0 <= v <= 1 for v in d.model_dump().values()):
                raise ValueError(f"{name}: shares in [0, 1]")
        if any(not 0 < v <= 24 for v in self.hours_per_day.model_dump().values()):
            raise ValueError("hours_per_day: hours in (0, 24]")
        if any(not 0 < v <= 7 for v in self.days_per_week.model_dump().values()):
            raise ValueError("days_per_week: days in (0, 7]")
        if any(not 0 < v <= self.firm_size_max for v in self.firm_size_median.model_dump().values()):
            raise ValueError("firm_size_median: sizes above 0 and not above firm_size_max")
        if any(not 0 <= v <= 5 for v in self.firm_size_sigma.model_dump().values()):
            raise ValueError("firm_size_sigma: spreads in [0, 5]")
        return self


class Firm(Strict):
    """An explicit firm (case studies such as Hai Yan); never scaled down."""

    name: str
    zone: str
    sector: Sector = "manufacturing"
    ownership: Ownership = "domestic_private"
    workers: Int = Field(gt=0, le=1_000_000)
    base_wage: Num = Field(gt=0, le=100_000)
    hours_per_day: Num = Field(gt=0, le=24)
    days_per_week: Num = Field(gt=0, le=7)
    ot_rate: Num = Field(ge=0, le=10_000)
    comply: Num = Field(default=0.3, ge=0, le=1)
    cash: Num = Field(default=0.8, ge=0, le=1)
    brand: Num = Field(default=0.0, ge=0, le=1)
    union: Literal["none", "bridge", "representative"] = "none"
    core_hometowns: Int = Field(default=3, ge=1, le=1000)


class WageRow(Strict):
    wage_area: str
    city: str
    yuan: Num = Field(gt=0, le=100_000)
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
    low: Num
    high: Num
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
    drop_events: list[str] = Field(default_factory=list)  # the parent's events on these parameters are dropped
    start: dt.date = Field(ge=FIRST_DATE, le=LAST_DATE)
    end: dt.date = Field(ge=FIRST_DATE, le=LAST_DATE)
    scale: Annotated[Num, AfterValidator(_min_scale)] = Field(default=0.005, gt=0, le=1)
    seed: Int = Field(default=1, ge=0, le=2**63 - 1)
    # days simulated before ``start`` under the regime then in force and discarded (a steady start)
    burn_in_days: Int = Field(default=0, ge=0, le=3650)
    population: Population = Field(default_factory=Population)
    cities: list[City] = Field(min_length=1)
    firms: list[Firm] = Field(default_factory=list)
    parameters: dict[str, Num] = Field(default_factory=dict)
    minimum_wage: MinimumWage = Field(default_factory=MinimumWage)
    events: list[Event] = Field(default_factory=list)
    uncertainties: list[Uncertainty] = Field(default_factory=list)
    levers: list[Lever] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> Scenario:
        if self.end < self.start:
            raise ValueError("'end' must not be before 'start'")
        if self.start - dt.timedelta(days=self.burn_in_days) < FIRST_DATE:
            raise ValueError(f"'burn_in_days' = {self.burn_in_days}: the burn-in would begin before {FIRST_DATE} "
                             f"(the first date the calendar knows); at most {(self.start - FIRST_DATE).days}")
        return self
