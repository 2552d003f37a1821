"""Arbitration and the courts, the later stages of an individual claim (the claims process runs
them): filing against a fee and a time limit, acceptance, the FIFO queues of the district
committees and courts, mediation, awards, appeals, judgments and their enforcement.

Chapter: "the difficulty of getting their cases accepted due to the collusion between
authorities and entrepreneurs. Likewise, delay in trial or in enforcement of court decisions as
well as arbitrary and steep procedural fees still deter many workers from suing their employers";
"arbitration committees across the country admitted 314,000 cases in 2005"; the 2008 Labour
Dispute Mediation and Arbitration Law "makes arbitration committee rulings in routine cases
legally binding, abolishes the arbitration application fee, and extends the time limit for filing
an arbitration case from 60 days to one year"; the 2003 Beijing case where "the court decision was
quite difficult to enforce since the company did not have enough money".

Committees sit per zone (district committees, as in Chinese practice); a committee's capacity is
set for the zone's real workers (cases a day of the region, whatever the scale: a sampled case
stands for ``weight`` cases and takes that share of it), and a FIFO queue sets each hearing day.
This module holds the parameters and kernel helpers of these stages; ``claims``
declares them as part of its unit.
"""

from __future__ import annotations

from numba import njit

from ..engine.params import Param
from ..engine.rng import uniform
from ..population import codes as C

PARS = (
    Param("arbitration_propensity", 0.55, "prob", "assumption", "odds of filing when the fee is nil", 0.0, 1.0),
    Param("arbitration_fee", 300.0, "yuan", "chapter: 'arbitrary and steep procedural fees' "
          "(abolished 2008-05-01); size assumed", "arbitration application fee", 0.0, 2000.0),
    Param("fee_aversion", 2.0, "x", "assumption", "weight of fees against the amount claimed", 0.0, 10.0),
    Param("filing_limit", 60.0, "days", "chapter: 60 days, one year from 2008-05-01", "time limit for "
          "filing, counted from the start of the claim", 10.0, 730.0),
    Param("arbitration_accept", 0.75, "prob", "chapter: 'difficulty of getting their cases accepted'",
          "odds of acceptance, times (1 - collusion_accept x collusion)", 0.0, 1.0),
    Param("arbitration_capacity", 3.0, "cases/day per 100k workers", "assumption; chapter: 314,000 "
          "cases nationally in 2005", "committee throughput", 0.1, 50.0),
    Param("arbitration_days", 45.0, "days", "assumption (legal limit 45-60 days)", "minimum time to a hearing",
          1.0, 365.0),
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
    Param("court_days", 120.0, "days", "chapter: 'delay in trial'; size assumed", "minimum time to judgment",
          1.0, 730.0),
    Param("court_win", 0.55, "prob", "assumption", "odds of winning in court", 0.0, 1.0),
    Param("court_enforce", 0.45, "prob", "chapter: Beijing 2003 case 'difficult to enforce'",
          "odds a judgment is paid, times the firm's cash", 0.0, 1.0),
    Param("collusion_accept", 0.5, "x", "chapter: 'the difficulty of getting their cases accepted due to the "
          "collusion between authorities and entrepreneurs'; size assumed", "weight of collusion in the "
          "acceptance odds: acceptance times (1 - this x collusion)", 0.0, 1.0),
    Param("mediation_success", 0.9, "prob", "assumption: a mediated settlement is agreed by both sides, so "
          "it is mostly paid", "odds a mediation ends in payment (else the claim fails)", 0.0, 1.0),
    Param("partial_award_share", 0.5, "share", "assumption", "share of the claim a partial award grants",
          0.0, 1.0),
)
NEW_ARB = -1  # claim_day of a case waiting for its hearing day (set by ``schedule``)
NEW_COURT = -2


@njit(cache=True, inline="always")
def recover(i, f, amount, wk, out):
    """Wages recovered by a claim; what is owed is paid first."""
    out.recovered[f] += amount
    r = amount if amount < wk.arrears[i] else wk.arrears[i]
    wk.arrears[i] -= r
    out.arrears_recovered[f] += r


@njit(cache=True, inline="always")
def end(i, f, day, won, p, z, s, wk, out):
    """Close a claim: a worker in dispute leaves (slot refilled); trust moves with the outcome."""
    if won:
        wk.trust_l[i] = min(1.0, wk.trust_l[i] + p.trust_win[z, s])
    else:
        wk.trust_l[i] = max(0.0, wk.trust_l[i] - p.trust_fail[z, s])
    if wk.status[i] == C.DISPUTE:
        out.arrears_forfeited_claims[f] += wk.arrears[i]
        wk.arrears[i] = 0.0
        wk.status[i] = C.SEEKING
        wk.since[i] = day
    wk.claim[i] = C.C_NONE


@njit(cache=True, inline="always")
def to_arbitration(i, f, day, p, z, s, u, u2, helped, wk, fm, out):
    """Decide to file; the fee deters (an NGO's help waives it), the filing limit and the acceptance
    odds filter. Returns 1 when the worker filed (for collective cases), else 0."""
    v = wk.claim_amt[i]
    fee = 0.0 if helped else p.arbitration_fee[z, s]
    p_file = p.arbitration_propensity[z, s] * v / (v + p.fee_aversion[z, s] * fee + 1e-9)
    if u >= p_file:
        out.claims_dropped[f] += 1.0
        fm.rejected[f] += 1.0
        end(i, f, day, False, p, z, s, wk, out)
        return 0
    out.arb_filed[f] += 1.0
    wk.status[i] = C.DISPUTE
    wk.since[i] = day
    if day - wk.claim_start[i] > p.filing_limit[z, s]:
        out.arb_rejected[f] += 1.0
        out.arb_time_barred[f] += 1.0
        fm.rejected[f] += 1.0
        end(i, f, day, False, p, z, s, wk, out)
        return 1
    acc = p.arbitration_accept[z, s] * (1.0 - p.collusion_accept[z, s] * p.collusion[z, s])
    if helped:
        acc += p.ngo_accept_boost[z, s]
    if u2 >= acc:
        out.arb_rejected[f] += 1.0
        fm.rejected[f] += 1.0
        end(i, f, day, False, p, z, s, wk, out)
        return 1
    out.arb_accepted[f] += 1.0
    wk.claim[i] = C.C_ARB
    wk.claim_day[i] = NEW_ARB
    return 1


