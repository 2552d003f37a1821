"""The committed baseline summary of a small fixed run, compared exactly (bit for bit).

If this fails after an intended change of the model, run ``python scripts/update_baseline.py``
and commit the new tests/data/baseline.json with the change."""

from __future__ import annotations

import json
from pathlib import Path

from rightful.baseline import BASELINE_RUN, summary

from .conftest import SMALL


def test_baseline_summary_matches_exactly(small_run) -> None:
    path = Path(__file__).parent / "data" / "baseline.json"
    saved = json.loads(path.read_text())
    assert saved["run"] == BASELINE_RUN
    assert BASELINE_RUN == {"scenario": "prd-2003-2010", **SMALL}
    now = summary(small_run)
    diffs = {k: (saved["summary"].get(k), v) for k, v in now.items() if saved["summary"].get(k) != v}
    assert not diffs, f"baseline changed ({len(diffs)} entries), e.g. {list(diffs.items())[:3]}"
