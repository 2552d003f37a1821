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

import numba
import numpy as np
from numba import njit, prange
from numba.cpython.unsafe.numbers import trailing_zeros

from ..engine.declare import Col, Flow
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, normal, stream_id, uniform
from ..engine.world import World
from ..population import codes as C
from ._common import span, week_odds

PARS = (
    Param("labour_shortage", 0.0, "0..1", "chapter: PRD shortage public from March-April 2004 "
          "(event); level is an assumption", "tightness of the labour market", 0.0, 1.0),
    Param("quit_base", 0.0012, "1/day", "assumption: ~35%/year turnover of PRD factory jobs",
          "daily quit hazard of a worker with no grievance", 0.0, 0.01),
    Param("quit_grievance", 2.5, "x per unit", "assumption; chapter: 'voting with their feet'",
          "multiplier on the quit hazard per unit of grievance", 0.0, 10.0),
    Param("quit_distrust", 1.0, "x per unit of lost trust", "assumption; chapter: migrants 'voting with "
          "their feet' where the local state fails them", "multiplier on the quit hazard per unit of trust in "
          "the local state lost below trust_local_init", 0.0, 10.0),
    Param("quit_shortage", 1.5, "x", "assumption", "multiplier (1+shortage*this) on quits", 0.0, 5.0),
    Param("vacancy_days", 12.0, "days", "assumption", "mean time to fill a vacant slot", 1.0, 90.0),
    Param("vacancy_shortage", 2.0, "x", "assumption", "vacancies last (1+shortage*this) longer", 0.0, 10.0),
    Param("new_year_home_share", 0.55, "share", "assumption", "share of workers who go home for "
          "the New Year", 0.0, 1.0),
    Param("new_year_return_share", 0.8, "share", "assumption", "share of those who come back to "
          "the same job", 0.0, 1.0),
    Param("new_year_leave_days", 12.0, "days", "assumption", "days before the New Year they leave", 0.0, 60.0),
    Param("new_year_back_days", 16.0, "days", "assumption", "days after the New Year they return", 0.0, 90.0),
    Param("detention_days", 90.0, "days", "assumption: a leader nobody speaks for is held for weeks",
          "longest a detained strike leader is held (she is freed earlier under pressure)", 0.0, 365.0),
    Param("release_base", 0.01, "1/day", "assumption", "daily odds a detained leader is freed without "
          "pressure on the authorities", 0.0, 1.0),
    Param("release_press", 0.12, "1/day", "chapter (Hai Yan): the press reports and the NGO's explanations "
          "to the authorities: 'This pressure obliged the police to free the two leaders of the "
          "demonstration who had been arrested two weeks before'; size assumed", "added daily odds a "
          "detained leader is freed, times the media spotlight on her firm (0..1)", 0.0, 1.0),
    Param("release_ngo", 0.05, "1/day", "chapter (as release_press): the Shenzhen Institute of Contemporary "
          "Observation 'explained to the local authorities ... not to create social disorder but to express "
          "legitimate claims'; size assumed", "added daily odds a detained leader is freed when an NGO works "
          "in her zone", 0.0, 1.0),
    Param("release_revival", 1.0, "trigger", "assumption: freed leaders revive a strike still under way",
          "trigger added to the firm when a leader is freed during its strike (she rejoins it)", 0.0, 10.0),
    Param("aware_init", 0.12, "0..1", "assumption; chapter: 'Only after attending the classes did "
          "I know that overtime should be paid'", "awareness of a migrant in 2003", 0.0, 1.0),
    Param("newcomer_learning", 0.5, "share", "assumption", "weight of the zone's mean awareness in "
          "a newcomer's awareness (hometown networks carry knowledge)", 0.0, 1.0),
    Param("trust_central_init", 1.0, "x", "assumption: a newcomer has heard the promises at home; chapter: "
          "migrants 'thankful for the public acknowledgment'", "a newcomer's trust in the central state, as a "
          "share of the legitimacy the promises signal when she arrives", 0.0, 2.0),
    Param("trust_local_init", 0.35, "0..1", "chapter: migrants saw the state as 'distant, "
          "unfavourable or even predatory'", "initial trust in the local state", 0.0, 1.0),
    Param("threshold_mean", 1.65, "grievance units", "assumption (Granovetter thresholds)",
          "mean mobilisation threshold", 0.05, 2.0),
    Param("threshold_sd", 0.3, "grievance units", "assumption", "spread of thresholds", 0.0, 1.0),
    Param("threshold_floor", 0.02, "grievance units", "assumption: no one strikes without any grievance",
          "lowest mobilisation threshold a newcomer can have", 0.0, 0.5),
    Param("aware_sd", 0.1, "0..1", "assumption: migrants arrive knowing more or less of the law",
          "spread (standard deviation) of a newcomer's awareness around her expected level", 0.0, 0.5),
    Param("organiser_share", 0.01, "share", "assumption", "share of workers who are organisers", 0.0, 0.1),
    Param("contract_share", 0.3, "share", "assumption; chapter: contracts rarely signed",
          "share with a written contract", 0.0, 1.0),
    Param("insured_share", 0.15, "share", "assumption; chapter: 'absence of social security'",
          "share with social insurance", 0.0, 1.0),
)

