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

from ..engine.declare import Col
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World
from ..population import codes as C
from ._common import add_flows, flow_cols, indices, pack, span

PARAMS = (
    Param("trigger_half_life", 5.0, "days", "assumption", "half-life of a firm's trigger", 0.5, 60.0),
    Param("trigger_news", 2.0, "trigger", "chapter: Hai Yan, news of the 610-yuan minimum",
          "trigger from wage news while the firm pays below the minimum", 0.0, 10.0),
    Param("trigger_arrears", 0.8, "trigger", "chapter: arrears and the New Year back-pay campaigns",
          "trigger from the share of workers owed wages in the month before the New Year", 0.0, 10.0),
    Param("trigger_rejected", 5.0, "trigger per rejected share", "chapter: 'complaints ... had been "
          "ignored, there were no means left but to take to the streets'", "trigger per rejected "
          "complaint per worker", 0.0, 100.0),
    Param("trigger_contagion", 6.0, "trigger per share", "chapter: Dalian 2005 spread across the zone",
          "trigger per unit of the zone's success signal (a visibility-weighted share of the zone's workers "
          "of the same ownership who just won)", 0.0, 1000.0),
    Param("contagion_cross", 0.25, "share", "chapter: Dalian's strike spread 'to other Japanese-invested "
          "hightech enterprises'", "share of the signal that reaches firms of another ownership", 0.0, 1.0),
    Param("trigger_hometown", 20.0, "trigger per share", "assumption: laoxiang networks carry strike news",
          "trigger per unit of the firm's workers' mean hometown success signal", 0.0, 1000.0),
    Param("trigger_min", 0.05, "trigger", "assumption", "trigger below which (or while it fades) a firm "
          "is checked only on its weekly turn", 0.0, 1.0),
    Param("trigger_amplify", 1.0, "x", "assumption", "grievance multiplied by (1 + this*trigger)", 0.0, 10.0),
    Param("peer_weight", 0.8, "grievance units", "assumption (threshold models)", "weight of the "
          "share of one's dormitory already out", 0.0, 3.0),
    Param("organiser_effect", 0.35, "share", "assumption; MODEL.md: organisers lower thresholds",
          "threshold cut in a dormitory with an organiser", 0.0, 1.0),
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
    Param("strike_share", 0.15, "share", "assumption", "share of the workforce needed for a strike", 0.0, 1.0),
    Param("group_share", 0.5, "share", "assumption; chapter: Hai Yan's strike was organised in the "
          "dormitories", "share of one dormitory group out that starts a strike (a local critical "
          "mass), whatever the firm-wide share", 0.0, 1.0),
    Param("dorm_group", 120.0, "workers", "population.dorm_size default", "size of the within-firm "
          "dormitory groups the cascade uses", 5.0, 1000.0),
)
I = indices(PARAMS)
(THL, TNEWS, TARR, TREJ, TCONT, TCROSS, THOME, TMIN, TAMP, PEER, ORGE, PCALM, AORG, FEARW, DETER, RCHAN, REFR,
 SMIN, SSHARE, GSHARE, DGROUP) = (I[p.name] for p in PARAMS)
MW = len(PARAMS)
REPR = MW + 1  # repression (responses), appended when packing
CAUSE_GRIEV, CAUSE_NEWS, CAUSE_ARR, CAUSE_REJ, CAUSE_CONT = 0, 1, 2, 3, 4
FLOWS = ("strikes_started", "strikers_started")


@njit(cache=True, inline="always")
def _ngo_factor(ngo, P, off, z, s):
    """Threshold factor of an NGO contact: a paternalist one raises it, an autonomy-fostering one
    lowers it. (Selected, not branched on: contacts vary worker to worker; a factor of 1 is exact.)"""
    return 1.0 + P[off + PCALM, z, s] if ngo == 1 else (1.0 - P[off + AORG, z, s] if ngo == 2 else 1.0)


@njit(cache=True, inline="always")
def _threshold(thresh, fear, organised, ngo, P, off, z, s):
    """A worker's effective threshold: fear of repression raises it, her NGO contact moves it (see
    ``_ngo_factor``), an organiser in her dormitory lowers it."""
    thr = thresh * fear * _ngo_factor(ngo, P, off, z, s)
    if organised:
        thr *= 1.0 - P[off + ORGE, z, s]
    return thr


