"""Answers to a strike: management concedes, partly concedes, fires leaders or calls the police;
officials ignore, repress (detentions), negotiate and enforce the law (minimum wage, overtime
rules, back pay, fines), or both at once: the police force the strikers back while officials
negotiate, most often under the pressure of the press or a blockade. The Shenzhen cooling order stays management's hand.

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

The answers are a unit of their own (their parameters and the helpers below), run inside
``strikes``: it is not in the plan.
"""

from __future__ import annotations

from numba import njit

from ..engine.params import Param
from ..engine.plan import Process
from ..engine.world import World
from ..population import codes as C

PARS = (
    Param("official_base", 0.02, "1/day", "assumption", "daily odds officials step in unprompted", 0.0, 1.0),
    Param("official_coverage", 0.35, "1/day", "chapter: press reports 'impose pressure on local "
          "authorities to settle'", "added odds when the strike is covered", 0.0, 1.0),
    Param("official_escalation", 0.3, "1/day", "chapter: the blockade was 'an attempt to push the "
          "government to intervene'", "added odds when the strike is in the street", 0.0, 1.0),
    Param("repression", 0.45, "prob", "chapter: 'in the past ... a harsh approach towards labour "
          "protests, often detaining their leaders'; lowered by the 2005-2006 statements (events)",
          "odds an intervention represses rather than negotiates", 0.0, 1.0),
    Param("force_talk_base", 0.05, "prob", "assumption: seldom without pressure on the officials",
          "odds officials who force the strikers back also negotiate with their representatives, when "
          "the strike is neither covered nor in the street", 0.0, 1.0),
    Param("force_talk_pressure", 0.6, "prob", "chapter (Hai Yan): 'the demonstrators were forced back to the "
          "factory by armed policemen, officials ... held negotiations with workers' representatives'; size "
          "assumed", "added odds officials who force the strikers back also negotiate, when the strike is "
          "covered or in the street", 0.0, 1.0),
    Param("coverage_shield", 0.85, "share", "chapter: the press forced the police to free the leaders",
          "cut in repression odds when covered", 0.0, 1.0),
    Param("shortage_tolerance", 0.6, "share", "chapter: with the shortage 'local authorities were forced to "
          "take measures to protect migrant workers' rights better'", "cut in repression odds at full labour "
          "shortage", 0.0, 1.0),
    Param("fine_per_worker", 650.0, "yuan", "chapter: Hai Yan fine of nearly 2 million yuan for "
          "3,000 workers", "fine imposed per worker when officials enforce", 0.0, 5000.0),
    Param("fine_deter_firm", 0.5, "share", "assumption; chapter: the record fine was 'an exemplary "
          "punishment'", "share of the way to full compliance a fined firm's propensity to comply moves", 0.0, 1.0),
    Param("fine_deter_zone", 5.0, "deterrence per share", "assumption (as fine_deter_firm): an exemplary "
          "punishment is meant for the other firms", "zone deterrence added per unit share of the zone's "
          "workers in firms fined by officials (fed daily from "
          "the odds of a fine, docs/ODD.md 7.7); firms of "
          "the zone adopt the legal rates at odds x (1 + deterrence) and withhold pay at odds / (1 + "
          "deterrence)", 0.0, 1000.0),
    Param("fine_memory", 365.0, "days", "assumption", "half-life of a zone's deterrence after fines", 1.0, 3650.0),
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
    Param("urgency_base", 0.4, "x", "assumption; chapter: strikes went from 'forbidden' to 'tolerated and "
          "now nearly accepted and contained'", "officials' intervention odds and management's police odds "
          "times (this + urgency_repression x repression)", 0.0, 3.0),
    Param("urgency_repression", 1.3, "x", "assumption (as urgency_base): officials are in less of a hurry "
          "to end a strike as protest becomes tolerated", "weight of the repression odds in urgency", 0.0, 5.0),
    Param("representative_leverage", 2.0, "x", "assumption; chapter: Shenzhen 2008 union regulations, unions "
          "'represent workers in negotiation'", "concession odds multiplied by this in a firm with a "
          "representative union", 1.0, 10.0),
    Param("enforce_insurance", 1.0, "0/1", "chapter (Hai Yan): 'Moreover, the management has to contribute to "
          "workers' social security'", "whether a settlement officials enforce makes the firm insure its "
          "workers", 0.0, 1.0),
    Param("partial_ot_share", 0.5, "share", "assumption", "share of the gap to the legal overtime rate a "
          "partial concession closes", 0.0, 1.0),
    Param("win_repay", 1.0, "share", "chapter: Hai Yan, officials 'compelled [management] to enforce the legal "
          "minimum wage'; assumption: back pay in full", "share of the strikers' arrears a won strike repays",
          0.0, 1.0),
    Param("partial_repay", 0.5, "share", "assumption", "share of the arrears a partial concession repays",
          0.0, 1.0),
)


