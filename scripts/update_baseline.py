"""Regenerate tests/data/baseline.json after an intended change of the model's numbers.

    python scripts/update_baseline.py
"""

from __future__ import annotations

import json
from pathlib import Path

from rightful.baseline import BASELINE_RUN, summary
from rightful.model import simulate
from rightful.scenarios.loader import load

if __name__ == "__main__":
    r = simulate(load(BASELINE_RUN["scenario"]), seed=BASELINE_RUN["seed"], scale=BASELINE_RUN["scale"],
                 until=BASELINE_RUN["until"])
    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "baseline.json"
    path.write_text(json.dumps({"run": BASELINE_RUN, "summary": summary(r)}, indent=1, sort_keys=True) + "\n")
    print(f"wrote {path}")
