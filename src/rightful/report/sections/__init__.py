"""The sections of a run's report, one module each, in the order of the page (``ORDER``).

Each section is a function of the report's ``Context`` returning an HTML fragment; a section whose
data the run lacks says so or is left out, so a partial run folder still gets a report.
"""

from __future__ import annotations

from . import claims, overview, parameters, performance, series, strikes

ORDER = (overview.header, overview.key_figures, series.workers_wages, series.minds, strikes.section,
         claims.section, series.unions_ngos, overview.events, performance.section, parameters.section)
