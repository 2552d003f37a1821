"""The view of a run that the facts and the calibration read: the run-view, in memory or on disk.

Why no reader of its own: a fact must mean the same thing whether it is checked on a
``RunResult`` just simulated (tests, calibration trials) or on a run folder written by an
ensemble worker (``rightful validate``), and the same thing as the report and the comparisons
mean by it; all of them read runs through ``rightful.runview.RunView``, which gives the same
numbers from both (tests/test_runview.py). This module only names it for the validation package.
"""

from __future__ import annotations

from ..runview import RunView, S, Strikes

__all__ = ["RunView", "S", "Strikes"]
