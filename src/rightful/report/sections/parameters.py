"""The parameters section of a run's report: every parameter's value, unit, meaning and source."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ..context import Context
from ..format import fmt, table_html


def section(ctx: Context) -> str:
    params = ctx.v.params
    specs: dict[str, Any] = {}
    try:  # descriptions live with the processes; a report must still render if that import fails
        from ...processes import all_params

        specs = {p.name: p for p in all_params()}
    except Exception:  # noqa: BLE001 - optional enrichment only
        specs = {}
    rows = []
    for k in sorted(params):
        sp = specs.get(k)
        rows.append((k, value_text(params[k], ctx.zone_names), getattr(sp, "unit", ""), getattr(sp, "doc", ""),
                     getattr(sp, "source", "")))
    return (f'<h2 id="params">Parameters</h2><details><summary>All {len(rows)} parameters (values at the end '
            "of the run, after dated events)</summary>"
            + table_html(["parameter", "value", "unit", "meaning", "source"], rows, left_cols=5) + "</details>")


def value_text(v: Any, zone_names: list[str]) -> str:
    """Compact text: one number when uniform, per zone when it varies by zone, else the array."""
    try:
        a = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        return json.dumps(v, default=str)
    if a.size == 0:
        return "[]"
    if np.all(a == a.flat[0]) or np.all(np.isnan(a)):
        return fmt(a.flat[0]) if a.ndim else fmt(float(a))
    if a.ndim == 2 and np.all(a == a[:, :1]):
        zn = zone_names if len(zone_names) == a.shape[0] else [str(i) for i in range(a.shape[0])]
        return ", ".join(f"{z}: {fmt(x)}" for z, x in zip(zn, a[:, 0], strict=True))
    return json.dumps(np.round(a, 4).tolist())
