"""Answers to a strike: management concedes, partly concedes, fires leaders or calls the police;
officials ignore, repress (detentions) or negotiate and enforce the law (minimum wage, overtime
rules, back pay, fines). The Shenzhen cooling order stays management's hand.

Chapter (Hai Yan): "the demonstrators were forced back to the factory by armed policemen,
officials from the municipal and district Labour and Social Security Bureaus held negotiations
... which were compelled to enforce the legal minimum wage ... Overtime is now paid at 5.4 yuan
per hour ... and is limited to 40 hours a month ... the labour authorities imposed a record fine
of nearly 2 million yuan"; "This pressure obliged the police to free the two leaders";
"the economic context was also favourable ... a workforce shortage"; "the pressure of foreign
companies and joint ventures worried about their public image"; 2005-2006: "mass protests are
essentially manifestations of social and economic tensions" (tolerance, lower repression);
June 2008 Shenzhen draft: "the government can order management not to take any action that is
liable to exacerbate the conflict for a period of 30 days".
"""

from __future__ import annotations

from numba import njit

from ..engine.params import Param

PARAMS = (
    Param("official_base", 0.02, "1/day", "assumption", "daily odds officials step in unprompted", 0.0, 1.0),
    Param("official_coverage", 0.35, "1/day", "chapter: press reports 'impose pressure on local "
          "authorities to settle'", "added odds when the strike is covered", 0.0, 1.0),
    Param("official_escalation", 0.3, "1/day", "chapter: the blockade was 'an attempt to push the "
          "government to intervene'", "added odds when the strike is in the street", 0.0, 1.0),
    Param("repression", 0.45, "prob", "chapter: 'in the past ... a harsh approach towards labour "
          "protests, often detaining their leaders'; lowered by the 2005-2006 statements (events)",
          "odds an intervention represses rather than negotiates", 0.0, 1.0),
    Param("coverage_shield", 0.85, "share", "chapter: the press forced the police to free the leaders",
          "cut in repression odds when covered", 0.0, 1.0),
    Param("shortage_tolerance", 0.6, "share", "chapter: with the shortage 'local authorities were forced to "
          "take measures to protect migrant workers' rights better'", "cut in repression odds at full labour "
          "shortage", 0.0, 1.0),
    Param("fine_per_worker", 650.0, "yuan", "chapter: Hai Yan fine of nearly 2 million yuan for "
          "3,000 workers", "fine imposed per worker when officials enforce", 0.0, 5000.0),
    Param("ot_cap_hours", 40.0, "hours/month", "chapter: Hai Yan overtime 'limited to 40 hours a month'",
          "monthly overtime cap imposed by an enforced settlement", 0.0, 200.0),
    Param("concede_base", 0.02, "1/day", "assumption", "daily odds management concedes", 0.0, 1.0),
    Param("partial_base", 0.03, "1/day", "assumption", "daily odds management partly concedes", 0.0, 1.0),
    Param("leverage_shortage", 1.5, "x", "chapter: the labour shortage made the outcome favourable",
          "concession odds multiplied by (1 + shortage*this)", 0.0, 10.0),
    Param("leverage_brand", 1.0, "x", "chapter: brands 'worried about their public image'",
          "concession odds multiplied by (1 + brand*this)", 0.0, 10.0),
    Param("leverage_attention", 1.0, "x", "chapter: coverage 'imposes pressure'", "concession odds "
          "multiplied by (1 + attention*this)", 0.0, 10.0),
    Param("fire_leaders", 0.06, "1/day", "chapter: 'some of the Haiyan workers were actually fired'",
          "daily odds management fires the strike's leaders", 0.0, 1.0),
    Param("call_police", 0.04, "1/day", "chapter: 'forced back to the factory by armed policemen'",
          "daily odds management calls the police", 0.0, 1.0),
    Param("cooling_days", 0.0, "days", "chapter: Shenzhen draft regulation June 2008 (event)",
          "days management may not fire leaders or call police once a major dispute starts", 0.0, 60.0),
    Param("cooling_min_size", 300.0, "workers", "assumption ('major dispute')", "strike size that "
          "counts as a major dispute", 0.0, 10000.0),
    Param("partial_share", 0.5, "share", "assumption", "share of the gap to the legal minimum a "
          "partial concession closes", 0.0, 1.0),
    Param("partial_raise", 0.08, "share", "assumption", "raise of a partial concession at firms "
          "already at the minimum", 0.0, 0.5),
    Param("win_raise", 0.0, "share", "assumption (Hai Yan: minimum wage exactly)", "extra raise above "
          "the legal minimum when workers win", 0.0, 1.0),
    Param("win_raise_floor", 0.1, "share", "chapter: Dalian strike won 150 yuan a month (~15-20%)",
          "raise a win brings at a firm already paying the minimum", 0.0, 1.0),
)
(OB, OCOV, OESC, REPR, SHIELD, STOL, FINE, OTCAP, CONC, PART, LSHORT, LBRAND, LATT, FIRE, POLICE, COOL,
 COOLMIN, PSHARE, PRAISE, WRAISE, WFLOOR) = range(len(PARAMS))


@njit(cache=True, inline="always")
def official_intervenes(u: float, base: float, cov_w: float, esc_w: float, covered: int, escalated: int) -> bool:
    return u < base + cov_w * covered + esc_w * escalated


@njit(cache=True, inline="always")
def officials_repress(u: float, repression: float, shield: float, covered: int, soften: float) -> bool:
    return u < repression * (1.0 - shield * covered) * (1.0 - soften)


@njit(cache=True, inline="always")
def management_answer(u: float, conc: float, part: float, fire: float, police: float, lev: float,
                      cooling: bool) -> int:
    """0 none, 1 concede, 2 partly concede, 3 fire leaders, 4 call police (codes.M_*)."""
    c = conc * lev
    p = part * lev
    if u < c:
        return 1
    if u < c + p:
        return 2
    if cooling:
        return 0
    if u < c + p + fire:
        return 3
    if u < c + p + fire + police:
        return 4
    return 0
