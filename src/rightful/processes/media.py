"""Media: coverage odds that grow with a strike's size, its disruption and the press's
independence; coverage puts a spotlight on the firm that fades.

Chapter: "The main reason why this strike had a positive outcome was its wide coverage by the
local press. It was the Guangzhou press, especially the outspoken Nanfang Dushibao ... that first
reported the demonstration and so forced Shenzhen newspapers to mention it"; "Chinese media are
now increasingly reporting on strikes, and whether the reports are sympathetic to the workers or
not, they impose pressure on local authorities to settle the conflicts"; "nothing prevents the
companies, once they are not under media spotlights any more, from resuming their previous
management style". Coverage odds per strike-day: 1 - exp(-rate * independence * (size / coverage_size +
w_esc * escalated)).

The press is a unit of its own (its parameters), run inside ``strikes``: it is not in the plan.
"""

from __future__ import annotations

import math

from numba import njit

from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World

PARS = (
    Param("coverage_rate", 0.35, "1/day", "assumption", "daily coverage hazard of a strike of coverage_size "
          "workers at full press independence", 0.0, 5.0),
    Param("coverage_escalation", 8.0, "x coverage_size workers", "chapter: a highway blocked for four hours "
          "drew the Guangzhou press", "weight of a street blockade in coverage odds", 0.0, 20.0),
    Param("media_on", 1.0, "0/1", "experiment lever", "whether the press may cover strikes at all", 0.0, 1.0),
    Param("attention_half_life", 45.0, "days", "assumption; chapter: gains fade 'once they are not "
          "under media spotlights any more'", "half-life of the media spotlight on a firm", 1.0, 720.0),
    Param("coverage_size", 1000.0, "workers", "assumption: the press notices strikes in proportion to their "
          "size (chapter: Hai Yan's 3,000 strikers drew the Guangzhou press)", "strikers that count as one unit "
          "of size in the coverage hazard", 10.0, 100000.0),
)


@njit(cache=True, inline="always")
def coverage_prob(p, z, s, size, escalated):
    """Odds the press covers a strike of ``size`` workers today (``escalated``: in the street)."""
    x = p.coverage_rate[z, s] * p.media_independence[z, s] * \
        (size / p.coverage_size[z, s] + p.coverage_escalation[z, s] * escalated) * p.media_on[z, s]
    return 1.0 - math.exp(-x)


class Media(Process):
    """The press as a unit: its parameters and ``coverage_prob``. ``strikes`` draws coverage each strike
    day and ``diffusion`` fades the spotlight, so it has no step of its own and is not in the plan."""

    name = "media"
    pars = PARS
    uses = ("media_independence",)
    cites = "'The main reason why this strike had a positive outcome was its wide coverage by the local press'"

    def step(self, w: World, day: int) -> None:
        raise RuntimeError("media runs inside strikes; it is not in the plan")
