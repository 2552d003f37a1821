"""Self-contained HTML reports: one run, several scenarios compared, one scenario's ensemble.

Why: a run folder holds Parquet tables that need code to read; a newcomer (or a reviewer checking a
claim) needs one file that opens offline in any browser and shows what happened, when the dated
policies struck, and what produced the run. Every plot is inline SVG made by matplotlib
(``figures``, ``charts``), there is no script, no CDN and no external URL, so the file can be mailed
or archived with the run and still read in ten years.

The run is read through the run-view (``rightful.runview``): series combine over cities and over
time by their declared rules, labels are the declared ones, strike codes are shown in words. The
page is made of sections, one module each (``report/sections``), sharing a ``Context``.

Public functions
----------------
``write_report(run_dir) -> Path``
    Read ``run_dir`` (``daily.parquet`` required; the other tables and ``run.json`` used when
    present) and write ``run_dir / "report.html"``. Raises ``FileNotFoundError`` naming
    ``daily.parquet`` when the run has no daily table. Called by ``rightful run`` after each run,
    by ``rightful report`` and by ``Result.report()`` in the Python API.
``render(view) -> str``
    The report of a ``RunView`` as an HTML string (a run in memory can be reported too).
``write_comparison_report``, ``write_ensemble_report``
    Median and 10-90% band pages over seeds (``report.bands``).
"""

from __future__ import annotations

from pathlib import Path

from ..resample import midpoints, resample
from ..runview import RunView
from .bands import write_comparison_report, write_ensemble_report
from .context import Context
from .page import page, write_atomic
from .sections import ORDER

__all__ = ["write_report", "render", "write_comparison_report", "write_ensemble_report", "resample", "midpoints"]


def render(view: RunView) -> str:
    ctx = Context(view)
    m = view.meta
    title = f"rightful — {m.get('scenario', '')} seed {m.get('seed', '')} ({view.run_id})"
    return page(title, "\n".join(section(ctx) for section in ORDER))


def write_report(run_dir: Path | str) -> Path:
    """Write ``run_dir/report.html`` for one run and return its path (see the module docstring)."""
    return write_atomic(Path(run_dir) / "report.html", render(RunView.open(run_dir)))
