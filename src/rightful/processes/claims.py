"""Individual claims: endure, complain to management, to the labour bureau, seek an NGO, file for
arbitration, go to court, or give up; district arbitration committees and courts with queues.

Chapter: "many workers still complain about being forced to rush from one review office to
another and about the difficulty of getting their cases accepted due to the collusion between
authorities and entrepreneurs. Likewise, delay in trial or in enforcement of court decisions as
well as arbitrary and steep procedural fees still deter many workers from suing their employers,
leaving them with no choice but to take to the streets"; "arbitration committees across the
country admitted 314,000 cases in 2005"; the 2008 Labour Dispute Mediation and Arbitration Law
"makes arbitration committee rulings in routine cases legally binding, abolishes the arbitration
application fee, and extends the time limit for filing an arbitration case from 60 days to one
year"; the 2003 Beijing case where "the court decision was quite difficult to enforce since the
company did not have enough money". Visible mechanisms: the bureau *redirects* a complaint to
another office (each redirection costs ``bureau_days`` of the filing window, so a redirected
worker can be time-barred), and the arbitration *fee* enters the decision to file.

Committees sit per zone (district committees, as in Chinese practice); capacity is set in the
region's cases a day for the zone's real workers, and a FIFO queue sets each hearing day. A worker who files
leaves her job (status 'dispute') until the case ends (assumption: most arbitration cases follow
a separation); the slot is then refilled. A rejected or abandoned complaint counts as a rejected
complaint in her firm, which can light collective action (mobilisation).

The arbitration and court stages, their parameters and the queues are in ``arbitration``.

Cadence: a claim starts on the firm's weekly turn, with a week's odds in one draw (as quits do);
each later stage is taken on the day it falls due, and a firm with nothing due is not visited.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..engine.declare import Col, Flow
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C
from . import arbitration as A
from ._common import block, n_blocks, span, week_odds

PARS = (
    Param("claim_threshold", 0.146, "grievance", "calibrated (docs/ODD.md 8.3; was 0.25); "
          "assumption", "grievance above which a worker "
          "starts to act individually", 0.0, 2.0),
    Param("claim_rate", 0.00058, "1/day per unit", "calibrated (docs/ODD.md 8.3; was 0.004); "
          "assumption", "daily odds of starting a claim "
          "per unit of grievance above the threshold, times (claim_trust_base + trust in the local state)", 0.0, 0.05),
    Param("management_days", 7.0, "days", "assumption", "time for management to answer a complaint", 1.0, 60.0),
    Param("management_success", 0.12, "prob", "chapter: at Hai Yan 'none of the complaints ... was "
          "accepted'; assumption", "odds management pays what is owed", 0.0, 1.0),
    Param("to_bureau", 0.5, "prob", "assumption", "odds a rejected worker goes to the labour bureau", 0.0, 1.0),
    Param("bureau_days", 15.0, "days", "assumption", "time for the labour bureau (or each office it "
          "redirects to) to answer", 1.0, 90.0),
    Param("bureau_success", 0.3, "prob", "assumption", "odds the bureau obtains payment, times "
          "(1 - collusion)", 0.0, 1.0),
    Param("collusion", 0.5, "0..1", "chapter: 'collusion between authorities and entrepreneurs'; "
          "size assumed", "collusion of local authorities with employers", 0.0, 1.0),
    Param("redirect", 0.4, "prob", "chapter: 'rush from one review office to another'",
          "odds a failed bureau complaint is redirected to another office", 0.0, 0.9),
    Param("claim_months", 6.0, "months", "assumption", "months of underpayment a claim covers", 0.0, 24.0),
    Param("trust_win", 0.15, "0..1", "assumption", "rise of local trust after an enforced win", 0.0, 1.0),
    Param("trust_fail", 0.12, "0..1", "chapter: migrants' 'growing distrust of the capacity of the Party-state "
          "to implement its policies'",
          "fall of local trust after a failed claim", 0.0, 1.0),
    Param("ngo_accept_boost", 0.15, "prob", "chapter: NGOs help 'build up a judicial record'",
          "added acceptance odds with NGO help", 0.0, 0.5),
    Param("ngo_win_boost", 0.1, "prob", "chapter: NGO 'procedural advice'", "added award odds with NGO help", 0.0, 0.5),
    Param("ngo_conciliation", 0.3, "prob", "chapter: paternalist NGOs 'offer free conciliation'",
          "odds a paternalist NGO's conciliation obtains payment", 0.0, 1.0),
    Param("ngo_seek", 0.25, "prob", "assumption", "odds a rejected worker with NGO contact seeks it", 0.0, 1.0),
    Param("barefoot_win_boost", 0.1, "prob", "chapter: 'barefoot lawyers offering cheap legal aid'",
          "added award and court odds when represented by a barefoot lawyer", 0.0, 0.5),
    Param("autonomy_court_boost", 0.3, "prob", "chapter: the Shenzhen NGO 'encourages them to go to court'",
          "added odds of suing for contacts of autonomy-fostering NGOs", 0.0, 1.0),
    Param("ngo_claim_boost", 1.5, "x", "chapter: 'many workers ... would never have obtained or even sought "
          "legal redress without the help of these organisations'", "claim-start odds multiplied by (1 + this) "
          "for NGO contacts", 0.0, 10.0),
    Param("collective_min", 3.0, "workers", "Chinese practice: three or more workers with a common claim",
          "filers from one firm on one day that make a collective case", 2.0, 1000.0),
    Param("claim_trust_base", 0.5, "0..1", "assumption: distrust of the local state slows claims but does not "
          "stop them (chapter: migrants were 'rather wary about voicing their claims')", "claim-start odds "
          "times (this + trust in the local state)", 0.0, 2.0),
    Param("ngo_days", 7.0, "days", "assumption", "time an NGO takes to conciliate or prepare a case", 1.0, 90.0),
    Param("drop_trust_share", 0.5, "share", "assumption: giving up after management's refusal costs less "
          "trust than a failed case", "fall of local trust of a worker who gives up after management rejects "
          "her complaint, as a share of trust_fail", 0.0, 1.0),
) + A.PARS

RESULTS = (
    Flow("complaints", "workers who complained to management", "workers per day"),
    Flow("complaints_rejected", "complaints rejected by management", "complaints per day"),
    Flow("bureau_complaints", "complaints taken to the labour bureau", "complaints per day"),
    Flow("redirected", "bureau complaints redirected to another office", "complaints per day"),
    Flow("ngo_helped", "rejected workers who sought an NGO's help", "workers per day"),
    Flow("arb_filed", "workers who filed for arbitration", "workers per day"),
    Flow("arb_cases", "arbitration cases filed (a collective case counts once)", "cases per day"),
    Flow("arb_accepted", "arbitration filings accepted", "workers per day"),
    Flow("arb_rejected", "arbitration filings rejected (time-barred ones included)", "workers per day"),
    Flow("arb_time_barred", "arbitration filings rejected as filed too late", "workers per day"),
    Flow("arb_mediated", "arbitration cases settled by mediation", "cases per day"),
    Flow("arb_awarded", "arbitration cases decided by an award", "cases per day"),
    Flow("arb_won", "full arbitration awards for the worker", "cases per day"),
    Flow("arb_partly", "partial arbitration awards", "cases per day"),
    Flow("arb_lost", "arbitration awards against the worker", "cases per day"),
    Flow("arb_enforced", "arbitration awards paid", "cases per day"),
    Flow("collective_cases", "collective arbitration cases",
         "cases per day"),
    Flow("collective_workers", "workers in collective arbitration cases", "workers per day"),
    Flow("court_filed", "cases taken to court (by the worker, or on the employer's appeal)", "cases per day"),
    Flow("court_won", "court judgments for the worker", "cases per day"),
    Flow("court_enforced", "court judgments paid", "cases per day"),
    Flow("recovered", "wages recovered through claims", "yuan per day"),
    Flow("arrears_recovered", "wages owed recovered through claims", "yuan per day"),
    Flow("claims_dropped", "claims given up", "workers per day"),
    Flow("arrears_forfeited_claims", "wages owed forfeited by workers who left in dispute", "yuan per day"),
)
# one stream per decision (never one stream at an offset of the row index)
S_START, S_STEP, S_STEP2, S_BUREAU_ARB, S_BUREAU_ARB2, S_NGO_ARB, S_ENFORCE = (stream_id(s) for s in (
    "claims.start", "claims.step", "claims.step2", "claims.bureau_to_arbitration", "claims.bureau_to_arbitration2",
    "claims.ngo_to_arbitration", "arbitration.enforce"))


@njit(cache=True, inline="always")
def _start(i, f, day, z, s, p, wk, out):
    """A claim starts: a complaint to management, for what is owed plus the underpayment she knows of."""
    wk.claim[i] = C.C_MGMT
    wk.claim_start[i] = day
    wk.claim_day[i] = day + int(p.management_days[z, s])
    g_ = wk.gap[i]
    under = wk.aware[i] * g_ / (1.0 - g_) * wk.wage[i] * p.claim_months[z, s] if g_ < 0.99 else 0.0
    wk.claim_amt[i] = wk.arrears[i] + under
    out.complaints[f] += 1.0


@njit(cache=True, inline="always")
def _management(i, f, day, p, z, s, u, u2, wk, fm, out):
    """Management pays, or the rejected worker seeks an NGO, goes to the bureau or gives up."""
    pm = p.management_success[z, s] * (1.0 + fm.brand[f])
    if fm.union[f] == C.U_REP:
        pm *= p.representative_boost[z, s]
    if u < pm:
        A.recover(i, f, wk.arrears[i], wk, out)
        A.end(i, f, day, True, p, z, s, wk, out)
        return
    out.complaints_rejected[f] += 1.0
    fm.rejected[f] += 1.0
    if wk.ngo[i] > 0 and u2 < p.ngo_seek[z, s]:
        wk.claim[i] = C.C_NGO
        wk.claim_day[i] = day + int(p.ngo_days[z, s])
        out.ngo_helped[f] += 1.0
    elif u2 < p.to_bureau[z, s]:
        wk.claim[i] = C.C_BUREAU
        wk.claim_day[i] = day + int(p.bureau_days[z, s])
        out.bureau_complaints[f] += 1.0
    else:
        out.claims_dropped[f] += 1.0
        wk.trust_l[i] = max(0.0, wk.trust_l[i] - p.drop_trust_share[z, s] * p.trust_fail[z, s])
        wk.claim[i] = C.C_NONE


@njit(cache=True, inline="always")
def _firm(f, day, turn, keys, p, wk, fm, out):
    """One firm's claims today: new claims on its weekly turn, and every stage that falls due.
    Returns the cases it sent to court."""
    k0, k1, k2, kba, kba2, kna, kenf = keys
    z, s = fm.zone[f], fm.sector[f]
    filed = 0.0
    ncourt = 0
    # read once (aliasing)
    cmin, crate, nboost = p.claim_threshold[z, s], p.claim_rate[z, s], 1.0 + p.ngo_claim_boost[z, s]
    tbase = p.claim_trust_base[z, s]
    for i in range(fm.start[f], fm.end[f]):
        cl = wk.claim[i]
        if cl == C.C_NONE:
            if wk.status[i] != C.WORKING or not turn:
                continue
            g = wk.griev[i] - cmin
            if g <= 0.0:
                continue
            rate = crate * g * (tbase + wk.trust_l[i])
            if wk.ngo[i] > 0:
                rate *= nboost
            if rate > 1.0:
                rate = 1.0
            if uniform(k0, day, i) < week_odds(rate):
                _start(i, f, day, z, s, p, wk, out)
            continue
        if wk.claim_day[i] > day or wk.claim_day[i] < 0:
            continue
        u = uniform(k1, day, i)
        u2 = uniform(k2, day, i)
        if cl == C.C_MGMT:
            _management(i, f, day, p, z, s, u, u2, wk, fm, out)
        elif cl == C.C_BUREAU:
            if u < p.bureau_success[z, s] * (1.0 - p.collusion[z, s]):
                A.recover(i, f, wk.arrears[i], wk, out)
                A.end(i, f, day, True, p, z, s, wk, out)
            elif u2 < p.redirect[z, s]:
                out.redirected[f] += 1.0
                wk.claim_day[i] = day + int(p.bureau_days[z, s])
            else:
                u3 = uniform(kba, day, i)
                filed += A.to_arbitration(i, f, day, p, z, s, u3, uniform(kba2, day, i), False, wk, fm, out)
        elif cl == C.C_NGO:
            if wk.ngo[i] == 1 and u < p.ngo_conciliation[z, s]:
                A.recover(i, f, wk.arrears[i], wk, out)
                A.end(i, f, day, True, p, z, s, wk, out)
            else:
                filed += A.to_arbitration(i, f, day, p, z, s, u2, uniform(kna, day, i), True, wk, fm, out)
        elif cl == C.C_ARB:
            ncourt += A.hearing(i, f, day, p, z, s, u, u2, kenf, wk, fm, out)
        elif cl == C.C_COURT:
            A.judgment(i, f, day, p, z, s, u, u2, wk, fm, out)
    if filed > 0.0:
        if filed >= p.collective_min[z, s]:
            out.collective_cases[f] += 1.0
            out.collective_workers[f] += filed
            out.arb_cases[f] += 1.0
        else:
            out.arb_cases[f] += filed
    return ncourt


@njit(cache=True, _nrt=False)
def _firms(b, day, keys, p, wk, fm, out, new_arb, new_court, due):
    """The firms of block ``b``: a call of its own, without reference counting (_common.block)."""
    lo, hi = block(b, fm.zone.shape[0])
    for f in range(lo, hi):
        new_arb[f] = 0
        new_court[f] = 0
        # claims start on the firm's weekly turn (a week's odds in one draw, as quits do); on other
        # days only a firm with a claim stage ending today has work
        turn = (day + f) % 7 == 0
        if not turn and due[f] > day:
            continue
        ncourt = _firm(f, day, turn, keys, p, wk, fm, out)
        # the next day a claim stage of this firm ends (new hearings are added by A.schedule)
        narb = 0
        nxt = 1 << 30
        lo_i, hi_i = span(fm.start, fm.end, f)
        for i in range(lo_i, hi_i):
            if wk.claim[i] != C.C_NONE:
                cd = wk.claim_day[i]
                if cd == A.NEW_ARB:
                    narb += 1
                elif cd >= 0 and cd < nxt:
                    nxt = cd
        due[f] = nxt
        new_arb[f] = narb
        new_court[f] = ncourt


@njit(parallel=True, cache=True)
def _claims(seed, day, p, wk, fm, out, new_arb, new_court, due):
    keys = (key(seed, S_START), key(seed, S_STEP), key(seed, S_STEP2), key(seed, S_BUREAU_ARB),
            key(seed, S_BUREAU_ARB2), key(seed, S_NGO_ARB), key(seed, S_ENFORCE))
    for b in prange(n_blocks(fm.zone.shape[0])):
        _firms(b, day, keys, p, wk, fm, out, new_arb, new_court, due)


class Claims(Process):
    name = "claims"
    pars = PARS
    uses = ("representative_boost",)
    states = {"workers": (Col("claim", "i1", "claim stage: none, management, bureau, NGO, arbitration, court"),
                          Col("claim_amt", "f4", "amount claimed in the current claim (yuan)"),
                          Col("claim_day", "i2", "day the current claim stage resolves"),
                          Col("claim_start", "i2", "day the current claim began (filing limits run from here)")),
              "firms": (Col("rejected", "f4", "recent rejected complaints (decays)"),),
              "zones": (Col("arb_tail", "f8", "arbitration queue: day its last case is heard"),
                        Col("court_tail", "f8", "court queue: day its last case is heard"))}
    results = RESULTS
    reads = ("workers.status", "workers.griev", "workers.trust_l", "workers.arrears", "workers.gap", "workers.wage",
             "workers.aware", "workers.ngo", "workers.flags", "firms.cash", "firms.brand", "firms.union",
             "firms.weight", "zones.workers")
    cites = "'rush from one review office to another'; fees 'deter many workers from suing'; 2008 arbitration law"

    def setup(self, w: World) -> None:
        self.new_arb = np.zeros(w.firms.n, dtype=np.int64)
        self.new_court = np.zeros(w.firms.n, dtype=np.int64)
        self.due = np.zeros(w.firms.n, dtype=np.int32)  # next day a claim stage ends, per firm

    def step(self, w: World, day: int) -> None:
        out = self.flows()
        wk, fm = w.workers.cols, w.firms.cols
        _claims(w.seed, day, self.p, wk, fm, out, self.new_arb, self.new_court, self.due)
        A.schedule(day, self.p, fm, w.zones.cols, wk, self.new_arb, self.new_court, self.due)
        self.add_flows(w)