AWAY_BITS = np.uint64(0xFEFEFEFEFEFEFEFE)  # a status byte above STRIKING (1) sets one of these bits
LEAVE_NONE, LEAVE_QUIT, LEAVE_HOME = 0, 1, 2  # what a worker at work does today
# what happens today to a slot whose occupant is away
A_NONE, A_BACK, A_REPLACE, A_HIRE, A_RELEASE = 0, 1, 2, 3, 4
S_QUIT, S_HOME, S_BACK, S_FILL, S_FREE = (stream_id(s) for s in ("labour.quit", "labour.home", "labour.back",
                                                                   "labour.fill", "labour.release"))
# a newcomer's attributes: one stream each
S_NEW = tuple(stream_id(f"labour.new.{a}") for a in ("aware", "threshold", "organiser", "contract", "insured"))


@njit(cache=True, inline="always")
def newcomer(i, day, kn, p, z, s, zone_aware):
    """A newly arrived migrant for slot i (same distributions as the population builder): her
    awareness, mobilisation threshold and flags."""
    lw = p.newcomer_learning[z, s]
    a = (1.0 - lw) * p.aware_init[z, s] + lw * zone_aware + p.aware_sd[z, s] * normal(kn[0], day, i)
    th = p.threshold_mean[z, s] + p.threshold_sd[z, s] * normal(kn[1], day, i)
    fl = np.uint8(0)
    if uniform(kn[2], day, i) < p.organiser_share[z, s]:
        fl |= C.ORGANISER
    if uniform(kn[3], day, i) < p.contract_share[z, s]:
        fl |= C.CONTRACT
    if uniform(kn[4], day, i) < p.insured_share[z, s]:
        fl |= C.INSURED
    return min(1.0, max(0.0, a)), max(p.threshold_floor[z, s], th), fl


