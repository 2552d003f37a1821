"""Media: coverage odds that grow with a strike's size, its disruption and the press's
independence; coverage puts a spotlight on the firm that fades.

Chapter: "The main reason why this strike had a positive outcome was its wide coverage by the
local press. It was the Guangzhou press, especially the outspoken Nanfang Dushibao ... that first
reported the demonstration and so forced Shenzhen newspapers to mention it"; "Chinese media are
now increasingly reporting on strikes, and whether the reports are sympathetic to the workers or
not, they impose pressure on local authorities to settle the conflicts"; "nothing prevents the
companies, once they are not under media spotlights any more, from resuming their previous
management style".

Two kinds of press: each zone's own papers (``media_independence``: the Shenzhen papers are
"directly under the control of Shenzhen authorities") and the outspoken outlets of the region, whose
reach goes beyond their city (``outspoken_press``: the Nanfang Dushibao of Guangzhou reporting a
Shenzhen strike). Each has its daily coverage hazard, rate x independence x (size / coverage_size +
w_esc x escalated). Once an outspoken outlet has reported a strike the local papers must mention it
too, scathing or sympathetic: the strike is then in both (press code 2) and the pressure of the
coverage on officials is ``mention_pressure`` times larger.

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
    Param("outspoken_press", 0.0, "0..1", "chapter: 'It was the Guangzhou press, especially the outspoken "
          "Nanfang Dushibao (Southern Metropolis News) that first reported the demonstration and so forced "
          "Shenzhen newspapers to mention it'", "independence x reach in this zone of the region's outspoken "
          "outlets based in other cities (0 where the outspoken press is the zone's own: media_independence)",
          0.0, 1.0),
    Param("mention_pressure", 1.0, "x", "chapter: 'whether the reports are sympathetic to the workers or not, "
          "they impose pressure on local authorities to settle the conflicts'; size assumed", "officials' "
          "coverage pressure times (1 + this) once the local papers must follow an outspoken outlet", 0.0, 10.0),
    Param("coverage_size", 1000.0, "workers", "assumption: the press notices strikes in proportion to their "
          "size (chapter: Hai Yan's 3,000 strikers drew the Guangzhou press)", "strikers that count as one unit "
          "of size in the coverage hazard", 10.0, 100000.0),
)


@njit(cache=True, inline="always")
def coverage_prob(p, z, s, size, escalated, independence):
    """Odds a press of ``independence`` covers a strike of ``size`` workers today (``escalated``: in
    the street)."""
    x = p.coverage_rate[z, s] * independence * \
        (size / p.coverage_size[z, s] + p.coverage_escalation[z, s] * escalated) * p.media_on[z, s]
    return 1.0 - math.exp(-x)


@njit(cache=True, inline="always")
def cover(u_local, u_out, p, z, s, size, escalated, press):
    """Today's press of a strike covered so far by ``press`` (0 none, 1 the local papers, 2 an
    outspoken outlet and then the local papers): an outspoken outlet may report it (and the local
    papers must follow), else the local papers may."""
    if press < 2 and u_out < coverage_prob(p, z, s, size, escalated, p.outspoken_press[z, s]):
        return 2
    if press == 0 and u_local < coverage_prob(p, z, s, size, escalated, p.media_independence[z, s]):
        return 1
    return press


@njit(cache=True, inline="always")
def pressure(p, z, s, press):
    """The weight of a strike's coverage in officials' odds of stepping in: one press, or the local
    papers forced to follow an outspoken outlet."""
    if press == 0:
        return 0.0
    return 1.0 + p.mention_pressure[z, s] if press == 2 else 1.0


class Media(Process):
    """The press as a unit: its parameters, ``cover`` and ``pressure``. ``strikes`` draws coverage each
    strike day and ``diffusion`` fades the spotlight, so it has no step of its own and is not in the plan."""

    name = "media"
    pars = PARS
    uses = ("media_independence",)
    cites = "'The main reason why this strike had a positive outcome was its wide coverage by the local press'"

    def step(self, w: World, day: int) -> None:
        raise RuntimeError("media runs inside strikes; it is not in the plan")
