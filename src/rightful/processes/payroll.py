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

import numpy as np
from numba import njit, prange

from ..engine.declare import Col
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C
from ._common import add_flows, flow_cols, indices, pack

PARAMS = (
    Param("min_wage", 450.0, "yuan/month", "shared/data/minimum_wage.csv (via events)",
          "legal monthly minimum wage; set per wage area by the schedule", 200, 2000),
    Param("standard_hours", 174.0, "hours/month", "Labour Law: 21.75 days x 8 h",
          "standard monthly hours paid by the base wage"),
    Param("ot_premium_weekday", 1.5, "x hourly", "Labour Law art. 44; Hai Yan award 5.4 yuan/h",
          "legal overtime multiple on working days"),
    Param("ot_premium_restday", 2.0, "x hourly", "Labour Law art. 44; Hai Yan award 7.2 yuan/h",
          "legal overtime multiple on rest days"),
    Param("comply_cutoff", 0.75, "propensity", "assumption",
          "firms with compliance propensity above this always pay the current minimum", 0.5, 1.0),
    Param("comply_rate", 0.06, "1/month", "assumption: 'the protection of migrant workers' rights "
          "did not improve dramatically'", "monthly odds, times propensity, that a non-compliant "
          "firm adopts the legal minimum and overtime rates", 0.0, 0.3),
    Param("brand_pressure", 1.0, "x", "chapter: foreign firms 'seeking to enforce the corporate "
          "codes of conduct'", "multiplier (1+brand*this) on adoption odds", 0.0, 3.0),
    Param("wage_drift_shortage", 0.012, "1/month", "chapter: labour shortage forced measures; "
          "assumption for size", "monthly base-wage rise at full labour shortage", 0.0, 0.05),
    Param("withhold_odds", 0.08, "1/month", "assumption; chapter: unpaid salaries pervasive",
          "monthly odds, times (1-cash), that a firm withholds part of pay", 0.0, 0.5),
    Param("withhold_share", 0.5, "share", "assumption", "share of pay withheld when a firm withholds"),
    Param("construction_deferral", 0.25, "share", "assumption: builders pay a living allowance "
          "monthly and settle at year end (chapter: arrears largest in construction)",
          "share of construction pay deferred to the New Year", 0.0, 0.9),
    Param("settle_days_before_new_year", 10.0, "days", "assumption",
          "when firms settle arrears before the New Year"),
    Param("settle_base", 0.45, "prob", "assumption", "odds a firm settles arrears at New Year, "
          "times its cash", 0.0, 1.0),
    Param("backpay_campaign", 0.0, "0..1", "chapter: annual back-pay campaigns from 2003",
          "strength of the central campaign to clear back pay (adds to settle odds)", 0.0, 1.0),
    Param("injury_rate", 0.0015, "1/month", "assumption; chapter: frequent industrial accidents",
          "monthly odds of a work injury (manufacturing and construction)", 0.0, 0.01),
)
I = indices(PARAMS)
MW, STD, OTW, OTR, CUT, CRATE, BRAND, DRIFT, WODDS, WSHARE, CDEF, SETDAYS, SETBASE, CAMP, INJ = (
    I[p.name] for p in PARAMS)
SHORT = len(PARAMS)  # labour_shortage is appended when packing

FLOWS = ("arrears_accrued", "arrears_repaid", "injuries", "wage_bill")
S_ADOPT, S_WITHHOLD, S_SETTLE, S_INJ = (stream_id(s) for s in
                                         ("payroll.adopt", "payroll.withhold", "payroll.settle", "payroll.injury"))


