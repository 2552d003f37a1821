"""Strikes from day to day: coverage, escalation to the street, the answers of officials and
management, attrition, the outcome and what a win or a loss changes.

Chapter (Hai Yan): "3,000 workers went on strike for one day and a half, and the morning of the
second day, they took to the streets and blocked the main highway linking Shenzhen to Hong Kong
for four hours in an attempt to push the government to intervene. They were successful"; strikes
"remain temporary episodes of resistance based on corporate-based solidarity and aim at immediate
economic compensation from employers". The answers are in ``responses``, the press in ``media``,
news of the outcome in ``diffusion``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..engine.declare import Col
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C
from . import diffusion as D
from . import media as M
from . import mobilisation as MB
from . import responses as R
from ._common import add_flows, flow_cols

PARAMS = (
    Param("escalate_base", 0.6, "1/day", "chapter: Hai Yan took to the streets on day two when ignored",
          "daily odds an ignored strike takes to the street, times min(2, 0.5 + strikers/1000)", 0.0, 1.0),
    Param("escalate_after", 1.0, "days", "chapter: Hai Yan, 'the morning of the second day'",
          "days of being ignored before escalation is possible", 0.0, 30.0),
    Param("attrition", 0.12, "1/day", "assumption; chapter: strikes are short", "daily odds a "
          "striker goes back to work, times (0.1 + 2 x repression odds)", 0.0, 1.0),
    Param("strike_max_days", 21.0, "days", "assumption", "longest a strike lasts", 1.0, 120.0),
    Param("fear_step", 0.3, "fear", "assumption", "zone fear added by a repressed strike", 0.0, 3.0),
    Param("paternalist_restraint", 5.0, "x", "chapter: Beijing NGOs 'admit that one of their aims is to prevent "
          "workers from taking to the streets'; size assumed (each contact speaks for a handful of co-workers)",
          "escalation odds times (1 - min(1, this x share of the firm's workers in contact with a paternalist NGO))",
          0.0, 50.0),
)
ESCB, ESCA, ATTR, SMAX, FEARS, PREST = range(len(PARAMS))
FLOWS = ("strikes_ended", "strikes_won", "strikes_partial", "strikes_lost", "escalated", "covered",
         "repressed", "negotiated", "detentions", "fired", "fines", "strike_days", "arrears_repaid")
(F_END, F_WON, F_PART, F_LOST, F_ESC, F_COV, F_REPR, F_NEG, F_DET, F_FIRED, F_FINES, F_SDAYS,
 F_REPAID) = range(len(FLOWS))
S_COV, S_ESC, S_OFF, S_OFF2, S_MGMT, S_ATTR = (stream_id(s) for s in (
    "strike.coverage", "strike.escalate", "strike.official", "strike.official2", "strike.management",
    "strike.attrition"))

NP_S, NP_M, NP_R = len(PARAMS), len(M.PARAMS), len(R.PARAMS)
OFF_M = NP_S
OFF_R = NP_S + NP_M
OFF_D = NP_S + NP_M + NP_R
OFF_MB = OFF_D + len(D.PARAMS)
OFF_X = OFF_MB + len(MB.PARAMS)  # min_wage, standard_hours, ot_premium_weekday, labour_shortage, media_independence


@njit(cache=True)
def _apply_outcome(f, day, outcome, enforce, P, z, s, f_base, f_ot, f_hours, f_dpw, f_base_old,
                   f_ot_old, f_hours_old, f_gains_day, f_start, f_end, w_status, w_arrears, out):
    mw = P[OFF_X, z, s]
    std = P[OFF_X + 1, z, s]
    base = f_base[f]
    if outcome == C.O_WON or outcome == C.O_PARTIAL:
        f_base_old[f] = base
        f_ot_old[f] = f_ot[f]
        f_hours_old[f] = f_hours[f]
        f_gains_day[f] = day
        if outcome == C.O_WON:
            if base < mw:
                nb = mw * (1.0 + P[OFF_R + R.WRAISE, z, s])
            else:
                nb = base * (1.0 + P[OFF_R + R.WFLOOR, z, s])
            repay = 1.0
        else:
            if base < mw:
                nb = base + P[OFF_R + R.PSHARE, z, s] * (mw - base)
            else:
                nb = base * (1.0 + P[OFF_R + R.PRAISE, z, s])
            repay = 0.5
        f_base[f] = nb
        legal_ot = P[OFF_X + 2, z, s] * nb / std
        if outcome == C.O_WON and f_ot[f] < legal_ot:
            f_ot[f] = legal_ot
        elif f_ot[f] < legal_ot:
            f_ot[f] += 0.5 * (legal_ot - f_ot[f])
        if enforce:
            cap = (std + P[OFF_R + R.OTCAP, z, s]) / (f_dpw[f] * 4.35)
            if f_hours[f] > cap:
                f_hours[f] = cap
        rep = 0.0
        for i in range(f_start[f], f_end[f]):
            if w_status[i] == C.WORKING or w_status[i] == C.STRIKING:
                r = repay * w_arrears[i]
                w_arrears[i] -= r
                rep += r
        out[f, F_REPAID] += rep


@njit(cache=True)
def _remove_leaders(f, day, f_start, f_end, w_status, w_flags, w_since, code):
    """Take the strike's leaders out of work: detained (``code`` DETAINED) or fired (SEEKING)."""
    n = 0.0
    for i in range(f_start[f], f_end[f]):
        if w_flags[i] & C.LEADER and (w_status[i] == C.STRIKING or w_status[i] == C.WORKING):
            w_status[i] = code
            w_since[i] = day
            w_flags[i] &= ~np.uint8(C.LEADER)
            n += 1.0
    return n


