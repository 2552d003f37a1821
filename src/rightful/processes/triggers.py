"""What lights a firm: the sources of its mobilisation trigger, and the cause a strike records.

Chapter: at Hai Yan workers "resigned themselves to this impasse until the day they came to know
that the Shenzhen municipality government had fixed the monthly minimum wage at 610 yuan" (news of
an entitlement the firm does not pay); "since the complaints lodged by workers in the past had been
ignored, there were no means left but to take to the streets" (rejected complaints); arrears and
the back-pay campaigns "launched annually on Chinese New Year's Eve" (arrears before the New Year);
Dalian's strike of 2005 spread "to other Japanese-invested hightech enterprises" (contagion in the
zone); laoxiang networks carry news of wins (hometown signals, an assumption). Mobilisation reads
the trigger (its half-life, its amplification of grievance) and names a strike's cause by the
largest source of the day.
"""

from __future__ import annotations

from numba import njit

from ..engine.params import Param
from ._common import span

CAUSE_GRIEV, CAUSE_NEWS, CAUSE_ARR, CAUSE_REJ, CAUSE_CONT = 0, 1, 2, 3, 4  # population.schema.CAUSES

PARS = (
    Param("trigger_half_life", 5.0, "days", "assumption", "half-life of a firm's trigger", 0.5, 60.0),
    Param("trigger_news", 2.0, "trigger", "chapter: Hai Yan, news of the 610-yuan minimum",
          "trigger from wage news while the firm pays below the minimum", 0.0, 10.0),
    Param("trigger_arrears", 0.8, "trigger", "chapter: arrears and the New Year back-pay campaigns",
          "trigger from the share of workers owed wages in the month before the New Year", 0.0, 10.0),
    Param("trigger_rejected", 5.0, "trigger per rejected share", "chapter: 'complaints ... had been "
          "ignored, there were no means left but to take to the streets'", "trigger per rejected "
          "complaint per worker", 0.0, 100.0),
    Param("trigger_contagion", 6.0, "trigger per share", "chapter: Dalian 2005 spread across the zone",
          "trigger per unit of the zone's success signal (a visibility-weighted share of the zone's workers "
          "of the same ownership who just won)", 0.0, 1000.0),
    Param("contagion_cross", 0.25, "share", "chapter: Dalian's strike spread 'to other Japanese-invested "
          "hightech enterprises'", "share of the signal that reaches firms of another ownership", 0.0, 1.0),
    Param("trigger_hometown", 20.0, "trigger per share", "assumption: laoxiang networks carry strike news",
          "trigger per unit of the firm's workers' mean hometown success signal", 0.0, 1000.0),
    Param("trigger_min", 0.05, "trigger", "assumption", "trigger below which (or while it fades) a firm "
          "is checked only on its weekly turn", 0.0, 1.0),
    Param("new_year_window", 30.0, "days", "chapter: arrears and the back-pay campaigns 'launched annually on "
          "Chinese New Year's Eve'; window assumed", "days before the New Year in which arrears light a firm's "
          "trigger", 0.0, 90.0),
    Param("cause_min", 0.001, "trigger", "assumption", "contribution to a firm's trigger below which it is "
          "not named as a strike's cause (the cause is then grievance)", 0.0, 1.0),
)


@njit(cache=True, inline="always")
def collect(f, day, dtny, H, any_home, p, z, s, fm, wk, zn, ht):
    """Today's additions to the firm's trigger, by cause: (news, rejected complaints, contagion in
    the zone, arrears before the New Year, hometown news). Refreshes the firm's hometown signal."""
    n = fm.end[f] - fm.start[f]
    hc = fm.headcount[f] if fm.headcount[f] > 0 else 1
    # news lights a firm as far as its workers have heard it
    c_news = p.trigger_news[z, s] * zn.news[z] * fm.aware[f] if fm.base[f] < p.min_wage[z, s] else 0.0
    c_rej = p.trigger_rejected[z, s] * fm.rejected[f] / hc
    own = fm.own[f]
    sig = 0.0
    for o in range(zn.zsig.shape[1]):
        sig += zn.zsig[z, o] if o == own else p.contagion_cross[z, s] * zn.zsig[z, o]
    c_cont = p.trigger_contagion[z, s] * sig
    c_arr = 0.0
    # the hometown signal moves slowly (half-life of days): its mean over the firm's workers is
    # refreshed on the firm's weekly turn, so this pass over workers is not made every day
    new_year = dtny <= p.new_year_window[z, s]
    if new_year or (any_home and (day + f) % 7 == 0):
        owed = 0.0
        hs = 0.0
        lo, hi = span(fm.start, fm.end, f)
        for i in range(lo, hi):
            if wk.arrears[i] > 0.0:
                owed += 1.0
            hs += ht.hsig[fm.city[f] * H + wk.home[i]]
        if new_year:
            c_arr = p.trigger_arrears[z, s] * owed / n
        fm.home_sig[f] = hs / n
    elif not any_home:
        fm.home_sig[f] = 0.0
    c_home = p.trigger_hometown[z, s] * fm.home_sig[f]
    return c_news, c_rej, c_cont, c_arr, c_home


@njit(cache=True, inline="always")
def cause(p, z, s, c_news, c_rej, c_cont, c_arr, c_home):
    """What lit a strike: the largest contribution to today's trigger."""
    cause = CAUSE_GRIEV
    best = p.cause_min[z, s]
    if c_news > best:
        cause, best = CAUSE_NEWS, c_news
    if c_arr > best:
        cause, best = CAUSE_ARR, c_arr
    if c_rej > best:
        cause, best = CAUSE_REJ, c_rej
    if c_cont + c_home > best:
        cause = CAUSE_CONT
    return cause