@njit(cache=True, inline="always")
def urgency(p, z, s):
    """Officials' and management's hurry to end a strike: it falls as protest comes to be tolerated
    (repression odds fall with the 2005-2006 statements)."""
    return p.urgency_base[z, s] + p.urgency_repression[z, s] * p.repression[z, s]


@njit(cache=True, inline="always")
def intervene_odds(p, z, s, urg, pressure, escalated):
    """Officials step in: unprompted, under the pressure of the press (``media.pressure``), and when
    the strike is in the street."""
    return urg * p.official_base[z, s] + urg * p.official_coverage[z, s] * pressure + \
        urg * p.official_escalation[z, s] * escalated


@njit(cache=True, inline="always")
def official_intervenes(u, p, z, s, urg, pressure, escalated):
    return u < intervene_odds(p, z, s, urg, pressure, escalated)


@njit(cache=True, inline="always")
def repress_odds(p, z, s, covered):
    """Repress rather than negotiate: less when the press covers the strike, less in a labour shortage."""
    soften = p.shortage_tolerance[z, s] * p.labour_shortage[z, s]
    return p.repression[z, s] * (1.0 - p.coverage_shield[z, s] * covered) * (1.0 - soften)


@njit(cache=True, inline="always")
def officials_repress(u, p, z, s, covered):
    return u < repress_odds(p, z, s, covered)


@njit(cache=True, inline="always")
def talk_after_force_odds(p, z, s, covered, escalated):
    """Officials who force the strikers back may still negotiate, above all under the pressure of the
    press or a blockade (Hai Yan: pushed back by armed police, then a negotiated win)."""
    pressed = 1.0 if covered or escalated else 0.0
    return min(1.0, p.force_talk_base[z, s] + p.force_talk_pressure[z, s] * pressed)


@njit(cache=True, inline="always")
def leverage(p, z, s, brand, attention, union, organised):
    """Workers' leverage on management: the labour shortage, the brand's image, the spotlight, a
    representative union, a delegation that bargains collectively."""
    lev = (1.0 + p.leverage_shortage[z, s] * p.labour_shortage[z, s]) * \
        (1.0 + p.leverage_brand[z, s] * brand) * \
        (1.0 + p.leverage_attention[z, s] * attention)
    if union == C.U_REP:
        lev *= p.representative_leverage[z, s]
    if organised:
        lev *= p.delegation_leverage[z, s]
    return lev


@njit(cache=True, inline="always")
def management_answer(u, p, z, s, urg, lev, cooling):
    """0 none, 1 concede, 2 partly concede, 3 fire leaders, 4 call police (codes.M_*). The police are
    called less readily as officials come to tolerate strikes (``urg``)."""
    c, c_pp, c_fire, c_police = _answer_cuts(p, z, s, urg, lev)
    if u < c:
        return 1
    if u < c_pp:
        return 2
    if cooling:
        return 0
    if u < c_fire:
        return 3
    if u < c_police:
        return 4
    return 0


@njit(cache=True, inline="always")
def _answer_cuts(p, z, s, urg, lev):
    """Cumulative odds of management's answers (concede, + partly, + fire, + police), one draw."""
    c = p.concede_base[z, s] * lev
    pp = p.partial_base[z, s] * lev
    fire = p.fire_leaders[z, s]
    police = urg * p.call_police[z, s]
    return c, c + pp, c + pp + fire, c + pp + fire + police


@njit(cache=True, inline="always")
def _clip01(x):
    return min(1.0, max(0.0, x))


