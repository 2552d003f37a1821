"""Contention on ensembles of seeds (issue 3): the Hai Yan story and the Dalian spread. (The shape of
strikes in the default scenario, facts 2, 3 and 6, is checked by the registry in test_stylised_facts.)
Each test states its seeds and its tolerance.

Seeds are 1..N; the measures are shares of seeds, so a test fails only if the model's behaviour
changes, not by bad luck of one seed."""

from __future__ import annotations

import numpy as np
import pytest

from rightful.model import simulate
from rightful.population.codes import O_WON, OF_FORCE_TALK, OF_NEGOTIATE, P_OUTSPOKEN
from rightful.scenarios.loader import load

HAIYAN_SEEDS = range(1, 13)  # 12 seeds
DALIAN_SEEDS = range(1, 25)  # 24 seeds
NEWS = np.datetime64("2004-10-01")


def _first_strike(r, firm: int = 0) -> dict | None:
    lg = r.logs["strikes"]
    idx = np.flatnonzero(lg["firm"] == firm)
    if len(idx) == 0:
        return None
    j = idx[np.argmin(lg["start"][idx])]
    return {k: v[j] for k, v in lg.items()}


@pytest.fixture(scope="module")
def haiyan() -> list:
    ld = load("haiyan-2004")
    return [simulate(ld, seed=s) for s in HAIYAN_SEEDS]


@pytest.fixture(scope="module")
def haiyan_no_press() -> list:
    ld = load("haiyan-2004")
    return [simulate(ld, seed=s, overrides={"media_on": 0.0}) for s in HAIYAN_SEEDS]


def _after_news(r) -> dict | None:
    """The Hai Yan strike: the first strike that starts on or after the news."""
    lg = r.logs["strikes"]
    d0 = int((NEWS - r.dates[0]).astype(int))
    idx = np.flatnonzero(lg["start"] >= d0)
    if len(idx) == 0:
        return None
    j = idx[np.argmin(lg["start"][idx])]
    out = {k: v[j] for k, v in lg.items()}
    out["delay"] = int(lg["start"][j]) - d0
    return out


def test_haiyan_strike_follows_the_news_within_days(haiyan) -> None:
    # tolerance: in at least 9 of 12 seeds a strike starts within 10 days of the news
    firsts = [_after_news(r) for r in haiyan]
    quick = [f is not None and f["delay"] <= 10 for f in firsts]
    assert sum(quick) >= 9, [f and f["delay"] for f in firsts]


def test_haiyan_strike_escalates(haiyan) -> None:
    firsts = [f for f in (_after_news(r) for r in haiyan) if f is not None]
    # tolerance: escalation to the street in at least half the seeds (the chapter: the highway blocked)
    assert sum(bool(f["escalated"]) for f in firsts) >= len(firsts) / 2


def test_haiyan_guangzhou_press_reports_first(haiyan) -> None:
    # 'It was the Guangzhou press ... that first reported the demonstration and so forced Shenzhen
    # newspapers to mention it'. Tolerance: of the seeds where the strike is covered, most are
    # reported first by the outspoken outlet
    covered = [f for f in (_after_news(r) for r in haiyan) if f is not None and f["covered"]]
    first_out = sum(int(f["press"]) == P_OUTSPOKEN for f in covered)
    assert covered and first_out > len(covered) / 2, (first_out, len(covered))


def test_haiyan_enforced_settlement_insures_and_fines(haiyan) -> None:
    # officials who settle enforce social insurance ('the management has to contribute to workers'
    # social security') and a fine near 2 million yuan. Tolerance: every seed where officials
    # negotiated (alone or after the police) has insured workers and a fine of 1.5-2.5 million
    for r in haiyan:
        f = _after_news(r)
        if f is None or int(f["official"]) not in (OF_NEGOTIATE, OF_FORCE_TALK):
            continue
        assert r.total("insured_by_settlement").sum() > 0
        assert 1.5e6 <= r.total("fines").sum() <= 2.5e6, r.total("fines").sum()