@njit(cache=True, inline="always")
def _away_action(st, i, day, since, back_day, fill, kb, kf, back_share, detention, kr, free):
    """What happens today to slot i whose occupant is not at work: she comes back from the New
    Year (A_BACK) or does not and is replaced (A_REPLACE); a vacant slot is filled (A_HIRE); a
    detained leader is freed (A_RELEASE), at odds ``free`` a day that grow with the pressure on
    the authorities, or when the longest hold is over."""
    if st == C.HOME:
        if back_day:
            return A_BACK if uniform(kb, day, i) < back_share else A_REPLACE
    elif st == C.SEEKING:
        if uniform(kf, day, i) < fill:
            return A_HIRE
    elif st == C.DETAINED:
        if day - since >= detention or uniform(kr, day, i) < free:
            return A_RELEASE
    return A_NONE


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
def _labour(seed, days, p, fm, zn, wk, st64, leave_rows, out):
    """``days``: (day, days to the New Year, days since it); ``leave_rows``: a scratch row per
    thread for what each worker of the firm at hand does today."""
    day, dtny, dsny = days
    # arrays written in the prange loop are bound first, one a statement (engine.declare)
    status = wk.status
    since = wk.since
    aware = wk.aware
    trust_c = wk.trust_c
    trust_l = wk.trust_l
    thresh = wk.thresh
    flags = wk.flags
    arrears = wk.arrears
    griev = wk.griev
    gap = wk.gap
    wage = wk.wage
    claim = wk.claim
    ngo = wk.ngo
    exp = wk.exp
    f_trig = fm.trig
    f_lead = fm.s_lead
    o_quits = out.quits
    o_hires = out.hires
    o_forfeited = out.arrears_forfeited
    o_home = out.went_home
    o_returned = out.returned
    kq, kh, kb, kf = key(seed, S_QUIT), key(seed, S_HOME), key(seed, S_BACK), key(seed, S_FILL)
    kr = key(seed, S_FREE)
    kn = (key(seed, S_NEW[0]), key(seed, S_NEW[1]), key(seed, S_NEW[2]), key(seed, S_NEW[3]), key(seed, S_NEW[4]))
    for f in prange(fm.zone.shape[0]):
        z, s = fm.zone[f], fm.sector[f]
        short = p.labour_shortage[z, s]
        qmul = p.quit_base[z, s] * (1.0 + p.quit_shortage[z, s] * short)
        fill = 1.0 / (p.vacancy_days[z, s] * (1.0 + p.vacancy_shortage[z, s] * short))
        leave_day = dtny == int(p.new_year_leave_days[z, s])
        back_day = dsny == int(p.new_year_back_days[z, s])
        # quits are drawn on the firm's weekly turn with a week's hazard: the same odds, one draw
        # per worker per week instead of seven
        turn = (day + f) % 7 == 0
        q = 0.0
        h = 0.0
        forf = 0.0
        home = 0.0
        ret = 0.0
        lo, hi = span(fm.start, fm.end, f)
        m_rows = np.int64(hi - lo)
        leaves = leave_rows[numba.get_thread_id()]
        n_leave = 0
        if turn or leave_day:
            # decide first, on the statuses of the start of the day, who at work goes home for the
            # New Year (LEAVE_HOME) or quits (LEAVE_QUIT); apply it after the slots that are away
            # have been seen (a slot refilled today does not leave today, nor is a leaver refilled)
            if turn:
                qg, qd, tl0 = p.quit_grievance[z, s], p.quit_distrust[z, s], p.trust_local_init[z, s]
                for k in range(m_rows):
                    r = lo + np.uint64(k)
                    # a worker the local state failed is readier to leave ('voting with their feet')
                    lost = max(0.0, tl0 - trust_l[r])
                    d = (status[r] == C.WORKING) & \
                        (uniform(kq, day, r) < week_odds(qmul * (1.0 + qg * griev[r] + qd * lost)))
                    leaves[k] = d  # LEAVE_QUIT or LEAVE_NONE
                    n_leave += d
            else:
                leaves[:m_rows] = LEAVE_NONE
            if leave_day:  # going home comes first: a worker who goes home does not also quit
                nyh = p.new_year_home_share[z, s]
                for k in range(m_rows):
                    r = lo + np.uint64(k)
                    if status[r] == C.WORKING and uniform(kh, day, r) < nyh:
                        n_leave += leaves[k] == LEAVE_NONE
                        leaves[k] = LEAVE_HOME
        # the slots whose occupant is away: read the status of eight rows at a time and go straight
        # to the bytes above STRIKING, in row order
        back_share = p.new_year_return_share[z, s]
        detention = int(p.detention_days[z, s])
        # pressure to free a detained leader: the spotlight on her firm, an NGO in her zone
        free = p.release_base[z, s] + p.release_press[z, s] * min(1.0, fm.attention[f]) + \
            p.release_ngo[z, s] * min(1.0, zn.ngos_open[z])
        ilo, ihi = np.int64(lo), np.int64(hi)
        w0, w1 = ilo >> 3, (ihi - 1) >> 3
        for wi in range(w0, w1 + 1 if ihi > ilo else w0):
            # only the firm's first and last words can hold other firms' rows
            m = _away_mask(st64, status, wi, ilo, ihi) if wi == w0 or wi == w1 else st64[wi] & AWAY_BITS
            while m != 0:
                byte = np.int64(trailing_zeros(m) >> np.uint64(3))
                m &= ~(np.uint64(0xFF) << np.uint64(8 * byte))
                j = 8 * wi + byte
                act = _away_action(status[j], j, day, since[j], back_day, fill, kb, kf, back_share, detention,
                                   kr, free)
                if act == A_NONE:
                    continue
                since[j] = day
                if act == A_RELEASE:
                    if fm.s_start[f] >= 0 and fm.s_end[f] == 0:  # freed during the strike: she rejoins it
                        status[j] = C.STRIKING
                        flags[j] |= C.LEADER
                        f_lead[f] += 1
                        f_trig[f] += p.release_revival[z, s]
                    else:  # her slot has fallen vacant
                        status[j] = C.SEEKING
                    continue
                status[j] = C.WORKING
                if act == A_BACK:
                    ret += 1.0
                    continue
                # a newly arrived migrant takes the slot; a leaver's unpaid wages leave with her
                forf += arrears[j]
                h += 1.0
                if act == A_REPLACE:
                    q += 1.0
                a, th, fl = newcomer(j, day, kn, p, z, s, zn.aware[z])
                aware[j] = a
                trust_c[j] = min(1.0, p.trust_central_init[z, s] * p.legitimacy[z, s])
                trust_l[j] = p.trust_local_init[z, s]
                thresh[j] = th
                flags[j] = fl
                exp[j] = 0
                arrears[j] = 0.0
                griev[j] = 0.0
                gap[j] = 0.0
                wage[j] = fm.base[f]
                claim[j] = C.C_NONE
                ngo[j] = 0
        k = 0
        while n_leave > 0:
            d = leaves[k]
            if d != LEAVE_NONE:
                r = lo + np.uint64(k)
                since[r] = day
                if d == LEAVE_HOME:
                    status[r] = C.HOME
                    home += 1.0
                else:
                    status[r] = C.SEEKING
                    forf += arrears[r]
                    arrears[r] = 0.0
                    claim[r] = C.C_NONE
                    q += 1.0
                n_leave -= 1
            k += 1
        o_quits[f] += q
        o_hires[f] += h
        o_forfeited[f] += forf
        o_home[f] += home
        o_returned[f] += ret


