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

Committees sit per zone (district committees, as in Chinese practice); capacity scales with the
workers the zone's agents represent, and a FIFO queue sets each hearing day. A worker who files
leaves her job (status 'dispute') until the case ends (assumption: most arbitration cases follow
a separation); the slot is then refilled. A rejected or abandoned complaint counts as a rejected
complaint in her firm, which can light collective action (mobilisation).

Cadence: a claim starts on the firm's weekly turn, with a week's odds in one draw (as quits do);
each later stage is taken on the day it falls due, and a firm with nothing due is not visited.
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
from ._common import add_flows, flow_cols, indices, pack, span, week_odds

PARAMS = (
    Param("claim_threshold", 0.25, "grievance", "assumption", "grievance above which a worker "
          "starts to act individually", 0.0, 2.0),
    Param("claim_rate", 0.004, "1/day per unit", "assumption", "daily odds of starting a claim "
          "per unit of grievance above the threshold, times (0.5 + trust in the local state)", 0.0, 0.05),
    Param("management_days", 7.0, "days", "assumption", "time for management to answer a complaint"),
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
    Param("arbitration_propensity", 0.55, "prob", "assumption", "odds of filing when the fee is nil", 0.0, 1.0),
    Param("arbitration_fee", 300.0, "yuan", "chapter: 'arbitrary and steep procedural fees' "
          "(abolished 2008-05-01); size assumed", "arbitration application fee", 0.0, 2000.0),
    Param("fee_aversion", 2.0, "x", "assumption", "weight of fees against the amount claimed", 0.0, 10.0),
    Param("filing_limit", 60.0, "days", "chapter: 60 days, one year from 2008-05-01", "time limit for "
          "filing, counted from the start of the claim", 10.0, 730.0),
    Param("arbitration_accept", 0.75, "prob", "chapter: 'difficulty of getting their cases accepted'",
          "odds of acceptance, times (1 - collusion/2)", 0.0, 1.0),
    Param("arbitration_capacity", 3.0, "cases/day per 100k workers", "assumption; chapter: 314,000 "
          "cases nationally in 2005", "committee throughput", 0.1, 50.0),
    Param("arbitration_days", 45.0, "days", "assumption (legal limit 45-60 days)", "minimum time to a hearing"),
    Param("mediation_share", 0.35, "prob", "assumption", "odds a case settles by mediation", 0.0, 1.0),
    Param("mediation_recovery", 0.6, "share", "assumption", "share of the claim a mediation yields", 0.0, 1.0),
    Param("arbitration_win", 0.5, "prob", "assumption", "odds of a full award for the worker", 0.0, 1.0),
    Param("arbitration_partial", 0.25, "prob", "assumption", "odds of a partial award", 0.0, 1.0),
    Param("awards_binding", 0.0, "0..1", "chapter: binding in routine cases from 2008-05-01",
          "whether awards bind (no appeal by the employer)", 0.0, 1.0),
    Param("appeal", 0.35, "prob", "assumption", "odds an employer appeals a non-binding award to court", 0.0, 1.0),
    Param("arbitration_enforce", 0.6, "prob", "chapter: 'delay ... in enforcement'; assumption",
          "odds an award is paid, times the firm's cash", 0.0, 1.0),
    Param("court_propensity", 0.25, "prob", "assumption", "odds of suing after losing in arbitration "
          "when the fee is nil", 0.0, 1.0),
    Param("court_fee", 500.0, "yuan", "chapter: 'steep procedural fees ... deter many workers from "
          "suing'; size assumed", "court fee", 0.0, 5000.0),
    Param("court_capacity", 1.0, "cases/day per 100k workers", "assumption", "court throughput", 0.05, 20.0),
    Param("court_days", 120.0, "days", "chapter: 'delay in trial'; size assumed", "minimum time to judgment"),
    Param("court_win", 0.55, "prob", "assumption", "odds of winning in court", 0.0, 1.0),
    Param("court_enforce", 0.45, "prob", "chapter: Beijing 2003 case 'difficult to enforce'",
          "odds a judgment is paid, times the firm's cash", 0.0, 1.0),
    Param("claim_months", 6.0, "months", "assumption", "months of underpayment a claim covers", 0.0, 24.0),
    Param("trust_win", 0.15, "0..1", "assumption", "rise of local trust after an enforced win", 0.0, 1.0),
    Param("trust_fail", 0.12, "0..1", "chapter: 'Failure lowers trust in the local state' (MODEL.md)",
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
          "filers from one firm on one day that make a collective case"),
)
I = indices(PARAMS)
(CMIN, CRATE, MDAYS, MSUC, TOB, BDAYS, BSUC, COLL, REDIR, APROP, AFEE, FAV, FLIM, AACC, ACAP, ADAYS,
 MEDS, MEDR, AWIN, APART, ABIND, APPEAL, AENF, CPROP, CFEE, CCAP, CDAYS, CWIN, CENF, CMONTHS, TWIN,
 TFAIL, NACC, NWIN, NCON, NSEEK, BWIN, ACOURT, NBOOST, CMINW) = (I[p.name] for p in PARAMS)