def test_haiyan_strike_is_covered_and_wins_the_legal_minimum(haiyan) -> None:
    firsts = [f for f in (_after_news(r) for r in haiyan) if f is not None]
    n = len(firsts)
    cov = sum(bool(f["covered"]) for f in firsts)
    won = [f for f in firsts if f["outcome"] == O_WON]
    # tolerances: coverage in at least 40% of the seeds, a win in at least half
    assert cov >= 0.4 * n, (cov, n)
    assert len(won) >= n / 2, (len(won), n)
    # a win enforces the legal minimum: 240 -> 610 yuan is +154%; the chapter's +170% includes more
    for f in won:
        assert 1.45 <= f["wage_change"] <= 2.0, f["wage_change"]  # "roughly 150-200%"
        assert f["ot_change"] > 0.5, f["ot_change"]  # 2 yuan an hour -> the legal rate (5.3+)


def test_haiyan_escalation_follows_being_ignored(haiyan) -> None:
    # strikes that escalated had been ignored by officials at least once (the blockade was 'an
    # attempt to push the government to intervene'); tolerance: all escalated strikes lasted > 1 day
    for r in haiyan:
        lg = r.logs["strikes"]
        esc = lg["escalated"] == 1
        assert np.all(lg["end"][esc] > lg["start"][esc])


def test_haiyan_without_press_fewer_wins(haiyan, haiyan_no_press) -> None:
    # common random numbers: same seeds; tolerance: strictly fewer seeds end in a win
    def wins(runs: list) -> int:
        return sum(1 for r in runs if (f := _after_news(r)) is not None and f["outcome"] == O_WON)

    assert wins(haiyan_no_press) < wins(haiyan), (wins(haiyan_no_press), wins(haiyan))
    for r in haiyan_no_press:
        assert r.logs["strikes"]["covered"].sum() == 0


def test_haiyan_leaders_pay_a_price(haiyan) -> None:
    # 'some of the Haiyan workers were actually fired after the strike'; two leaders were arrested.
    # tolerance: in at least a third of the seeds leaders are fired or detained
    paid = [r.total("fired").sum() + r.total("detentions").sum() > 0 for r in haiyan]
    assert sum(paid) >= len(paid) / 3


@pytest.fixture(scope="module")
def dalian() -> list:
    ld = load("dalian-2005")
    return [simulate(ld, seed=s) for s in DALIAN_SEEDS]


def _spread(r) -> tuple[bool, dict | None]:
    """Did strikes spread to at least two other firms within 60 days of Toshiba's first strike?"""
    first = _first_strike(r, firm=0)
    if first is None:
        return False, None
    lg = r.logs["strikes"]
    later = (lg["firm"] != 0) & (lg["start"] >= first["start"]) & (lg["start"] <= first["start"] + 60)
    return len(np.unique(lg["firm"][later])) >= 2, first


def test_dalian_toshiba_strike_wins_150_yuan_when_it_wins(dalian) -> None:
    firsts = [_first_strike(r) for r in dalian]
    assert sum(f is not None for f in firsts) >= 0.8 * len(dalian)  # tolerance: 80% of 24 seeds
    for f in firsts:
        if f is not None and f["outcome"] == O_WON:
            assert abs(f["wage_change"] * 560 - 150) < 10  # 150 yuan a month on 560


def test_dalian_spread_happens_in_some_seeds_not_all_and_after_visible_success(dalian) -> None:
    res = [_spread(r) for r in dalian]
    spread = np.array([s for s, _ in res])
    # tolerance: at least 2 of 24 seeds spread and at least 8 do not
    assert 2 <= spread.sum() <= len(spread) - 8, spread.sum()
    visible = np.array([f is not None and f["outcome"] == O_WON and f["covered"] == 1 for _, f in res])
    # more likely after a visible (won and covered) success than otherwise
    p_vis = spread[visible].mean() if visible.any() else 0.0
    p_not = spread[~visible].mean() if (~visible).any() else 0.0
    assert p_vis > p_not, (p_vis, p_not)


def test_dalian_without_visibility_no_cascade() -> None:
    # counterfactual on common random numbers: news of the win carries no signal -> no spread
    # tolerance: no seed of 24 spreads
    ld = load("dalian-2005")
    runs = [simulate(ld, seed=s, overrides={"visibility": 0.0}) for s in DALIAN_SEEDS]
    assert sum(_spread(r)[0] for r in runs) == 0
