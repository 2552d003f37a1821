"""Observation: the daily stocks per city (weighted to real workers) that MODEL.md asks for.

Flows (quits, cases, strikes started...) are added by the processes that cause them; this last
process of the day writes the stocks: workers by situation, mean wage, share paid at least the
legal minimum, wages owed, awareness, grievance, trust in the central and local state, the gap
between rights promised and rights enforced (mean of (legal entitlement - pay) / entitlement over
employed workers, whatever they know), union members and branches, NGO reach, strikes under way.
It also refreshes the firm headcounts and zone awareness other processes read.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..engine.declare import Col
from ..engine.plan import Process
from ..engine.world import World
from ..population import codes as C
from ._common import span

STOCKS = ("workers", "striking", "in_dispute", "seeking", "gone_home", "detained", "mean_wage",
          "share_min_wage", "arrears", "awareness", "grievance", "trust_central", "trust_local",
          "gap", "union_members", "union_branches", "ngo_reach", "ngos_open", "strikes_active",
          "strikers", "population", "foreign_branch_share", "foreign_member_share")
# stocks that are means over workers: combine cities weighted by ``workers``; every other series sums
MEAN_STOCKS = ("mean_wage", "share_min_wage", "awareness", "grievance", "trust_central", "trust_local", "gap",
               "foreign_branch_share", "foreign_member_share")
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


@njit(parallel=True, cache=True)
def _observe(mw, f_zone, f_sector, f_own, f_start, f_end, f_base, f_union, f_s_start, f_s_size, f_headcount,
             w_status, w_wage, w_arrears, w_aware, w_griev, w_trust_c, w_trust_l, w_gap, w_flags, w_ngo,
             out):
    """Per-firm sums, branch-free and in fixed point (see FX_UNIT), so the loop vectorises."""
    for f in prange(f_zone.shape[0]):
        paid_min = 1.0 if f_base[f] >= mw[f_zone[f], f_sector[f]] * 0.9995 else 0.0
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
        lo, hi = span(f_start, f_end, f)
        for i in range(lo, hi):
            st = w_status[i]
            e = np.int64(st <= C.STRIKING)  # at work (working or on strike)
            arr += _fx(w_arrears[i], FX_OWED)
            wage += e * _fx(w_wage[i], FX_PAY)
            aw += e * _fx(w_aware[i], FX_UNIT)
            gr += e * _fx(w_griev[i], FX_UNIT)
            tc += e * _fx(w_trust_c[i], FX_UNIT)
            tl += e * _fx(w_trust_l[i], FX_UNIT)
            gap += e * _fx(w_gap[i], FX_UNIT)
            n_emp += e
            n_strike += st == C.STRIKING
            n_disp += st == C.DISPUTE
            n_seek += st == C.SEEKING
            n_home += st == C.HOME
            n_det += st == C.DETAINED
            n_ngo += w_ngo[i] > 0
            n_uni += e * ((w_flags[i] >> UNION_BIT) & 1)
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
        out[f, R_BRANCH] = 1.0 if f_union[f] != C.U_NONE else 0.0
        if f_s_start[f] >= 0:
            out[f, R_ACTIVE] = 1.0
            out[f, R_STRIKERS] = f_s_size[f]
        out[f, R_AGENTS] = f_end[f] - f_start[f]
        if f_own[f] == C.FOREIGN:
            # firms keep their real size, so a sampled firm of weight w stands for w firms like it
            out[f, R_FFIRM] = 1.0
            out[f, R_FBRANCH] = out[f, R_BRANCH]
            out[f, R_FEMP] = n_emp
            out[f, R_FUNION] = n_uni


@njit(cache=True)
def _by_group(raw, group, weight, n_groups):
    out = np.zeros((n_groups, raw.shape[1]))
    for f in range(raw.shape[0]):
        for k in range(raw.shape[1]):
            out[group[f], k] += raw[f, k] * weight[f]
    return out


class Observe(Process):
    name = "observe"
    scratch = len(RAW)
    states = {"firms": (Col("headcount", "i4", "workers at work (working or striking)"),),
              "zones": (Col("aware", "f4", "mean awareness of the zone's workers"),
                        Col("agents", "i4", "sampled worker rows in the zone"))}
    reads = ("workers.*", "firms.*")
    writes = ("results (stocks)", "firms.headcount", "zones.aware")
    cites = "MODEL.md 'What is recorded'"

    def setup(self, w: World) -> None:
        self.stock_cols = np.array([w.series.index[s] for s in STOCKS], dtype=np.int64)
        self.stocks = np.zeros((len(w.series.groups), len(w.series.names)))
        self.compute(w)
        w.zones.agents[:] = np.bincount(w.firms.zone, weights=(w.firms.end - w.firms.start),
                                        minlength=w.zones.n).astype(np.int32)

    def compute(self, w: World) -> None:
        f, wk = w.firms, w.workers
        raw = w.firm_scratch(len(RAW))
        _observe(w.params["min_wage"], f.zone, f.sector, f.own, f.start, f.end, f.base, f.union, f.s_start,
                 f.s_size, f.headcount, wk.status, wk.wage, wk.arrears, wk.aware, wk.griev, wk.trust_c,
                 wk.trust_l, wk.gap, wk.flags, wk.ngo, raw)
        ones = np.ones(f.n, dtype=np.float32)
        zr = _by_group(raw, f.zone.astype(np.int64), ones, w.zones.n)
        w.zones.aware[:] = zr[:, R_AW] / np.maximum(zr[:, R_WORK] + zr[:, R_STRIKE], 1.0)
        cr = _by_group(raw, f.city.astype(np.int64), f.weight, len(w.series.groups))
        emp = np.maximum(cr[:, R_WORK] + cr[:, R_STRIKE], 1e-9)
        ix = w.series.index
        st = self.stocks
        st[:, ix["workers"]] = cr[:, R_WORK] + cr[:, R_STRIKE]
        st[:, ix["striking"]] = cr[:, R_STRIKE]
        st[:, ix["in_dispute"]] = cr[:, R_DISP]
        st[:, ix["seeking"]] = cr[:, R_SEEK]
        st[:, ix["gone_home"]] = cr[:, R_HOME]
        st[:, ix["detained"]] = cr[:, R_DET]
        st[:, ix["mean_wage"]] = cr[:, R_WAGE] / emp
        st[:, ix["share_min_wage"]] = cr[:, R_MIN] / emp
        st[:, ix["arrears"]] = cr[:, R_ARR]
        st[:, ix["awareness"]] = cr[:, R_AW] / emp
        st[:, ix["grievance"]] = cr[:, R_GR] / emp
        st[:, ix["trust_central"]] = cr[:, R_TC] / emp
        st[:, ix["trust_local"]] = cr[:, R_TL] / emp
        st[:, ix["gap"]] = cr[:, R_GAP] / emp
        st[:, ix["union_members"]] = cr[:, R_UNION]
        st[:, ix["ngo_reach"]] = cr[:, R_NGO]
        st[:, ix["strikes_active"]] = cr[:, R_ACTIVE]
        st[:, ix["strikers"]] = cr[:, R_STRIKERS]
        st[:, ix["population"]] = cr[:, R_AGENTS]
        # branches count firms, weighted like workers' firms
        st[:, ix["union_branches"]] = cr[:, R_BRANCH]
        st[:, ix["foreign_branch_share"]] = cr[:, R_FBRANCH] / np.maximum(cr[:, R_FFIRM], 1e-12)
        st[:, ix["foreign_member_share"]] = cr[:, R_FUNION] / np.maximum(cr[:, R_FEMP], 1e-12)
        t = w.tables.get("ngos")
        if t is not None:
            open_ = t.open == 1
            st[:, ix["ngos_open"]] = np.bincount(w.zones.city[t.zone[open_]], minlength=st.shape[0])

    def step(self, w: World, day: int) -> None:
        self.compute(w)
        w.series.close_day(day, self.stocks, self.stock_cols)
