"""Payroll: base wage, hours, overtime pay, minimum-wage compliance, arrears, New Year clearance.

Chapter: Hai Yan workers were "paid 240 yuan monthly for a regular working day of 12 hours, and
15 hours during peak times, seven days a week ... they earned only 2 yuan an hour" of overtime
while the legal minimum was 610; "unpaid salaries, long unpaid overtime ... are still the lot of
migrant workers"; "more than 360 billion yuan in unpaid wages remained owed"; the Centre's
"campaigns to clear migrants' back pay launched annually on Chinese New Year's Eve"; a builder
"did not have enough money to pay the wages". Legal entitlement follows the Labour Law: the
minimum wage for 174 standard hours a month (21.75 days x 8 h), overtime at 150% on working days
and 200% on rest days; Hai Yan's award (5.4 and 7.2 yuan an hour against 610 yuan) matches it.

Each firm pays on its own pay day; the kernel touches only those firms' workers.
"""

from __future__ import annotations

from numba import njit, prange

from ..engine.declare import Col, Flow
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C

PARS = (
    Param("min_wage", 450.0, "yuan/month", "scenarios/data/minimum_wage.csv, sources in its README (via events)",
          "legal monthly minimum wage; set per wage area by the schedule", 200, 2000),
    Param("standard_hours", 174.0, "hours/month", "Labour Law: 21.75 days x 8 h",
          "standard monthly hours paid by the base wage", 100.0, 250.0),
    Param("standard_days", 5.0, "days/week", "chapter: the Hai Yan award pays overtime '5.4 yuan per hour "
          "from Monday to Friday and 7.2 yuan per hour on weekends' (a five-day standard week)",
          "working days of a standard week; overtime on the other days is paid at the rest-day rate", 4.0, 7.0),
    Param("ot_premium_weekday", 1.5, "x hourly", "Labour Law art. 44; Hai Yan award 5.4 yuan/h",
          "legal overtime multiple on working days", 1.0, 4.0),
    Param("ot_premium_restday", 2.0, "x hourly", "Labour Law art. 44; Hai Yan award 7.2 yuan/h",
          "legal overtime multiple on rest days", 1.0, 4.0),
    Param("comply_cutoff", 0.75, "propensity", "assumption",
          "firms with compliance propensity above this always pay the current minimum", 0.5, 1.0),
    Param("comply_rate", 0.06, "1/month", "assumption: 'the protection of migrant workers' rights "
          "did not improve dramatically'", "monthly odds, times propensity, that a non-compliant "
          "firm adopts the legal minimum and overtime rates", 0.0, 0.3),
    Param("brand_pressure", 1.0, "x", "chapter: foreign firms 'seeking to enforce the corporate "
          "codes of conduct'", "multiplier (1+brand*this) on adoption odds", 0.0, 3.0),
    Param("wage_drift_shortage", 0.012, "1/month", "chapter: labour shortage forced measures; "
          "assumption for size", "monthly base-wage rise at full labour shortage", 0.0, 0.05),
    Param("withhold_odds", 0.328, "1/month", "calibrated (docs/ODD.md 8.3; was 0.08); "
          "assumption; chapter: unpaid salaries pervasive",
          "monthly odds, times (1-cash), that a firm withholds part of pay", 0.0, 0.5),
    Param("withhold_share", 0.5, "share", "assumption", "share of pay withheld when a firm withholds", 0.0, 1.0),
    Param("construction_deferral", 0.411, "share", "calibrated (docs/ODD.md 8.3; was 0.25); "
          "assumption: builders pay a living allowance "
          "monthly and settle at year end (chapter: arrears largest in construction)",
          "share of construction pay deferred to the New Year", 0.0, 0.9),
    Param("settle_days_before_new_year", 10.0, "days", "assumption",
          "when firms settle arrears before the New Year", 0.0, 60.0),
    Param("settle_base", 0.45, "prob", "assumption", "odds a firm settles arrears at New Year, "
          "times its cash", 0.0, 1.0),
    Param("backpay_campaign", 0.0, "0..1", "chapter: annual back-pay campaigns from 2003",
          "strength of the central campaign to clear back pay (adds to settle odds)", 0.0, 1.0),
    Param("injury_rate", 0.0015, "1/month", "assumption; chapter: frequent industrial accidents",
          "monthly odds of a work injury (manufacturing and construction)", 0.0, 0.01),
    Param("injury_services", 0.2, "x", "assumption: service jobs are far less dangerous than factory "
          "and building-site work", "injury odds in services, relative to injury_rate", 0.0, 1.0),
)

S_ADOPT, S_WITHHOLD, S_SETTLE, S_INJ = (stream_id(s) for s in
                                         ("payroll.adopt", "payroll.withhold", "payroll.settle", "payroll.injury"))


@njit(cache=True, inline="always")
def legal_due(base: float, mw: float, hours: float, dpw: float, std: float, sdw: float, otw: float,
              otr: float) -> float:
    """Legal monthly entitlement for a firm's hours (Labour Law): days beyond the standard week's
    ``sdw`` are rest days, paid at the rest-day rate."""
    b = base if base > mw else mw
    total = hours * dpw * 4.35
    rest_h = (dpw - sdw) * 4.35 * hours if dpw > sdw else 0.0
    ot = total - std if total > std else 0.0
    if rest_h > ot:
        rest_h = ot
    week_ot = ot - rest_h
    hourly = b / std
    return b + hourly * (otw * week_ot + otr * rest_h)


