"""Unions (ACFTU): enrolment drives, 'bridge' branches that change nothing for their members, and
from 2008-08-01 in Shenzhen branches that may become representatives and bargain collectively.

Chapter: "In August 2003, a circular was issued by the ACFTU to urge migrant workers to join the
trade unions" (34 million joined within a month); the ACFTU "considers itself as a bridge between
labour and management ... unions generally have no choice but to side with the management";
"'Whether this trade union was created or not, it would have been exactly the same'"; after the
Wal-Mart battle of July 2006, "73 per cent of China foreign-owned and -invested enterprises had a
union branch in March 2008 and 51 per cent of migrant workers were already enrolled"; Shenzhen's
August 2008 regulations "explicitly promote 'collective bargaining' ... the role of the trade
union is to represent workers in negotiation with the management".

By design nothing else in the model reads a bridge branch or a membership card: bridge unions are
recorded, not effective. A representative branch bargains once a year (raise to at least the
minimum plus ``bargaining_raise``, legal overtime), helps complaints and strike settlements
(``representative_boost``) and channels grievances away from strikes (mobilisation).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..engine.calendar import MONTHLY
from ..engine.declare import Col, Flow
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C

PARS = (
    Param("union_branch_rate", 0.001, "1/month", "assumption", "monthly odds a firm without a branch "
          "sets one up (management-appointed bridge)", 0.0, 0.2),
    Param("union_branch_foreign", 0.0, "1/month", "chapter: 2006 push into foreign firms reaching 73% "
          "by March 2008 (events)", "added monthly odds for foreign-invested firms", 0.0, 0.5),
    Param("union_enrol_rate", 0.01, "1/month", "chapter: 2003 ACFTU call (event raises it)", "monthly "
          "odds a worker in a firm with a branch joins", 0.0, 1.0),
    Param("union_enrol_cap", 0.938, "share", "calibrated (docs/ODD.md 8.3; was 0.8); "
          "chapter: 51% of migrants in foreign firms enrolled by 2008",
          "membership share above which a branch stops recruiting", 0.0, 1.0),
    Param("union_representative", 0.0, "1/month", "chapter: Shenzhen regulations 2008-08-01 (event)",
          "monthly odds a bridge branch becomes a representative one", 0.0, 1.0),
    Param("bargaining_raise", 0.06, "share", "assumption", "yearly raise a representative branch obtains", 0.0, 0.3),
    Param("representative_boost", 2.0, "x", "chapter: unions 'represent workers in negotiation'",
          "complaint success multiplied in firms with a representative branch", 1.0, 10.0),
    Param("bargains_per_year", 1.0, "1/year", "assumption: collective contracts are renegotiated about "
          "once a year", "how often a representative branch bargains (monthly odds: this / 12)", 0.0, 12.0),
)
S_BR, S_EN, S_REP, S_CB = (stream_id(s) for s in ("union.branch", "union.enrol", "union.rep", "union.cb"))


@njit(parallel=True, cache=True)
def _unions(seed, day, p, fm, wk, out):
    # arrays written in the prange loop are bound first, one a statement (engine.declare)
    f_union = fm.union
    f_base = fm.base
    f_ot = fm.ot
    w_flags = wk.flags
    o_formed = out.union_branches_formed
    o_joined = out.union_joined
    o_rep = out.union_representative_formed
    o_bargains = out.collective_bargains
    kb, ke, kr, kc = key(seed, S_BR), key(seed, S_EN), key(seed, S_REP), key(seed, S_CB)
    for f in prange(fm.zone.shape[0]):
        z, s = fm.zone[f], fm.sector[f]
        if f_union[f] == C.U_NONE:
            odds = p.union_branch_rate[z, s] + (p.union_branch_foreign[z, s] if fm.own[f] == C.FOREIGN else 0.0)
            if uniform(kb, day, f) < odds:
                f_union[f] = C.U_BRIDGE
                o_formed[f] += 1.0
            else:
                continue
        elif f_union[f] == C.U_BRIDGE and uniform(kr, day, f) < p.union_representative[z, s]:
            f_union[f] = C.U_REP
            o_rep[f] += 1.0
        n = fm.end[f] - fm.start[f]
        members = 0.0
        for i in range(fm.start[f], fm.end[f]):
            if w_flags[i] & C.UNION:
                members += 1.0
        if members < p.union_enrol_cap[z, s] * n:
            joined = 0.0
            for i in range(fm.start[f], fm.end[f]):
                if not (w_flags[i] & C.UNION) and wk.status[i] == C.WORKING and \
                        uniform(ke, day, i) < p.union_enrol_rate[z, s]:
                    w_flags[i] |= C.UNION
                    joined += 1.0
            o_joined[f] += joined
        if f_union[f] == C.U_REP and uniform(kc, day, f) < p.bargains_per_year[z, s] / 12.0:
            mw = p.min_wage[z, s]
            nb = max(f_base[f], mw) * (1.0 + p.bargaining_raise[z, s])
            f_base[f] = nb
            lot = p.ot_premium_weekday[z, s] * nb / p.standard_hours[z, s]
            if f_ot[f] < lot:
                f_ot[f] = lot
            o_bargains[f] += 1.0


class Unions(Process):
    name = "unions"
    cadence = MONTHLY
    cites = "ACFTU 2003 call; 73% of foreign firms with a branch by March 2008; Shenzhen 2008 regulations"
    pars = PARS
    uses = ("min_wage", "ot_premium_weekday", "standard_hours")
    states = {"firms": (Col("union", "i1", "union branch: none, bridge, representative"),)}
    results = (Flow("union_branches_formed", "union branches set up", "firms per day"),
               Flow("union_joined", "workers joining the union", "workers per day"),
               Flow("union_representative_formed", "branches becoming representative", "firms per day"),
               Flow("collective_bargains", "collective bargains concluded", "firms per day"))
    # it also writes workers.flags (membership) and, when a representative branch bargains,
    # firms.base and firms.ot
    reads = ("firms.own", "firms.base", "firms.ot", "workers.status", "workers.flags")

    def setup(self, w: World) -> None:
        # members of the state firms' existing bridge branches at the start
        f, wk = w.firms, w.workers
        for fi in np.nonzero(f.union != C.U_NONE)[0]:  # firm slices: no population-sized mask
            wk.flags[f.start[fi]:f.end[fi]] |= np.uint8(C.UNION)

    def step(self, w: World, day: int) -> None:
        _unions(w.seed, day, self.p, w.firms.cols, w.workers.cols, self.flows())
        self.add_flows(w)
