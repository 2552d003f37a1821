"""A compact summary of a run that a test compares exactly with a committed copy.

Why: any change to the model's numbers, intended or not, shows up as a diff of
``tests/data/baseline.json``; ``python scripts/update_baseline.py`` rewrites it after an intended
change, and the diff is reviewed like code (Covasim's committed baseline, same idea).
"""

from __future__ import annotations

import numpy as np

from .model import RunResult

BASELINE_RUN = {"scenario": "prd-2003-2010", "seed": 3, "scale": 0.001, "until": "2004-06-30"}


def summary(r: RunResult) -> dict[str, object]:
    s = r.series
    out: dict[str, object] = {"agents": r.agents, "firms": r.firms, "days": int(len(r.dates))}
    for name in s.names:
        v = s.daily[:, :, s.index[name]]
        out[name] = [repr(float(np.nansum(v))), repr(float(np.nansum(v[-1])))]
    lg = r.logs["strikes"]
    out["strikes"] = int(len(lg["strike"]))
    out["strike_peaks"] = repr(float(lg["peak"].sum()))
    return out