@njit(cache=True)
def _strikes(seed, day, P, H, zone_workers, home_workers, f_zone, f_sector, f_city, f_own, f_weight, f_start,
             f_end, f_brand, f_union, f_headcount,
             f_attention, f_cool, f_fire_day, f_base, f_ot, f_hours, f_dpw, f_base_old, f_ot_old,
             f_hours_old, f_gains_day, f_s_start, f_s_size, f_s_peak, f_s_esc, f_s_cov, f_s_off,
             f_s_mgmt, f_s_out, f_s_end, f_s_ignored, f_trig, z_fear, z_success, hsig, w_status, w_flags,
             w_since, w_arrears, w_home, w_griev, w_thresh, w_ngo, out):
    kc, ke, ko, ko2, km, ka = (key(seed, S_COV), key(seed, S_ESC), key(seed, S_OFF), key(seed, S_OFF2),
                               key(seed, S_MGMT), key(seed, S_ATTR))
    for f in range(f_zone.shape[0]):
        if f_s_start[f] < 0 or f_s_end[f] != 0:
            continue
        z, s = f_zone[f], f_sector[f]
        d = day - f_s_start[f]
        size = f_s_size[f]
        out[f, F_SDAYS] += size
        # the press
        if f_s_cov[f] == 0:
            p = M.coverage_prob(P[OFF_M + M.COVR, z, s], P[OFF_M + M.COVE, z, s], P[OFF_M + M.MON, z, s],
                                P[OFF_X + 4, z, s], size, f_s_esc[f])
            if uniform(kc, day, f) < p:
                f_s_cov[f] = 1
                f_attention[f] = 1.0
                out[f, F_COV] += 1.0
        # escalation of an ignored strike to the street
        if f_s_esc[f] == 0 and f_s_ignored[f] >= int(P[ESCA, z, s]):
            pe = P[ESCB, z, s] * min(2.0, 0.5 + size / 1000.0)
            u = uniform(ke, day, f)
            if u < pe and P[PREST, z, s] > 0.0:
                # workers in contact with a paternalist NGO talk their co-workers out of the street
                # (counted only when the strike would otherwise go out: the restraint only lowers pe)
                n_emp = 0
                n_pat = 0
                for i in range(f_start[f], f_end[f]):
                    if w_status[i] == C.STRIKING or w_status[i] == C.WORKING:
                        n_emp += 1
                        n_pat += w_ngo[i] == 1
                if n_pat > 0:
                    pe *= 1.0 - min(1.0, P[PREST, z, s] * n_pat / n_emp)
            if u < pe:
                f_s_esc[f] = 1
                out[f, F_ESC] += 1.0
        outcome = C.O_ONGOING
        enforce = False
        cooling = P[OFF_R + R.COOL, z, s] > 0 and size >= P[OFF_R + R.COOLMIN, z, s] and \
            d < P[OFF_R + R.COOL, z, s]
        if cooling:
            f_cool[f] = f_s_start[f] + int(P[OFF_R + R.COOL, z, s])
        # officials
        # as protest becomes tolerated, officials are in less of a hurry to end it (chapter: strikes
        # went from 'forbidden' to 'tolerated and now nearly accepted and contained')
        urgency = 0.4 + 1.3 * P[OFF_R + R.REPR, z, s]
        if R.official_intervenes(uniform(ko, day, f), urgency * P[OFF_R + R.OB, z, s],
                                 urgency * P[OFF_R + R.OCOV, z, s], urgency * P[OFF_R + R.OESC, z, s],
                                 f_s_cov[f], f_s_esc[f]):
            if R.officials_repress(uniform(ko2, day, f), P[OFF_R + R.REPR, z, s],
                                   P[OFF_R + R.SHIELD, z, s], f_s_cov[f],
                                   P[OFF_R + R.STOL, z, s] * P[OFF_X + 3, z, s]):
                f_s_off[f] = C.OF_REPRESS
                out[f, F_REPR] += 1.0
                out[f, F_DET] += _remove_leaders(f, day, f_start, f_end, w_status, w_flags, w_since,
                                                 C.DETAINED)
                z_fear[z] += P[FEARS, z, s]
                outcome = C.O_LOST
            else:
                f_s_off[f] = C.OF_NEGOTIATE
                out[f, F_NEG] += 1.0
                out[f, F_FINES] += P[OFF_R + R.FINE, z, s] * f_headcount[f]
                outcome = C.O_WON
                enforce = True
        else:
            if f_s_off[f] == C.OF_NONE:
                f_s_off[f] = C.OF_IGNORE
        # management
        if outcome == C.O_ONGOING:
            lev = (1.0 + P[OFF_R + R.LSHORT, z, s] * P[OFF_X + 3, z, s]) * \
                (1.0 + P[OFF_R + R.LBRAND, z, s] * f_brand[f]) * \
                (1.0 + P[OFF_R + R.LATT, z, s] * f_attention[f])
            if f_union[f] == C.U_REP:
                lev *= 2.0
            # the police are called less readily as officials come to tolerate strikes
            a = R.management_answer(uniform(km, day, f), P[OFF_R + R.CONC, z, s], P[OFF_R + R.PART, z, s],
                                    P[OFF_R + R.FIRE, z, s], urgency * P[OFF_R + R.POLICE, z, s], lev, cooling)
            if a != C.M_NONE:
                f_s_mgmt[f] = a
            if a == C.M_CONCEDE:
                outcome = C.O_WON
            elif a == C.M_PARTIAL:
                outcome = C.O_PARTIAL
            elif a == C.M_FIRE:
                nfired = _remove_leaders(f, day, f_start, f_end, w_status, w_flags, w_since, C.SEEKING)
                out[f, F_FIRED] += nfired
                size -= nfired
            elif a == C.M_POLICE:
                out[f, F_DET] += _remove_leaders(f, day, f_start, f_end, w_status, w_flags, w_since,
                                                 C.DETAINED)
                z_fear[z] += 0.5 * P[FEARS, z, s]
                outcome = C.O_LOST
            else:
                f_s_ignored[f] += 1
        # recruitment through the firm, then attrition
        if outcome == C.O_ONGOING:
            fear = (1.0 + P[OFF_MB + MB.FEARW, z, s] * z_fear[z]) * \
                (1.0 + P[OFF_MB + MB.DETER, z, s] * P[OFF_R + R.REPR, z, s])
            hc = f_headcount[f] if f_headcount[f] > 0 else 1
            size += MB.join_strike(P, OFF_MB, z, s, f_trig[f], size / hc, fear, f_start[f], f_end[f],
                                   w_status, w_griev, w_thresh, w_ngo)
            if size > f_s_peak[f]:
                f_s_peak[f] = size
            n = 0.0
            # strikers hold out longer as protest is tolerated (chapter: actions 'evolved from being
            # forbidden ... to being tolerated'), so strikes lengthen after 2005-2006
            pa = P[ATTR, z, s] * (0.1 + 2.0 * P[OFF_R + R.REPR, z, s])
            for i in range(f_start[f], f_end[f]):
                if w_status[i] == C.STRIKING:
                    if uniform(ka, day, i) < pa:
                        w_status[i] = C.WORKING
                    else:
                        n += 1.0
            size = n
            if size < max(2.0, 0.25 * f_s_peak[f]) or d + 1 >= P[SMAX, z, s]:
                outcome = C.O_LOST
        f_s_size[f] = size
        if outcome == C.O_ONGOING:
            continue
        _apply_outcome(f, day, outcome, enforce, P, z, s, f_base, f_ot, f_hours, f_dpw, f_base_old,
                       f_ot_old, f_hours_old, f_gains_day, f_start, f_end, w_status, w_arrears, out)
        f_s_out[f] = outcome
        f_s_end[f] = 1
        out[f, F_END] += 1.0
        if outcome == C.O_WON:
            out[f, F_WON] += 1.0
        elif outcome == C.O_PARTIAL:
            out[f, F_PART] += 1.0
        else:
            out[f, F_LOST] += 1.0
        D.signal_outcome(f, outcome, f_s_cov[f], f_s_peak[f], f_weight[f], P[OFF_D + D.VIS, z, s],
                         P[OFF_D + D.COVB, z, s], P[OFF_D + D.HOMEW, z, s], z, f_own[f], f_city[f] * H, f_start,
                         f_end, w_status, w_home, z_success, hsig, zone_workers, home_workers)
        if outcome != C.O_LOST:
            D.schedule_later_firing(f, day, uniform(ka, day, f + 1000003), uniform(ka, day, f + 2000003),
                                    P[OFF_D + D.LFIRE, z, s], P[OFF_D + D.LFIRE_D, z, s], f_fire_day)
        for i in range(f_start[f], f_end[f]):
            if w_status[i] == C.STRIKING:
                w_status[i] = C.WORKING


