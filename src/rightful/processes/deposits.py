"""Hiring deposits: firms that flout the law keep a deposit (yajin) from each worker they hire.

Chapter (a volunteer of the Shenzhen NGO): "Only after attending the classes did I know that
overtime should be paid, that when you get hired by a company you are not supposed to pay a
deposit to your employer but you are supposed to sign a work contract with him."

Mechanism: on its weekly turn, a firm whose propensity to comply with the law is below
``deposit_comply_below`` takes ``deposit_yuan`` from each worker it hired in the past week. The
employer holds the money: it is owed to the worker, so it adds to her arrears (which payroll
settles or not like any wages owed, and which grievance and claims read). The chapter documents
the practice but gives neither its prevalence nor its amount, so it is off by default
(``deposit_comply_below`` = 0): a lever for experiments, and the worked example of
docs/DEVELOPING.md (a process declared in one file and bound by the engine).
"""

from __future__ import annotations

from numba import njit

from ..engine.calendar import DAILY
from ..engine.declare import Flow
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World
from ..population import codes as C
from ._common import span

PARS = (
    Param("deposit_comply_below", 0.0, "0..1", "assumption: the chapter names the practice, not its "
          "prevalence; off by default", "firms whose compliance propensity is below this take deposits", 0.0, 1.0),
    Param("deposit_yuan", 300.0, "yuan", "assumption: about half a month's minimum wage of 2004",
          "deposit a firm keeps from each new hire", 0.0, 2000.0),
)


@njit(cache=True)
def _take_deposits(day, p, wk, fm, out):
    for f in range(fm.zone.shape[0]):
        if (day + f) % 7 != 0:  # the firm's weekly turn
            continue
        z, s = fm.zone[f], fm.sector[f]
        if fm.comply[f] >= p.deposit_comply_below[z, s]:
            continue
        amount = p.deposit_yuan[z, s]
        n = 0.0
        lo, hi = span(fm.start, fm.end, f)
        for i in range(lo, hi):
            if wk.status[i] == C.WORKING and day - wk.since[i] < 7:
                wk.arrears[i] += amount
                n += 1.0
        out.deposits_taken[f] += n
        out.deposits_yuan[f] += n * amount


class Deposits(Process):
    name = "deposits"
    cadence = DAILY  # each firm on its own weekly turn
    cites = ("'when you get hired by a company you are not supposed to pay a deposit to your employer' "
             "(a Shenzhen NGO volunteer)")
    pars = PARS
    results = (Flow("deposits_taken", "workers made to pay a hiring deposit", "workers"),
               Flow("deposits_yuan", "hiring deposits kept by employers", "yuan"))
    reads = ("workers.status", "workers.since", "firms.comply")

    def step(self, w: World, day: int) -> None:
        # nothing to do (and no buffer to clear) while no firm in any zone takes deposits
        if self.p.deposit_comply_below.max() <= 0.0:
            return
        _take_deposits(day, self.p, w.workers.cols, w.firms.cols, self.flows())
        self.add_flows(w)