@njit(cache=True, inline="always")
def hearing(i, f, day, p, z, s, u, u2, kenf, wk, fm, out):
    """The arbitration hearing: mediation, or an award that the employer may appeal, that may be
    paid, or that sends the loser to court. Returns 1 when the case goes to court."""
    ngo = wk.ngo[i]
    rep = 0.0
    if ngo > 0:
        rep += p.ngo_win_boost[z, s]
    if wk.flags[i] & C.BAREFOOT or ngo == 2:
        rep += p.barefoot_win_boost[z, s]
    meds = p.mediation_share[z, s]
    if u < meds:
        out.arb_mediated[f] += 1.0
        if u2 < p.mediation_success[z, s]:
            recover(i, f, p.mediation_recovery[z, s] * wk.claim_amt[i], wk, out)
            end(i, f, day, True, p, z, s, wk, out)
        else:
            end(i, f, day, False, p, z, s, wk, out)
        return 0
    out.arb_awarded[f] += 1.0
    uo = (u - meds) / (1.0 - meds + 1e-12)
    pw = p.arbitration_win[z, s] + rep
    if uo < pw + p.arbitration_partial[z, s]:
        share = 1.0
        if uo < pw:
            out.arb_won[f] += 1.0
        else:
            out.arb_partly[f] += 1.0
            share = p.partial_award_share[z, s]
        if u2 < p.appeal[z, s] * (1.0 - p.awards_binding[z, s]):
            wk.claim[i] = C.C_COURT
            wk.claim_day[i] = NEW_COURT
            wk.claim_amt[i] *= share
            out.court_filed[f] += 1.0
            return 1
        if uniform(kenf, day, i) < p.arbitration_enforce[z, s] * fm.cash[f]:
            out.arb_enforced[f] += 1.0
            recover(i, f, share * wk.claim_amt[i], wk, out)
            end(i, f, day, True, p, z, s, wk, out)
        else:
            end(i, f, day, False, p, z, s, wk, out)
        return 0
    out.arb_lost[f] += 1.0
    v = wk.claim_amt[i]
    pc = p.court_propensity[z, s]
    if ngo == 2:
        pc += p.autonomy_court_boost[z, s]
    pc = pc * v / (v + p.fee_aversion[z, s] * p.court_fee[z, s] + 1e-9)
    if u2 < pc:
        wk.claim[i] = C.C_COURT
        wk.claim_day[i] = NEW_COURT
        out.court_filed[f] += 1.0
        return 1
    end(i, f, day, False, p, z, s, wk, out)
    return 0


@njit(cache=True, inline="always")
def judgment(i, f, day, p, z, s, u, u2, wk, fm, out):
    """The court's judgment, and whether the firm pays it."""
    pw = p.court_win[z, s]
    if wk.flags[i] & C.BAREFOOT or wk.ngo[i] == 2:
        pw += p.barefoot_win_boost[z, s]
    if u < pw:
        out.court_won[f] += 1.0
        if u2 < p.court_enforce[z, s] * fm.cash[f]:
            out.court_enforced[f] += 1.0
            recover(i, f, wk.claim_amt[i], wk, out)
            end(i, f, day, True, p, z, s, wk, out)
            return
    end(i, f, day, False, p, z, s, wk, out)


@njit(cache=True, _nrt=False)  # allocates nothing: no reference counting (_common.block)
def schedule(day, p, fm, zn, wk, new_arb, new_court, due):
    """FIFO queues: hearing day = max(today + minimum delay, the committee's queue tail)."""
    for f in range(fm.zone.shape[0]):
        if new_arb[f] == 0 and new_court[f] == 0:
            continue
        z, s = fm.zone[f], fm.sector[f]
        # capacity in the region's cases a day (the committee's staff for the zone's real workers);
        # a sampled case stands for ``weight`` cases and takes that much of it: scale-free
        zw = zn.workers[z, 0] + zn.workers[z, 1] + zn.workers[z, 2]
        acap = max(1e-6, p.arbitration_capacity[z, s] * zw / 1e5)
        ccap = max(1e-6, p.court_capacity[z, s] * zw / 1e5)
        wt = fm.weight[f]
        for i in range(fm.start[f], fm.end[f]):
            cd = wk.claim_day[i]
            if cd == NEW_ARB:
                t = max(zn.arb_tail[z], float(day))
                zn.arb_tail[z] = t + wt / acap
                wk.claim_day[i] = max(day + int(p.arbitration_days[z, s]), int(t))
                due[f] = min(due[f], wk.claim_day[i])
            elif cd == NEW_COURT:
                t = max(zn.court_tail[z], float(day))
                zn.court_tail[z] = t + wt / ccap
                wk.claim_day[i] = max(day + int(p.court_days[z, s]), int(t))
                due[f] = min(due[f], wk.claim_day[i])