class Strikes(Process):
    name = "strikes"
    states = {"firms": (
        Col("s_start", "i4", "day the firm's active strike started (-1 none)", fill=-1),
        Col("s_size", "f4", "strikers now"), Col("s_peak", "f4", "peak strikers"),
        Col("s_esc", "i1", "escalated to the street"), Col("s_cov", "i1", "covered by the press"),
        Col("s_off", "i1", "officials' response"), Col("s_mgmt", "i1", "management's answer"),
        Col("s_out", "i1", "outcome"), Col("s_end", "i1", "ended today"), Col("s_cause", "i1", "what lit it"),
        Col("s_base0", "f4", "base wage when it started"), Col("s_ot0", "f4", "overtime rate when it started"),
        Col("s_ignored", "i2", "days ignored by officials and management"),
        Col("base_old", "f4", "base wage before the last won gains"),
        Col("ot_old", "f4", "overtime rate before the last won gains"),
        Col("hours_old", "f4", "hours before the last won gains"),
        Col("gains_day", "i4", "day the last won gains took effect (-1 none)", fill=-1),
        Col("attention", "f4", "media spotlight on the firm (decays)"),
        Col("cool_until", "i4", "Shenzhen cooling order: management may not escalate until then", fill=-1),
        Col("last_end", "i4", "day the firm's last strike ended", fill=-100000)),
        "zones": (Col("fear", "f4", "fear after repression in the zone (decays)"),)}
    params = PARAMS + M.PARAMS + R.PARAMS
    reads = ("firms.s_*", "firms.brand", "firms.attention", "labour_shortage", "media_independence",
             "repression", "cooling_days")
    writes = ("firms.s_*", "firms.base", "firms.ot", "firms.hours", "workers.status", "zones.fear",
              "zone success signals", "hometown signal")
    cites = "Hai Yan strike, blockade, coverage, negotiation, fine; 'temporary episodes of resistance'"

    def setup(self, w: World) -> None:
        self.cols = flow_cols(w, FLOWS)
        self.names = [p.name for p in PARAMS + M.PARAMS + R.PARAMS + D.PARAMS + MB.PARAMS] + [
            "min_wage", "standard_hours", "ot_premium_weekday", "labour_shortage", "media_independence"]
        self.idx = [w.params.index[n] for n in self.names]

    def step(self, w: World, day: int) -> None:
        f = w.firms
        if not (f.s_start >= 0).any():
            return
        P = w.params.values[self.idx]
        wk, z = w.workers, w.zones
        buf = w.firm_scratch(len(FLOWS))
        H = w.hsig.shape[0] // len(w.series.groups)
        _strikes(w.seed, day, P, H, w.zone_workers, w.home_workers, f.zone, f.sector, f.city, f.own, f.weight,
                 f.start, f.end, f.brand, f.union, f.headcount,
                 f.attention, f.cool_until, f.fire_day, f.base, f.ot, f.hours, f.dpw, f.base_old,
                 f.ot_old, f.hours_old, f.gains_day, f.s_start, f.s_size, f.s_peak, f.s_esc, f.s_cov,
                 f.s_off, f.s_mgmt, f.s_out, f.s_end, f.s_ignored, f.trig, z.fear, w.zsig, w.hsig,
                 wk.status, wk.flags, wk.since, wk.arrears, wk.home, wk.griev, wk.thresh, wk.ngo, buf)
        add_flows(w, buf, self.cols)
        ended = np.flatnonzero(f.s_end == 1)
        if len(ended):
            log_ended(w, ended, day)


