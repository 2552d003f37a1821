"""Grievance and trust: the gap between what the law promises and what a worker gets, weighted
by her awareness and by her trust in the centre's word, plus arrears and uncompensated injuries;
trust in the central and the local state.

Chapter: "Individuals resort to actions ... when changing political conditions abet the rise of
new and previously unacceptable forms of contention"; the Centre's documents "basically
acknowledged migrant workers' right to have rights" (legitimacy); "Workers thus started to show a
growing distrust of the capacity of the Party-state to implement its policies"; "the legalisation
drive encouraged the rise of new claims when migrants realised that promises could not be kept".
Trust in the centre rises toward what its promises signal (``legitimacy``) and erodes with the
perceived gap; trust in the local state erodes with the perceived gap and moves with claim
outcomes (claims).

The promises act through a worker's trust, not as a gate: a claim is 'rightful' (made in the
state's own words) as far as she believes the centre means them. Before the promises migrants
"were rather wary about voicing their claims"; "Migrants now stick to the state's promise to rule
according to the law and protect their rights to put it to the test by using its own rhetoric".
So the pay gap and the wages owed weigh on her grievance (read by claims, strikes and quits) in
proportion to her trust in the centre, which the promises pull up over months and the gap she
perceives wears down. Awareness (information: training, news) and the back-pay campaigns
(payroll) are the promises' other two channels, each its own parameter. Trust in the local state
is read where she decides how to act on the grievance: claims (the legal channel), mobilisation
(the street) and the labour market (quitting).

Cadence: a firm's workers are re-assessed on the firm's weekly turn (day + firm index divisible by
7; trust then moves by seven days' rates), and every day while a news pulse is fresh in the zone,
so that grievance follows awareness day by day when a new entitlement is spreading. Pay, arrears
and injuries change at most monthly, so the weekly turn loses nothing else; it is what keeps this
process affordable at one agent per worker.
"""

from __future__ import annotations

from numba import njit, prange

from ..engine.declare import Col
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World
from ..population import codes as C
from ._common import span

PARS = (
    Param("legitimacy", 0.3, "0..1", "chapter: central notices of 2003, 2004, 2006 and the 2008 laws "
          "(events raise it)", "legitimacy the state's promises signal: the level toward which trust in the "
          "centre is pulled", 0.0, 1.0),
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
    Param("news_fresh", 0.01, "0..1", "assumption: below this a zone's news pulse has faded",
          "freshness of a zone's news above which its workers are re-assessed every day, not weekly", 0.0, 1.0),
)


@njit(parallel=True, cache=True)
def _grieve(day, p, wk, fm, zn):
    griev, trust_c, trust_l = wk.griev, wk.trust_c, wk.trust_l  # written in prange: bound first (engine.declare)
    for f in prange(fm.zone.shape[0]):
        z, s = fm.zone[f], fm.sector[f]
        # each firm's workers are re-assessed on its weekly turn, and every day while news of an
        # entitlement is fresh in the zone (grievance then moves with awareness day by day)
        turn = (day + f) % 7 == 0
        if not turn and zn.news[z] < p.news_fresh[z, s]:
            continue
        dt = 7.0 if turn else 0.0  # trust moves by a week's worth on the weekly turn only
        # parameters read once per firm: the stores below could alias them, so the compiler would
        # otherwise reload every one of them for every worker
        leg = p.legitimacy[z, s]  # what the promises signal: read through each worker's trust below
        wg = p.weight_gap[z, s]
        wa = p.weight_arrears[z, s]
        owed_unit = p.min_wage[z, s] * p.arrears_full[z, s]
        wi = p.weight_injury[z, s]
        contract = p.weight_contract[z, s] * p.contract_law[z, s]  # zero until the Labour Contract Law
        tcr, tec = p.trust_central_rate[z, s], p.trust_erosion_central[z, s]
        tel, tlr, tl0 = p.trust_erosion_local[z, s], p.trust_local_recovery[z, s], p.trust_local_init[z, s]
        lo, hi = span(fm.start, fm.end, f)
        for i in range(lo, hi):
            st = wk.status[i]
            if st != C.WORKING and st != C.STRIKING:
                continue
            a = wk.aware[i]
            perceived = a * wk.gap[i]
            owed = wk.arrears[i] / owed_unit
            if owed > 1.0:
                owed = 1.0
            # a claim is 'rightful' only as far as she trusts the centre to mean its promises, for
            # unpaid wages as for underpayment (migrants 'were rather wary about voicing their claims')
            g = trust_c[i] * (wg * perceived + wa * owed)
            fl = wk.flags[i]
            if (fl & C.INJURED) and not (fl & C.INSURED):
                g += wi
            if contract > 0.0 and not (fl & C.CONTRACT):
                g += contract * a
            griev[i] = g
            if dt == 0.0:
                continue
            tc = trust_c[i] + dt * (tcr * (leg - trust_c[i]) - tec * perceived)
            tl = trust_l[i] + dt * (tlr * (tl0 - trust_l[i]) - tel * perceived)
            trust_c[i] = min(1.0, max(0.0, tc))
            trust_l[i] = min(1.0, max(0.0, tl))


class Grievance(Process):
    name = "grievance"
    cites = ("'the legalisation drive encouraged the rise of new claims when migrants realised that promises "
             "could not be kept'")
    pars = PARS
    uses = ("min_wage", "trust_local_init")
    states = {"workers": (Col("griev", "f4", "grievance, 0..~2"),
                          Col("trust_c", "f4", "trust in the central state, 0..1"),
                          Col("trust_l", "f4", "trust in the local state, 0..1"))}
    reads = ("workers.aware", "workers.gap", "workers.arrears", "workers.flags", "zones.news")

    def step(self, w: World, day: int) -> None:
        _grieve(day, self.p, w.workers.cols, w.firms.cols, w.zones.cols)
