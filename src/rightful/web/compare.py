"""Bands over seeds and outcome tables for groups of runs (ensembles and comparisons).

Why from run ids rather than from a job: a comparison is just runs grouped by what produced them
(scenario and overrides), so any set of past runs picked in the catalog compares the same way as
the runs a comparison job has just made. Differences from the first group are paired by seed
(the runs share common random numbers), as ``rightful compare`` reports them.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from .data import RunStore, label

QUANTILES = (0.1, 0.5, 0.9)


def group_key(meta: dict[str, Any]) -> str:
    """What a run is a replicate of: scenario, overrides, scale and horizon (not the seed)."""
    ov = meta.get("overrides") or {}
    text = meta.get("scenario") or "?"
    if ov:
        text += " (" + ", ".join(f"{k}={v:g}" for k, v in sorted(ov.items())) + ")"
    return text + json.dumps([meta.get("scale"), meta.get("until")])


def groups(store: RunStore, run_ids: list[str]) -> list[dict[str, Any]]:
    """Runs grouped by ``group_key``, in the order in which each group first appears."""
    out: dict[str, dict[str, Any]] = {}
    for rid in run_ids:
        m = store.meta(rid)
        k = group_key(m)
        g = out.setdefault(k, {"label": k.split("[", 1)[0], "scenario": m["scenario"], "scale": m["scale"],
                               "until": m["until"], "overrides": m["overrides"] or {}, "runs": [],
                               "seeds": []})
        g["runs"].append(rid)
        g["seeds"].append(m["seed"])
    labels = [g["label"] for g in out.values()]
    for g in out.values():  # same scenario at two scales or horizons: say which
        if labels.count(g["label"]) > 1:
            g["label"] += f" [scale {g['scale']:g}, until {g['until'] or 'end'}]"
    return list(out.values())


def _nan_list(a: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(x) else float(x) for x in a.tolist()]


def bands(store: RunStore, run_ids: list[str], series: str, freq: str = "month") -> dict[str, Any]:
    """Per group: the 10%, 50% and 90% quantiles over seeds of a series' all-city total."""
    gs = groups(store, run_ids)
    per_run: dict[str, dict[str, float]] = {}
    dates: set[str] = set()
    for g in gs:
        for rid in g["runs"]:
            d = store.daily(rid, [series], freq)
            per_run[rid] = dict(zip(d["dates"], d["series"][series]["total"], strict=True))
            dates.update(d["dates"])
    axis = sorted(dates)
    out_groups = []
    for g in gs:
        m = np.array([[np.nan if per_run[r].get(t) is None else per_run[r][t] for t in axis] for r in g["runs"]])
        with np.errstate(all="ignore"):
            q = np.full((len(QUANTILES), len(axis)), np.nan)
            have = ~np.all(np.isnan(m), axis=0)
            if have.any():
                q[:, have] = np.nanquantile(m[:, have], QUANTILES, axis=0)
        out_groups.append({**g, "low": _nan_list(q[0]), "median": _nan_list(q[1]), "high": _nan_list(q[2])})
    return {"series": series, "label": label(series), "freq": freq, "dates": axis, "groups": out_groups,
            "quantiles": list(QUANTILES)}


def _outcome_values(store: RunStore, rid: str) -> dict[str, float]:
    from ..ensemble.outcomes import compute

    return compute(store.folder(rid))


def outcomes(store: RunStore, run_ids: list[str]) -> dict[str, Any]:
    """Per group and outcome: median and 10-90% over seeds, and the paired difference from group 1."""
    from ..ensemble.outcomes import OUTCOMES

    gs = groups(store, run_ids)
    vals = {rid: _outcome_values(store, rid) for g in gs for rid in g["runs"]}
    names = list(OUTCOMES)
    first = gs[0] if gs else None
    rows = []
    for n in names:
        row: dict[str, Any] = {"outcome": n, "description": OUTCOMES[n].description, "groups": []}
        for g in gs:
            v = np.array([vals[r][n] for r in g["runs"]], dtype=float)
            cell: dict[str, Any] = {"median": float(np.median(v)), "low": float(np.quantile(v, 0.1)),
                                    "high": float(np.quantile(v, 0.9)), "n": len(v)}
            if first is not None and g is not first:
                base = dict(zip(first["seeds"], (vals[r][n] for r in first["runs"]), strict=True))
                diffs = [vals[r][n] - base[s] for r, s in zip(g["runs"], g["seeds"], strict=True) if s in base]
                if diffs:
                    cell["paired_diff_median"] = float(np.median(diffs))
                    cell["paired_n"] = len(diffs)
            row["groups"].append(cell)
        rows.append(row)
    return {"groups": [{k: g[k] for k in ("label", "scenario", "runs", "seeds")} for g in gs], "outcomes": rows}
