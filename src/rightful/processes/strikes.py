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

from ..engine.declare import Col, Flow
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C
from . import delegations as DG
from . import diffusion as D
from . import fear as FE
from . import media as M
from . import mobilisation as MB
from . import responses as R

PARS = (
    Param("escalate_base", 0.6, "1/day", "chapter: Hai Yan took to the streets on day two when ignored",
          "daily odds an ignored strike takes to the street, times min(escalate_size_cap, escalate_size_base + "
          "strikers / escalate_size_unit)", 0.0, 1.0),
    Param("escalate_after", 1.0, "days", "chapter: Hai Yan, 'the morning of the second day'",
          "days of being ignored before escalation is possible", 0.0, 30.0),
    Param("attrition", 0.12, "1/day", "assumption; chapter: strikes are short", "daily odds a "
          "striker goes back to work, times (attrition_base + attrition_repression x repression odds)", 0.0, 1.0),
    Param("strike_max_days", 21.0, "days", "assumption", "longest a strike lasts", 1.0, 120.0),
    Param("fear_step", 200.0, "fear", "assumption: about the fear a repressed strike of 35 added at the scale "
          "(0.01) the earlier model was set at; chapter: 'in the past ... a harsh approach towards labour "
          "protests, often detaining their leaders'", "fear added per unit share of the city's workers (of the "
          "zone's, for the share 1 - fear_city) in repressed strikes (fed daily from the odds of repression, "
          "docs/ODD.md 7.7)", 0.0, 5000.0),
    Param("paternalist_restraint", 5.0, "x", "chapter: Beijing NGOs 'admit that one of their aims is to prevent "
          "workers from taking to the streets'; size assumed (each contact speaks for a handful of co-workers)",
          "escalation odds times (1 - min(1, this x share of the firm's workers in contact with a paternalist NGO))",
          0.0, 50.0),
    Param("escalate_size_cap", 2.0, "x", "assumption: larger strikes go out more readily, up to a point "
          "(chapter: Hai Yan's 3,000 blocked the highway)", "largest size factor of the escalation odds", 0.0, 10.0),
    Param("escalate_size_base", 0.5, "x", "assumption (as escalate_size_cap)", "size factor of the escalation "
          "odds of the smallest strike", 0.0, 2.0),
    Param("escalate_size_unit", 1000.0, "workers", "assumption (as escalate_size_cap)", "strikers that add one "
          "to the size factor of the escalation odds", 10.0, 100000.0),
    Param("attrition_base", 0.1, "x", "assumption; chapter: actions 'evolved from being forbidden ... to "
          "being tolerated', so strikes lengthen after 2005-2006", "attrition factor without repression", 0.0, 2.0),
    Param("attrition_repression", 2.0, "x", "assumption (as attrition_base)", "weight of the repression odds "
          "in the attrition factor", 0.0, 10.0),
    Param("strike_end_min", 2.0, "workers", "assumption", "a strike ends when fewer strikers remain than this "
          "(or than strike_end_share of its peak)", 0.0, 100.0),
    Param("strike_end_share", 0.25, "share", "assumption; chapter: strikes 'remain temporary episodes'",
          "a strike ends when fewer than this share of its peak still strike", 0.0, 1.0),
    Param("leaderless_attrition", 1.0, "x", "assumption; chapter: 'in the past ... a harsh approach towards "
          "labour protests, often detaining their leaders'", "attrition odds times (1 + this) once a strike has "
          "lost its leaders (detained or fired); leaders themselves hold out", 0.0, 10.0),
    Param("fear_city", 1.0, "share", "assumption: the police are the city's, and news of a strike broken up "
          "travels across the city (docs/ODD.md 7.7)", "share of a repressed strike's fear felt across its "
          "city's workers (the rest in its own district)", 0.0, 1.0),
    Param("fear_region", 0.0, "share", "off until the model is re-calibrated with it (0.5 failed facts "
          "4 and 8 and the organised-strikes test, stop 22); assumption: the climate after a strike "
          "is broken up is the region's "
          "as well as the city's (chapter: 'in the past, local governments had adopted a harsh approach towards "
          "labour protests'); also the design that keeps a small run's fear from being noisier than the "
          "region's (docs/ODD.md 7.7 point 4)", "share of a repressed strike's fear felt across the whole "
          "region's workers (of the rest, fear_city over its city's, the remainder over its district's)",
          0.0, 1.0),
    Param("police_fear", 0.5, "share", "assumption: police called by management frighten less than "
          "repression by officials", "zone fear added when management calls the police, as a share of "
          "fear_step", 0.0, 2.0),
)
RESULTS = (
    Flow("strikes_ended", "strikes ended", "strikes per day"),
    Flow("strikes_won", "strikes won", "strikes per day"),
    Flow("strikes_partial", "strikes partly won", "strikes per day"),
    Flow("strikes_lost", "strikes lost", "strikes per day"),
    Flow("escalated", "strikes that took to the street", "strikes per day"),
    Flow("covered", "strikes the press began to cover", "strikes per day"),
    Flow("repressed", "strikes repressed by officials", "strikes per day"),
    Flow("negotiated", "strikes settled by officials' negotiation", "strikes per day"),
    Flow("detentions", "strike leaders detained", "workers per day"),
    D.FIRED,
    Flow("fines", "fines imposed on firms by officials who settled a strike", "yuan per day"),
    Flow("insured_by_settlement", "workers insured by a settlement officials enforced", "workers per day"),
    Flow("organised_strikes", "strikes led by a delegation that bargains collectively (counted when they end)",
         "strikes per day"),
    Flow("union_demands", "won strikes whose delegation demanded an elected union head", "strikes per day"),
    Flow("unions_top_down", "union branches set up top-down after such a demand", "firms per day"),
    Flow("strike_days", "worker-days on strike", "worker-days per day"),
    # also written by payroll: declared as payroll's FLOWS name it, until payroll declares its results
    Flow("arrears_repaid", "arrears repaid", "per day"),
)
S_COV, S_ESC, S_OFF, S_OFF2, S_MGMT, S_ATTR, S_LFIRE, S_LFIRE_DAY, S_OFF3, S_COV2 = (stream_id(s) for s in (
    "strike.coverage", "strike.escalate", "strike.official", "strike.official2", "strike.management",
    "strike.attrition", "strike.later_firing", "strike.later_firing_day", "strike.official3",
    "strike.coverage_outspoken"))
