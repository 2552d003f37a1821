"""Grievance and trust: the gap between what the law promises and what a worker gets, weighted
by her awareness and by the legitimacy the state's promises lend the claim, plus arrears and
uncompensated injuries; trust in the central and the local state.

Chapter: "Individuals resort to actions ... when changing political conditions abet the rise of
new and previously unacceptable forms of contention"; the Centre's documents "basically
acknowledged migrant workers' right to have rights" (legitimacy); "Workers thus started to show a
growing distrust of the capacity of the Party-state to implement its policies"; "the legalisation
drive encouraged the rise of new claims when migrants realised that promises could not be kept".
Trust in the centre rises toward what its promises signal and erodes with the perceived gap;
trust in the local state erodes with the perceived gap and moves with claim outcomes (claims).

Cadence: a firm's workers are re-assessed on the firm's weekly turn (day + firm index divisible by
7; trust then moves by seven days' rates), and every day while a news pulse is fresh in the zone,
so that grievance follows awareness day by day when a new entitlement is spreading. Pay, arrears
and injuries change at most monthly, so the weekly turn loses nothing else; it is what keeps this
process affordable at one agent per worker.
"""

from __future__ import annotations

from numba import njit, prange

from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World
from ..population import codes as C
from ._common import indices, pack, span

PARAMS = (
    Param("legitimacy", 0.3, "0..1", "chapter: central notices of 2003, 2004, 2006 and the 2008 laws "
          "(events raise it)", "legitimacy the state's promises lend to claims", 0.0, 1.0),
    Param("weight_gap", 1.6, "grievance/unit gap", "assumption", "weight of the perceived pay gap", 0.0, 5.0),
    Param("weight_arrears", 0.6, "grievance per month owed",
          "assumption; chapter: 'growing discontent over unpaid wages'",
          "weight of wages owed, relative to arrears_full months of the legal minimum, capped at 1", 0.0, 3.0),
    Param("arrears_full", 3.0, "months", "assumption", "wages owed (in months of the legal minimum) at "
          "which the arrears term reaches its full weight", 0.5, 24.0),
    Param("weight_injury", 0.4, "grievance", "assumption; chapter: 'absence of social security or "
          "support ... in case of work injuries'", "weight of an uninsured injury", 0.0, 2.0),
    Param("contract_law", 0.0, "0..1", "chapter: Labour Contract Law 2008-01-01 (event)",
          "whether a written contract is a legal entitlement", 0.0, 1.0),
    Param("weight_contract", 0.1, "grievance", "assumption", "weight of a missing contract once the "
          "law requires one", 0.0, 1.0),
    Param("trust_central_rate", 0.004, "1/day", "assumption", "daily pull of trust in the centre "
          "toward legitimacy", 0.0, 0.05),
    Param("trust_erosion_central", 0.0008, "1/day", "assumption; chapter: 'growing distrust'",
          "daily erosion of trust in the centre per unit perceived gap", 0.0, 0.01),
    Param("trust_erosion_local", 0.0015, "1/day", "assumption", "daily erosion of trust in the "
          "local state per unit perceived gap", 0.0, 0.02),
    Param("trust_local_recovery", 0.001, "1/day", "assumption", "daily pull of local trust back to "
          "its initial level", 0.0, 0.02),
)
I = indices(PARAMS)
LEG, WG, WA, AFULL, WI, CLAW, WC, TCR, TEC, TEL, TLR = (I[p.name] for p in PARAMS)
MW = len(PARAMS)
TL0 = MW + 1


@njit(parallel=True, cache=True)
def _grieve(day, P, z_news, f_zone, f_sector, f_start, f_end, w_status, w_aware, w_gap, w_arrears, w_flags,
            w_griev, w_trust_c, w_trust_l):
    for f in prange(f_zone.shape[0]):
        z, s = f_zone[f], f_sector[f]
        # each firm's workers are re-assessed on its weekly turn, and every day while news of an
        # entitlement is fresh in the zone (grievance then moves with awareness day by day)
        turn = (day + f) % 7 == 0
        if not turn and z_news[z] < 0.01:
            continue
        dt = 7.0 if turn else 0.0  # trust moves by a week's worth on the weekly turn only
        # parameters read once per firm: the stores below could alias P, so the compiler would
        # otherwise reload every one of them for every worker
        leg = P[LEG, z, s]
        wg = P[WG, z, s]
        wa = P[WA, z, s]
        owed_unit = P[MW, z, s] * P[AFULL, z, s]
        wi = P[WI, z, s]
        contract = P[WC, z, s] * P[CLAW, z, s]  # zero until the Labour Contract Law
        tcr, tec, tel, tlr, tl0 = P[TCR, z, s], P[TEC, z, s], P[TEL, z, s], P[TLR, z, s], P[TL0, z, s]
        lo, hi = span(f_start, f_end, f)
        for i in range(lo, hi):
            st = w_status[i]
            if st != C.WORKING and st != C.STRIKING:
                continue
            a = w_aware[i]
            perceived = a * w_gap[i]
            owed = w_arrears[i] / owed_unit
            if owed > 1.0:
                owed = 1.0
            # a claim is 'rightful' only as far as the state's promises make it legitimate, for
            # unpaid wages as for underpayment (migrants 'were rather wary about voicing their claims')
            g = leg * (wg * perceived + wa * owed)
            fl = w_flags[i]
            if (fl & C.INJURED) and not (fl & C.INSURED):
                g += wi
            if contract > 0.0 and not (fl & C.CONTRACT):
                g += contract * a
            w_griev[i] = g
            if dt == 0.0:
                continue
            tc = w_trust_c[i] + dt * (tcr * (leg - w_trust_c[i]) - tec * perceived)
            tl = w_trust_l[i] + dt * (tlr * (tl0 - w_trust_l[i]) - tel * perceived)
            w_trust_c[i] = min(1.0, max(0.0, tc))
            w_trust_l[i] = min(1.0, max(0.0, tl))


class Grievance(Process):
    name = "grievance"
    params = PARAMS
    reads = ("workers.aware", "workers.gap", "workers.arrears", "workers.flags", "legitimacy")
    writes = ("workers.griev", "workers.trust_c", "workers.trust_l")
    cites = ("'the legalisation drive encouraged the rise of new claims when migrants realised that promises "
             "could not be kept'")

    def step(self, w: World, day: int) -> None:
        import numpy as np

        P = np.concatenate([pack(w, PARAMS), w.params["min_wage"][None],
                            w.params["trust_local_init"][None]])
        f, wk = w.firms, w.workers
        _grieve(day, P, w.zones.news, f.zone, f.sector, f.start, f.end, wk.status, wk.aware, wk.gap, wk.arrears,
                wk.flags, wk.griev, wk.trust_c, wk.trust_l)
