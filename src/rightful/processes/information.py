"""Information: workers learn their legal entitlements from the media, co-workers, hometown
ties, state legal-training campaigns and NGOs; a new minimum wage is news that spreads.

Chapter: Hai Yan workers "came to know that the Shenzhen municipality government had fixed the
monthly minimum wage at 610 yuan. The news spread quickly ... flyers that were posted in the
dormitories"; the Centre "launched a campaign in October 2003 for migrants' widespread legal
training"; NGOs "widely propagate legal knowledge"; "Newspapers spent their time reporting that
migrants' salaries have to reach minimum wage". Awareness is the share of current entitlements a
worker knows; when the minimum wage changes, part of what she knew is out of date
(``wage_news_novelty``) and the zone's news pulse starts.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..engine.declare import Col
from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World
from ..population.totals import home_totals
from ._common import indices, pack, span

PARAMS = (
    Param("learn_media", 0.0015, "1/day", "assumption", "daily learning from the press at full "
          "independence and full news", 0.0, 0.05),
    Param("media_independence", 0.4, "0..1", "chapter: outspoken Guangzhou press vs Shenzhen papers "
          "'directly under the control of Shenzhen authorities'", "independence of the zone's press", 0.0, 1.0),
    Param("media_base_coverage", 0.15, "0..1", "assumption", "everyday coverage of labour rights "
          "between news pulses", 0.0, 1.0),
    Param("learn_peer", 0.01, "1/day", "chapter: news spread through dormitory flyers; size assumed",
          "daily learning from co-workers, times the firm's mean awareness and (base coverage + news)",
          0.0, 0.5),
    Param("learn_home", 0.005, "1/day", "assumption: laoxiang ties", "daily learning from hometown "
          "ties, times the hometown's mean awareness and (base coverage + news)", 0.0, 0.2),
    Param("legal_training", 0.0, "0..1", "chapter: October 2003 legal-training campaign (event)",
          "intensity of the state's legal-training campaign", 0.0, 1.0),
    Param("learn_campaign", 0.0008, "1/day", "assumption", "daily learning at full campaign", 0.0, 0.02),
    Param("learn_ngo", 0.01, "1/day", "chapter: NGO classes ('Only after attending the classes did I "
          "know...')", "daily learning of NGO contacts", 0.0, 0.2),
    Param("wage_news_novelty", 0.5, "share", "assumption", "share of awareness made out of date by "
          "a new minimum wage", 0.0, 1.0),
    Param("news_half_life", 20.0, "days", "assumption", "half-life of a news pulse", 1.0, 365.0),
    Param("learn_news", 0.05, "1/day", "chapter: 'The news spread quickly' (flyers, word of mouth)",
          "daily learning from a news pulse itself, times its strength", 0.0, 1.0),
    Param("wage_news", 0.0, "counter", "scenario events", "bumping this value (an event) starts a news "
          "pulse about entitlements in the zone, as a new minimum wage does", 0.0, 1e9),
)
I = indices(PARAMS)
LM, IND, BASECOV, LP, LH, TRAIN, LC, LN, NOV, HL, LNEWS, WNEWS = (I[p.name] for p in PARAMS)


FX = np.float32(2.0 ** 20)  # fixed-point scale of the per-firm awareness sums (exact in any order)


@njit(parallel=True, cache=True)
def _gather(bounds, f_start, f_end, f_city, H, w_home, w_aware, firm_out, part):
    """One pass: each firm's mean awareness, and awareness summed per (city, hometown) in fixed
    blocks of firms (laoxiang networks work within a city). Sums are in fixed point (``FX``), exact
    in any order; blocks hold about equal numbers of rows and are fixed before the run, so results
    are bit-identical at any number of threads."""
    for b in prange(bounds.shape[0] - 1):
        part[b, :] = 0
        for f in range(bounds[b], bounds[b + 1]):
            a = 0
            hb = f_city[f] * H
            lo, hi = span(f_start, f_end, f)
            for i in range(lo, hi):
                x = np.int64(np.int32(w_aware[i] * FX))
                a += x
                part[b, hb + w_home[i]] += x
            n = f_end[f] - f_start[f]
            firm_out[f] = a / FX / n if n > 0 else 0.0


@njit(parallel=True, cache=True)
def _learn(P, f_zone, f_sector, f_city, H, f_start, f_end, firm_aware, home_aware, zone_news, novelty,
           w_home, w_aware, w_ngo):
    for f in prange(f_zone.shape[0]):
        z, s = f_zone[f], f_sector[f]
        hbase = f_city[f] * H
        # co-workers and laoxiang pass on what is news: their channel runs at the pace of the
        # news pulse (flyers went up when the 610 yuan became known)
        talk = P[BASECOV, z, s] + zone_news[z]
        common = (P[LM, z, s] * P[IND, z, s] * talk + P[LP, z, s] * talk * firm_aware[f]
                  + P[LC, z, s] * P[TRAIN, z, s] + P[LNEWS, z, s] * zone_news[z])
        home_rate = P[LH, z, s] * talk  # loaded once: stores to w_aware could alias P in the loop
        ngo_rate = P[LN, z, s]
        keep = 1.0 - novelty[z]
        lo, hi = span(f_start, f_end, f)
        for i in range(lo, hi):
            a = w_aware[i] * keep
            rate = common + home_rate * home_aware[hbase + w_home[i]]
            if w_ngo[i] > 0:
                rate += ngo_rate
            if rate > 1.0:
                rate = 1.0
            w_aware[i] = a + (1.0 - a) * rate


def balanced_blocks(f_start: np.ndarray, f_end: np.ndarray, blocks: int) -> np.ndarray:
    """Firm bounds of ``blocks`` consecutive blocks holding about equal numbers of worker rows."""
    rows = np.cumsum((f_end - f_start).astype(np.int64))
    total = int(rows[-1]) if rows.shape[0] else 0
    targets = (np.arange(1, blocks) * total) // blocks
    inner = np.searchsorted(rows, targets, side="left") + 1
    return np.concatenate([[0], np.minimum(inner, rows.shape[0]), [rows.shape[0]]]).astype(np.int64)


class Information(Process):
    name = "information"
    states = {"workers": (Col("aware", "f4", "knowledge of current legal entitlements, 0..1"),),
              "firms": (Col("aware", "f4", "mean awareness of the firm's workers"),),
              "zones": (Col("news", "f4", "freshness of news of a new entitlement in the zone (decays)"),)}
    params = PARAMS
    reads = ("workers.aware", "workers.home", "workers.ngo", "min_wage", "media_independence")
    writes = ("workers.aware", "zones.news")
    cites = "Hai Yan: 'The news spread quickly'; October 2003 legal-training campaign; NGO classes"

    BLOCKS = 64

    def setup(self, w: World) -> None:
        f, wk = w.firms, w.workers
        self.firm_aware = np.zeros(f.n)
        self.H = w.hsig.shape[0] // len(w.series.groups)
        self.bounds = balanced_blocks(f.start, f.end, self.BLOCKS)
        self.part = np.zeros((self.BLOCKS, w.hsig.shape[0]), dtype=np.int64)
        # rows per (city, hometown): a row keeps its hometown when its occupant changes
        self.home_rows, _ = home_totals(f, wk, self.H, len(w.series.groups))
        self.last_mw = w.params["min_wage"][:, 0].copy()
        self.last_news = w.params["wage_news"][:, 0].copy()

    def step(self, w: World, day: int) -> None:
        P = pack(w, PARAMS)
        z = w.zones
        mw = w.params["min_wage"][:, 0]
        news = w.params["wage_news"][:, 0]
        changed = (mw != self.last_mw) | (news != self.last_news)
        novelty = np.where(mw != self.last_mw, P[NOV, :, 0], 0.0)
        self.last_news = news.copy()
        decay = np.exp(-math.log(2.0) / P[HL, :, 0])
        z.news[:] = np.where(changed, 1.0, z.news * decay)
        self.last_mw = mw.copy()
        wk, f = w.workers, w.firms
        _gather(self.bounds, f.start, f.end, f.city, self.H, wk.home, wk.aware, self.firm_aware, self.part)
        f.aware[:] = self.firm_aware
        tot = self.part.sum(axis=0) / FX
        home_aware = np.where(self.home_rows > 0, tot / np.maximum(self.home_rows, 1.0), 0.0)
        _learn(P, f.zone, f.sector, f.city, self.H, f.start, f.end, self.firm_aware, home_aware,
               z.news.astype(np.float64), novelty, wk.home, wk.aware, wk.ngo)