S_UNION = stream_id("strike.union_demand")
HELPERS = (M.Media, R.Responses, DG.Delegations)  # units run inside this one: their parameters are read here by name
MOBILISATION_USES = ("fear_weight", "repression_deterrence", "trigger_amplify", "peer_weight", "paternalist_calm",
                     "autonomy_organise", "organiser_effect", "strike_visible", "experience_effect",
                     "experience_full", "street_distrust", "trust_local_init")  # recruitment (MB.join_strike)
DIFFUSION_USES = ("visibility", "coverage_boost", "hometown_weight", "partial_signal", "later_firing",
                  "later_firing_days")  # news of the outcome (D.signal_odds, D.schedule_later_firing)


@njit(cache=True, inline="always")
def _remove_leaders(f, day, fm, wk, code):
    """Take the strike's leaders out of work: detained (``code`` DETAINED) or fired (SEEKING)."""
    n = 0.0
    for i in range(fm.start[f], fm.end[f]):
        if wk.flags[i] & C.LEADER and (wk.status[i] == C.STRIKING or wk.status[i] == C.WORKING):
            wk.status[i] = code
            wk.since[i] = day
            wk.flags[i] &= ~np.uint8(C.LEADER)
            n += 1.0
    fm.s_lead[f] = 0  # the strike has lost its leaders
    return n


@njit(cache=True, inline="always")
def _escalates(f, day, size, ke, p, z, s, fm, wk):
    """Does an ignored strike take to the street today? Larger strikes go out more readily; workers
    in contact with a paternalist NGO talk their co-workers out of it."""
    pe = p.escalate_base[z, s] * min(p.escalate_size_cap[z, s], p.escalate_size_base[z, s] +
                                     size / p.escalate_size_unit[z, s])
    u = uniform(ke, day, f)
    if u < pe and p.paternalist_restraint[z, s] > 0.0:
        # (counted only when the strike would otherwise go out: the restraint only lowers pe)
        n_emp = 0
        n_pat = 0
        for i in range(fm.start[f], fm.end[f]):
            if wk.status[i] == C.STRIKING or wk.status[i] == C.WORKING:
                n_emp += 1
                n_pat += wk.ngo[i] == 1
        if n_pat > 0:
            pe *= 1.0 - min(1.0, p.paternalist_restraint[z, s] * n_pat / n_emp)
    return u < pe