MW = len(PARAMS)
REPB = MW + 1  # representative-union boost (unions)

FLOWS = ("complaints", "complaints_rejected", "bureau_complaints", "redirected", "ngo_helped",
         "arb_filed", "arb_cases", "arb_accepted", "arb_rejected", "arb_time_barred",
         "arb_mediated", "arb_awarded", "arb_won", "arb_partly", "arb_lost", "arb_enforced",
         "collective_cases", "collective_workers", "court_filed", "court_won", "court_enforced",
         "recovered", "arrears_recovered", "claims_dropped", "arrears_forfeited_claims")
(F_COMPL, F_REJ, F_BUR, F_REDIR, F_NGO, F_AFILED, F_ACASES, F_AACC, F_AREJ, F_ABAR, F_AMED, F_AAWD,
 F_AWON, F_APART, F_ALOST, F_AENF, F_CCASES, F_CWORK, F_CFILED, F_CWON, F_CENF, F_REC, F_RECARR,
 F_DROP, F_FORF) = range(len(FLOWS))
NEW_ARB = -1
NEW_COURT = -2
S_START, S_STEP, S_STEP2 = (stream_id(s) for s in ("claims.start", "claims.step", "claims.step2"))


@njit(cache=True, inline="always")
def _recover(i, amount, w_arrears, out, f):
    out[f, F_REC] += amount
    r = amount if amount < w_arrears[i] else w_arrears[i]
    w_arrears[i] -= r
    out[f, F_RECARR] += r


@njit(cache=True, inline="always")
def _end(i, day, won, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f):
    """Close a claim: a worker in dispute leaves (slot refilled); trust moves with the outcome."""
    if won:
        w_trust_l[i] = min(1.0, w_trust_l[i] + P[TWIN, z, s])
    else:
        w_trust_l[i] = max(0.0, w_trust_l[i] - P[TFAIL, z, s])
    if w_status[i] == C.DISPUTE:
        out[f, F_FORF] += w_arrears[i]
        w_arrears[i] = 0.0
        w_status[i] = C.SEEKING
        w_since[i] = day
    w_claim[i] = C.C_NONE


