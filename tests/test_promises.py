"""The central promises act through named channels (issue 12 point 1), each switched off on its own
against the default, on common random numbers, at the scale the convergence benchmark trusts (0.01),
2003-2006 after the burn-in, seeds 1-4 (run in two local processes):

- trust in the centre (``no-legitimacy``: the notices that raise the legitimacy the promises signal
  are dropped, so trust in the centre, which weighs a claim made in the state's words, stays low);
- awareness (``no-legal-training``: no October 2003 legal-training campaign);
- all the promises at once (``no-promises``, fact 1's counterfactual, which also drops the back-pay
  campaigns): the two channels above together carry most of its gap;
- distrust of the local state (``street_distrust`` = ``quit_distrust`` = 0): workers whom the local
  channel failed no longer turn to the street or quit more readily.

Filings 2004-2006 measured (seeds 1-2): the default 166-170 k, no-legitimacy 31 k, no-legal-training
125 k, no-promises 25 k, so trust in the centre carries about 95% of the gap to no-promises and
awareness about 30% (they interact).

Each check is an outcome of the whole model (grievance, claims, the ladder of complaints, strikes,
the labour market, trust's own feedback), not of a formula, and could fail: a channel whose effect
other processes absorbed (workers deterred, queues full, trust that recovers) would not pass.
Tolerances are stated per test; the measured sizes over 2003-2008 are in docs/EXPERIMENTS.md."""

from __future__ import annotations

import numpy as np
import pytest

from rightful.ensemble.executors import LocalProcesses

SCALE = 0.01  # rightful.inputs.TRUSTED_SCALE
SEEDS = (1, 2, 3, 4)
UNTIL = "2006-12-31"
YEARS = (2004, 2006)  # full years after the first promises (first and last)
NO_DISTRUST = {"street_distrust": 0.0, "quit_distrust": 0.0}
VARIANTS = {"default": ("prd-2003-2010", {}), "no-legitimacy": ("no-legitimacy", {}),
            "no-legal-training": ("no-legal-training", {}), "no-promises": ("no-promises", {}),
            "no-distrust": ("prd-2003-2010", NO_DISTRUST)}
FLOWS = ("arb_filed", "complaints", "strikes_started", "strikers_started", "quits")
MEANS = ("trust_central", "awareness")


def _one(job: tuple[str, str, dict, int]) -> tuple[str, int, dict[str, float]]:
    """One run, reduced to its totals over YEARS (in a worker process: one Numba thread)."""
    from rightful.model import set_threads, simulate
    from rightful.scenarios.loader import load

    set_threads(1)
    label, scenario, overrides, seed = job
    r = simulate(load(scenario), seed=seed, scale=SCALE, until=UNTIL, overrides=overrides or None)
    y = r.dates.astype("datetime64[Y]").astype(int) + 1970
    sel = (y >= YEARS[0]) & (y <= YEARS[-1])
    out = {n: float(r.total(n)[sel].sum()) for n in FLOWS}
    out.update({n: float(np.nanmean(r.city_mean(n)[sel])) for n in MEANS})
    return label, seed, out


@pytest.fixture(scope="module")
def runs() -> dict[str, list[dict[str, float]]]:
    ex = LocalProcesses(2)
    try:
        jobs = [(k, sc, ov, s) for k, (sc, ov) in VARIANTS.items() for s in SEEDS]
        got = [f.result() for f in ex.as_completed(ex.submit(_one, j) for j in jobs)]
    finally:
        ex.close()
    return {k: [next(o for lab, s, o in got if lab == k and s == seed) for seed in SEEDS] for k in VARIANTS}


def test_trust_in_the_centre_carries_the_promises_into_claims_and_strikes(runs) -> None:
    # without the notices trust in the centre stays low, and with it the weight of a claim made in the
    # state's words, legal or on the street. Tolerance: every seed, trust in the centre at least 0.1
    # lower, arbitration filings and strikes started 2004-2006 at most 0.8 of the default's.
    for d, n in zip(runs["default"], runs["no-legitimacy"], strict=True):
        assert n["trust_central"] < d["trust_central"] - 0.1, (d["trust_central"], n["trust_central"])
        assert n["arb_filed"] < 0.8 * d["arb_filed"], (d["arb_filed"], n["arb_filed"])
        assert n["strikes_started"] < 0.8 * d["strikes_started"], (d["strikes_started"], n["strikes_started"])


def test_legal_training_carries_the_promises_through_awareness(runs) -> None:
    # the October 2003 campaign teaches entitlements: without it awareness is lower and fewer claims
    # reach arbitration. Tolerance: every seed, mean awareness lower by at least 0.02 and filings
    # 2004-2006 at most 0.95 of the default's.
    for d, n in zip(runs["default"], runs["no-legal-training"], strict=True):
        assert n["awareness"] < d["awareness"] - 0.02, (d["awareness"], n["awareness"])
        assert n["arb_filed"] < 0.95 * d["arb_filed"], (d["arb_filed"], n["arb_filed"])


def test_the_channels_carry_the_gap_to_a_world_without_promises(runs) -> None:
    # the shares of the default-vs-no-promises gap in filings that switching off trust in the centre
    # and awareness each remove. Tolerance: every seed, each share positive, together at least 0.8
    # (they interact: grievance is trust x perceived gap, so the shares need not add to one).
    for d, t, a, n in zip(runs["default"], runs["no-legitimacy"], runs["no-legal-training"], runs["no-promises"],
                          strict=True):
        gap = d["arb_filed"] - n["arb_filed"]
        assert gap > 0, (d["arb_filed"], n["arb_filed"])
        trust, aware = (d["arb_filed"] - t["arb_filed"]) / gap, (d["arb_filed"] - a["arb_filed"]) / gap
        assert trust > 0 and aware > 0 and trust + aware >= 0.8, (trust, aware)


def test_distrust_of_the_local_state_turns_workers_from_the_law_to_the_street_and_to_exit(runs) -> None:
    # trust lost in the local state (the gap perceived, complaints rejected, claims failed) raises the
    # street's reading of a grievance and the odds of quitting ('no means left but to take to the
    # streets'; 'voting with their feet'), and a worker who quits drops her claim. Measured 2004-2006,
    # seeds 1-4: strikes +4.8%, quits +2.3% (every seed), filings -3.2%. Tolerance: summed over the
    # seeds, strikes at least 2% more and filings at least 0.5% fewer with it than without; quits at
    # least 0.5% more in every seed.
    tot = {k: {n: sum(r[n] for r in runs[k]) for n in FLOWS} for k in ("default", "no-distrust")}
    d, n = tot["default"], tot["no-distrust"]
    assert d["strikes_started"] > 1.02 * n["strikes_started"], (d["strikes_started"], n["strikes_started"])
    assert d["arb_filed"] < 0.995 * n["arb_filed"], (d["arb_filed"], n["arb_filed"])
    for a, b in zip(runs["default"], runs["no-distrust"], strict=True):
        assert a["quits"] > 1.005 * b["quits"], (a["quits"], b["quits"])
