"""Labour market: quits ('voting with their feet'), hiring into vacancies, the New Year return
home and re-entry, new migrants, and the labour-shortage index.

Chapter: "Since March-April 2004, the Pearl River Delta had been suffering from a workforce
shortage that local authorities had to publicly acknowledge ... migrant workers were now 'voting
with their feet'". A worker row is a job slot: when its occupant quits (forfeiting wages owed)
or does not come back after the New Year, the slot stays vacant for a time that grows with the
shortage and is then filled by a newly arrived migrant (assumption: the leaver's later career is
not followed; her claims, if any, are followed by the claims process while she is in dispute).
Quits are drawn once a week per worker (on her firm's weekly turn) with a week's hazard.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numba.cpython.unsafe.numbers import trailing_zeros

from ..engine.declare import Col
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, normal, stream_id, uniform
from ..engine.world import World
from ..population import codes as C
from ._common import add_flows, flow_cols, indices, pack, span, week_odds

PARAMS = (
    Param("labour_shortage", 0.0, "0..1", "chapter: PRD shortage public from March-April 2004 "
          "(event); level is an assumption", "tightness of the labour market", 0.0, 1.0),
    Param("quit_base", 0.0012, "1/day", "assumption: ~35%/year turnover of PRD factory jobs",
          "daily quit hazard of a worker with no grievance", 0.0, 0.01),
    Param("quit_grievance", 2.5, "x per unit", "assumption; chapter: 'voting with their feet'",
          "multiplier on the quit hazard per unit of grievance", 0.0, 10.0),
    Param("quit_shortage", 1.5, "x", "assumption", "multiplier (1+shortage*this) on quits", 0.0, 5.0),
    Param("vacancy_days", 12.0, "days", "assumption", "mean time to fill a vacant slot", 1.0, 90.0),
    Param("vacancy_shortage", 2.0, "x", "assumption", "vacancies last (1+shortage*this) longer", 0.0, 10.0),
    Param("new_year_home_share", 0.55, "share", "assumption", "share of workers who go home for "
          "the New Year", 0.0, 1.0),
    Param("new_year_return_share", 0.8, "share", "assumption", "share of those who come back to "
          "the same job", 0.0, 1.0),
    Param("new_year_leave_days", 12.0, "days", "assumption", "days before the New Year they leave"),
    Param("new_year_back_days", 16.0, "days", "assumption", "days after the New Year they return"),
    Param("detention_days", 14.0, "days", "chapter: Hai Yan leaders freed two weeks after arrest",
          "days a detained worker is held"),
    Param("aware_init", 0.12, "0..1", "assumption; chapter: 'Only after attending the classes did "
          "I know that overtime should be paid'", "awareness of a migrant in 2003", 0.0, 1.0),
    Param("newcomer_learning", 0.5, "share", "assumption", "weight of the zone's mean awareness in "
          "a newcomer's awareness (hometown networks carry knowledge)", 0.0, 1.0),
    Param("trust_central_init", 0.6, "0..1", "assumption; chapter: migrants 'thankful for the "
          "public acknowledgment'", "initial trust in the central state", 0.0, 1.0),
    Param("trust_local_init", 0.35, "0..1", "chapter: migrants saw the state as 'distant, "
          "unfavourable or even predatory'", "initial trust in the local state", 0.0, 1.0),
    Param("threshold_mean", 1.65, "grievance units", "assumption (Granovetter thresholds)",
          "mean mobilisation threshold", 0.05, 2.0),
    Param("threshold_sd", 0.3, "grievance units", "assumption", "spread of thresholds", 0.0, 1.0),
    Param("organiser_share", 0.01, "share", "assumption", "share of workers who are organisers", 0.0, 0.1),
    Param("contract_share", 0.3, "share", "assumption; chapter: contracts rarely signed",
          "share with a written contract", 0.0, 1.0),
    Param("insured_share", 0.15, "share", "assumption; chapter: 'absence of social security'",
          "share with social insurance", 0.0, 1.0),
)
I = indices(PARAMS)
SHORTAGE = I["labour_shortage"]
(QB, QG, QS, VD, VS, NYH, NYR, NYL, NYB, DET, AW0, NLEARN, TC0, TL0, THM, THS, ORG, CON, INS) = (
    I[p.name] for p in PARAMS[1:])

FLOWS = ("quits", "hires", "arrears_forfeited", "went_home", "returned")
AWAY_BITS = np.uint64(0xFEFEFEFEFEFEFEFE)  # a status byte above STRIKING (1) sets one of these bits
LEAVE_NONE, LEAVE_QUIT, LEAVE_HOME = 0, 1, 2  # what a worker at work does today
S_QUIT, S_HOME, S_BACK, S_FILL, S_NEW = (stream_id(s) for s in (
    "labour.quit", "labour.home", "labour.back", "labour.fill", "labour.new"))


@njit(cache=True, inline="always")
def new_migrant(i, day, seed, z, s, P, zone_aware, base, w_aware, w_trust_c, w_trust_l, w_thresh,
                w_flags, w_arrears, w_griev, w_gap, w_wage, w_claim, w_ngo):
    """Fill slot i with a newly arrived migrant (same distributions as the population builder)."""
    kn = key(seed, S_NEW)
    lw = P[NLEARN, z, s]
    a = (1.0 - lw) * P[AW0, z, s] + lw * zone_aware + 0.1 * normal(kn, day, 4 * i)
    w_aware[i] = min(1.0, max(0.0, a))
    w_trust_c[i] = P[TC0, z, s]
    w_trust_l[i] = P[TL0, z, s]
    w_thresh[i] = max(0.02, P[THM, z, s] + P[THS, z, s] * normal(kn, day, 4 * i + 2))
    # the two normals above use counters 8i, 8i+1 and 8i+4, 8i+5: these draws take the others
    fl = np.uint8(0)
    if uniform(kn, day, 8 * i + 2) < P[ORG, z, s]:
        fl |= C.ORGANISER
    if uniform(kn, day, 8 * i + 3) < P[CON, z, s]:
        fl |= C.CONTRACT
    if uniform(kn, day, 8 * i + 6) < P[INS, z, s]:
        fl |= C.INSURED
    w_flags[i] = fl
    w_arrears[i] = 0.0
    w_griev[i] = 0.0
    w_gap[i] = 0.0
    w_wage[i] = base
    w_claim[i] = C.C_NONE
    w_ngo[i] = 0


@njit(cache=True, inline="always")
def _away(st, i, day, back_day, fill, seed, kb, kf, z, s, P, zone_aware, base, w_status, w_since, w_claim,
          w_aware, w_trust_c, w_trust_l, w_thresh, w_flags, w_arrears, w_gap, w_wage, w_griev, w_ngo):
    """A slot whose occupant is not at work: return from home, refill, release from detention.
    Returns the (quits, hires, wages forfeited, returns) it adds."""
    q = 0.0
    h = 0.0
    forf = 0.0
    ret = 0.0
    if st == C.HOME:
        if back_day:
            if uniform(kb, day, i) < P[NYR, z, s]:
                w_status[i] = C.WORKING
                ret = 1.0
            else:
                forf = w_arrears[i]
                new_migrant(np.int64(i), day, seed, z, s, P, zone_aware, base, w_aware, w_trust_c, w_trust_l,
                            w_thresh, w_flags, w_arrears, w_griev, w_gap, w_wage, w_claim, w_ngo)
                w_status[i] = C.WORKING
                h = 1.0
                q = 1.0
            w_since[i] = day
    elif st == C.SEEKING:
        if uniform(kf, day, i) < fill:
            forf = w_arrears[i]  # a fired or released worker's unpaid wages leave with her
            new_migrant(np.int64(i), day, seed, z, s, P, zone_aware, base, w_aware, w_trust_c, w_trust_l,
                        w_thresh, w_flags, w_arrears, w_griev, w_gap, w_wage, w_claim, w_ngo)
            w_status[i] = C.WORKING
            w_since[i] = day
            h = 1.0
    elif st == C.DETAINED:
        if day - w_since[i] >= int(P[DET, z, s]):
            w_status[i] = C.SEEKING
            w_since[i] = day
    return q, h, forf, ret


@njit(cache=True, inline="always")
def _away_mask(st64, w_status, wi, lo, hi):
    """Bits of the status bytes above STRIKING in the 64-bit word ``wi`` (rows 8wi..8wi+7), kept
    only for rows in [lo, hi). The last, partial word of the column is assembled byte by byte."""
    if wi < st64.shape[0]:
        word = st64[wi]
    else:
        word = np.uint64(0)
        for b in range(8):
            r = 8 * wi + b
            if r < w_status.shape[0]:
                word |= np.uint64(np.uint8(w_status[r])) << np.uint64(8 * b)
    m = word & AWAY_BITS
    first = 8 * wi
    if lo > first:
        m &= ~((np.uint64(1) << np.uint64(8 * (lo - first))) - np.uint64(1))
    if hi - first < 8:
        m &= (np.uint64(1) << np.uint64(8 * (hi - first))) - np.uint64(1)
    return m


@njit(parallel=True, cache=True)
def _labour(seed, day, dtny, dsny, P, f_zone, f_sector, f_start, f_end, f_base, zone_aware,
            w_status, w_since, w_griev, w_claim, w_aware, w_trust_c, w_trust_l, w_thresh, w_flags,
            w_arrears, w_gap, w_wage, w_ngo, st64, out):
    kq, kh, kb, kf = key(seed, S_QUIT), key(seed, S_HOME), key(seed, S_BACK), key(seed, S_FILL)
    for f in prange(f_zone.shape[0]):
        z, s = f_zone[f], f_sector[f]
        short = P[SHORTAGE, z, s]
        qmul = P[QB, z, s] * (1.0 + P[QS, z, s] * short)
        fill = 1.0 / (P[VD, z, s] * (1.0 + P[VS, z, s] * short))
        leave_day = dtny == int(P[NYL, z, s])
        back_day = dsny == int(P[NYB, z, s])
        # quits are drawn on the firm's weekly turn with a week's hazard: the same odds, one draw
        # per worker per week instead of seven
        turn = (day + f) % 7 == 0
        q = 0.0
        h = 0.0
        forf = 0.0
        home = 0.0
        ret = 0.0
        lo, hi = span(f_start, f_end, f)
        m_rows = np.int64(hi - lo)
        leaves = np.zeros(1, dtype=np.uint8)
        n_leave = 0
        if turn or leave_day:
            # decide first, on the statuses of the start of the day, who at work goes home for the
            # New Year (LEAVE_HOME) or quits (LEAVE_QUIT); apply it after the slots that are away
            # have been seen (a slot refilled today does not leave today, nor is a leaver refilled)
            leaves = np.zeros(m_rows, dtype=np.uint8)
            if turn:
                qg = P[QG, z, s]
                for k in range(m_rows):
                    r = lo + np.uint64(k)
                    d = (w_status[r] == C.WORKING) & \
                        (uniform(kq, day, r) < week_odds(qmul * (1.0 + qg * w_griev[r])))
                    leaves[k] = d  # LEAVE_QUIT or LEAVE_NONE
                    n_leave += d
            if leave_day:  # going home comes first: a worker who goes home does not also quit
                nyh = P[NYH, z, s]
                for k in range(m_rows):
                    r = lo + np.uint64(k)
                    if w_status[r] == C.WORKING and uniform(kh, day, r) < nyh:
                        n_leave += leaves[k] == LEAVE_NONE
                        leaves[k] = LEAVE_HOME
        # the slots whose occupant is away: read the status of eight rows at a time and go straight
        # to the bytes above STRIKING, in row order
        base = f_base[f]
        za = zone_aware[z]
        ilo, ihi = np.int64(lo), np.int64(hi)
        w0, w1 = ilo >> 3, (ihi - 1) >> 3
        for wi in range(w0, w1 + 1 if ihi > ilo else w0):
            # only the firm's first and last words can hold other firms' rows
            m = _away_mask(st64, w_status, wi, ilo, ihi) if wi == w0 or wi == w1 else st64[wi] & AWAY_BITS
            while m != 0:
                byte = np.int64(trailing_zeros(m) >> np.uint64(3))
                m &= ~(np.uint64(0xFF) << np.uint64(8 * byte))
                j = 8 * wi + byte
                dq, dh, df, dr = _away(w_status[j], j, day, back_day, fill, seed, kb, kf, z, s, P, za, base,
                                       w_status, w_since, w_claim, w_aware, w_trust_c, w_trust_l, w_thresh,
                                       w_flags, w_arrears, w_gap, w_wage, w_griev, w_ngo)
                q += dq
                h += dh
                forf += df
                ret += dr
        k = 0
        while n_leave > 0:
            d = leaves[k]
            if d != LEAVE_NONE:
                r = lo + np.uint64(k)
                w_since[r] = day
                if d == LEAVE_HOME:
                    w_status[r] = C.HOME
                    home += 1.0
                else:
                    w_status[r] = C.SEEKING
                    forf += w_arrears[r]
                    w_arrears[r] = 0.0
                    w_claim[r] = C.C_NONE
                    q += 1.0
                n_leave -= 1
            k += 1
        out[f, 0] += q
        out[f, 1] += h
        out[f, 2] += forf
        out[f, 3] += home
        out[f, 4] += ret


class LabourMarket(Process):
    name = "labour_market"
    states = {"workers": (Col("status", "i1", "situation: working, striking, in dispute, seeking, gone home, detained"),
                          Col("since", "i2", "day the current situation began"))}
    params = PARAMS
    reads = ("workers.griev", "labour_shortage", "calendar.new_year")
    writes = ("workers.status", "workers.* (new migrants)")
    cites = "PRD labour shortage from spring 2004; 'voting with their feet'; New Year return home"

    def setup(self, w: World) -> None:
        self.cols = flow_cols(w, FLOWS)
        self.dtny = w.cal.days_to_new_year()
        self.dsny = w.cal.days_since_new_year()

    def step(self, w: World, day: int) -> None:
        f, wk = w.firms, w.workers
        buf = w.firm_scratch(len(FLOWS))
        st = wk.status
        st64 = st[: st.shape[0] - st.shape[0] % 8].view(np.uint64)  # status, eight rows per word
        _labour(w.seed, day, int(self.dtny[day]), int(self.dsny[day]), pack(w, PARAMS), f.zone,
                f.sector, f.start, f.end, f.base, w.zones.aware, wk.status, wk.since, wk.griev,
                wk.claim, wk.aware, wk.trust_c, wk.trust_l, wk.thresh, wk.flags, wk.arrears,
                wk.gap, wk.wage, wk.ngo, st64, buf)
        add_flows(w, buf, self.cols)