@njit(cache=True, inline="always")
def _to_arbitration(i, day, P, z, s, u, u2, w_status, w_since, w_claim, w_claim_day, w_claim_start,
                    w_claim_amt, w_trust_l, w_arrears, helped, f_rej, out, f):
    """Decide to file; the fee deters, the filing limit and acceptance odds filter."""
    v = w_claim_amt[i]
    fee = 0.0 if helped else P[AFEE, z, s]
    p_file = P[APROP, z, s] * v / (v + P[FAV, z, s] * fee + 1e-9)
    if u >= p_file:
        out[f, F_DROP] += 1.0
        f_rej[f] += 1.0
        _end(i, day, False, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
        return 0
    out[f, F_AFILED] += 1.0
    w_status[i] = C.DISPUTE
    w_since[i] = day
    if day - w_claim_start[i] > P[FLIM, z, s]:
        out[f, F_AREJ] += 1.0
        out[f, F_ABAR] += 1.0
        f_rej[f] += 1.0
        _end(i, day, False, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
        return 1
    acc = P[AACC, z, s] * (1.0 - 0.5 * P[COLL, z, s])
    if helped:
        acc += P[NACC, z, s]
    if u2 >= acc:
        out[f, F_AREJ] += 1.0
        f_rej[f] += 1.0
        _end(i, day, False, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
        return 1
    out[f, F_AACC] += 1.0
    w_claim[i] = C.C_ARB
    w_claim_day[i] = NEW_ARB
    return 1


@njit(parallel=True, cache=True)
def _claims(seed, day, P, f_zone, f_sector, f_start, f_end, f_cash, f_brand, f_union, f_rej,
            w_status, w_since, w_griev, w_trust_l, w_claim, w_claim_day, w_claim_start, w_claim_amt,
            w_arrears, w_gap, w_wage, w_aware, w_ngo, w_flags, out, new_arb, new_court, f_due):
    k0, k1, k2 = key(seed, S_START), key(seed, S_STEP), key(seed, S_STEP2)
    for f in prange(f_zone.shape[0]):
        new_arb[f] = 0
        new_court[f] = 0
        # claims start on the firm's weekly turn (a week's odds in one draw, as quits do); on other
        # days only a firm with a claim stage ending today has work
        turn = (day + f) % 7 == 0
        if not turn and f_due[f] > day:
            continue
        z, s = f_zone[f], f_sector[f]
        filed = 0.0
        narb = 0
        ncourt = 0
        cmin, crate, nboost = P[CMIN, z, s], P[CRATE, z, s], 1.0 + P[NBOOST, z, s]  # read once (aliasing)
        for i in range(f_start[f], f_end[f]):
            cl = w_claim[i]
            st = w_status[i]
            if cl == C.C_NONE:
                if st != C.WORKING or not turn:
                    continue
                g = w_griev[i] - cmin
                if g <= 0.0:
                    continue
                rate = crate * g * (0.5 + w_trust_l[i])
                if w_ngo[i] > 0:
                    rate *= nboost
                if rate > 1.0:
                    rate = 1.0
                if uniform(k0, day, i) < week_odds(rate):
                    w_claim[i] = C.C_MGMT
                    w_claim_start[i] = day
                    w_claim_day[i] = day + int(P[MDAYS, z, s])
                    g_ = w_gap[i]
                    under = w_aware[i] * g_ / (1.0 - g_) * w_wage[i] * P[CMONTHS, z, s] if g_ < 0.99 else 0.0
                    w_claim_amt[i] = w_arrears[i] + under
                    out[f, F_COMPL] += 1.0
                continue
            if w_claim_day[i] > day or w_claim_day[i] < 0:
                continue
            u = uniform(k1, day, i)
            u2 = uniform(k2, day, i)
            helped = w_ngo[i] > 0
            if cl == C.C_MGMT:
                p = P[MSUC, z, s] * (1.0 + f_brand[f])
                if f_union[f] == C.U_REP:
                    p *= P[REPB, z, s]
                if u < p:
                    _recover(i, w_arrears[i], w_arrears, out, f)
                    _end(i, day, True, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
                    continue
                out[f, F_REJ] += 1.0
                f_rej[f] += 1.0
                if helped and u2 < P[NSEEK, z, s]:
                    w_claim[i] = C.C_NGO
                    w_claim_day[i] = day + 7
                    out[f, F_NGO] += 1.0
                elif u2 < P[TOB, z, s]:
                    w_claim[i] = C.C_BUREAU
                    w_claim_day[i] = day + int(P[BDAYS, z, s])
                    out[f, F_BUR] += 1.0
                else:
                    out[f, F_DROP] += 1.0
                    w_trust_l[i] = max(0.0, w_trust_l[i] - 0.5 * P[TFAIL, z, s])
                    w_claim[i] = C.C_NONE
            elif cl == C.C_BUREAU:
                if u < P[BSUC, z, s] * (1.0 - P[COLL, z, s]):
                    _recover(i, w_arrears[i], w_arrears, out, f)
                    _end(i, day, True, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
                elif u2 < P[REDIR, z, s]:
                    out[f, F_REDIR] += 1.0
                    w_claim_day[i] = day + int(P[BDAYS, z, s])
                else:
                    u3 = uniform(k0, day, i + 7919)
                    filed += _to_arbitration(i, day, P, z, s, u3, uniform(k2, day, i + 7919), w_status,
                                             w_since, w_claim, w_claim_day, w_claim_start, w_claim_amt,
                                             w_trust_l, w_arrears, False, f_rej, out, f)
            elif cl == C.C_NGO:
                if w_ngo[i] == 1 and u < P[NCON, z, s]:
                    _recover(i, w_arrears[i], w_arrears, out, f)
                    _end(i, day, True, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
                else:
                    filed += _to_arbitration(i, day, P, z, s, u2, uniform(k0, day, i + 104729), w_status,
                                             w_since, w_claim, w_claim_day, w_claim_start, w_claim_amt,
                                             w_trust_l, w_arrears, True, f_rej, out, f)
            elif cl == C.C_ARB:
                rep = 0.0
                if helped:
                    rep += P[NWIN, z, s]
                if w_flags[i] & C.BAREFOOT or w_ngo[i] == 2:
                    rep += P[BWIN, z, s]
                if u < P[MEDS, z, s]:
                    out[f, F_AMED] += 1.0
                    if u2 < 0.9:
                        _recover(i, P[MEDR, z, s] * w_claim_amt[i], w_arrears, out, f)
                        _end(i, day, True, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
                    else:
                        _end(i, day, False, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
                    continue
                out[f, F_AAWD] += 1.0
                uo = (u - P[MEDS, z, s]) / (1.0 - P[MEDS, z, s] + 1e-12)
                pw = P[AWIN, z, s] + rep
                if uo < pw + P[APART, z, s]:
                    share = 1.0
                    if uo < pw:
                        out[f, F_AWON] += 1.0
                    else:
                        out[f, F_APART] += 1.0
                        share = 0.5
                    if u2 < P[APPEAL, z, s] * (1.0 - P[ABIND, z, s]):
                        w_claim[i] = C.C_COURT
                        w_claim_day[i] = NEW_COURT
                        w_claim_amt[i] *= share
                        out[f, F_CFILED] += 1.0
                        ncourt += 1
                    elif uniform(k0, day, i + 15485863) < P[AENF, z, s] * f_cash[f]:
                        out[f, F_AENF] += 1.0
                        _recover(i, share * w_claim_amt[i], w_arrears, out, f)
                        _end(i, day, True, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
                    else:
                        _end(i, day, False, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
                else:
                    out[f, F_ALOST] += 1.0
                    v = w_claim_amt[i]
                    pc = P[CPROP, z, s]
                    if w_ngo[i] == 2:
                        pc += P[ACOURT, z, s]
                    pc = pc * v / (v + P[FAV, z, s] * P[CFEE, z, s] + 1e-9)
                    if u2 < pc:
                        w_claim[i] = C.C_COURT
                        w_claim_day[i] = NEW_COURT
                        out[f, F_CFILED] += 1.0
                        ncourt += 1
                    else:
                        _end(i, day, False, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
            elif cl == C.C_COURT:
                pw = P[CWIN, z, s]
                if w_flags[i] & C.BAREFOOT or w_ngo[i] == 2:
                    pw += P[BWIN, z, s]
                if u < pw:
                    out[f, F_CWON] += 1.0
                    if u2 < P[CENF, z, s] * f_cash[f]:
                        out[f, F_CENF] += 1.0
                        _recover(i, w_claim_amt[i], w_arrears, out, f)
                        _end(i, day, True, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
                        continue
                _end(i, day, False, P, z, s, w_status, w_since, w_claim, w_trust_l, w_arrears, out, f)
        if filed > 0.0:
            if filed >= P[CMINW, z, s]:
                out[f, F_CCASES] += 1.0
                out[f, F_CWORK] += filed
                out[f, F_ACASES] += 1.0
            else:
                out[f, F_ACASES] += filed
        # the next day a claim stage of this firm ends (new hearings are added by _schedule)
        due = 1 << 30
        lo, hi = span(f_start, f_end, f)
        for i in range(lo, hi):
            if w_claim[i] != C.C_NONE:
                cd = w_claim_day[i]
                if cd == NEW_ARB:
                    narb += 1
                elif cd >= 0 and cd < due:
                    due = cd
        f_due[f] = due
        new_arb[f] = narb
        new_court[f] = ncourt


@njit(cache=True)
def _schedule(day, P, f_zone, f_sector, f_start, f_end, new_arb, new_court, z_arb_tail,
              z_court_tail, z_agents, w_claim_day, f_due):
    """FIFO queues: hearing day = max(today + minimum delay, the committee's queue tail)."""
    for f in range(f_zone.shape[0]):
        if new_arb[f] == 0 and new_court[f] == 0:
            continue
        z, s = f_zone[f], f_sector[f]
        acap = max(1e-6, P[ACAP, z, s] * z_agents[z] / 1e5)
        ccap = max(1e-6, P[CCAP, z, s] * z_agents[z] / 1e5)
        for i in range(f_start[f], f_end[f]):
            cd = w_claim_day[i]
            if cd == NEW_ARB:
                t = max(z_arb_tail[z], float(day))
                z_arb_tail[z] = t + 1.0 / acap
                w_claim_day[i] = max(day + int(P[ADAYS, z, s]), int(t))
                f_due[f] = min(f_due[f], w_claim_day[i])
            elif cd == NEW_COURT:
                t = max(z_court_tail[z], float(day))
                z_court_tail[z] = t + 1.0 / ccap
                w_claim_day[i] = max(day + int(P[CDAYS, z, s]), int(t))
                f_due[f] = min(f_due[f], w_claim_day[i])


class Claims(Process):
    name = "claims"
    states = {"workers": (Col("claim", "i1", "claim stage: none, management, bureau, NGO, arbitration, court"),
                          Col("claim_amt", "f4", "amount claimed in the current claim (yuan)"),
                          Col("claim_day", "i2", "day the current claim stage resolves"),
                          Col("claim_start", "i2", "day the current claim began (filing limits run from here)")),
              "firms": (Col("rejected", "f4", "recent rejected complaints (decays)"),),
              "zones": (Col("arb_tail", "f8", "arbitration queue: day its last case is heard"),
                        Col("court_tail", "f8", "court queue: day its last case is heard"))}
    params = PARAMS
    scratch = len(FLOWS)  # its flows still go through w.firm_scratch: reserve them before units bind
    reads = ("workers.griev", "workers.trust_l", "workers.arrears", "workers.ngo", "arbitration_*", "court_*")
    writes = ("workers.claim", "workers.status", "workers.arrears", "workers.trust_l", "firms.rejected",
              "zones.arb_tail", "zones.court_tail")
    cites = "'rush from one review office to another'; fees 'deter many workers from suing'; 2008 arbitration law"

    def setup(self, w: World) -> None:
        self.cols = flow_cols(w, FLOWS)
        self.new_arb = np.zeros(w.firms.n, dtype=np.int64)
        self.new_court = np.zeros(w.firms.n, dtype=np.int64)
        self.due = np.zeros(w.firms.n, dtype=np.int32)  # next day a claim stage ends, per firm

    def step(self, w: World, day: int) -> None:
        P = np.concatenate([pack(w, PARAMS), w.params["min_wage"][None],
                            w.params["representative_boost"][None]])
        f, wk, z = w.firms, w.workers, w.zones
        buf = w.firm_scratch(len(FLOWS))
        _claims(w.seed, day, P, f.zone, f.sector, f.start, f.end, f.cash, f.brand, f.union, f.rejected,
                wk.status, wk.since, wk.griev, wk.trust_l, wk.claim, wk.claim_day, wk.claim_start,
                wk.claim_amt, wk.arrears, wk.gap, wk.wage, wk.aware, wk.ngo, wk.flags, buf,
                self.new_arb, self.new_court, self.due)
        _schedule(day, P, f.zone, f.sector, f.start, f.end, self.new_arb, self.new_court,
                  z.arb_tail, z.court_tail, z.agents, wk.claim_day, self.due)
        add_flows(w, buf, self.cols)
