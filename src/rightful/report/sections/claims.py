"""The claims section of a run's report: complaints through the labour bureau, arbitration and
court, as monthly flows and as a funnel over the whole run."""

from __future__ import annotations

import numpy as np

from ...runview import S, label
from .. import charts
from .. import figures as F
from ..context import Context
from ..format import figure_html, number
from .series import title

PIPELINE = (S.complaints, S.bureau_complaints, S.redirected, S.arb_filed, S.arb_accepted, S.arb_won, S.arb_enforced,
            S.court_filed)
STAGES = (S.complaints, S.bureau_complaints, S.redirected, S.ngo_helped, S.arb_filed, S.arb_rejected,
          S.arb_time_barred, S.arb_accepted, S.arb_mediated, S.arb_awarded, S.arb_won, S.arb_partly, S.arb_lost,
          S.arb_enforced, S.court_filed, S.court_won, S.court_enforced, S.claims_dropped)


def section(ctx: Context) -> str:
    v = ctx.v
    out = ['<h2 id="claims">Individual claims: the legal pipeline</h2>']
    out.append(ctx.ts([F.Panel(f"Claims pipeline, all cities ({ctx.flow_unit}, log scale)", "claims",
                               ctx.family(list(PIPELINE), logy=True), logy=True)], panel_height=3.4))
    st = [(label(n), float(np.nansum(v.total(n)))) for n in STAGES if v.has(n)]
    if st:
        out.append(figure_html(charts.bars([a for a, _ in st], {"total": [b for _, b in st]},
                                           "Claims over the whole run, by stage (all cities)", "claims",
                                           horizontal=True, annotate=[number(b, count=True) for _, b in st],
                                           height=0.25 * len(st) + 0.9)))
    out.append(ctx.ts([F.Panel(title(S.collective_cases, ctx), "cases", ctx.lines(S.collective_cases)),
                       F.Panel(title(S.collective_workers, ctx), "workers", ctx.lines(S.collective_workers))]))
    out.append(ctx.ts([F.Panel("Workers in a dispute (left the job to pursue a claim)", "workers",
                               ctx.lines(S.in_dispute))]))
    return "\n".join(out)
