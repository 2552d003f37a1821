"""The stylised facts of the study (docs/ODD.md, section 1.2) as a registry of checks.

Why a registry of small functions: a fact is a claim about the model's behaviour that should be
checked the same way by ``rightful validate``, by tests and by whoever tunes the processes. Each
fact takes the runs of ONE seed, keyed by scenario name (several scenarios on common random
numbers when the fact is an experiment), and returns one or more ``Check``s, each with a measure,
a stated threshold and whether it passes. A fact passes for a seed when all its checks pass;
``rightful validate`` then reports the share of seeds that pass.

A check that cannot be evaluated (the horizon stops before a year it needs, no strike happened)
has ``passed = None``: it is reported as 'n/a', never silently as a pass or a fail.

'Success' of a strike means won or partly won (outcome codes 1 and 2); shares and medians over
the strike log are weighted by each strike's ``weight`` (the number of real strikes a sampled one
stands for). Totals of daily series are over the whole run, over all cities.

| fact | check | measure | passes when |
| --- | --- | --- | --- |
| 1 | legal_claims_rise | mean yearly arb_filed in full years after 2003, default / no-promises | >= 1.2 |
| 1 | strikes_rise | mean yearly strikes_started in full years after 2003, default / no-promises | >= 1.2 |
| 1 | compliance_flat | share_min_wage, mean of last full year minus mean of 2003 | <= 0.10 |
| 2 | short | weighted median strike duration (days) | <= 7 |
| 2 | few_spread | weighted share of strikes lit by contagion from another firm | <= 0.25 |
| 2 | cascades_rare | weighted share of strikes in a zone cascade (>= 3 contagion strikes, a zone, 14 days) | <= 0.10 |
| 3 | coverage_wins | P(success given covered) - P(success given not covered) | > 0 |
| 3 | coverage_intervention | P(officials negotiate given covered) - P(negotiate given not covered) | > 0 |
| 3 | disruption_wins | P(success given escalated) - P(success given not escalated) | > 0 |
| 3 | open_press_wins | success share media-open - success share media-closed | > 0 |
| 4 | paternalist_legal | arb_filed total, ngo-paternalist / ngo-none - 1 | > 0 |
| 4 | paternalist_strikes | strikes_started total, ngo-paternalist / ngo-none - 1 | < 0 |
| 4 | paternalist_street | escalated total, ngo-paternalist / ngo-none - 1 | < 0 |
| 4 | autonomy_legal | arb_filed total, ngo-autonomy / ngo-none - 1 | > 0 |
| 4 | autonomy_collective | strikes_started total, ngo-autonomy / ngo-none - 1 | > 0 |
| 5 | bridge_changes_nothing | max relative diff. union-bridge vs default, dispute series before 2008-08-01 | <= 1e-9 |
| 5 | representative_fewer_strikes | strikes_started total, union-representative / default - 1 | < 0 |
| 5 | representative_higher_wages | mean_wage over the last 365 days, union-representative / default - 1 | > 0 |
| 6 | gains_fade | (reversions, default - spotlight-lasting) / strikes won in the default | > 0 |
| 6 | leaders_pay | fired total + detained worker-days | > 0 |
| 7 | tight_wages | mean_wage over the last 365 days, labour-tight / labour-slack - 1 | > 0 |
| 7 | tight_quits | quits total, labour-tight / labour-slack - 1 | > 0 |
| 7 | tight_success | strike success share, labour-tight - labour-slack | > 0 |
| 8 | more_strikes | strikes_started in 2008 / in 2005 | > 1 |
| 8 | larger_strikes | weighted mean peak size of strikes started in 2008 / in 2005 | > 1 |
| 8 | longer_strikes | weighted mean duration of strikes started in 2008 / in 2005 | > 1 |

Fact 5's bridge check is structural (by design nothing reads a bridge branch; common random
numbers make the runs identical until the default's own representative branches start in Shenzhen
on 2008-08-01, which union-bridge switches off); every other check is empirical.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..model import RunResult
from ..population.codes import O_PARTIAL, O_WON, OF_FORCE_TALK, OF_NEGOTIATE
from ..population.schema import CAUSES
from ..runview import RunView, S, Strikes

BASE = "prd-2003-2010"
NO_PROMISES = "no-promises"  # fact 1's counterfactual: the default without the central promises
SPOTLIGHT = "spotlight-lasting"  # fact 6's counterfactual: the media spotlight does not move on
CONTAGION = CAUSES.index("contagion")  # the cause code of a strike lit by another
BRIDGE_UNTIL = "2008-08-01"  # the default's own representative branches start here (Shenzhen)
DISPUTE_SERIES = (S.strikes_started, S.strikers_started, S.arb_filed, S.complaints, S.court_filed, S.escalated,
                  S.grievance, S.quits, S.mean_wage, S.arrears)


@dataclass
class Check:
    """One measured criterion of a fact: ``passed`` is None when it could not be evaluated."""

    name: str
    measure: float
    threshold: str
    passed: bool | None
    detail: str = ""


@dataclass
class FactResult:
    """The checks of one fact for one seed."""

    fact: int
    title: str
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool | None:
        """False if any check fails, None if none fails but one is not evaluable, else True."""
        vals = [c.passed for c in self.checks]
        if any(v is False for v in vals):
            return False
        return None if any(v is None for v in vals) else True


@dataclass(frozen=True)
class Fact:
    number: int
    title: str
    needs: tuple[str, ...]
    fn: Callable[[Mapping[str, RunView]], list[Check]]


# --- helpers ---------------------------------------------------------------------------------


def _cmp(name: str, measure: float, op: str, bound: float, detail: str = "") -> Check:
    """A check ``measure op bound``; NaN measures are not evaluable."""
    if measure is None or not np.isfinite(measure):
        return Check(name, float("nan") if measure is None else float(measure), f"{op} {bound:g}", None, detail)
    ok = {">": measure > bound, ">=": measure >= bound, "<": measure < bound, "<=": measure <= bound}[op]
    return Check(name, float(measure), f"{op} {bound:g}", bool(ok), detail)


def _rel(a: float, b: float) -> float:
    """a / b - 1, with 0/0 = 0 and x/0 = inf."""
    if b == 0:
        return 0.0 if a == 0 else float(np.sign(a)) * float("inf")
    return a / b - 1.0


def _ratio(a: float, b: float) -> float:
    if b == 0:
        return float("nan") if a == 0 else float("inf")
    return a / b


def total(v: RunView, name: str) -> float:
    return float(np.nansum(v.series(name)))


def year_sum(v: RunView, name: str, year: int) -> float:
    return float(np.nansum(v.series(name)[v.years() == year]))


def year_mean(v: RunView, name: str, year: int) -> float:
    return float(np.nanmean(v.series(name)[v.years() == year]))


def last_year_mean(v: RunView, name: str) -> float:
    s = v.series(name)
    return float(np.nanmean(s[max(0, len(s) - 365):]))


def success(st: Strikes) -> np.ndarray:
    return (st.outcome == O_WON) | (st.outcome == O_PARTIAL)


def ended(st: Strikes) -> np.ndarray:
    """Strikes with an outcome (an ongoing strike at the end of the run has none yet)."""
    return st.outcome > 0


def wshare(event: np.ndarray, given: np.ndarray, w: np.ndarray) -> float:
    """Weighted P(event | given); NaN when nothing satisfies ``given``."""
    d = float((w * given).sum())
    return float((w * (event & given)).sum()) / d if d > 0 else float("nan")


def weighted_median(v: np.ndarray, w: np.ndarray) -> float:
    if not len(v) or w.sum() <= 0:
        return float("nan")
    o = np.argsort(v, kind="stable")
    c = np.cumsum(w[o])
    return float(v[o][np.searchsorted(c, 0.5 * c[-1])])


def success_share(v: RunView) -> float:
    st = v.strikes
    return wshare(success(st), ended(st), st.weight)


# --- the facts -------------------------------------------------------------------------------


def fact1(runs: Mapping[str, RunView]) -> list[Check]:
    """Claims rise *because of* the promises: the default against the same world without them (the
    counterfactual ``no-promises``, common random numbers: a rise out of a warm-up, or from any other
    cause, is in both and cancels), legal claims and strikes each on its own; compliance barely
    improves in the default."""
    v, cf = runs[BASE], runs[NO_PROMISES]
    years = v.full_years()
    after = [y for y in years if y > 2003 and y in cf.full_years()]
    if 2003 not in years or not after:
        na = "needs the full year 2003 and at least one later full year"
        return [Check(n, float("nan"), t, None, na) for n, t in
                (("legal_claims_rise", ">= 1.2"), ("strikes_rise", ">= 1.2"), ("compliance_flat", "<= 0.1"))]

    def yearly(series: str) -> tuple[float, float]:  # with and without the promises
        return tuple(float(np.mean([year_sum(r, series, y) for y in after])) for r in (v, cf))

    span = f"{after[0]}-{after[-1]}"
    legal, street = yearly(S.arb_filed), yearly(S.strikes_started)
    share = {y: year_mean(v, S.share_min_wage, y) for y in (2003, after[-1])}
    return [
        _cmp("legal_claims_rise", _ratio(*legal), ">=", 1.2,
             f"arbitration filings a year {span}: {legal[0]:.4g} with the promises, {legal[1]:.4g} without"),
        _cmp("strikes_rise", _ratio(*street), ">=", 1.2,
             f"strikes a year {span}: {street[0]:.4g} with the promises, {street[1]:.4g} without"),
        _cmp("compliance_flat", share[after[-1]] - share[2003], "<=", 0.10,
             f"share paid the minimum 2003 {share[2003]:.3f}, {after[-1]} {share[after[-1]]:.3f}"),
    ]


def cascade_mask(st: Strikes, window: int = 14, size: int = 3) -> np.ndarray:
    """Strikes lit by contagion that belong to a burst of >= ``size`` contagion strikes starting in
    the same zone within ``window`` days: the model's version of a zone-wide cascade (Dalian 2005)."""
    n = len(st.start)
    out = np.zeros(n, dtype=bool)
    cont = st.cause == CONTAGION
    for z in np.unique(st.zone[cont]):
        idx = np.flatnonzero(cont & (st.zone == z))
        starts = st.start[idx]
        for j, s in zip(idx, starts, strict=True):
            near = np.abs(starts - s) <= window
            if near.sum() >= size:
                out[j] = True
    return out