@njit(cache=True, inline="always")
def actual_pay(base: float, ot_rate: float, hours: float, dpw: float, std: float) -> float:
    total = hours * dpw * 4.35
    ot = total - std if total > std else 0.0
    return base + ot_rate * ot


@njit(parallel=True, cache=True)
def _payroll(seed, day, dom, dtny, p, fm, wk, zn, out):
    # arrays written in the prange loop are bound first, one a statement (engine.declare)
    f_base = fm.base
    f_ot = fm.ot
    w_wage = wk.wage
    w_gap = wk.gap
    w_arrears = wk.arrears
    w_flags = wk.flags
    o_accrued = out.arrears_accrued
    o_repaid = out.arrears_repaid
    o_injuries = out.injuries
    o_bill = out.wage_bill
    ka, kw, ks, ki = key(seed, S_ADOPT), key(seed, S_WITHHOLD), key(seed, S_SETTLE), key(seed, S_INJ)
    for f in prange(fm.zone.shape[0]):
        z, s = fm.zone[f], fm.sector[f]
        settle_day = dtny == int(p.settle_days_before_new_year[z, s])
        if fm.payday[f] != dom and not settle_day:
            continue
        mw, std = p.min_wage[z, s], p.standard_hours[z, s]
        if settle_day:
            if uniform(ks, day, f) < p.settle_base[z, s] * fm.cash[f] + p.backpay_campaign[z, s]:
                rep = 0.0
                for i in range(fm.start[f], fm.end[f]):
                    if wk.status[i] != C.DISPUTE:
                        rep += w_arrears[i]
                        w_arrears[i] = 0.0
                o_repaid[f] += rep
            if fm.payday[f] != dom:
                continue
        # the firm's wage policy this month; officials' fines in the zone deter (strikes, zones.deter)
        deter = 1.0 + zn.deter[z]
        if f_base[f] < mw:
            odds = p.comply_rate[z, s] * fm.comply[f] * (1.0 + p.brand_pressure[z, s] * fm.brand[f]) * deter
            if fm.comply[f] >= p.comply_cutoff[z, s] or uniform(ka, day, f) < odds:
                f_base[f] = mw
                legal_ot = p.ot_premium_weekday[z, s] * mw / std
                if f_ot[f] < legal_ot:
                    f_ot[f] = legal_ot
        f_base[f] *= 1.0 + p.wage_drift_shortage[z, s] * p.labour_shortage[z, s]
        pay = actual_pay(f_base[f], f_ot[f], fm.hours[f], fm.dpw[f], std)
        due = legal_due(f_base[f], mw, fm.hours[f], fm.dpw[f], std, p.standard_days[z, s],
                        p.ot_premium_weekday[z, s], p.ot_premium_restday[z, s])
        gap = (due - pay) / due if due > pay else 0.0
        held = 0.0
        if s == C.CONSTRUCTION:
            held = p.construction_deferral[z, s]
        if uniform(kw, day, f) < p.withhold_odds[z, s] * (1.0 - fm.cash[f]) / deter:
            held = held + (1.0 - held) * p.withhold_share[z, s]
        acc = 0.0
        bill = 0.0
        inj = 0.0
        pinj = p.injury_rate[z, s] if s != C.SERVICES else p.injury_services[z, s] * p.injury_rate[z, s]
        for i in range(fm.start[f], fm.end[f]):
            st = wk.status[i]
            if st == C.WORKING or st == C.STRIKING:
                w_gap[i] = gap
                w_wage[i] = pay * (1.0 - held)
                w_arrears[i] += pay * held
                acc += pay * held
                bill += pay * (1.0 - held)
                if uniform(ki, day, i) < pinj:
                    w_flags[i] |= C.INJURED
                    inj += 1.0
        o_accrued[f] += acc
        o_injuries[f] += inj
        o_bill[f] += bill


class Payroll(Process):
    name = "payroll"
    cites = "Hai Yan case; '360 billion yuan in unpaid wages'; annual back-pay campaigns"
    pars = PARS
    uses = ("labour_shortage",)
    states = {"workers": (Col("wage", "f4", "total pay received on the last pay day (yuan/month)"),
                          Col("gap", "f4", "(legal entitlement - pay) / entitlement on the last pay day"),
                          Col("arrears", "f4", "wages owed to this worker (yuan)"))}
    # arrears_repaid is also added by strikes (won strikes repay what is owed): both declare it alike
    results = (Flow("arrears_accrued", "wages withheld and owed", "yuan per day"),
               Flow("arrears_repaid", "arrears repaid"),
               Flow("injuries", "work injuries", "workers per day"),
               Flow("wage_bill", "wages paid", "yuan per day"))
    # it also writes firms.base and firms.ot (the wage policy) and the workers' injury flag
    reads = ("firms.payday", "firms.base", "firms.ot", "firms.hours", "firms.dpw", "firms.comply", "firms.cash",
             "firms.brand", "zones.deter", "workers.status", "workers.flags")

    def setup(self, w: World) -> None:
        self.dom = w.cal.day_of_month()
        self.dtny = w.cal.days_to_new_year()

    def step(self, w: World, day: int) -> None:
        _payroll(w.seed, day, int(self.dom[day]), int(self.dtny[day]), self.p, w.firms.cols, w.workers.cols,
                 w.zones.cols, self.flows())
        self.add_flows(w)
