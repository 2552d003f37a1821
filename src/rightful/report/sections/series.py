"""Time-series sections of a run's report: workers and wages; awareness, grievance and trust;
unions and NGOs (with the NGO and central-state event logs)."""

from __future__ import annotations

import numpy as np

from ...runview import S, label, words
from .. import figures as F
from ..context import Context
from ..format import table_html

P = F.Panel
SITUATIONS = (S.striking, S.in_dispute, S.seeking, S.gone_home, S.detained)  # workers not at work
MONEY = (S.arrears_accrued, S.arrears_repaid, S.recovered)
NGO_EVENT_NAMES = ("founded", "closed", "co-opted")
NGO_KINDS = {1: "paternalist", 2: "autonomy-fostering"}


def title(name: str, ctx: Context | None = None) -> str:
    """A panel title from the series' label; flows say their period ('per month')."""
    t = label(name)
    t = t[:1].upper() + t[1:]
    if ctx is not None and ctx.v.rule(name).kind == "flow":
        t += f" ({ctx.flow_unit})"
    return t


def workers_wages(ctx: Context) -> str:
    out = ['<h2 id="workers">Workers and wages</h2>']
    out.append(ctx.ts([P(title(S.workers), "workers", ctx.lines(S.workers))]))
    out.append(ctx.ts([P(title(S.mean_wage), "yuan a month", ctx.lines(S.mean_wage)),
                       P(title(S.share_min_wage), "share of workers", ctx.lines(S.share_min_wage), percent=True)],
                      "Worker-weighted averages; each city thin, all cities thick."))
    out.append(ctx.ts([P(title(S.arrears), "yuan", ctx.lines(S.arrears)),
                       P(title(S.quits, ctx), "workers", ctx.lines(S.quits))],
                      "Arrears build up over the year and peak before the New Year; quits are workers "
                      "'voting with their feet'."))
    money = ctx.family(list(MONEY))
    if money:
        out.append(ctx.ts([P(f"Money flows, all cities ({ctx.flow_unit})", "yuan", money)]))
    if ctx.v.has(*SITUATIONS[:4]):
        sit = ctx.family(list(SITUATIONS), logy=True)
        for ln, n in zip(sit, (n for n in SITUATIONS if ctx.v.has(n)), strict=False):
            ln.label = words(n)  # the situation in words: 'in a dispute', 'gone home'
        out.append(ctx.ts([P("Workers not at work, by situation (all cities)", "workers", sit, logy=True)],
                          "Log scale."))
    return "\n".join(out)


def minds(ctx: Context) -> str:
    out = ['<h2 id="minds">Rights awareness, grievance and trust</h2>']
    out.append(ctx.ts([P(title(S.awareness), "mean (0-1)", ctx.lines(S.awareness)),
                       P(title(S.grievance), "mean", ctx.lines(S.grievance))],
                      "Awareness: does the worker know what the law entitles her to. Grievance: the gap "
                      "between what the law promises and what she gets, weighted by awareness and "
                      "legitimacy, plus arrears and injuries."))
    trust: list[F.Line] = []
    for name, who, style in ((S.trust_central, "central", "-"), (S.trust_local, "local", "--")):
        for ln in ctx.lines(name, text=f"{who}: all cities"):
            if ln.label in ctx.v.cities:
                ln.label = f"{who}: {ln.label}"
                ln.alpha = 0.7
            ln.style = style
            trust.append(ln)
    out.append(ctx.ts([P("Trust in the central state (solid) vs the local state (dashed)", "mean (0-1)", trust)],
                      "Rightful resistance rests on this split: claims are framed in the centre's words "
                      "against local officials who do not enforce them."))
    out.append(ctx.ts([P(title(S.gap), "mean", ctx.lines(S.gap))],
                      "The gap between rights promised and rights enforced: the mean shortfall of pay "
                      "below the legal entitlement, as a share of the entitlement."))
    return "\n".join(out)


def unions_ngos(ctx: Context) -> str:
    v = ctx.v
    out = ['<h2 id="unions">Unions and NGOs</h2>']
    out.append(ctx.ts([P(title(S.union_members), "members", ctx.lines(S.union_members)),
                       P(title(S.union_branches), "branches", ctx.lines(S.union_branches))]))
    out.append(ctx.ts([P(title(S.ngo_reach), "workers", ctx.lines(S.ngo_reach)),
                       P(title(S.ngos_open), "NGOs", ctx.lines(S.ngos_open)),
                       P(title(S.ngo_contacts, ctx), "contacts", ctx.lines(S.ngo_contacts))]))
    ng = v.ngo_events
    if ng is not None and len(ng.get("day", [])):
        rows = []
        for i in range(len(ng["day"])):
            z, ev = int(ng["zone"][i]), int(ng["event"][i])
            rows.append((str(ctx.start + np.timedelta64(int(ng["day"][i]), "D")),
                         ctx.zone_names[z] if z < len(ctx.zone_names) else z,
                         NGO_KINDS.get(int(ng["kind"][i]), ng["kind"][i]),
                         NGO_EVENT_NAMES[ev] if 0 <= ev < len(NGO_EVENT_NAMES) else ev, int(ng["ngo"][i])))
        out.append(f"<details><summary>NGO events ({len(rows)}: foundings, closures, co-optations)</summary>"
                   + table_html(["date", "zone", "kind", "event", "NGO id"], rows, left_cols=4) + "</details>")
    pol = v.policy
    if pol is not None and len(pol.get("day", [])):
        rows = [(str(ctx.start + np.timedelta64(int(pol["day"][i]), "D")), pol["wave"][i], pol["advocacy"][i])
                for i in range(len(pol["day"]))]
        out.append('<h3>Central-state adjustments (feedback)</h3><p class="note">Dates when protest waves '
                   "or NGO advocacy moved policy ('consultative Leninism').</p>"
                   + table_html(["date", "protest wave (strikes / 10k workers, 30 d)", "advocacy NGOs"], rows))
    return "\n".join(out)
