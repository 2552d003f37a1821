"""The street channel's mechanisms (issue 13), each on ensembles that can fail: the default scenario
against a counterfactual that switches one mechanism off, on common random numbers (same seeds),
at the scale the convergence benchmark trusts (0.01, README "Scale"), 2003-2008 after the burn-in.

What each test checks is a consequence of a mechanism through the whole model (recruitment,
answers, wages, arrears), not the mechanism's own formula: each could fail if the mechanism did
not carry through (a deterred zone whose firms withhold as much, say). Tolerances are stated per
test. The Hai Yan case is in test_contention; the stylised facts in test_stylised_facts."""

from __future__ import annotations

import numpy as np
import pytest

from rightful.model import simulate
from rightful.population.codes import O_PARTIAL, O_WON, OF_FORCE_TALK, OF_REPRESS, P_OUTSPOKEN
from rightful.scenarios.loader import load

SCALE = 0.01  # TRUSTED_SCALE of test_stylised_facts (the convergence benchmark's smallest trusted scale)
SEEDS = (1, 2)
UNTIL = "2008-12-31"


def _runs(**overrides: float) -> list:
    ld = load("prd-2003-2010")
    return [simulate(ld, seed=s, scale=SCALE, until=UNTIL, overrides=overrides or None) for s in SEEDS]


def _years(r) -> np.ndarray:
    return r.dates.astype("datetime64[Y]").astype(int) + 1970


def _sum(r, name: str, first: int, last: int) -> float:
    y = _years(r)
    return float(r.total(name)[(y >= first) & (y <= last)].sum())


@pytest.fixture(scope="module")
def default() -> list:
    return _runs()


@pytest.mark.xfail(strict=True, reason="issue 13: with the city's fear (issue 11) strike experience at its default "
                   "strength no longer raises strikes 2006-2008 in every seed (seed 1: -8%, seeds 2-3: +3%, +6%; "
                   "repeat strikes +2.7, +1.4, -0.4 points): more strikes sooner bring more fear across the city "
                   "(docs/ODD.md 9)")
def test_workers_learn_from_earlier_strikes(default) -> None:
    # experience of earlier strikes lowers thresholds (experience_effect): once it has built up, more
    # firms strike. Tolerance: every seed, strikes started 2006-2008 at least 1% more than without it.
    # (Not their size: experienced workers start strikes sooner, before a grievance is widespread, so
    # strikers fall; docs/ODD.md 7.6 and 9.)
    naive = _runs(experience_effect=0.0)
    for d, n in zip(default, naive, strict=True):
        a, b = _sum(d, "strikes_started", 2006, 2008), _sum(n, "strikes_started", 2006, 2008)
        assert a > 1.01 * b, (a, b)


def test_fines_deter_the_zone_from_withholding(default) -> None:
    # officials' fines deter the fined firm and its zone (fine_deter_firm, fine_deter_zone): without
    # deterrence firms withhold more pay. Tolerance: every seed, arrears accrued 2005-2008 lower (by
    # 1.3% and more at scale 0.01, seeds 1-2; -11% over 2003-2010, 12 seeds)
    undeterred = _runs(fine_deter_zone=0.0, fine_deter_firm=0.0)
    for d, u in zip(default, undeterred, strict=True):
        a, b = _sum(d, "arrears_accrued", 2005, 2008), _sum(u, "arrears_accrued", 2005, 2008)
        assert a < b, (a, b)


def test_detained_leaders_are_freed_under_pressure(default) -> None:
    # the press and NGOs free detained leaders (release_press, release_ngo): without that pressure
    # they are held longer. Tolerance: every seed, mean detained stock 2004-2008 at least 10% higher
    unpressed = _runs(release_press=0.0, release_ngo=0.0)
    for d, u in zip(default, unpressed, strict=True):
        a, b = _sum(d, "detained", 2004, 2008), _sum(u, "detained", 2004, 2008)
        assert b > 1.10 * a, (a, b)


def test_police_can_push_strikers_back_while_officials_negotiate(default) -> None:
    # the officials' answers combine (Hai Yan): some forced strikes are also negotiated and won, and
    # more often when the press or a blockade presses officials. Tolerance: over both seeds' logs
    forced_talk = forced = talk_pressed = pressed = 0.0
    for r in default:
        lg = r.logs["strikes"]
        w = lg["weight"]
        ft = lg["official"] == OF_FORCE_TALK
        f = ft | (lg["official"] == OF_REPRESS)
        assert np.all(lg["outcome"][ft] == O_WON)
        p = (lg["covered"] > 0) | (lg["escalated"] > 0)
        forced_talk += w[ft].sum()
        forced += w[f].sum()
        talk_pressed += w[ft & p].sum()
        pressed += w[f & p].sum()
    assert forced_talk > 0 and forced > forced_talk
    quiet = (forced_talk - talk_pressed) / max(forced - pressed, 1e-9)
    assert talk_pressed / max(pressed, 1e-9) > quiet, (talk_pressed, pressed, forced_talk, forced)


def _organised_win_share(runs: list) -> float:
    """Weighted share of organised strikes that succeed (won or partly won, as the registry counts)."""
    won = org = 0.0
    for r in runs:
        lg = r.logs["strikes"]
        o = lg["organised"] > 0
        won += lg["weight"][o & ((lg["outcome"] == O_WON) | (lg["outcome"] == O_PARTIAL))].sum()
        org += lg["weight"][o].sum()
    return won / max(org, 1e-9)


def test_organised_strikes_grow_win_more_and_meet_a_top_down_union(default) -> None:
    # delegations (Yantian): more often as workers learn, more wins through collective bargaining,
    # and a demand for an elected union head that is refused (a branch set up top-down). Tolerances:
    # over both seeds' logs, the organised share of 2007-2008 above that of 2003-2004; organised
    # strikes succeed more often with the delegation's leverage than without it (delegation_leverage
    # 1, common random numbers: a cross-section would mix in where delegations form; full wins alone
    # fall, as management's partial concessions pre-empt officials' negotiated wins)
    early = late = early_n = late_n = 0.0
    for r in default:
        lg = r.logs["strikes"]
        w = lg["weight"]
        y = _years(r)[np.clip(lg["start"], 0, len(r.dates) - 1)]
        o = lg["organised"] > 0
        e, la = (y <= 2004), (y >= 2007)
        early += w[o & e].sum()
        early_n += w[e].sum()
        late += w[o & la].sum()
        late_n += w[la].sum()
        assert r.total("unions_top_down").sum() > 0
        assert r.total("union_demands").sum() >= r.total("unions_top_down").sum()
    assert late / late_n > early / early_n, (late / late_n, early / early_n)
    plain = _runs(delegation_leverage=1.0)
    assert _organised_win_share(default) > _organised_win_share(plain), \
        (_organised_win_share(default), _organised_win_share(plain))


def test_outspoken_press_reaches_other_cities(default) -> None:
    # Guangzhou's outspoken press reports strikes in Shenzhen and Dongguan (outspoken_press), and
    # without its reach fewer of their strikes are covered. Tolerance: every seed
    local_only = _runs(outspoken_press=0.0)
    for d, c in zip(default, local_only, strict=True):
        lg = d.logs["strikes"]
        out_city = np.array([d.cities[k] for k in lg["city"]]) != "Guangzhou"
        assert lg["weight"][out_city & (lg["press"] == P_OUTSPOKEN)].sum() > 0
        assert _sum(d, "covered", 2003, 2008) > _sum(c, "covered", 2003, 2008)
