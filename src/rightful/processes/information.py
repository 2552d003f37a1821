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
from ._common import span

PARS = (
    Param("learn_media", 0.0015, "1/day", "assumption", "daily learning from the press at full "
          "independence and full news", 0.0, 0.05),
    Param("media_independence", 0.4, "0..1", "chapter: outspoken Guangzhou press vs Shenzhen papers "
          "'directly under the control of Shenzhen authorities'", "independence of the zone's own press (the outspoken "
          "outlets that reach it from elsewhere are outspoken_press)", 0.0, 1.0),
    Param("media_base_coverage", 0.15, "0..1", "assumption", "everyday coverage of labour rights "
          "between news pulses", 0.0, 1.0),
    Param("learn_peer", 0.01, "1/day", "chapter: news spread through dormitory flyers; size assumed",
          "daily learning from co-workers, times the firm's mean awareness and (base coverage + news)",
          0.0, 0.5),
    Param("learn_home", 0.005, "1/day", "assumption: laoxiang ties", "daily learning from hometown "
          "ties, times the hometown's mean awareness and (base coverage + news)", 0.0, 0.2),
    Param("legal_training", 0.0, "0..1", "chapter: October 2003 legal-training campaign (event)",
          "intensity of the state's legal-training campaign", 0.0, 1.0),
    Param("learn_campaign", 0.0176, "1/day", "calibrated (docs/ODD.md 8.3; was 0.0008); "
          "assumption", "daily learning at full campaign", 0.0, 0.02),
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

FX = np.float32(2.0 ** 20)  # fixed-point scale of the per-firm awareness sums (exact in any order)


@njit(cache=True)
def _news(p, news, decay, last_mw, last_news, novelty):
    """A zone's news pulse: it starts (at 1) when the minimum wage changes or a ``wage_news``
    event bumps the counter, and fades by ``decay`` a day otherwise; a new minimum wage also makes
    ``wage_news_novelty`` of what workers knew out of date."""
    for z in range(news.shape[0]):
        mw, nw = p.min_wage[z, 0], p.wage_news[z, 0]
        new_wage = mw != last_mw[z]
        novelty[z] = p.wage_news_novelty[z, 0] if new_wage else 0.0
        news[z] = 1.0 if new_wage or nw != last_news[z] else news[z] * decay[z]
        last_mw[z] = mw
        last_news[z] = nw


@njit(parallel=True, cache=True)
def _gather(bounds, H, fm, wk, firm_out, part):
    """One pass: each firm's mean awareness, and awareness summed per (city, hometown) in fixed
    blocks of firms (laoxiang networks work within a city). Sums are in fixed point (``FX``), exact
    in any order; blocks hold about equal numbers of rows and are fixed before the run, so results
    are bit-identical at any number of threads."""
    for b in prange(bounds.shape[0] - 1):
        part[b, :] = 0
        for f in range(bounds[b], bounds[b + 1]):
            a = 0
            hb = fm.city[f] * H
            lo, hi = span(fm.start, fm.end, f)
            for i in range(lo, hi):
                x = np.int64(np.int32(wk.aware[i] * FX))
                a += x
                part[b, hb + wk.home[i]] += x
            n = fm.end[f] - fm.start[f]
            firm_out[f] = a / FX / n if n > 0 else 0.0


@njit(cache=True)
def _home_means(part, home_rows, home_aware):
    """Mean awareness of each (city, hometown)'s rows, from the blocks' exact sums."""
    for k in range(home_rows.shape[0]):
        tot = 0
        for b in range(part.shape[0]):
            tot += part[b, k]
        home_aware[k] = tot / FX / max(home_rows[k], 1.0) if home_rows[k] > 0 else 0.0


@njit(parallel=True, cache=True)
def _learn(p, H, fm, wk, news, novelty, firm_aware, home_aware):
    w_aware = wk.aware  # written in the prange loop: bound first (engine.declare)
    for f in prange(fm.zone.shape[0]):
        z, s = fm.zone[f], fm.sector[f]
        hbase = fm.city[f] * H
        # co-workers and laoxiang pass on what is news: their channel runs at the pace of the
        # news pulse (flyers went up when the 610 yuan became known)
        talk = p.media_base_coverage[z, s] + news[z]
        # the zone's own papers and the outspoken outlets that reach it (media.py) both carry the news
        press = min(1.0, p.media_independence[z, s] + p.outspoken_press[z, s])
        common = (p.learn_media[z, s] * press * talk + p.learn_peer[z, s] * talk * firm_aware[f]
                  + p.learn_campaign[z, s] * p.legal_training[z, s] + p.learn_news[z, s] * news[z])
        home_rate = p.learn_home[z, s] * talk  # loaded once: stores to w_aware could alias p in the loop
        ngo_rate = p.learn_ngo[z, s]
        keep = 1.0 - novelty[z]
        lo, hi = span(fm.start, fm.end, f)
        for i in range(lo, hi):
            a = w_aware[i] * keep
            rate = common + home_rate * home_aware[hbase + wk.home[i]]
            if wk.ngo[i] > 0:
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
    cites = "Hai Yan: 'The news spread quickly'; October 2003 legal-training campaign; NGO classes"
    pars = PARS
    uses = ("min_wage", "outspoken_press")
    states = {"workers": (Col("aware", "f4", "knowledge of current legal entitlements, 0..1"),),
              "firms": (Col("aware", "f4", "mean awareness of the firm's workers"),),
              "zones": (Col("news", "f4", "freshness of news of a new entitlement in the zone (decays)"),)}
    reads = ("workers.home", "workers.ngo")

    BLOCKS = 64

    def setup(self, w: World) -> None:
        f, wk = w.firms, w.workers
        n_keys = w.hometowns.n  # one row per (city, hometown)
        self.H = n_keys // len(w.series.groups)
        self.bounds = balanced_blocks(f.start, f.end, self.BLOCKS)
        self.part = np.zeros((self.BLOCKS, n_keys), dtype=np.int64)
        # rows per (city, hometown): a row keeps its hometown when its occupant changes
        self.home_rows, _ = home_totals(f, wk, self.H, len(w.series.groups))
        self.home_aware = np.zeros(n_keys)
        self.firm_aware = np.zeros(f.n)
        self.last_mw = self.p.min_wage[:, 0].copy()
        self.last_news = self.p.wage_news[:, 0].copy()
        self.novelty = np.zeros(w.zones.n)
        self.rate = np.zeros(w.zones.n)
        self.decay = np.zeros(w.zones.n)

    def step(self, w: World, day: int) -> None:
        p, zn, fm, wk = self.p, w.zones.cols, w.firms.cols, w.workers.cols
        # a news pulse's daily decay from its half-life, with NumPy's exp as it always was
        np.divide(-math.log(2.0), p.news_half_life[:, 0], out=self.rate)
        np.exp(self.rate, out=self.decay)
        _news(p, zn.news, self.decay, self.last_mw, self.last_news, self.novelty)
        _gather(self.bounds, self.H, fm, wk, self.firm_aware, self.part)
        fm.aware[:] = self.firm_aware
        _home_means(self.part, self.home_rows, self.home_aware)
        _learn(p, self.H, fm, wk, zn.news, self.novelty, self.firm_aware, self.home_aware)