def fact2(runs: Mapping[str, RunView]) -> list[Check]:
    st = runs[BASE].strikes
    w = st.weight
    n = len(w)
    detail = f"{n} sampled strikes (every strike in the model is one firm's)"
    allm = np.ones(n, dtype=bool)
    return [
        _cmp("short", weighted_median(st.days.astype(np.float64), w), "<=", 7, detail),
        _cmp("few_spread", wshare(st.cause == CONTAGION, allm, w), "<=", 0.25),
        _cmp("cascades_rare", wshare(cascade_mask(st), allm, w), "<=", 0.10),
    ]


def fact3(runs: Mapping[str, RunView]) -> list[Check]:
    st = runs[BASE].strikes
    w, done = st.weight, ended(st)
    win = success(st)
    cov, esc = st.covered, st.escalated
    p_cov, p_unc = wshare(win, done & cov, w), wshare(win, done & ~cov, w)
    neg = (st.official == OF_NEGOTIATE) | (st.official == OF_FORCE_TALK)  # officials negotiated
    i_cov, i_unc = wshare(neg, cov, w), wshare(neg, ~cov, w)
    e_esc, e_not = wshare(win, done & esc, w), wshare(win, done & ~esc, w)
    s_open, s_closed = success_share(runs["media-open"]), success_share(runs["media-closed"])
    return [
        _cmp("coverage_wins", p_cov - p_unc, ">", 0, f"P(success|covered) {p_cov:.3f}, not covered {p_unc:.3f}"),
        _cmp("coverage_intervention", i_cov - i_unc, ">", 0,
             f"P(negotiate|covered) {i_cov:.3f}, not covered {i_unc:.3f}"),
        _cmp("disruption_wins", e_esc - e_not, ">", 0,
             f"P(success|escalated) {e_esc:.3f}, not escalated {e_not:.3f}"),
        _cmp("open_press_wins", s_open - s_closed, ">", 0,
             f"success share media-open {s_open:.3f}, media-closed {s_closed:.3f}"),
    ]