@njit(cache=True, _nrt=False)  # allocates nothing: no reference counting (_common.block)
def _strikes(seed, day, H, p, fm, wk, zn, ht, out):
    kc, ke, ko, ko2, km, ka = (key(seed, S_COV), key(seed, S_ESC), key(seed, S_OFF), key(seed, S_OFF2),
                               key(seed, S_MGMT), key(seed, S_ATTR))
    kl, kld, ko3, kc2 = key(seed, S_LFIRE), key(seed, S_LFIRE_DAY), key(seed, S_OFF3), key(seed, S_COV2)
    ku = key(seed, S_UNION)
    ended = 0
    for f in range(fm.zone.shape[0]):
        if fm.s_start[f] < 0 or fm.s_end[f] != 0:
            continue
        z, s = fm.zone[f], fm.sector[f]
        d = day - fm.s_start[f]
        size = fm.s_size[f]
        out.strike_days[f] += size
        # the press: the local papers, or an outspoken outlet and then the local papers
        if fm.s_cov[f] < 2:
            press = M.cover(uniform(kc, day, f), uniform(kc2, day, f), p, z, s, size, fm.s_esc[f], fm.s_cov[f])
            if press != fm.s_cov[f]:
                if fm.s_cov[f] == 0:
                    out.covered[f] += 1.0
                fm.s_cov[f] = press
                fm.attention[f] = 1.0
        cov = 1 if fm.s_cov[f] > 0 else 0
        cpress = M.pressure(p, z, s, fm.s_cov[f])
        # escalation of an ignored strike to the street
        if fm.s_esc[f] == 0 and fm.s_ignored[f] >= int(p.escalate_after[z, s]):
            if _escalates(f, day, size, ke, p, z, s, fm, wk):
                fm.s_esc[f] = 1
                out.escalated[f] += 1.0
        outcome = C.O_ONGOING
        enforce = False
        cooling = p.cooling_days[z, s] > 0 and size >= p.cooling_min_size[z, s] and d < p.cooling_days[z, s]
        if cooling:
            fm.cool_until[f] = fm.s_start[f] + int(p.cooling_days[z, s])
        # officials
        # as protest becomes tolerated, officials are in less of a hurry to end it (chapter: strikes
        # went from 'forbidden' to 'tolerated and now nearly accepted and contained')
        urgency = R.urgency(p, z, s)
        # what the strikes this one stands for teach the zone today: fear from their odds of being
        # repressed, news from their odds of a win (a sampled strike is ``weight`` strikes of the
        # region, answered on different days; docs/ODD.md 7.7)
        lev = R.leverage(p, z, s, fm.brand[f], fm.attention[f], fm.union[f], fm.s_org[f])
        p_rep, p_pol, p_won, p_part, p_fine = R.day_odds(p, z, s, urgency, lev, cooling, cov, cpress, fm.s_esc[f])
        FE.add(z, s, p.fear_step[z, s] * (p_rep + p.police_fear[z, s] * p_pol) * size * fm.weight[f], p, zn)
        # an exemplary fine deters the zone's other firms (fed from its odds, as fear is)
        zw = zn.workers[z, 0] + zn.workers[z, 1] + zn.workers[z, 2]
        zn.deter[z] += p.fine_deter_zone[z, s] * p_fine * fm.headcount[f] * fm.weight[f] / max(zw, 1.0)
        D.signal_odds(f, p_won, p_part, fm.city[f] * H, p, z, s, fm, wk, zn, ht)
        if R.official_intervenes(uniform(ko, day, f), p, z, s, urgency, cpress, fm.s_esc[f]):
            talk = True
            if R.officials_repress(uniform(ko2, day, f), p, z, s, cov):
                out.repressed[f] += 1.0
                out.detentions[f] += _remove_leaders(f, day, fm, wk, C.DETAINED)
                # the police force the strikers back; officials may still negotiate (Hai Yan)
                talk = uniform(ko3, day, f) < R.talk_after_force_odds(p, z, s, cov, fm.s_esc[f])
                fm.s_off[f] = C.OF_FORCE_TALK if talk else C.OF_REPRESS
                if not talk:
                    outcome = C.O_LOST
            else:
                fm.s_off[f] = C.OF_NEGOTIATE
            if talk:
                out.negotiated[f] += 1.0
                out.fines[f] += p.fine_per_worker[z, s] * fm.headcount[f]
                fm.comply[f] += p.fine_deter_firm[z, s] * (1.0 - fm.comply[f])  # the fined firm is deterred
                outcome = C.O_WON
                enforce = True
        else:
            if fm.s_off[f] == C.OF_NONE:
                fm.s_off[f] = C.OF_IGNORE
        # management
        if outcome == C.O_ONGOING:
            a = R.management_answer(uniform(km, day, f), p, z, s, urgency, lev, cooling)
            if a != C.M_NONE:
                fm.s_mgmt[f] = a
            if a == C.M_CONCEDE:
                outcome = C.O_WON
            elif a == C.M_PARTIAL:
                outcome = C.O_PARTIAL
            elif a == C.M_FIRE:
                nfired = _remove_leaders(f, day, fm, wk, C.SEEKING)
                out.fired[f] += nfired
                size -= nfired
            elif a == C.M_POLICE:
                out.detentions[f] += _remove_leaders(f, day, fm, wk, C.DETAINED)
                outcome = C.O_LOST
            else:
                fm.s_ignored[f] += 1
        # recruitment through the firm, then attrition
        if outcome == C.O_ONGOING:
            fear = (1.0 + p.fear_weight[z, s] * zn.fear[z]) * \
                (1.0 + p.repression_deterrence[z, s] * p.repression[z, s])
            hc = fm.headcount[f] if fm.headcount[f] > 0 else 1
            size += MB.join_strike(f, z, s, size / hc, fear, p, fm, wk)
            if size > fm.s_peak[f]:
                fm.s_peak[f] = size
            n = 0.0
            # strikers hold out longer as protest is tolerated (chapter: actions 'evolved from being
            # forbidden ... to being tolerated'), so strikes lengthen after 2005-2006
            pa = p.attrition[z, s] * (p.attrition_base[z, s] + p.attrition_repression[z, s] * p.repression[z, s])
            if fm.s_lead[f] == 0:  # without its leaders a strike falls apart sooner
                pa *= 1.0 + p.leaderless_attrition[z, s]
            for i in range(fm.start[f], fm.end[f]):
                if wk.status[i] == C.STRIKING:
                    if not (wk.flags[i] & C.LEADER) and uniform(ka, day, i) < pa:
                        wk.status[i] = C.WORKING
                    else:
                        n += 1.0
            size = n
            if size < max(p.strike_end_min[z, s], p.strike_end_share[z, s] * fm.s_peak[f]) or \
                    d + 1 >= p.strike_max_days[z, s]:
                outcome = C.O_LOST
        fm.s_size[f] = size
        if outcome == C.O_ONGOING:
            continue
        R.apply_outcome(f, day, outcome, enforce, p, z, s, fm, wk, out)
        if fm.s_org[f]:
            out.organised_strikes[f] += 1.0
            if outcome == C.O_WON:
                # the delegation demands a union with an elected head (Yantian): seldom granted;
                # where the firm has no branch, management and the federation set one up top-down
                out.union_demands[f] += 1.0
                fm.union[f], top_down = DG.union_after_demand(uniform(ku, day, f), p, z, s, fm.union[f])
                if top_down:
                    out.unions_top_down[f] += 1.0
        fm.s_out[f] = outcome
        fm.s_end[f] = 1
        ended += 1
        out.strikes_ended[f] += 1.0
        if outcome == C.O_WON:
            out.strikes_won[f] += 1.0
        elif outcome == C.O_PARTIAL:
            out.strikes_partial[f] += 1.0
        else:
            out.strikes_lost[f] += 1.0
        if outcome != C.O_LOST:
            D.schedule_later_firing(f, day, uniform(kl, day, f), uniform(kld, day, f), p, z, s,
                                    fm)
        for i in range(fm.start[f], fm.end[f]):
            if wk.status[i] == C.STRIKING:
                wk.status[i] = C.WORKING
                if wk.exp[i] < 100:  # she has taken part in one more strike (mobilisation reads it)
                    wk.exp[i] += 1
    return ended


