"""Mobilisation in a firm: heterogeneous thresholds over dormitory ties, lit by triggers.

Chapter: at Hai Yan "Workers resigned themselves to this impasse until the day they came to know
that the Shenzhen municipality government had fixed the monthly minimum wage at 610 yuan. The news
spread quickly. The workers decided to organise a collective action and printed flyers that were
posted in the dormitories"; strikes are "spontaneous rather than well-planned", "reactive rather
than proactive", based on "corporate-based solidarity"; "leaving them with no choice but to take
to the streets" after rejected complaints; arrears peak before the New Year. Beijing NGOs "admit
that one of their aims is to prevent workers from taking to the streets" (paternalist contacts
have higher thresholds); the Shenzhen NGO fosters autonomy and its barefoot lawyers organise.

A firm's trigger intensity collects: news of a higher entitlement while it pays below it, arrears
in the month before the New Year, rejected complaints, and news of nearby wins (zone and hometown
signals from diffusion). Workers join when grievance x (1 + trigger) plus the share of their
dormitory already out exceeds their threshold (Granovetter 1978); the cascade is iterated to a
fixed point. A firm is evaluated on its weekly turn, and on other days only while a live trigger
rises: while it fades fewer workers would join than at the last look.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..engine.declare import Col, Flow
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C
from . import delegations as DG
from . import triggers as TR
from ._common import span

PARS = (
    Param("trigger_amplify", 1.89, "x", "calibrated (docs/ODD.md 8.3; was 1.0); "
          "assumption", "grievance multiplied by (1 + this*trigger)", 0.0, 10.0),
    Param("peer_weight", 1.83, "grievance units", "calibrated (docs/ODD.md 8.3; was 0.8); "
          "assumption (threshold models)", "weight of the "
          "share of one's dormitory already out", 0.0, 3.0),
    Param("organiser_effect", 0.35, "share", "assumption: organisers lower their dormitory's thresholds "
          "(the Hai Yan flyers were organised)",
          "threshold cut in a dormitory with an organiser", 0.0, 1.0),
    Param("experience_effect", 0.2, "share", "assumption; chapter (after CLB 2007): 'since 2005 the scale, "
          "frequency and duration of industrial action have increased and labour unrest evolved from random, "
          "sporadic outbreaks to regular occurrences'", "threshold cut for a worker who has taken part in "
          "experience_full strikes or more (in proportion below): workers learn from earlier actions", 0.0, 1.0),
    Param("experience_full", 2.0, "strikes", "assumption (as experience_effect)", "strikes taken part in at "
          "which the experience cut is whole", 1.0, 20.0),
    Param("paternalist_calm", 1.5, "share", "chapter: Beijing NGOs aim 'to prevent workers from "
          "taking to the streets'", "threshold rise for paternalist NGO contacts", 0.0, 3.0),
    Param("autonomy_organise", 0.2, "share", "chapter: the Shenzhen NGO encourages 'autonomy and "
          "broader solidarity'", "threshold cut for autonomy-fostering NGO contacts", 0.0, 1.0),
    Param("fear_weight", 1.0, "x", "assumption", "thresholds multiplied by (1 + this*zone fear)", 0.0, 10.0),
    Param("repression_deterrence", 0.6, "x", "chapter: collective actions 'have evolved from being "
          "forbidden and thus transgressive, to being tolerated'", "thresholds multiplied by "
          "(1 + this*repression odds)", 0.0, 5.0),
    Param("representative_channel", 0.6, "share", "chapter: Shenzhen 2008 union regulations: unions "
          "represent workers in negotiation", "trigger cut in firms with a representative union", 0.0, 1.0),
    Param("strike_refractory", 90.0, "days", "assumption; chapter: strikes are 'temporary episodes' "
          "settled by 'immediate economic compensation'", "days after a strike before the same firm "
          "can strike again", 0.0, 720.0),
    Param("strike_min", 15.0, "workers", "assumption", "fewest strikers for a strike", 2.0, 500.0),
    Param("strike_share", 0.106, "share", "calibrated (docs/ODD.md 8.3; was 0.15); "
          "assumption", "share of the workforce needed for a strike", 0.0, 1.0),
    Param("group_share", 0.5, "share", "assumption; chapter: Hai Yan's strike was organised in the "
          "dormitories", "share of one dormitory group out that starts a strike (a local critical "
          "mass), whatever the firm-wide share", 0.0, 1.0),
    Param("strike_visible", 120.0, "workers", "calibrated (docs/ODD.md 8.3; new in issue 11); "
          "assumption; chapter: at Hai Yan 'The news spread quickly' and "
          "the strike drew the whole factory (3,000 workers)", "strikers at which a strike under way weighs "
          "on every co-worker as a whole dormitory out would (peer term peer_weight x min(1, max(share of "
          "the firm out, strikers / this))); 0: the share of the firm only", 0.0, 100000.0),
    Param("dorm_group", 120.0, "workers", "population.dorm_size default", "size of the within-firm "
          "dormitory groups the cascade uses", 5.0, 1000.0),
    Param("street_distrust", 1.0, "x per unit of lost trust",
          "assumption; chapter: 'since the complaints lodged by workers in the past had been ignored, there "
          "were no means left but to take to the streets'", "a worker's grievance, as the street reads it, is "
          "multiplied by (1 + this x the trust in the local state she has lost below trust_local_init)",
          0.0, 10.0),
) + TR.PARS
RESULTS = (Flow("strikes_started", "strikes started", "strikes per day"),
           Flow("strikers_started", "workers in strikes on the day they started", "workers per day"))
S_DELEG = stream_id("mobilisation.delegation")


@njit(cache=True, inline="always")
def _ngo_factor(ngo, p, z, s):
    """Threshold factor of an NGO contact: a paternalist one raises it, an autonomy-fostering one
    lowers it. (Selected, not branched on: contacts vary worker to worker; a factor of 1 is exact.)"""
    return 1.0 + p.paternalist_calm[z, s] if ngo == 1 else (1.0 - p.autonomy_organise[z, s] if ngo == 2 else 1.0)


@njit(cache=True, inline="always")
def _exp_factor(exp, p, z, s):
    """Threshold factor of her strike experience: each strike lowers it, up to experience_full."""
    return 1.0 - p.experience_effect[z, s] * min(1.0, exp / p.experience_full[z, s])


@njit(cache=True, inline="always")
def _threshold(thresh, exp, fear, organised, ngo, p, z, s):
    """A worker's effective threshold: fear raises it, her NGO contact moves it (``_ngo_factor``), her
    experience and an organiser in her dormitory (or a leader on strike) lower it."""
    thr = thresh * fear * _ngo_factor(ngo, p, z, s) * _exp_factor(exp, p, z, s)
    if organised:
        thr *= 1.0 - p.organiser_effect[z, s]
    return thr


@njit(cache=True, inline="always")
def _lit(wk, i, amp, dw, tl0):
    """Her grievance as the street reads it: lit by the firm's trigger (``amp``) and raised by the
    trust in the local state she has lost (``dw`` = street_distrust, ``tl0`` = trust_local_init):
    a worker whose complaints and claims failed turns from the legal channel to the street."""
    lost = tl0 - wk.trust_l[i]
    if lost > 0.0:
        return wk.griev[i] * amp * (1.0 + dw * lost)
    return wk.griev[i] * amp


@njit(cache=True)
def _cascade(f, day, kd, cause, amp, fear, p, z, s, fm, wk, out):
    """Thresholds over dormitory ties, iterated to a fixed point in each dormitory group; a strike
    starts when enough workers of the firm, or a critical mass of one group, would go out. (A call
    of its own, for a firm where a strike is possible: it allocates its group buffers.)"""
    n = fm.end[f] - fm.start[f]
    hc = fm.headcount[f] if fm.headcount[f] > 0 else 1
    need = p.strike_share[z, s] * hc
    if need < p.strike_min[z, s]:
        need = p.strike_min[z, s]
    peer_w = p.peer_weight[z, s]
    dw, tl0 = p.street_distrust[z, s], p.trust_local_init[z, s]
    g_size = int(p.dorm_group[z, s])
    G = n // g_size + 1
    cnt = np.zeros(G)
    tot = np.zeros(G)
    org = np.zeros(G)
    xs = np.empty(g_size)  # a group's lit grievances (griev x amplification), by row
    th = np.empty(g_size)  # and thresholds (+inf for a worker not at work)
    participants = 0.0
    # dormitory groups do not interact (the peer term is the share of one's own group out), so
    # each group's cascade is iterated to its own fixed point. Grievances and thresholds are
    # laid out once per group; each round is then a branch-free count over two short arrays.
    for g in range(G):
        a = np.uint64(fm.start[f] + g * g_size)
        b = np.uint64(min(fm.start[f] + (g + 1) * g_size, fm.end[f]))
        m = np.int64(b - a)
        t = 0.0
        organised = False
        for k in range(m):
            i = a + np.uint64(k)
            xs[k] = _lit(wk, i, amp, dw, tl0)
            if wk.status[i] == C.WORKING:
                t += 1.0
                th[k] = wk.thresh[i] * fear * _ngo_factor(wk.ngo[i], p, z, s)
                if wk.exp[i] > 0:  # (a factor of 1 is exact: skipped)
                    th[k] *= _exp_factor(wk.exp[i], p, z, s)
                if wk.flags[i] & (C.ORGANISER | C.BAREFOOT):
                    organised = True
            else:
                th[k] = np.inf
        tot[g] = t
        org[g] = 1.0 if organised else 0.0
        if t == 0.0:
            continue
        if organised:  # the last factor of _threshold
            for k in range(m):
                th[k] *= 1.0 - p.organiser_effect[z, s]
        c = 0.0
        for _it in range(12):  # rounds of the fixed-point iteration (a numerical cap)
            peer = peer_w * c / t
            new = 0
            for k in range(m):
                new += xs[k] + peer > th[k]
            same = float(new) == c
            c = float(new)
            if same:
                break
        cnt[g] = c
        participants += c
    local = False
    for g in range(G):
        if tot[g] >= p.strike_min[z, s] and cnt[g] >= p.group_share[z, s] * tot[g]:
            local = True
    if participants < p.strike_min[z, s] or (participants < need and not local):
        return
    # the strike starts: mark strikers (the same rule as the cascade's last round)
    leaders = 0
    first = -1
    barefoot = False
    exp_sum = 0.0
    for i in range(fm.start[f], fm.end[f]):
        if wk.status[i] != C.WORKING:
            continue
        g = (i - fm.start[f]) // g_size
        thr = _threshold(wk.thresh[i], wk.exp[i], fear, org[g] > 0.0, wk.ngo[i], p, z, s)
        if _lit(wk, i, amp, dw, tl0) + peer_w * cnt[g] / tot[g] > thr:
            wk.status[i] = C.STRIKING
            exp_sum += min(1.0, wk.exp[i] / p.experience_full[z, s])
            if first < 0:
                first = i
            if wk.flags[i] & (C.ORGANISER | C.BAREFOOT):
                wk.flags[i] |= C.LEADER
                leaders += 1
                if wk.flags[i] & C.BAREFOOT:
                    barefoot = True
    if leaders == 0 and first >= 0:
        wk.flags[first] |= C.LEADER
        leaders = 1
    fm.s_lead[f] = leaders
    exp_mean = exp_sum / max(participants, 1.0)  # a delegation that bargains (delegations.py)
    fm.s_org[f] = 1 if uniform(kd, day, f) < DG.delegation_odds(p, z, s, exp_mean, barefoot) else 0
    fm.s_start[f] = day
    fm.s_size[f] = participants
    fm.s_peak[f] = participants
    fm.s_cause[f] = cause
    fm.s_base0[f] = fm.base[f]
    fm.s_ot0[f] = fm.ot[f]
    fm.s_esc[f] = 0
    fm.s_cov[f] = 0
    fm.s_off[f] = C.OF_NONE
    fm.s_mgmt[f] = C.M_NONE
    fm.s_out[f] = C.O_ONGOING
    fm.s_end[f] = 0
    fm.s_ignored[f] = 0
    fm.rejected[f] = 0.0
    out.strikes_started[f] += 1.0
    out.strikers_started[f] += participants


@njit(cache=True, _nrt=False)
def _firm(f, day, dtny, H, any_home, p, fm, wk, zn, ht, seen):
    """One firm without a strike: update its trigger; on its weekly turn, or while a live trigger
    rises, check whether enough workers could join. Returns (a strike is possible, its cause, the
    grievance amplification, the fear factor). A call of its own, without reference counting
    (see _common.block)."""
    z, s = fm.zone[f], fm.sector[f]
    decay = math.exp(-0.6931471805599453 / p.trigger_half_life[z, s])
    c_news, c_rej, c_cont, c_arr, c_home = TR.collect(f, day, dtny, H, any_home, p, z, s, fm, wk, zn, ht)
    add = c_news + c_rej + c_cont + c_arr + c_home
    if fm.union[f] == C.U_REP:
        add *= 1.0 - p.representative_channel[z, s]
    # rising today, or raised since yesterday by an event (a speed-up, say)
    rising = add > fm.trig[f] or fm.trig[f] > seen[f]
    trig = fm.trig[f] * decay + add * (1.0 - decay)
    fm.trig[f] = trig
    seen[f] = trig
    # workers reconsider on the firm's weekly turn (when grievances are reassessed) and on days
    # a live trigger rises; while it only fades, fewer would join than at the last look
    if (day + f) % 7 != 0 and (trig < p.trigger_min[z, s] or not rising):
        return False, 0, 0.0, 0.0
    if day - fm.last_end[f] < p.strike_refractory[z, s]:
        return False, 0, 0.0, 0.0
    cause = TR.cause(p, z, s, c_news, c_rej, c_cont, c_arr, c_home)
    amp = 1.0 + p.trigger_amplify[z, s] * trig
    fear = (1.0 + p.fear_weight[z, s] * zn.fear[z]) * (1.0 + p.repression_deterrence[z, s] * p.repression[z, s])
    # upper bound: even with every dormitory mate out, can enough workers join?
    reach = 0.0
    peer_w = p.peer_weight[z, s]
    dw, tl0 = p.street_distrust[z, s], p.trust_local_init[z, s]
    # (with each worker's own experience factor: a looser bound sends firms through the cascade for nothing)
    lowest = fear * (1.0 - p.organiser_effect[z, s]) * (1.0 - p.autonomy_organise[z, s])
    lo, hi = span(fm.start, fm.end, f)
    for i in range(lo, hi):
        if wk.status[i] == C.WORKING:
            thr = wk.thresh[i] * lowest
            if wk.exp[i] > 0:
                thr *= _exp_factor(wk.exp[i], p, z, s)
            # her trust in the local state is read only where even all of it lost could carry her
            # over (the common case fails on grievance alone: one column less to read)
            if wk.griev[i] * amp * (1.0 + dw * tl0) + peer_w > thr and _lit(wk, i, amp, dw, tl0) + peer_w > thr:
                reach += 1.0
                if reach >= p.strike_min[z, s]:
                    break
    return reach >= p.strike_min[z, s], cause, amp, fear


@njit(parallel=True, cache=True)
def _mobilise(seed, day, dtny, p, fm, wk, zn, ht, seen, out):
    kd = key(seed, S_DELEG)
    H = ht.hsig.shape[0] // (fm.city.max() + 1) if fm.city.shape[0] > 0 else 1
    any_home = False  # below 1e-4 everywhere, hometown signals are not looked at (a shortcut)
    for h in range(ht.hsig.shape[0]):
        if ht.hsig[h] > 1e-4:
            any_home = True
            break
    # one call a firm, for its writes (stores through the named groups are lost in a prange body):
    # _firm allocates nothing and is compiled without reference counting; _cascade, called only
    # where a strike is possible, allocates its group buffers
    for f in prange(fm.zone.shape[0]):
        if fm.s_start[f] >= 0:
            continue
        go, cause, amp, fear = _firm(f, day, dtny, H, any_home, p, fm, wk, zn, ht, seen)
        if go:
            _cascade(f, day, kd, cause, amp, fear, p, fm.zone[f], fm.sector[f], fm, wk, out)


@njit(cache=True, inline="always")
def join_strike(f, z, s, share, fear, p, fm, wk):
    """A strike under way recruits: a worker still at work joins when her grievance, lit by the
    firm's trigger, plus the weight of the share of the firm already out exceeds her threshold;
    while its leaders are out with it, they lower every co-worker's threshold as an organiser does
    (detaining or firing them weakens the strike). ``p`` is the calling process's parameters
    (strikes lists this module's in its ``uses``)."""
    amp = 1.0 + p.trigger_amplify[z, s] * fm.trig[f]
    felt = share  # the share of the firm out, or as many strikers seen across the factory (ODD 7.7)
    if p.strike_visible[z, s] > 0.0:
        felt = max(felt, share * fm.headcount[f] / p.strike_visible[z, s])
    peer = p.peer_weight[z, s] * min(1.0, felt)
    joined = 0.0
    dw, tl0 = p.street_distrust[z, s], p.trust_local_init[z, s]
    led = fm.s_lead[f] > 0
    for i in range(fm.start[f], fm.end[f]):
        if wk.status[i] != C.WORKING:
            continue
        thr = _threshold(wk.thresh[i], wk.exp[i], fear, led, wk.ngo[i], p, z, s)
        if _lit(wk, i, amp, dw, tl0) + peer > thr:
            wk.status[i] = C.STRIKING
            joined += 1.0
    return joined


class Mobilisation(Process):
    name = "mobilisation"
    pars = PARS
    uses = ("min_wage", "repression", "trust_local_init", "delegation_base", "delegation_experience",
            "delegation_autonomy")
    states = {"workers": (Col("thresh", "f4", "mobilisation threshold (risk aversion folded in)"),
                          Col("exp", "u1", "strikes she has taken part in (to 100)")),
              "firms": (Col("trig", "f4", "mobilisation trigger intensity (decays)"),
                        Col("home_sig", "f4", "mean hometown success signal of the firm's workers (weekly)"))}
    results = RESULTS
    reads = ("firms.rejected", "firms.last_end", "firms.headcount", "firms.aware", "firms.union", "zones.news",
             "zones.zsig", "zones.fear", "hometowns.hsig", "workers.griev", "workers.trust_l", "workers.ngo",
             "workers.arrears", "workers.home", "firms.s_lead")
    cites = "Hai Yan: news of 610 yuan, flyers in the dormitories; 'no means left but to take to the streets'"

    def setup(self, w: World) -> None:
        self.dtny = w.cal.days_to_new_year()
        self.seen = np.zeros_like(w.firms.trig)  # each firm's trigger as the last step left it

    def step(self, w: World, day: int) -> None:
        out = self.flows()
        _mobilise(w.seed, day, int(self.dtny[day]), self.p, w.firms.cols, w.workers.cols, w.zones.cols,
                  w.hometowns.cols, self.seen, out)
        self.add_flows(w)