@njit(cache=True, inline="always")
def day_odds(p, z, s, urg, lev, cooling, covered, pressure, escalated):
    """Today's odds of each answer, as the draws of ``official_intervenes``, ``officials_repress``,
    ``talk_after_force_odds`` and ``management_answer`` give them: (forced back by officials, with or
    without negotiation; police called by management; won; partly won; negotiated by officials, who
    then fine the firm).
    A sampled strike stands for ``weight`` strikes of the region whose answers come on different
    days; the zone's fear and the news of wins are fed from these odds (their expectation), not
    from the one drawn answer, so that they do not arrive in lumps of ``weight`` (docs/ODD.md 7.7)."""
    p_int = _clip01(intervene_odds(p, z, s, urg, pressure, escalated))
    p_rep = _clip01(repress_odds(p, z, s, covered))
    p_talk = talk_after_force_odds(p, z, s, covered, escalated)
    c, c_pp, c_fire, c_police = _answer_cuts(p, z, s, urg, lev)
    m_concede = _clip01(c)
    m_partial = _clip01(c_pp) - m_concede
    m_police = 0.0
    if not cooling:
        m_police = _clip01(c_police) - _clip01(c_fire)
    quiet = 1.0 - p_int
    p_fine = p_int * (1.0 - p_rep + p_rep * p_talk)  # officials negotiate (and fine the firm)
    return p_int * p_rep, quiet * m_police, p_fine + quiet * m_concede, quiet * m_partial, p_fine


@njit(cache=True, inline="always")
def apply_outcome(f, day, outcome, enforce, p, z, s, fm, wk, out):
    """What a win or a partial win changes: the base wage (to the legal minimum or by a raise), the
    overtime rate (to the legal rate, or part of the way), overtime hours (capped when officials
    enforce), arrears repaid to the firm's workers, and social insurance where officials enforce; the
    old terms are kept for reversion."""
    mw = p.min_wage[z, s]
    std = p.standard_hours[z, s]
    base = fm.base[f]
    if outcome == C.O_WON or outcome == C.O_PARTIAL:
        fm.base_old[f] = base
        fm.ot_old[f] = fm.ot[f]
        fm.hours_old[f] = fm.hours[f]
        fm.gains_day[f] = day
        if outcome == C.O_WON:
            if base < mw:
                nb = mw * (1.0 + p.win_raise[z, s])
            else:
                nb = base * (1.0 + p.win_raise_floor[z, s])
            repay = p.win_repay[z, s]
        else:
            if base < mw:
                nb = base + p.partial_share[z, s] * (mw - base)
            else:
                nb = base * (1.0 + p.partial_raise[z, s])
            repay = p.partial_repay[z, s]
        fm.base[f] = nb
        legal_ot = p.ot_premium_weekday[z, s] * nb / std
        if outcome == C.O_WON and fm.ot[f] < legal_ot:
            fm.ot[f] = legal_ot
        elif fm.ot[f] < legal_ot:
            fm.ot[f] += p.partial_ot_share[z, s] * (legal_ot - fm.ot[f])
        if enforce:
            cap = (std + p.ot_cap_hours[z, s]) / (fm.dpw[f] * 4.35)  # weeks a month
            if fm.hours[f] > cap:
                fm.hours[f] = cap
        insure = enforce and p.enforce_insurance[z, s] > 0.0
        rep = 0.0
        ins = 0.0
        for i in range(fm.start[f], fm.end[f]):
            if wk.status[i] == C.WORKING or wk.status[i] == C.STRIKING:
                r = repay * wk.arrears[i]
                wk.arrears[i] -= r
                rep += r
                if insure and not (wk.flags[i] & C.INSURED):
                    wk.flags[i] |= C.INSURED
                    ins += 1.0
        out.arrears_repaid[f] += rep
        out.insured_by_settlement[f] += ins


class Responses(Process):
    """Officials' and management's answers as a unit: their parameters and the helpers above, which
    ``strikes`` calls each strike day. It has no step of its own and is not in the plan."""

    name = "responses"
    pars = PARS
    uses = ("labour_shortage", "min_wage", "standard_hours", "ot_premium_weekday", "delegation_leverage")
    cites = "Hai Yan: armed police, negotiations, the legal minimum enforced, a record fine; Shenzhen cooling order"

    def step(self, w: World, day: int) -> None:
        raise RuntimeError("responses run inside strikes; they are not in the plan")
