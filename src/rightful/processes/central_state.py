"""The central state's optional feedback ('consultative Leninism'): protest waves and NGO advocacy
meetings act as 'fire alarms' that raise the odds of a policy adjustment.

Chapter: advocacy meetings "enable top officials to gather field information ... somehow
functioning as 'fire alarms' intended to alert central authorities to the existence of serious
problems at the local level and helping them to design public policies"; "The Party has thus
striven to deal with social unrest by ... designing administrative adjustments". The central
state's dated promises, campaigns, statements and laws are scenario events on the parameters of
the processes that feel them (legitimacy, backpay_campaign, legal_training, repression, the
arbitration law's fee, limit and binding awards, contract_law, cooling_days). This process adds
only the endogenous part, off by default (``feedback_on = 0``): each month, with odds
``feedback_rate`` x (strikes started in the last ``feedback_window`` days per
``feedback_workers`` workers + ``feedback_advocacy`` x open paternalist NGOs), enforcement
(``comply_rate``) is raised by ``feedback_enforcement`` and legitimacy by ``feedback_legitimacy``
everywhere; each adjustment is logged.
"""

from __future__ import annotations

import numpy as np

from ..engine.calendar import MONTHLY
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import uniforms
from ..engine.world import World

PARS = (
    Param("feedback_on", 0.0, "0/1", "chapter: consultative Leninism; off by default (experiment)",
          "whether protest waves and advocacy can move policy", 0.0, 1.0),
    Param("feedback_rate", 0.05, "1/month", "assumption", "monthly odds scale of a policy adjustment", 0.0, 1.0),
    Param("feedback_enforcement", 1.2, "x", "assumption", "factor on comply_rate per adjustment", 1.0, 3.0),
    Param("feedback_legitimacy", 0.03, "0..1", "assumption", "legitimacy added per adjustment", 0.0, 0.2),
    Param("feedback_window", 30.0, "days", "assumption: a protest wave is what the last month brought",
          "days of strikes that count as the current protest wave", 1.0, 365.0),
    Param("feedback_workers", 1e4, "workers", "assumption: the wave is read as strikes per 10,000 workers",
          "workers per unit of the protest wave (larger: a wave of the same size alarms less)", 1e3, 1e6),
    Param("feedback_advocacy", 0.2, "per NGO", "chapter: advocacy meetings 'somehow functioning as fire "
          "alarms'; weight assumed", "weight of an open paternalist NGO (advocacy) against the protest wave",
          0.0, 2.0),
)
POLICY_LOG = {"day": "i4", "kind": "i1", "wave": "f8", "advocacy": "f8"}


class CentralState(Process):
    name = "central_state"
    cadence = MONTHLY
    cites = "'fire alarms' of consultative Leninism; administrative adjustments"
    pars = PARS
    # comply_rate and legitimacy are read and, on an adjustment, written (everywhere)
    uses = ("comply_rate", "legitimacy")
    reads = ("results.strikes_started (last feedback_window days)", "results.workers", "ngos.kind", "ngos.open")

    def step(self, w: World, day: int) -> None:
        p = self.p
        if p.feedback_on[0, 0] <= 0.0:
            return
        s = w.series
        lo = max(0, day - int(p.feedback_window[0, 0]))
        started = np.nansum(s.daily[lo:day, :, s.index["strikes_started"]])
        workers = np.nansum(s.daily[day - 1, :, s.index["workers"]]) if day > 0 else 1.0
        wave = started / max(workers / p.feedback_workers[0, 0], 1e-9)
        t = w.ngos
        adv = float(((t.kind == 1) & (t.open == 1)).sum())
        odds = p.feedback_rate[0, 0] * (wave + p.feedback_advocacy[0, 0] * adv)
        if uniforms(w.seed, "central.feedback", 1, day)[0] < odds:
            comply = p.comply_rate
            comply *= p.feedback_enforcement[0, 0]
            leg = p.legitimacy
            leg += p.feedback_legitimacy[0, 0]
            np.minimum(leg, 1.0, out=leg)
            w.logs["policy"].append({"day": np.array([day]), "kind": np.array([1]),
                                     "wave": np.array([wave]), "advocacy": np.array([adv])})
