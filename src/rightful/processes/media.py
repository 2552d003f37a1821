"""Media: coverage odds that grow with a strike's size, its disruption and the press's
independence; coverage puts a spotlight on the firm that fades.

Chapter: "The main reason why this strike had a positive outcome was its wide coverage by the
local press. It was the Guangzhou press, especially the outspoken Nanfang Dushibao ... that first
reported the demonstration and so forced Shenzhen newspapers to mention it"; "Chinese media are
now increasingly reporting on strikes, and whether the reports are sympathetic to the workers or
not, they impose pressure on local authorities to settle the conflicts"; "nothing prevents the
companies, once they are not under media spotlights any more, from resuming their previous
management style". Coverage odds per strike-day: 1 - exp(-rate * independence * (size/1000 +
w_esc * escalated)).
"""

from __future__ import annotations

import math

from numba import njit

from ..engine.params import Param

PARAMS = (
    Param("coverage_rate", 0.35, "1/day", "assumption", "daily coverage hazard of a 1,000-worker "
          "strike at full press independence", 0.0, 5.0),
    Param("coverage_escalation", 8.0, "x 1,000 workers", "chapter: a highway blocked for four hours "
          "drew the Guangzhou press", "weight of a street blockade in coverage odds", 0.0, 20.0),
    Param("media_on", 1.0, "0/1", "experiment lever", "whether the press may cover strikes at all", 0.0, 1.0),
    Param("attention_half_life", 45.0, "days", "assumption; chapter: gains fade 'once they are not "
          "under media spotlights any more'", "half-life of the media spotlight on a firm", 1.0, 720.0),
)
COVR, COVE, MON, AHL = range(len(PARAMS))


@njit(cache=True, inline="always")
def coverage_prob(rate: float, esc_w: float, on: float, independence: float, size: float,
                  escalated: int) -> float:
    x = rate * independence * (size / 1000.0 + esc_w * escalated) * on
    return 1.0 - math.exp(-x)
