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
``feedback_rate`` x (strikes started in the last 30 days per 10,000 workers + 0.2 x open
paternalist NGOs), enforcement (``comply_rate``) is raised by ``feedback_enforcement`` and
legitimacy by ``feedback_legitimacy`` everywhere; each adjustment is logged.
"""

from __future__ import annotations

import numpy as np

from ..engine.calendar import MONTHLY
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World
from ._common import indices, pack

PARAMS = (
    Param("feedback_on", 0.0, "0/1", "chapter: consultative Leninism; off by default (experiment)",
          "whether protest waves and advocacy can move policy", 0.0, 1.0),
    Param("feedback_rate", 0.05, "1/month", "assumption", "monthly odds scale of a policy adjustment", 0.0, 1.0),
    Param("feedback_enforcement", 1.2, "x", "assumption", "factor on comply_rate per adjustment", 1.0, 3.0),
    Param("feedback_legitimacy", 0.03, "0..1", "assumption", "legitimacy added per adjustment", 0.0, 0.2),
)
I = indices(PARAMS)
ON, RATE, ENF, LEG = (I[p.name] for p in PARAMS)
POLICY_LOG = {"day": "i4", "kind": "i1", "wave": "f8", "advocacy": "f8"}


class CentralState(Process):
    name = "central_state"
    cadence = MONTHLY
    params = PARAMS
    reads = ("strikes_started (last 30 days)", "ngos.open", "feedback_*")
    writes = ("comply_rate", "legitimacy")
    cites = "'fire alarms' of consultative Leninism; administrative adjustments"

    def step(self, w: World, day: int) -> None:
        P = pack(w, PARAMS)
        if P[ON, 0, 0] <= 0.0:
            return
        from ..engine.rng import uniforms

        s = w.series
        lo = max(0, day - 30)
        started = np.nansum(s.daily[lo:day, :, s.index["strikes_started"]])
        workers = np.nansum(s.daily[day - 1, :, s.index["workers"]]) if day > 0 else 1.0
        wave = started / max(workers / 1e4, 1e-9)
        t = w.ngos
        adv = float(((t.kind == 1) & (t.open == 1)).sum())
        odds = P[RATE, 0, 0] * (wave + 0.2 * adv)
        if uniforms(w.seed, "central.feedback", 1, day)[0] < odds:
            w.params.values[w.params.index["comply_rate"]] *= P[ENF, 0, 0]
            leg = w.params.values[w.params.index["legitimacy"]]
            leg[:] = np.minimum(1.0, leg + P[LEG, 0, 0])
            w.logs["policy"].append({"day": np.array([day]), "kind": np.array([1]),
                                     "wave": np.array([wave]), "advocacy": np.array([adv])})