def fact4(runs: Mapping[str, RunView]) -> list[Check]:
    none, pat, aut = runs["ngo-none"], runs["ngo-paternalist"], runs["ngo-autonomy"]

    def rel(a: RunView, s: str) -> tuple[float, str]:
        return _rel(total(a, s), total(none, s)), f"{s} {total(a, s):.4g} vs ngo-none {total(none, s):.4g}"

    out = []
    for name, run, s, op in (("paternalist_legal", pat, S.arb_filed, ">"),
                             ("paternalist_strikes", pat, S.strikes_started, "<"),
                             ("paternalist_street", pat, S.escalated, "<"),
                             ("autonomy_legal", aut, S.arb_filed, ">"),
                             ("autonomy_collective", aut, S.strikes_started, ">")):
        m, d = rel(run, s)
        out.append(_cmp(name, m, op, 0, d))
    return out


def max_rel_diff(a: RunView, b: RunView, names: Sequence[str], until: str) -> float:
    """Largest |a - b| / max(|b|, 1) over the named daily series before ``until``."""
    k = min(a.day_of(until), b.day_of(until))
    worst = 0.0
    for s in names:
        x, y = a.series(s)[:k], b.series(s)[:k]
        if len(x) != len(y):
            return float("inf")
        d = np.abs(x - y) / np.maximum(np.abs(y), 1.0)
        worst = max(worst, float(np.nanmax(d)) if len(d) else 0.0)
    return worst