def log_ended(w: World, ended: np.ndarray, day: int) -> None:
    """Append ended strikes to the strike log and clear the firms' strike state."""
    f = w.firms
    log = w.logs["strikes"]
    base0 = f.s_base0[ended].astype(np.float64)
    rows = {
        "strike": np.arange(log.n, log.n + len(ended)), "firm": ended, "zone": f.zone[ended],
        "city": f.city[ended], "start": f.s_start[ended], "end": np.full(len(ended), day),
        "peak": f.s_peak[ended], "workers_weighted": f.s_peak[ended] * f.weight[ended],
        "escalated": f.s_esc[ended], "covered": f.s_cov[ended], "official": f.s_off[ended],
        "management": f.s_mgmt[ended], "outcome": f.s_out[ended],
        "wage_change": np.where(base0 > 0, f.base[ended] / np.maximum(base0, 1e-9) - 1.0, 0.0),
        "ot_change": np.where(f.s_ot0[ended] > 0, f.ot[ended] / np.maximum(f.s_ot0[ended], 1e-9) - 1.0, 0.0),
        "cause": f.s_cause[ended], "weight": f.weight[ended],
    }
    log.append(rows)
    f.last_end[ended] = day
    f.trig[ended] = 0.0
    f.s_start[ended] = -1
    f.s_end[ended] = 0
    f.s_size[ended] = 0.0
