"""Diffusion: news of a strike's outcome spreads to firms of the same zone and along hometown
ties; gains fade once the spotlight leaves; leaders pay a price later.

Chapter: Dalian, July 2005: "When workers obtained a wage increase of 150 yuan a month, the strike
spread to other Japanese-invested hightech enterprises in the development zone and eventually
involved some 30,000 workers at over a dozen companies"; yet "workers from different factories
seldom try to rally themselves upon common claims" (cascades rare); "nothing prevents the
companies, once they are not under media spotlights any more, from resuming their previous
management style, and some of the Haiyan workers were actually fired after the strike".

A win (half for a partial win) adds a visibility signal, larger when covered and when the strike
was large, to its zone and to the hometowns of its strikers; the signals decay daily. After a
win, once the firm's spotlight has faded, it reverts to its old wage policy with a monthly
hazard; leaders of a won strike may be fired weeks later.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..engine.declare import Col
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C
from ._common import add_flows, flow_cols, indices, pack

PARAMS = (
    Param("visibility", 1.0, "x", "assumption", "weight of a won strike's news (times the share of the zone's "
          "workers who won)", 0.0, 10.0),
    Param("coverage_boost", 1.5, "x", "chapter: coverage spreads news", "signal multiplied by "
          "(1 + this) when covered", 0.0, 10.0),
    Param("hometown_weight", 0.5, "x", "assumption: laoxiang ties", "share of the signal that "
          "travels to the strikers' hometowns", 0.0, 5.0),
    Param("signal_half_life", 10.0, "days", "assumption", "half-life of zone and hometown signals", 0.5, 365.0),
    Param("fear_half_life", 180.0, "days", "assumption", "half-life of a zone's fear after repression", 1.0, 3650.0),
    Param("rejected_half_life", 30.0, "days", "assumption", "half-life of a firm's memory of "
          "rejected complaints", 1.0, 365.0),
    Param("revert_rate", 0.15, "1/month", "chapter: firms resume 'their previous management style'",
          "monthly odds a firm out of the spotlight reverts won gains, times (1 - brand)", 0.0, 1.0),
    Param("spotlight_gone", 0.1, "attention", "assumption", "attention below which the spotlight is gone", 0.0, 1.0),
    Param("later_firing", 0.4, "prob", "chapter: 'some of the Haiyan workers were actually fired after "
          "the strike'", "odds leaders of a won strike are fired later", 0.0, 1.0),
    Param("later_firing_days", 60.0, "days", "assumption", "mean delay of a later firing", 1.0, 365.0),
)
I = indices(PARAMS)
VIS, COVB, HOMEW, SHL, FHL, RHL, REVERT, GONE, LFIRE, LFIRE_D = (I[p.name] for p in PARAMS)
AHL = len(PARAMS)  # attention_half_life, appended when packing
FLOWS = ("reversions", "fired")
S_REV = stream_id("aftermath.revert")


@njit(cache=True)
def signal_outcome(f, outcome, covered, peak, weight, vis, covb, homew, z, own, hbase, f_start, f_end, w_status,
                   w_home, z_success, hsig, zone_workers, home_workers):
    """News of a (partial) win, as a share of the workers who hear it: the zone's signal for firms
    of the same ownership (``z_success[z, own]``, the visibility-weighted share of the zone's
    workers of that ownership who just won; other firms hear it at ``contagion_cross``), and the
    strikers' hometown signals in their city (``hsig[hbase + hometown]``, likewise a share of that
    hometown's workers). Shares keep contagion independent of ``scale``: a compact development zone
    (Dalian, 30,000 workers) hears a 500-worker win loudly, a district of millions barely."""
    if outcome == C.O_LOST:
        return
    v = vis * (1.0 if outcome == C.O_WON else 0.5) * (1.0 + covb * covered)
    z_success[z, own] += v * peak * weight / max(zone_workers[z, own], 1.0)
    if homew <= 0.0 or peak <= 0:
        return
    for i in range(f_start[f], f_end[f]):
        if w_status[i] == C.STRIKING:
            k = hbase + w_home[i]
            hsig[k] += homew * v * weight / max(home_workers[k], 1.0)


@njit(cache=True, inline="always")
def schedule_later_firing(f, day, u, u2, p, mean_days, f_fire_day):
    if u < p:
        f_fire_day[f] = day + 1 + int(-mean_days * math.log(max(u2, 1e-12)))


@njit(cache=True)
def _aftermath(seed, day, dom1, P, f_zone, f_sector, f_start, f_end, f_brand, f_attention, f_gains_day,
               f_base, f_ot, f_hours, f_base_old, f_ot_old, f_hours_old, f_fire_day, f_rejected,
               f_s_start, w_status, w_flags, w_since, out):
    kr = key(seed, S_REV)
    for f in range(f_zone.shape[0]):
        z, s = f_zone[f], f_sector[f]
        if f_attention[f] > 0.0:
            f_attention[f] *= math.exp(-0.6931471805599453 / P[AHL, z, s])
        if f_rejected[f] > 0.0:
            f_rejected[f] *= math.exp(-0.6931471805599453 / P[RHL, z, s])
        if dom1 and f_gains_day[f] >= 0 and f_attention[f] < P[GONE, z, s] and f_s_start[f] < 0:
            if uniform(kr, day, f) < P[REVERT, z, s] * (1.0 - f_brand[f]):
                if f_base[f] > f_base_old[f]:
                    f_base[f] = f_base_old[f]
                    f_ot[f] = f_ot_old[f]
                    f_hours[f] = f_hours_old[f]
                    out[f, 0] += 1.0
                f_gains_day[f] = -1
        if f_fire_day[f] == day:
            n = 0.0
            for i in range(f_start[f], f_end[f]):
                if w_flags[i] & C.LEADER and w_status[i] == C.WORKING:
                    w_status[i] = C.SEEKING
                    w_since[i] = day
                    w_flags[i] &= ~np.uint8(C.LEADER)
                    n += 1.0
            out[f, 1] += n
            f_fire_day[f] = -1


class Diffusion(Process):
    name = "diffusion"
    states = {"firms": (Col("fire_day", "i4", "day leaders are to be fired (-1 none)", fill=-1),),
              "zones": (Col("zsig", "f8", "success signal by firm ownership: news travels to similar firms",
                            shape=(3,)),),
              "hometowns": (Col("hsig", "f8", "success signal among fellow villagers (laoxiang) in a city"),)}
    params = PARAMS
    reads = ("zone success signals", "zones.fear", "hometown signal", "firms.attention", "firms.gains_day")
    writes = ("zone success signals", "zones.fear", "hometown signal", "firms.base (reversion)",
              "workers.status (later firing)")
    cites = "Dalian 2005 spread; gains fade off the spotlight; Hai Yan workers fired after the strike"

    def setup(self, w: World) -> None:
        self.cols = flow_cols(w, FLOWS)
        self.dom = w.cal.day_of_month()

    def step(self, w: World, day: int) -> None:
        P = np.concatenate([pack(w, PARAMS), w.params["attention_half_life"][None]])
        z, f, wk = w.zones, w.firms, w.workers
        w.zsig[:] *= np.exp(-np.log(2.0) / P[SHL, :, 0])[:, None]
        z.fear[:] *= np.exp(-np.log(2.0) / P[FHL, :, 0])
        w.hsig[:] *= np.exp(-np.log(2.0) / P[SHL, 0, 0])
        buf = w.firm_scratch(len(FLOWS))
        _aftermath(w.seed, day, bool(self.dom[day] == 1), P, f.zone, f.sector, f.start, f.end, f.brand,
                   f.attention, f.gains_day, f.base, f.ot, f.hours, f.base_old, f.ot_old, f.hours_old,
                   f.fire_day, f.rejected, f.s_start, wk.status, wk.flags, wk.since, buf)
        add_flows(w, buf, self.cols)
