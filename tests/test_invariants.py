"""Accounting invariants of a run: stocks never negative, workers conserved across situations,
wages owed = accrued - repaid - forfeited - recovered, flows consistent with the claims ladder."""

from __future__ import annotations

import numpy as np

STATUS = ("workers", "in_dispute", "seeking", "gone_home", "detained")


def test_no_negative_stocks(small_run) -> None:
    s = small_run.series
    for name in s.names:
        v = s.daily[:, :, s.index[name]]
        assert np.all(np.isfinite(v)), name
        assert v.min() >= -1e-6, name


def test_workers_conserved_across_situations(small_run) -> None:
    s = small_run.series
    tot = sum(s.daily[:, :, s.index[n]] for n in STATUS)
    pop = s.daily[:, :, s.index["population"]]
    weighted_pop = tot[0]  # the same every day, per city
    assert np.allclose(tot, weighted_pop[None, :], rtol=1e-9)
    assert np.all(pop == pop[0])


def test_arrears_accounting(small_run) -> None:
    s = small_run.series
    k = s.index
    d = s.daily
    stock = d[:, :, k["arrears"]].sum(axis=1)
    flows = (d[:, :, k["arrears_accrued"]] - d[:, :, k["arrears_repaid"]] - d[:, :, k["arrears_forfeited"]]
             - d[:, :, k["arrears_recovered"]] - d[:, :, k["arrears_forfeited_claims"]]).sum(axis=1)
    expected = stock[0] - flows[0] + np.cumsum(flows)
    assert np.allclose(stock, expected, rtol=1e-4, atol=1.0)
    assert d[:, :, k["arrears_accrued"]].sum() > 0 and d[:, :, k["arrears_repaid"]].sum() > 0


def test_claims_ladder_is_consistent(small_run) -> None:
    s = small_run.series
    tot = {n: s.column(n).sum() for n in ("complaints", "complaints_rejected", "arb_filed", "arb_accepted",
                                          "arb_rejected", "arb_won", "arb_partly", "arb_lost", "arb_awarded",
                                          "arb_enforced", "collective_workers")}
    assert tot["complaints"] > 0
    assert tot["complaints_rejected"] <= tot["complaints"]
    assert tot["arb_accepted"] + tot["arb_rejected"] == tot["arb_filed"]
    assert tot["arb_won"] + tot["arb_partly"] + tot["arb_lost"] == tot["arb_awarded"]
    assert tot["arb_enforced"] <= tot["arb_won"] + tot["arb_partly"]
    assert tot["collective_workers"] <= tot["arb_filed"]


def test_strike_log_matches_flows(small_run) -> None:
    lg = small_run.logs["strikes"]
    s = small_run.series
    ended = s.column("strikes_ended").sum()
    assert np.isclose(lg["weight"].sum(), ended)
    assert np.all(lg["end"] >= lg["start"])
    assert set(np.unique(lg["outcome"])) <= {1, 2, 3}