@njit(parallel=True, cache=True)
def _mobilise(day, dtny, P, f_zone, f_sector, f_city, f_own, f_start, f_end, f_base, f_aware, f_last_end, f_trig,
              f_seen, f_rejected, f_union,
              f_headcount, f_s_start, f_s_size, f_s_peak, f_s_cause, f_s_base0, f_ot, f_s_ot0, f_s_esc, f_s_cov,
              f_s_off, f_s_mgmt, f_s_out, f_s_end, f_s_ignored, z_news, z_success, z_fear, hsig,
              f_home_sig, w_status, w_griev, w_thresh, w_flags, w_ngo, w_home, w_arrears, out):
    H = hsig.shape[0] // (f_city.max() + 1) if f_city.shape[0] > 0 else 1
    any_home = False
    for h in range(hsig.shape[0]):
        if hsig[h] > 1e-4:
            any_home = True
            break
    for f in prange(f_zone.shape[0]):
        if f_s_start[f] >= 0:
            continue
        z, s = f_zone[f], f_sector[f]
        decay = math.exp(-0.6931471805599453 / P[THL, z, s])
        n = f_end[f] - f_start[f]
        hc = f_headcount[f] if f_headcount[f] > 0 else 1
        # news lights a firm as far as its workers have heard it
        c_news = P[TNEWS, z, s] * z_news[z] * f_aware[f] if f_base[f] < P[MW, z, s] else 0.0
        c_rej = P[TREJ, z, s] * f_rejected[f] / hc
        own = f_own[f]
        sig = 0.0
        for o in range(z_success.shape[1]):
            sig += z_success[z, o] if o == own else P[TCROSS, z, s] * z_success[z, o]
        c_cont = P[TCONT, z, s] * sig
        c_arr = 0.0
        # the hometown signal moves slowly (half-life of days): its mean over the firm's workers is
        # refreshed on the firm's weekly turn, so this pass over workers is not made every day
        if dtny <= 30 or (any_home and (day + f) % 7 == 0):
            owed = 0.0
            hs = 0.0
            lo, hi = span(f_start, f_end, f)
            for i in range(lo, hi):
                if w_arrears[i] > 0.0:
                    owed += 1.0
                hs += hsig[f_city[f] * H + w_home[i]]
            if dtny <= 30:
                c_arr = P[TARR, z, s] * owed / n
            f_home_sig[f] = hs / n
        elif not any_home:
            f_home_sig[f] = 0.0
        c_home = P[THOME, z, s] * f_home_sig[f]
        add = c_news + c_rej + c_cont + c_arr + c_home
        if f_union[f] == C.U_REP:
            add *= 1.0 - P[RCHAN, z, s]
        # rising today, or raised since yesterday by an event (a speed-up, say)
        rising = add > f_trig[f] or f_trig[f] > f_seen[f]
        trig = f_trig[f] * decay + add * (1.0 - decay)
        f_trig[f] = trig
        f_seen[f] = trig
        # workers reconsider on the firm's weekly turn (when grievances are reassessed) and on days
        # a live trigger rises; while it only fades, fewer would join than at the last look
        if (day + f) % 7 != 0 and (trig < P[TMIN, z, s] or not rising):
            continue
        if day - f_last_end[f] < P[REFR, z, s]:
            continue
        # cause: the largest contribution today
        cause = CAUSE_GRIEV
        best = 1e-3
        if c_news > best:
            cause, best = CAUSE_NEWS, c_news
        if c_arr > best:
            cause, best = CAUSE_ARR, c_arr
        if c_rej > best:
            cause, best = CAUSE_REJ, c_rej
        if c_cont + c_home > best:
            cause = CAUSE_CONT
        amp = 1.0 + P[TAMP, z, s] * trig
        fear = (1.0 + P[FEARW, z, s] * z_fear[z]) * (1.0 + P[DETER, z, s] * P[REPR, z, s])
        need = P[SSHARE, z, s] * hc
        if need < P[SMIN, z, s]:
            need = P[SMIN, z, s]
        # upper bound: even with every dormitory mate out, can enough workers join?
        reach = 0.0
        peer_w = P[PEER, z, s]
        lowest = fear * (1.0 - P[ORGE, z, s]) * (1.0 - P[AORG, z, s])
        lo, hi = span(f_start, f_end, f)
        for i in range(lo, hi):
            if w_status[i] == C.WORKING and w_griev[i] * amp + peer_w > w_thresh[i] * lowest:
                reach += 1.0
                if reach >= P[SMIN, z, s]:
                    break
        if reach < P[SMIN, z, s]:
            continue
        g_size = int(P[DGROUP, z, s])
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
            a = np.uint64(f_start[f] + g * g_size)
            b = np.uint64(min(f_start[f] + (g + 1) * g_size, f_end[f]))
            m = np.int64(b - a)
            t = 0.0
            organised = False
            for k in range(m):
                i = a + np.uint64(k)
                xs[k] = w_griev[i] * amp
                if w_status[i] == C.WORKING:
                    t += 1.0
                    th[k] = w_thresh[i] * fear * _ngo_factor(w_ngo[i], P, 0, z, s)
                    if w_flags[i] & (C.ORGANISER | C.BAREFOOT):
                        organised = True
                else:
                    th[k] = np.inf
            tot[g] = t
            org[g] = 1.0 if organised else 0.0
            if t == 0.0:
                continue
            if organised:  # the last factor of _threshold
                for k in range(m):
                    th[k] *= 1.0 - P[ORGE, z, s]
            c = 0.0
            for _it in range(12):
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
            if tot[g] >= P[SMIN, z, s] and cnt[g] >= P[GSHARE, z, s] * tot[g]:
                local = True
        if participants < P[SMIN, z, s] or (participants < need and not local):
            continue
        # the strike starts: mark strikers (the same rule as the cascade's last round)
        leaders = 0
        first = -1
        for i in range(f_start[f], f_end[f]):
            if w_status[i] != C.WORKING:
                continue
            g = (i - f_start[f]) // g_size
            thr = _threshold(w_thresh[i], fear, org[g] > 0.0, w_ngo[i], P, 0, z, s)
            if w_griev[i] * amp + P[PEER, z, s] * cnt[g] / tot[g] > thr:
                w_status[i] = C.STRIKING
                if first < 0:
                    first = i
                if w_flags[i] & (C.ORGANISER | C.BAREFOOT):
                    w_flags[i] |= C.LEADER
                    leaders += 1
        if leaders == 0 and first >= 0:
            w_flags[first] |= C.LEADER
        f_s_start[f] = day
        f_s_size[f] = participants
        f_s_peak[f] = participants
        f_s_cause[f] = cause
        f_s_base0[f] = f_base[f]
        f_s_ot0[f] = f_ot[f]
        f_s_esc[f] = 0
        f_s_cov[f] = 0
        f_s_off[f] = C.OF_NONE
        f_s_mgmt[f] = C.M_NONE
        f_s_out[f] = C.O_ONGOING
        f_s_end[f] = 0
        f_s_ignored[f] = 0
        f_rejected[f] = 0.0
        out[f, 0] += 1.0
        out[f, 1] += participants


