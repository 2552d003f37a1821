"""Diffusion: news of a strike's outcome spreads to firms of the same zone and along hometown
ties; gains fade once the spotlight leaves; leaders pay a price later.

Chapter: Dalian, July 2005: "When workers obtained a wage increase of 150 yuan a month, the strike
spread to other Japanese-invested hightech enterprises in the development zone and eventually
involved some 30,000 workers at over a dozen companies"; yet "workers from different factories
seldom try to rally themselves upon common claims" (cascades rare); "nothing prevents the
companies, once they are not under media spotlights any more, from resuming their previous
management style, and some of the Haiyan workers were actually fired after the strike".

Each day of a strike, its odds of a win (partial_signal of them for a partial win) add a visibility
signal, larger when covered and when the strike is large, to its zone and to the hometowns of its
strikers; the signals decay daily. After a
win, once the firm's spotlight has faded, it reverts to its old wage policy with a monthly
hazard; leaders of a won strike may be fired weeks later.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..engine.declare import Col, Flow
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.rng import key, stream_id, uniform
from ..engine.world import World
from ..population import codes as C

PARS = (
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
    Param("partial_signal", 0.5, "share", "assumption: a partial win is half the news a full win is",
          "news of a partial win, as a share of a full win's", 0.0, 1.0),
)
# leaders fired: during a strike (strikes) or weeks after a won one (here); one series, one declaration
FIRED = Flow("fired", "strike leaders fired (during the strike, or weeks after a won one)", "workers per day")
RESULTS = (Flow("reversions", "firms that took back won gains once out of the spotlight", "firms per day"), FIRED)
S_REV = stream_id("aftermath.revert")


@njit(cache=True, inline="always")
def signal_odds(f, p_won, p_partial, hbase, p, z, s, fm, wk, zn, ht):
    """News of a (partial) win, as a share of the workers who hear it: the zone's signal for firms
    of the same ownership (``zn.zsig[z, own]``, the visibility-weighted share of the zone's
    workers of that ownership who won; other firms hear it at ``contagion_cross``), and the
    strikers' hometown signals in their city (``ht.hsig[hbase + hometown]``, likewise a share of that
    hometown's workers). Shares keep contagion independent of ``scale``: a compact development zone
    (Dalian, 30,000 workers) hears a 500-worker win loudly, a district of millions barely.

    Called on each day of a strike with that day's odds of a win and of a partial win (strikes,
    ``responses.day_odds``): a sampled strike stands for ``weight`` strikes of the region, won on
    different days, so the news it sends is their expected news, spread over the days they last,
    not one lump of ``weight`` wins (docs/ODD.md 7.7). In expectation it is the news of the
    drawn outcomes."""
    q = p_won + p.partial_signal[z, s] * p_partial
    peak, weight = fm.s_peak[f], fm.weight[f]
    if q <= 0.0 or peak <= 0:
        return
    own = fm.own[f]
    v = q * p.visibility[z, s] * (1.0 + p.coverage_boost[z, s] * (fm.s_cov[f] > 0))
    zn.zsig[z, own] += v * peak * weight / max(zn.workers[z, own], 1.0)
    homew = p.hometown_weight[z, s]
    if homew <= 0.0:
        return
    for i in range(fm.start[f], fm.end[f]):
        if wk.status[i] == C.STRIKING:
            k = hbase + wk.home[i]
            ht.hsig[k] += homew * v * weight / max(ht.workers[k], 1.0)


@njit(cache=True, inline="always")
def schedule_later_firing(f, day, u, u2, p, z, s, fm):
    """Leaders of a won strike may be fired weeks later (an exponential delay)."""
    if u < p.later_firing[z, s]:
        fm.fire_day[f] = day + 1 + int(-p.later_firing_days[z, s] * math.log(max(u2, 1e-12)))


@njit(cache=True, _nrt=False)  # allocates nothing: no reference counting (_common.block)
def _aftermath(seed, day, dom1, p, fm, wk, out):
    kr = key(seed, S_REV)
    for f in range(fm.zone.shape[0]):
        z, s = fm.zone[f], fm.sector[f]
        if fm.attention[f] > 0.0:
            fm.attention[f] *= math.exp(-0.6931471805599453 / p.attention_half_life[z, s])
        if fm.rejected[f] > 0.0:
            fm.rejected[f] *= math.exp(-0.6931471805599453 / p.rejected_half_life[z, s])
        if dom1 and fm.gains_day[f] >= 0 and fm.attention[f] < p.spotlight_gone[z, s] and fm.s_start[f] < 0:
            if uniform(kr, day, f) < p.revert_rate[z, s] * (1.0 - fm.brand[f]):
                if fm.base[f] > fm.base_old[f]:
                    fm.base[f] = fm.base_old[f]
                    fm.ot[f] = fm.ot_old[f]
                    fm.hours[f] = fm.hours_old[f]
                    out.reversions[f] += 1.0
                fm.gains_day[f] = -1
        if fm.fire_day[f] == day:
            n = 0.0
            for i in range(fm.start[f], fm.end[f]):
                if wk.flags[i] & C.LEADER and wk.status[i] == C.WORKING:
                    wk.status[i] = C.SEEKING
                    wk.since[i] = day
                    wk.flags[i] &= ~np.uint8(C.LEADER)
                    n += 1.0
            out.fired[f] += n
            fm.fire_day[f] = -1


@njit(cache=True)
def _decay_hometowns(hsig, zone_city, zdecay, cdecay, czones):
    cdecay[:] = 0.0
    czones[:] = 0.0
    for z in range(zone_city.shape[0]):
        cdecay[zone_city[z]] += zdecay[z]
        czones[zone_city[z]] += 1.0
    per_city = hsig.shape[0] // cdecay.shape[0]  # rows are city * hometowns + hometown
    for k in range(hsig.shape[0]):
        c = k // per_city
        hsig[k] *= cdecay[c] / czones[c]


class Diffusion(Process):
    name = "diffusion"
    pars = PARS
    uses = ("attention_half_life", "fine_memory")
    states = {"firms": (Col("fire_day", "i4", "day leaders are to be fired (-1 none)", fill=-1),),
              "zones": (Col("zsig", "f8", "success signal by firm ownership: news travels to similar firms",
                            shape=(3,)),),
              "hometowns": (Col("hsig", "f8", "success signal among fellow villagers (laoxiang) in a city"),)}
    results = RESULTS
    reads = ("zones.fear", "zones.deter", "firms.attention", "firms.rejected", "firms.gains_day", "firms.base_old",
             "firms.ot_old", "firms.hours_old", "firms.brand", "firms.s_start", "workers.flags")
    cites = "Dalian 2005 spread; gains fade off the spotlight; Hai Yan workers fired after the strike"

    def setup(self, w: World) -> None:
        self.dom = w.cal.day_of_month()
        nz = w.zones.n
        self._x, self._zdecay, self._fdecay = np.empty(nz), np.empty(nz), np.empty(nz)
        self._cdecay, self._czones = np.empty(len(w.series.groups)), np.empty(len(w.series.groups))

    def rebind(self, w: World) -> None:
        super().rebind(w)
        self._shl = self.p.signal_half_life[:, 0]  # views: dated events reach them
        self._fhl = self.p.fear_half_life[:, 0]
        self._dhl = self.p.fine_memory[:, 0]

    def step(self, w: World, day: int) -> None:
        z, ht, p = w.zones, w.hometowns, self.p
        # signals and fear decay by their zone's half-life (NumPy's exp, into preallocated buffers)
        np.divide(-np.log(2.0), self._shl, out=self._x)
        np.exp(self._x, out=self._zdecay)
        z.zsig[:] *= self._zdecay[:, None]
        np.divide(-np.log(2.0), self._fhl, out=self._x)
        np.exp(self._x, out=self._fdecay)
        z.fear[:] *= self._fdecay
        np.divide(-np.log(2.0), self._dhl, out=self._x)
        np.exp(self._x, out=self._fdecay)
        z.deter[:] *= self._fdecay
        # hometown signals (per city and hometown) decay at their city's half-life: the mean daily
        # decay of the city's zones
        _decay_hometowns(ht.hsig, z.city, self._zdecay, self._cdecay, self._czones)
        out = self.flows()
        _aftermath(w.seed, day, bool(self.dom[day] == 1), p, w.firms.cols, w.workers.cols, out)
        self.add_flows(w)
