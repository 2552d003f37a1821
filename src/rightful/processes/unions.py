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
from ..engine.declare import Col
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C
from ._common import add_flows, flow_cols, indices, pack

PARAMS = (
    Param("union_branch_rate", 0.001, "1/month", "assumption", "monthly odds a firm without a branch "
          "sets one up (management-appointed bridge)", 0.0, 0.2),
    Param("union_branch_foreign", 0.0, "1/month", "chapter: 2006 push into foreign firms reaching 73% "
          "by March 2008 (events)", "added monthly odds for foreign-invested firms", 0.0, 0.5),
    Param("union_enrol_rate", 0.01, "1/month", "chapter: 2003 ACFTU call (event raises it)", "monthly "
          "odds a worker in a firm with a branch joins", 0.0, 1.0),
    Param("union_enrol_cap", 0.8, "share", "chapter: 51% of migrants in foreign firms enrolled by 2008",
          "membership share above which a branch stops recruiting", 0.0, 1.0),
    Param("union_representative", 0.0, "1/month", "chapter: Shenzhen regulations 2008-08-01 (event)",
          "monthly odds a bridge branch becomes a representative one", 0.0, 1.0),
    Param("bargaining_raise", 0.06, "share", "assumption", "yearly raise a representative branch obtains", 0.0, 0.3),
    Param("representative_boost", 2.0, "x", "chapter: unions 'represent workers in negotiation'",
          "complaint success multiplied in firms with a representative branch", 1.0, 10.0),
)
I = indices(PARAMS)
BR, BRF, ENR, CAP, REP, RAISE, REPB = (I[p.name] for p in PARAMS)
MW, OTW, STD = len(PARAMS), len(PARAMS) + 1, len(PARAMS) + 2
FLOWS = ("union_branches_formed", "union_joined", "union_representative_formed", "collective_bargains")
S_BR, S_EN, S_REP, S_CB = (stream_id(s) for s in ("union.branch", "union.enrol", "union.rep", "union.cb"))


@njit(parallel=True, cache=True)
def _unions(seed, day, P, f_zone, f_sector, f_own, f_union, f_start, f_end, f_base, f_ot, w_status,
            w_flags, out):
    kb, ke, kr, kc = key(seed, S_BR), key(seed, S_EN), key(seed, S_REP), key(seed, S_CB)
    for f in prange(f_zone.shape[0]):
        z, s = f_zone[f], f_sector[f]
        if f_union[f] == C.U_NONE:
            p = P[BR, z, s] + (P[BRF, z, s] if f_own[f] == C.FOREIGN else 0.0)
            if uniform(kb, day, f) < p:
                f_union[f] = C.U_BRIDGE
                out[f, 0] += 1.0
            else:
                continue
        elif f_union[f] == C.U_BRIDGE and uniform(kr, day, f) < P[REP, z, s]:
            f_union[f] = C.U_REP
            out[f, 2] += 1.0
        n = f_end[f] - f_start[f]
        members = 0.0
        for i in range(f_start[f], f_end[f]):
            if w_flags[i] & C.UNION:
                members += 1.0
        if members < P[CAP, z, s] * n:
            joined = 0.0
            for i in range(f_start[f], f_end[f]):
                if not (w_flags[i] & C.UNION) and w_status[i] == C.WORKING and \
                        uniform(ke, day, i) < P[ENR, z, s]:
                    w_flags[i] |= C.UNION
                    joined += 1.0
            out[f, 1] += joined
        if f_union[f] == C.U_REP and uniform(kc, day, f) < 1.0 / 12.0:
            mw = P[MW, z, s]
            nb = max(f_base[f], mw) * (1.0 + P[RAISE, z, s])
            f_base[f] = nb
            lot = P[OTW, z, s] * nb / P[STD, z, s]
            if f_ot[f] < lot:
                f_ot[f] = lot
            out[f, 3] += 1.0


class Unions(Process):
    name = "unions"
    cadence = MONTHLY
    states = {"firms": (Col("union", "i1", "union branch: none, bridge, representative"),)}
    params = PARAMS
    reads = ("firms.union", "firms.own", "union_*")
    writes = ("firms.union", "workers.flags (union)", "firms.base (representative bargaining)")
    cites = "ACFTU 2003 call; 73% of foreign firms with a branch by March 2008; Shenzhen 2008 regulations"

    def setup(self, w: World) -> None:
        self.cols = flow_cols(w, FLOWS)
        # members of the state firms' existing bridge branches at the start
        f, wk = w.firms, w.workers
        for fi in np.nonzero(f.union != C.U_NONE)[0]:  # firm slices: no population-sized mask
            wk.flags[f.start[fi]:f.end[fi]] |= np.uint8(C.UNION)

    def step(self, w: World, day: int) -> None:
        P = np.concatenate([pack(w, PARAMS), w.params["min_wage"][None],
                            w.params["ot_premium_weekday"][None], w.params["standard_hours"][None]])
        f, wk = w.firms, w.workers
        buf = w.firm_scratch(len(FLOWS))
        _unions(w.seed, day, P, f.zone, f.sector, f.own, f.union, f.start, f.end, f.base, f.ot,
                wk.status, wk.flags, buf)
        add_flows(w, buf, self.cols)
