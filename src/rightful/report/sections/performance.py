"""The CPU section of a run's report: where the run's time went, process by process."""

from __future__ import annotations

import numpy as np

from ...runview import words
from .. import charts
from ..context import Context
from ..format import figure_html, fmt, table_html


def section(ctx: Context) -> str:
    m = ctx.v.meta
    cpu = m.get("cpu_per_process") or {}
    out = ['<h2 id="cpu">CPU time per process</h2>']
    if not cpu:
        out.append('<p class="note">run.json has no CPU timings.</p>')
        return "\n".join(out)
    names = list(cpu)
    cs = [float(cpu[k].get("cpu_s", 0.0)) for k in names]
    total = sum(cs)
    order = np.argsort(cs)[::-1]
    names = [names[i] for i in order]
    cs = [cs[i] for i in order]
    out.append(figure_html(
        charts.bars([words(n) for n in names], {"cpu s": cs}, "CPU seconds per process", "CPU seconds",
                    horizontal=True, height=0.25 * len(names) + 0.9,
                    annotate=[f"{c:.2f} s ({c / total:.0%})" if total else "" for c in cs]),
        f"Total {total:.1f} CPU s over processes; wall time of the run {fmt(m.get('wall_s'))} s; "
        f"{fmt(m.get('bytes_per_worker'))} bytes per worker."))
    rows = [(k, cpu[k].get("cpu_s"), cpu[k].get("wall_s"), cpu[k].get("calls")) for k in names]
    out.append("<details><summary>timings table</summary>"
               + table_html(["process", "CPU s", "wall s", "calls"], rows) + "</details>")
    return "\n".join(out)
