"""Observation: the daily stocks per city (weighted to real workers) that the model records (docs/ODD.md 7.12).

Flows (quits, cases, strikes started...) are added by the processes that cause them; this last
process of the day writes the stocks: workers by situation, mean wage, share paid at least the
legal minimum, wages owed, awareness, grievance, trust in the central and local state, the gap
between rights promised and rights enforced (mean of (legal entitlement - pay) / entitlement over
employed workers, whatever they know), union members and branches, NGO reach, strikes under way.
It also refreshes the firm headcounts and zone awareness other processes read; on a burn-in day,
whose row is discarded, that is all it does (a fifth of a default run's days).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..engine.declare import Col, Stock, named_tuple
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World
from ..population import codes as C
from ._common import span

# raw per-firm sums, in this order
RAW = ("working", "striking", "dispute", "seeking", "home", "detained", "wage", "minpaid", "arrears",
       "aware", "griev", "trust_c", "trust_l", "gap", "union", "branch", "ngo", "active", "strikers", "agents",
       "f_firm", "f_branch", "f_emp", "f_union")
UNION_BIT = C.UNION.bit_length() - 1  # flags bit of union membership
(R_WORK, R_STRIKE, R_DISP, R_SEEK, R_HOME, R_DET, R_WAGE, R_MIN, R_ARR, R_AW, R_GR, R_TC, R_TL, R_GAP,
 R_UNION, R_BRANCH, R_NGO, R_ACTIVE, R_STRIKERS, R_AGENTS, R_FFIRM, R_FBRANCH, R_FEMP, R_FUNION) = range(len(RAW))


# Sums over workers are taken in fixed point: each float32 value (all are non-negative) times
# 2**bits, rounded to an int32, added in int64. Integer sums are exact in any order, so the compiler
# may vectorise the loop (it may not reorder float additions) and results are the same on any
# machine and thread count. Resolution per worker: 2**-20 for the 0..~2 quantities, 2**-12 yuan for
# pay, 2**-10 yuan for wages owed (int32 range: pay below 524,288 yuan a month, owed below 2 million).
FX_UNIT = np.float32(2.0 ** 20)
FX_PAY = np.float32(2.0 ** 12)
FX_OWED = np.float32(2.0 ** 10)


@njit(inline="always", cache=True)
def _fx(x, scale):
    return np.int64(np.int32(x * scale + np.float32(0.5)))


PARS = (
    Param("min_wage_tolerance", 0.9995, "share of the minimum", "assumption: bases are float32 and "
          "rounded, so a base a hair below the minimum still counts as paying it", "share of the legal "
          "minimum at or above which a firm's base wage counts as paying the minimum", 0.99, 1.0),
)


@njit(parallel=True, cache=True)
def _observe(p, fm, wk, out):
    """Per-firm sums, branch-free and in fixed point (see FX_UNIT), so the loop vectorises."""
    f_headcount = fm.headcount  # written in the prange loop: bound first (engine.declare)
    for f in prange(fm.zone.shape[0]):
        z, s = fm.zone[f], fm.sector[f]
        paid_min = 1.0 if fm.base[f] >= p.min_wage[z, s] * p.min_wage_tolerance[z, s] else 0.0
        arr = 0
        wage = 0
        aw = 0
        gr = 0
        tc = 0
        tl = 0
        gap = 0
        n_emp = 0
        n_strike = 0
        n_disp = 0
        n_seek = 0
        n_home = 0
        n_det = 0
        n_ngo = 0
        n_uni = 0
        lo, hi = span(fm.start, fm.end, f)
        for i in range(lo, hi):
            st = wk.status[i]
            e = np.int64(st <= C.STRIKING)  # at work (working or on strike)
            arr += _fx(wk.arrears[i], FX_OWED)
            wage += e * _fx(wk.wage[i], FX_PAY)
            aw += e * _fx(wk.aware[i], FX_UNIT)
            gr += e * _fx(wk.griev[i], FX_UNIT)
            tc += e * _fx(wk.trust_c[i], FX_UNIT)
            tl += e * _fx(wk.trust_l[i], FX_UNIT)
            gap += e * _fx(wk.gap[i], FX_UNIT)
            n_emp += e
            n_strike += st == C.STRIKING
            n_disp += st == C.DISPUTE
            n_seek += st == C.SEEKING
            n_home += st == C.HOME
            n_det += st == C.DETAINED
            n_ngo += wk.ngo[i] > 0
            n_uni += e * ((wk.flags[i] >> UNION_BIT) & 1)
        # out arrives zeroed (World.firm_scratch)
        out[f, R_WORK] = n_emp - n_strike
        out[f, R_STRIKE] = n_strike
        out[f, R_DISP] = n_disp
        out[f, R_SEEK] = n_seek
        out[f, R_HOME] = n_home
        out[f, R_DET] = n_det
        out[f, R_WAGE] = wage / FX_PAY
        out[f, R_MIN] = paid_min * n_emp
        out[f, R_ARR] = arr / FX_OWED
        out[f, R_AW] = aw / FX_UNIT
        out[f, R_GR] = gr / FX_UNIT
        out[f, R_TC] = tc / FX_UNIT
        out[f, R_TL] = tl / FX_UNIT
        out[f, R_GAP] = gap / FX_UNIT
        out[f, R_UNION] = n_uni
        out[f, R_NGO] = n_ngo
        f_headcount[f] = n_emp
        out[f, R_BRANCH] = 1.0 if fm.union[f] != C.U_NONE else 0.0
        if fm.s_start[f] >= 0:
            out[f, R_ACTIVE] = 1.0
            out[f, R_STRIKERS] = fm.s_size[f]
        out[f, R_AGENTS] = fm.end[f] - fm.start[f]
        if fm.own[f] == C.FOREIGN:
            # firms keep their real size, so a sampled firm of weight w stands for w firms like it
            out[f, R_FFIRM] = 1.0
            out[f, R_FBRANCH] = out[f, R_BRANCH]
            out[f, R_FEMP] = n_emp
            out[f, R_FUNION] = n_uni


@njit(parallel=True, cache=True)
def _observe_burn_in(fm, wk, out):
    """During the burn-in nothing is recorded: only what other processes read tomorrow (firm
    headcounts, the zones' awareness) is taken, by the same fixed-point sums as ``_observe``, so the
    state after the burn-in is bit-identical to a full observation's."""
    f_headcount = fm.headcount  # written in the prange loop: bound first (engine.declare)
    for f in prange(fm.zone.shape[0]):
        aw = 0
        n_emp = 0
        n_strike = 0
        lo, hi = span(fm.start, fm.end, f)
        for i in range(lo, hi):
            st = wk.status[i]
            e = np.int64(st <= C.STRIKING)
            aw += e * _fx(wk.aware[i], FX_UNIT)
            n_emp += e
            n_strike += st == C.STRIKING
        out[f, R_WORK] = n_emp - n_strike
        out[f, R_STRIKE] = n_strike
        out[f, R_AW] = aw / FX_UNIT
        f_headcount[f] = n_emp


@njit(cache=True)
def _by_group(raw, group, weight, out):
    """Weighted per-firm sums added per group (zone or city) in firm order."""
    out[:] = 0.0
    for f in range(raw.shape[0]):
        for k in range(raw.shape[1]):
            out[group[f], k] += raw[f, k] * weight[f]


@njit(cache=True)
def _zone_aware(zr, aware):
    """Mean awareness of each zone's workers at work, for the processes that read it tomorrow."""
    for z in range(zr.shape[0]):
        aware[z] = zr[z, R_AW] / max(zr[z, R_WORK] + zr[z, R_STRIKE], 1.0)


@njit(cache=True)
def _stocks(cr, ix, st):
    """The day's stocks per city (``ix``: each stock's series column) from the weighted sums."""
    for c in range(cr.shape[0]):
        r = cr[c]
        emp = max(r[R_WORK] + r[R_STRIKE], 1e-9)
        st[c, ix.workers] = r[R_WORK] + r[R_STRIKE]
        st[c, ix.striking] = r[R_STRIKE]
        st[c, ix.in_dispute] = r[R_DISP]
        st[c, ix.seeking] = r[R_SEEK]
        st[c, ix.gone_home] = r[R_HOME]
        st[c, ix.detained] = r[R_DET]
        st[c, ix.mean_wage] = r[R_WAGE] / emp
        st[c, ix.share_min_wage] = r[R_MIN] / emp
        st[c, ix.arrears] = r[R_ARR]
        st[c, ix.awareness] = r[R_AW] / emp
        st[c, ix.grievance] = r[R_GR] / emp
        st[c, ix.trust_central] = r[R_TC] / emp
        st[c, ix.trust_local] = r[R_TL] / emp
        st[c, ix.gap] = r[R_GAP] / emp
        st[c, ix.union_members] = r[R_UNION]
        st[c, ix.ngo_reach] = r[R_NGO]
        st[c, ix.strikes_active] = r[R_ACTIVE]
        st[c, ix.strikers] = r[R_STRIKERS]
        st[c, ix.population] = r[R_AGENTS]
        # branches count firms, weighted like workers' firms
        st[c, ix.union_branches] = r[R_BRANCH]
        st[c, ix.foreign_branch_share] = r[R_FBRANCH] / max(r[R_FFIRM], 1e-12)
        st[c, ix.foreign_member_share] = r[R_FUNION] / max(r[R_FEMP], 1e-12)


@njit(cache=True)
def _ngos_open(ng, zone_city, col, st):
    """Open NGOs per city (NGO rows are real organisations, not sampled)."""
    st[:, col] = 0.0
    for j in range(ng.zone.shape[0]):
        if ng.open[j] == 1:
            st[zone_city[ng.zone[j]], col] += 1.0


class Observe(Process):
    name = "observe"
    cites = "the observables the study reports: strikes, claims, wages owed, union members, NGO reach, trust"
    scratch = len(RAW)  # the raw per-firm sums are taken in the shared per-firm scratch
    pars = PARS
    uses = ("min_wage",)
    states = {"firms": (Col("headcount", "i4", "workers at work (working or striking)"),),
              "zones": (Col("aware", "f4", "mean awareness of the zone's workers"),
                        Col("agents", "i4", "sampled worker rows in the zone"))}
    results = (
        Stock("workers", "workers at work (working or on strike)", "workers"),
        Stock("striking", "workers on strike", "workers"),
        Stock("in_dispute", "workers who left their job to pursue a claim", "workers"),
        Stock("seeking", "vacant job slots (the last occupant quit or was fired)", "slots"),
        Stock("gone_home", "workers gone home for the New Year", "workers"),
        Stock("detained", "workers detained", "workers"),
        Stock("mean_wage", "mean monthly pay of workers at work", "yuan/month", mean=True),
        Stock("share_min_wage", "share of workers at work paid at least the legal minimum", "share", mean=True),
        Stock("arrears", "wages owed to workers", "yuan"),
        Stock("awareness", "mean awareness of legal entitlements", "0..1", mean=True),
        Stock("grievance", "mean grievance", "grievance units", mean=True),
        Stock("trust_central", "mean trust in the central state", "0..1", mean=True),
        Stock("trust_local", "mean trust in the local state", "0..1", mean=True),
        Stock("gap", "mean gap between legal entitlement and pay", "share of entitlement", mean=True),
        Stock("union_members", "union members at work", "workers"),
        Stock("union_branches", "firms with a union branch", "firms"),
        Stock("ngo_reach", "workers who have had contact with an NGO", "workers"),
        Stock("ngos_open", "NGOs open", "NGOs"),
        Stock("strikes_active", "strikes under way", "strikes"),
        Stock("strikers", "workers in the strikes under way", "workers"),
        Stock("population", "job slots (worker rows, weighted)", "slots"),
        Stock("foreign_branch_share", "share of foreign-invested firms with a union branch", "share", mean=True),
        Stock("foreign_member_share", "share of foreign-invested firms' workers in the union", "share",
              mean=True),
    )
    reads = ("workers.status", "workers.wage", "workers.arrears", "workers.aware", "workers.griev",
             "workers.trust_c", "workers.trust_l", "workers.gap", "workers.flags", "workers.ngo", "firms.base",
             "firms.union", "firms.own", "firms.s_start", "firms.s_size", "ngos.open", "ngos.zone")

    def setup(self, w: World) -> None:
        self.stock_cols = np.array([w.series.index[s] for s in STOCKS], dtype=np.int64)
        self.ix = StockCols(*(w.series.index[s] for s in STOCKS))
        self.stocks = np.zeros((len(w.series.groups), len(w.series.names)))
        self.ones = np.ones(w.firms.n, dtype=np.float32)  # zones add their firms' sums unweighted
        self.zr = np.zeros((w.zones.n, len(RAW)))
        self.cr = np.zeros((len(w.series.groups), len(RAW)))
        self.compute(w)
        w.zones.agents[:] = np.bincount(w.firms.zone, weights=(w.firms.end - w.firms.start),
                                        minlength=w.zones.n).astype(np.int32)

    def compute(self, w: World, record: bool = True) -> None:
        """The day's sums; without ``record`` (a burn-in day) only what other processes read."""
        f = w.firms
        raw = w.firm_scratch(len(RAW))
        (_observe(self.p, f.cols, w.workers.cols, raw) if record else _observe_burn_in(f.cols, w.workers.cols, raw))
        _by_group(raw, f.zone, self.ones, self.zr)
        _zone_aware(self.zr, w.zones.aware)
        if not record:
            return
        _by_group(raw, f.city, f.weight, self.cr)
        _stocks(self.cr, self.ix, self.stocks)
        t = w.tables.get("ngos")
        if t is not None:
            _ngos_open(t.cols, w.zones.city, self.ix.ngos_open, self.stocks)

    def step(self, w: World, day: int) -> None:
        self.compute(w, record=day >= w.series.offset)  # a burn-in day's row is discarded (engine.results)
        w.series.close_day(day, self.stocks, self.stock_cols)


# the stocks, in order, and those that are worker-weighted means (the report and outcomes read them)
STOCKS = tuple(r.name for r in Observe.results)
MEAN_STOCKS = tuple(r.name for r in Observe.results if r.cities == "mean")
StockCols = named_tuple(__name__, "StockCols", STOCKS)  # each stock's series column, for _stocks