class LabourMarket(Process):
    name = "labour_market"
    cites = "PRD labour shortage from spring 2004; 'voting with their feet'; New Year return home"
    pars = PARS
    uses = ("legitimacy",)  # a newcomer's trust in the centre follows what the promises signal
    states = {"workers": (Col("status", "i1", "situation: working, striking, in dispute, seeking, gone home, detained"),
                          Col("since", "i2", "day the current situation began"))}
    results = (Flow("quits", "workers quitting their job", "workers per day"),
               Flow("hires", "new migrants hired into vacant slots", "workers per day"),
               Flow("arrears_forfeited", "wages owed left behind by leavers", "yuan per day"),
               Flow("went_home", "workers going home for the New Year", "workers per day"),
               Flow("returned", "workers back from the New Year to the same job", "workers per day"))
    # a new migrant also resets her slot's other columns (awareness, trust, threshold, flags, strike
    # experience, pay, arrears, grievance, claim, NGO contact); a leader freed during her firm's
    # strike rejoins it (firms.s_lead, firms.trig); the New Year dates come from the calendar
    reads = ("workers.griev", "workers.trust_l", "workers.arrears", "zones.aware", "zones.ngos_open", "firms.base",
             "firms.attention", "firms.s_start", "firms.s_end")

    def setup(self, w: World) -> None:
        self.dtny = w.cal.days_to_new_year()
        self.dsny = w.cal.days_since_new_year()
        f = w.firms
        rows = int((f.end - f.start).max()) if f.n else 0
        # what each worker of a firm does today, one scratch row per thread (a firm is one thread's)
        self.leaves = np.zeros((numba.config.NUMBA_NUM_THREADS, rows), dtype=np.uint8)

    def rebind(self, w: World) -> None:
        super().rebind(w)
        st = w.workers.status
        self.st64 = st[: st.shape[0] - st.shape[0] % 8].view(np.uint64)  # status, eight rows per word

    def step(self, w: World, day: int) -> None:
        days = (day, int(self.dtny[day]), int(self.dsny[day]))
        _labour(w.seed, days, self.p, w.firms.cols, w.zones.cols, w.workers.cols, self.st64, self.leaves,
                self.flows())
        self.add_flows(w)
