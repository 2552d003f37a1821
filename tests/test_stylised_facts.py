"""The stylised facts of MODEL.md, checked exactly as ``rightful validate`` checks them: one registry of
facts, checks and thresholds (``rightful.validation.facts``), one verdict rule (a fact holds when all its
checks pass on at least ``PASS_SHARE`` of the seeds, ``rightful.validation.validate``).

Every scenario a fact needs is run on the same seeds (common random numbers: a paired experiment such
as ngo-none against ngo-paternalist differs only by what the scenarios change), 2003-2010 after the
default's 730-day steady start, at the trusted scale (``rightful.inputs.TRUSTED_SCALE``, 0.01: the
smallest at which benchmarks/convergence.py finds every key series within 5% of the 1:1 region). A
fact the model does not yet reproduce is marked as an expected failure with the issue that owns it,
strictly: when it starts to hold, the mark must go."""

from __future__ import annotations

import pytest

from rightful.ensemble.executors import LocalProcesses
from rightful.inputs import TRUSTED_SCALE
from rightful.validation.facts import FACTS
from rightful.validation.validate import PASS_SHARE, ValidationResult, run_validation

FACT_SEEDS = (1, 2, 3)  # PASS_SHARE 0.7 of 3 seeds: a fact must hold on every seed
KNOWN_FAILING: dict[int, str] = {
    4: "issue 14 (NGOs' practices as mechanisms): since lost trust in the local state moves workers to the "
       "street (issue 12), paternalist NGOs' extra claims also bring extra failures, and their contacts' "
       "distrust: at 0.01 paternalist NGOs lower strikes on 5 of seeds 1-6 (median -7.4%), not on seed 2 "
       "(+0.1%); with street_distrust = 0, on all 6 (median -6.1%)",
    2: "issue 13 (contagion rare): at 0.01 on seeds 1-6, 41% of strikes are lit by contagion (registry: <= 25%) "
       "and 39% belong to a zone cascade (<= 10%)",
    8: "issue 13 (why strikes start; strikes grow in scale over 2005-2008): strikes are 6x as many in 2008 as in "
       "2005 and last longer, but their mean peak is 0.91 of 2005's (passes on 1 of seeds 1-6)",
}


@pytest.fixture(scope="session")
def validation(tmp_path_factory: pytest.TempPathFactory) -> ValidationResult:
    ex = LocalProcesses(2)
    try:
        return run_validation(None, FACT_SEEDS, tmp_path_factory.mktemp("validate"), ex, scale=TRUSTED_SCALE,
                              progress=False)
    finally:
        ex.close()


def _marked(n: int):
    if n in KNOWN_FAILING:
        return pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_FAILING[n], strict=True))
    return n


@pytest.mark.parametrize("number", [_marked(n) for n in sorted(FACTS)])
def test_fact_holds_as_validate_judges_it(validation: ValidationResult, number: int) -> None:
    rows = [r for r in validation.rows if r["fact"] == number]
    assert rows, f"fact {number} was not evaluated (a run failed?): {validation.batch.failed}"
    verdict = next(r for r in rows if r["check"] == "(all)")
    failing = [f"{r['check']}: median {r['measure_median']:.4g}, needs {r['threshold']}, passes on "
               f"{r['share_passing']:.0%} of {r['seeds']} seeds" for r in rows
               if r["check"] != "(all)" and r["verdict"] != "pass"]
    assert verdict["verdict"] == "pass", f"fact {number} ({verdict['title']}), below {PASS_SHARE:.0%}: {failing}"


def test_every_seed_and_scenario_ran(validation: ValidationResult) -> None:
    assert not validation.batch.failed
    assert sorted(validation.per_seed) == list(FACT_SEEDS)