@njit(cache=True)
def _any_active(s_start):
    for f in range(s_start.shape[0]):
        if s_start[f] >= 0:
            return True
    return False


def _uses() -> tuple[str, ...]:
    names = [q.name for u in HELPERS for q in u.pars] + [n for u in HELPERS for n in u.uses]
    names += list(MOBILISATION_USES) + list(DIFFUSION_USES) + ["repression"]
    own = {q.name for q in PARS}
    return tuple(n for n in dict.fromkeys(names) if n not in own)


class Strikes(Process):
    name = "strikes"
    pars = PARS
    uses = _uses()
    states = {"firms": (
        Col("s_start", "i4", "day the firm's active strike started (-1 none)", fill=-1),
        Col("s_size", "f4", "strikers now"), Col("s_peak", "f4", "peak strikers"),
        Col("s_esc", "i1", "escalated to the street"),
        Col("s_cov", "i1", "press: 0 none, 1 local papers, 2 an outspoken outlet (and the local papers)"),
        Col("s_off", "i1", "officials' response"), Col("s_mgmt", "i1", "management's answer"),
        Col("s_out", "i1", "outcome"), Col("s_end", "i1", "ended today"), Col("s_cause", "i1", "what lit it"),
        Col("s_base0", "f4", "base wage when it started"), Col("s_ot0", "f4", "overtime rate when it started"),
        Col("s_ignored", "i2", "days ignored by officials and management"),
        Col("s_lead", "i2", "the strike's leaders still on strike"),
        Col("s_org", "i1", "led by an organised delegation that bargains collectively"),
        Col("base_old", "f4", "base wage before the last won gains"),
        Col("ot_old", "f4", "overtime rate before the last won gains"),
        Col("hours_old", "f4", "hours before the last won gains"),
        Col("gains_day", "i4", "day the last won gains took effect (-1 none)", fill=-1),
        Col("attention", "f4", "media spotlight on the firm (decays)"),
        Col("cool_until", "i4", "Shenzhen cooling order: management may not escalate until then", fill=-1),
        Col("last_end", "i4", "day the firm's last strike ended", fill=-100000)),
        "zones": (Col("fear", "f4", "fear after repression in the zone (decays)"),
                  Col("deter", "f4", "deterrence after officials' fines in the zone (decays)"))}
    results = RESULTS
    reads = ("firms.brand", "firms.union", "firms.headcount", "firms.trig", "firms.base", "firms.ot", "firms.hours",
             "firms.dpw", "firms.comply", "workers.status", "workers.flags", "workers.griev", "workers.trust_l",
             "workers.thresh", "workers.ngo", "workers.home", "workers.arrears", "workers.exp", "zones.workers",
             "zones.city", "hometowns.workers")
    cites = "Hai Yan strike, blockade, coverage, negotiation, fine; 'temporary episodes of resistance'"

    def setup(self, w: World) -> None:
        self.H = w.hometowns.n // len(w.series.groups)  # hometown rows per city

    def step(self, w: World, day: int) -> None:
        f = w.firms
        if not _any_active(f.s_start):
            return
        out = self.flows()
        ended = _strikes(w.seed, day, self.H, self.p, f.cols, w.workers.cols, w.zones.cols, w.hometowns.cols, out)
        self.add_flows(w)
        if ended:
            log_ended(w, np.flatnonzero(f.s_end == 1), day)


def log_ended(w: World, ended: np.ndarray, day: int) -> None:
    """Append ended strikes to the strike log and clear the firms' strike state."""
    f = w.firms
    log = w.logs["strikes"]
    base0 = f.s_base0[ended].astype(np.float64)
    rows = {
        "strike": np.arange(log.n, log.n + len(ended)), "firm": ended, "zone": f.zone[ended],
        "city": f.city[ended], "start": f.s_start[ended], "end": np.full(len(ended), day),
        "peak": f.s_peak[ended], "workers_weighted": f.s_peak[ended] * f.weight[ended],
        "escalated": f.s_esc[ended], "covered": (f.s_cov[ended] > 0).astype(np.int8), "press": f.s_cov[ended],
        "organised": f.s_org[ended],
        "official": f.s_off[ended],
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