@njit(cache=True)
def join_strike(P, off, z, s, trig, share, fear, f_start_f, f_end_f, w_status, w_griev, w_thresh, w_ngo):
    """A strike under way recruits: a worker still at work joins when her grievance, lit by the
    firm's trigger, plus the weight of the share of the firm already out exceeds her threshold.
    ``P[off + k]`` are this module's parameters (the strikes process packs them)."""
    amp = 1.0 + P[off + TAMP, z, s] * trig
    peer = P[off + PEER, z, s] * share
    joined = 0.0
    for i in range(f_start_f, f_end_f):
        if w_status[i] != C.WORKING:
            continue
        thr = _threshold(w_thresh[i], fear, False, w_ngo[i], P, off, z, s)
        if w_griev[i] * amp + peer > thr:
            w_status[i] = C.STRIKING
            joined += 1.0
    return joined


class Mobilisation(Process):
    name = "mobilisation"
    states = {"workers": (Col("thresh", "f4", "mobilisation threshold (risk aversion folded in)"),),
              "firms": (Col("trig", "f4", "mobilisation trigger intensity (decays)"),
                        Col("home_sig", "f4", "mean hometown success signal of the firm's workers (weekly)"))}
    params = PARAMS
    reads = ("firms.trig", "firms.rejected", "zones.news", "zone success signals", "hometown signal",
             "workers.griev", "workers.thresh", "workers.ngo")
    writes = ("workers.status (striking)", "workers.flags (leader)", "firms.s_*")
    cites = "Hai Yan: news of 610 yuan, flyers in the dormitories; 'no means left but to take to the streets'"

    def setup(self, w: World) -> None:
        self.cols = flow_cols(w, FLOWS)
        self.dtny = w.cal.days_to_new_year()
        self.seen = np.zeros_like(w.firms.trig)  # each firm's trigger as the last step left it

    def step(self, w: World, day: int) -> None:
        P = np.concatenate([pack(w, PARAMS), w.params["min_wage"][None], w.params["repression"][None]])
        f, wk, z = w.firms, w.workers, w.zones
        buf = w.firm_scratch(len(FLOWS))
        _mobilise(day, int(self.dtny[day]), P, f.zone, f.sector, f.city, f.own, f.start, f.end, f.base, f.aware,
                  f.last_end, f.trig, self.seen, f.rejected, f.union, f.headcount, f.s_start, f.s_size, f.s_peak,
                  f.s_cause, f.s_base0, f.ot, f.s_ot0, f.s_esc, f.s_cov, f.s_off, f.s_mgmt, f.s_out, f.s_end,
                  f.s_ignored, z.news, w.zsig, z.fear, w.hsig, f.home_sig, wk.status, wk.griev, wk.thresh, wk.flags,
                  wk.ngo, wk.home, wk.arrears, buf)
        add_flows(w, buf, self.cols)