@njit(cache=True, inline="always")
def legal_due(base: float, mw: float, hours: float, dpw: float, std: float, otw: float, otr: float) -> float:
    """Legal monthly entitlement for a firm's hours (Labour Law)."""
    b = base if base > mw else mw
    total = hours * dpw * 4.35
    rest_h = (dpw - 5.0) * 4.35 * hours if dpw > 5.0 else 0.0
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
def _payroll(seed, day, dom, dtny, P, f_zone, f_sector, f_start, f_end, f_payday, f_base, f_ot,
             f_hours, f_dpw, f_comply, f_cash, f_brand, w_status, w_wage, w_gap, w_arrears,
             w_flags, out):
    ka, kw, ks, ki = key(seed, S_ADOPT), key(seed, S_WITHHOLD), key(seed, S_SETTLE), key(seed, S_INJ)
    for f in prange(f_zone.shape[0]):
        z, s = f_zone[f], f_sector[f]
        settle_day = dtny == int(P[SETDAYS, z, s])
        if f_payday[f] != dom and not settle_day:
            continue
        mw, std = P[MW, z, s], P[STD, z, s]
        if settle_day:
            if uniform(ks, day, f) < P[SETBASE, z, s] * f_cash[f] + P[CAMP, z, s]:
                rep = 0.0
                for i in range(f_start[f], f_end[f]):
                    if w_status[i] != C.DISPUTE:
                        rep += w_arrears[i]
                        w_arrears[i] = 0.0
                out[f, 1] += rep
            if f_payday[f] != dom:
                continue
        # the firm's wage policy this month
        if f_base[f] < mw:
            odds = P[CRATE, z, s] * f_comply[f] * (1.0 + P[BRAND, z, s] * f_brand[f])
            if f_comply[f] >= P[CUT, z, s] or uniform(ka, day, f) < odds:
                f_base[f] = mw
                legal_ot = P[OTW, z, s] * mw / std
                if f_ot[f] < legal_ot:
                    f_ot[f] = legal_ot
        f_base[f] *= 1.0 + P[DRIFT, z, s] * P[SHORT, z, s]
        pay = actual_pay(f_base[f], f_ot[f], f_hours[f], f_dpw[f], std)
        due = legal_due(f_base[f], mw, f_hours[f], f_dpw[f], std, P[OTW, z, s], P[OTR, z, s])
        gap = (due - pay) / due if due > pay else 0.0
        held = 0.0
        if s == C.CONSTRUCTION:
            held = P[CDEF, z, s]
        if uniform(kw, day, f) < P[WODDS, z, s] * (1.0 - f_cash[f]):
            held = held + (1.0 - held) * P[WSHARE, z, s]
        acc = 0.0
        bill = 0.0
        inj = 0.0
        pinj = P[INJ, z, s] if s != C.SERVICES else 0.2 * P[INJ, z, s]
        for i in range(f_start[f], f_end[f]):
            st = w_status[i]
            if st == C.WORKING or st == C.STRIKING:
                w_gap[i] = gap
                w_wage[i] = pay * (1.0 - held)
                w_arrears[i] += pay * held
                acc += pay * held
                bill += pay * (1.0 - held)
                if uniform(ki, day, i) < pinj:
                    w_flags[i] |= C.INJURED
                    inj += 1.0
        out[f, 0] += acc
        out[f, 2] += inj
        out[f, 3] += bill


class Payroll(Process):
    name = "payroll"
    states = {"workers": (Col("wage", "f4", "total pay received on the last pay day (yuan/month)"),
                          Col("gap", "f4", "(legal entitlement - pay) / entitlement on the last pay day"),
                          Col("arrears", "f4", "wages owed to this worker (yuan)"))}
    params = PARAMS
    reads = ("firms.payday", "firms.base", "firms.ot", "firms.hours", "firms.cash", "min_wage")
    writes = ("workers.wage", "workers.gap", "workers.arrears", "firms.base", "firms.ot")
    cites = "Hai Yan case; '360 billion yuan in unpaid wages'; annual back-pay campaigns"

    def setup(self, w: World) -> None:
        self.cols = flow_cols(w, FLOWS)
        self.dom = w.cal.day_of_month()
        self.dtny = w.cal.days_to_new_year()

    def step(self, w: World, day: int) -> None:
        P = np.concatenate([pack(w, PARAMS), w.params["labour_shortage"][None]])
        f, wk = w.firms, w.workers
        buf = w.firm_scratch(len(FLOWS))
        _payroll(w.seed, day, int(self.dom[day]), int(self.dtny[day]), P, f.zone, f.sector, f.start,
                 f.end, f.payday, f.base, f.ot, f.hours, f.dpw, f.comply, f.cash, f.brand, wk.status,
                 wk.wage, wk.gap, wk.arrears, wk.flags, buf)
        add_flows(w, buf, self.cols)