def fact5(runs: Mapping[str, RunView]) -> list[Check]:
    base, bridge, rep = runs[BASE], runs["union-bridge"], runs["union-representative"]
    joined = total(bridge, S.union_joined), total(base, S.union_joined)
    return [
        _cmp("bridge_changes_nothing", max_rel_diff(bridge, base, DISPUTE_SERIES, BRIDGE_UNTIL), "<=", 1e-9,
             f"union members joined {joined[0]:.4g} (bridge) vs {joined[1]:.4g} (default); "
             f"series {', '.join(DISPUTE_SERIES)} before {BRIDGE_UNTIL}"),
        _cmp("representative_fewer_strikes", _rel(total(rep, S.strikes_started), total(base, S.strikes_started)),
             "<", 0, f"strikes_started {total(rep, 'strikes_started'):.4g} vs {total(base, 'strikes_started'):.4g}"),
        _cmp("representative_higher_wages", _rel(last_year_mean(rep, S.mean_wage), last_year_mean(base, S.mean_wage)),
             ">", 0, f"mean_wage {last_year_mean(rep, 'mean_wage'):.1f} vs {last_year_mean(base, 'mean_wage'):.1f}"),
    ]


def fact6(runs: Mapping[str, RunView]) -> list[Check]:
    v, lasting = runs[BASE], runs[SPOTLIGHT]
    won = total(v, S.strikes_won)
    rev, rev_l = total(v, S.reversions), total(lasting, S.reversions)
    fired, det = total(v, S.fired), total(v, S.detained)
    return [
        _cmp("gains_fade", (rev - rev_l) / max(won, 1.0), ">", 0,
             f"reversions {rev:.4g} vs {rev_l:.4g} with a lasting spotlight, after {won:.4g} strikes won"),
        _cmp("leaders_pay", fired + det, ">", 0, f"fired {fired:.4g}, detained worker-days {det:.4g}"),
    ]


def fact7(runs: Mapping[str, RunView]) -> list[Check]:
    slack, tight = runs["labour-slack"], runs["labour-tight"]
    w = last_year_mean(tight, S.mean_wage), last_year_mean(slack, S.mean_wage)
    q = total(tight, S.quits), total(slack, S.quits)
    s = success_share(tight), success_share(slack)
    return [
        _cmp("tight_wages", _rel(*w), ">", 0, f"mean_wage {w[0]:.1f} vs {w[1]:.1f}"),
        _cmp("tight_quits", _rel(*q), ">", 0, f"quits {q[0]:.4g} vs {q[1]:.4g}"),
        _cmp("tight_success", s[0] - s[1], ">", 0, f"success share {s[0]:.3f} vs {s[1]:.3f}"),
    ]


