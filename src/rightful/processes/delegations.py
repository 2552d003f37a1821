"""Organised strikes: a delegation of the strikers bargains collectively with management, wins more
often, and demands a union with an elected head, which management and the union federation refuse,
setting a branch up top-down.

Chapter: "Collective actions also tend to become more organised and autonomous and claims more
proactive as shown by a strike staged by hundreds of crane operators at the Yantian International
Container Terminal in Shenzhen in April 2007. The workers themselves organised a delegation to
engage in collective bargaining with the management and successfully negotiated a settlement that
significantly increased wages and benefits and ended the strike. They also demanded the
establishment of a trade union and the right to elect the union head, which they did not obtain:
as usual, the Shenzhen federation of trade unions and the management jointly set up the trade
union in a top-down manner." Against the rule: claims are "spontaneous rather than well-planned
and organised". The Shenzhen NGO aims "to encourage migrants' autonomy and broader solidarity".

A strike is organised with odds that grow with its strikers' experience of earlier strikes (so
more often over time) and where a barefoot lawyer trained by an autonomy-fostering NGO leads it.
The unit is its parameters and the helpers below, called by ``mobilisation`` (when a strike
starts), ``responses`` (leverage) and ``strikes`` (the demand after a win): it is not in the plan.
"""

from __future__ import annotations

from numba import njit

from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World
from ..population import codes as C

PARS = (
    Param("delegation_base", 0.02, "prob", "chapter: strikes are 'spontaneous rather than well-planned and "
          "organised'; size assumed", "odds a strike is led by an organised delegation that bargains "
          "collectively, among inexperienced strikers without a barefoot lawyer", 0.0, 1.0),
    Param("delegation_experience", 0.25, "prob", "chapter: 'Collective actions also tend to become more "
          "organised and autonomous' (Yantian, April 2007); size assumed", "added odds of a delegation, times the "
          "strikers' mean experience (0..1, as experience_full)", 0.0, 1.0),
    Param("delegation_autonomy", 0.3, "prob", "chapter: the Shenzhen NGO aims 'to encourage migrants' autonomy' "
          "and trains barefoot lawyers; size assumed", "added odds of a delegation when a barefoot lawyer is "
          "among the strike's leaders", 0.0, 1.0),
    Param("delegation_leverage", 2.0, "x", "chapter (Yantian 2007): 'The workers themselves organised a "
          "delegation to engage in collective bargaining with the management and successfully negotiated a "
          "settlement'; size assumed", "concession odds multiplied by this for a strike led by a delegation",
          1.0, 10.0),
    Param("elected_union_granted", 0.0, "prob", "chapter (Yantian): the demand for 'the right to elect the "
          "union head ... they did not obtain: as usual, the Shenzhen federation of trade unions and the "
          "management jointly set up the trade union in a top-down manner'", "odds a delegation that wins "
          "is granted an elected (representative) union branch; otherwise a firm without a branch gets one "
          "set up top-down (a bridge branch)", 0.0, 1.0),
)


@njit(cache=True, inline="always")
def delegation_odds(p, z, s, exp_mean, barefoot):
    """Odds a strike that starts today is led by a delegation: ``exp_mean`` is its strikers' mean
    experience (0..1), ``barefoot`` whether a barefoot lawyer is among its leaders."""
    odds = p.delegation_base[z, s] + p.delegation_experience[z, s] * exp_mean
    if barefoot:
        odds += p.delegation_autonomy[z, s]
    return odds


@njit(cache=True, inline="always")
def union_after_demand(u, p, z, s, union):
    """The firm's union after a delegation that won demanded an elected head: granted at odds
    ``elected_union_granted`` (a representative branch); else a firm without a branch gets one set
    up top-down by management and the federation (a bridge branch). Returns (union, set up top-down)."""
    if u < p.elected_union_granted[z, s]:
        return C.U_REP, False
    if union == C.U_NONE:
        return C.U_BRIDGE, True
    return union, False


class Delegations(Process):
    """Organised strikes as a unit: its parameters and the helpers above. It has no step of its own
    and is not in the plan."""

    name = "delegations"
    pars = PARS
    cites = "Yantian 2007: a delegation bargains and wins; an elected union head refused, a branch set up top-down"

    def step(self, w: World, day: int) -> None:
        raise RuntimeError("delegations are decided inside mobilisation and strikes; they are not in the plan")