def fact8(runs: Mapping[str, RunView]) -> list[Check]:
    v = runs[BASE]
    years = v.full_years()
    if 2005 not in years or 2008 not in years:
        na = "needs the full years 2005 and 2008"
        return [Check(n, float("nan"), "> 1", None, na) for n in ("more_strikes", "larger_strikes", "longer_strikes")]
    st = v.strikes
    sy = v.years()[np.clip(st.start, 0, len(v.dates) - 1)] if len(st.start) else np.array([], dtype=int)
    w = st.weight

    def wmean(x: np.ndarray, y: int) -> float:
        m = sy == y
        return float((x[m] * w[m]).sum() / w[m].sum()) if w[m].sum() > 0 else float("nan")

    n5, n8 = year_sum(v, S.strikes_started, 2005), year_sum(v, S.strikes_started, 2008)
    p5, p8 = wmean(st.peak, 2005), wmean(st.peak, 2008)
    d5, d8 = wmean(st.days.astype(np.float64), 2005), wmean(st.days.astype(np.float64), 2008)
    return [
        _cmp("more_strikes", _ratio(n8, n5), ">", 1, f"strikes started 2005 {n5:.4g}, 2008 {n8:.4g}"),
        _cmp("larger_strikes", _ratio(p8, p5), ">", 1, f"mean peak size 2005 {p5:.1f}, 2008 {p8:.1f}"),
        _cmp("longer_strikes", _ratio(d8, d5), ">", 1, f"mean duration 2005 {d5:.2f}, 2008 {d8:.2f} days"),
    ]


FACTS: dict[int, Fact] = {f.number: f for f in (
    Fact(1, "claims rise with the promises (against a world without them) while compliance barely improves",
         (BASE, NO_PROMISES), fact1),
    Fact(2, "most strikes are one firm's, short; few spread, cascades are rare", (BASE,), fact2),
    Fact(3, "coverage and disruption raise intervention and success", (BASE, "media-closed", "media-open"), fact3),
    Fact(4, "paternalist NGOs: more legal claims, less street action; autonomy NGOs: more of both",
         ("ngo-none", "ngo-paternalist", "ngo-autonomy"), fact4),
    Fact(5, "bridge unions change nothing; representative unions lower strikes, raise wages",
         (BASE, "union-bridge", "union-representative"), fact5),
    Fact(6, "gains fade when attention moves on; leaders pay a price", (BASE, SPOTLIGHT), fact6),
    Fact(7, "a tight labour market raises wages, quits and strike success", ("labour-slack", "labour-tight"), fact7),
    Fact(8, "strike frequency, scale and duration grow from 2005 to 2008", (BASE,), fact8),
)}


def select(numbers: Sequence[int] | None = None) -> list[Fact]:
    """The facts asked for (all by default), in order; an unknown number is an error."""
    if not numbers:
        return list(FACTS.values())
    bad = [n for n in numbers if n not in FACTS]
    if bad:
        raise ValueError(f"no stylised fact {bad}; the facts are {sorted(FACTS)}")
    return [FACTS[n] for n in sorted(set(numbers))]


def scenarios_needed(facts: Sequence[Fact]) -> list[str]:
    """The scenarios to run, baseline first, each once."""
    out = list(dict.fromkeys(s for f in facts for s in f.needs))
    return sorted(out, key=lambda s: (s != BASE, out.index(s)))


def as_view(run: RunView | RunResult, label: str = "") -> RunView:
    return run if isinstance(run, RunView) else RunView.of_result(run, label)


def evaluate(runs: Mapping[str, RunView | RunResult], numbers: Sequence[int] | None = None) -> list[FactResult]:
    """Check the facts (all, or ``numbers``) on the runs of one seed, keyed by scenario name.

    A fact whose scenarios are missing from ``runs`` raises KeyError naming them.
    """
    views = {k: as_view(r, k) for k, r in runs.items()}
    out = []
    for f in select(numbers):
        missing = [s for s in f.needs if s not in views]
        if missing:
            raise KeyError(f"fact {f.number} needs the runs of {missing}")
        out.append(FactResult(f.number, f.title, f.fn(views)))
    return out
