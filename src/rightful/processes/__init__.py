"""The processes of the model (docs/ODD.md, 3 Process overview), one module each.

``PLAN`` is the one place where their daily order is written; the dated events are applied by the
engine's first step (engine.events). Everything else is derived from the processes' declarations
(engine.declare): the tables' columns and the kernels' namedtuple types (``TABLES``), the
parameter index (``all_params``), the recorded series with their labels and aggregation rules
(``RESULTS``).
"""

from __future__ import annotations

from ..engine.declare import Col, Result, merge_states, named_tuple
from ..engine.params import Param
from ..engine.plan import Process
from ..population.schema import STATES as POPULATION_STATES
from .central_state import CentralState
from .claims import Claims
from .delegations import Delegations
from .deposits import Deposits
from .diffusion import Diffusion
from .grievance import Grievance
from .information import Information
from .labour_market import LabourMarket
from .media import Media
from .mobilisation import Mobilisation
from .ngos import NGOs
from .observe import Observe
from .payroll import Payroll
from .responses import Responses
from .strikes import Strikes
from .unions import Unions

PLAN: tuple[type[Process], ...] = (Payroll, LabourMarket, Deposits, Information, Grievance, NGOs, Unions,
                                   Claims, Mobilisation, Strikes, Diffusion, CentralState, Observe)
# declared units run inside strikes (and mobilisation), not in the plan
HELPERS: tuple[type[Process], ...] = (Media, Responses, Delegations)

# columns of every table, from the units that own them, and their namedtuple types for the kernels
COLUMNS: dict[str, dict[str, Col]] = merge_states([("population", POPULATION_STATES)]
                                                  + [(p.name, p.states) for p in PLAN + HELPERS])
TABLES: dict[str, type] = {t: named_tuple(__name__, t.capitalize(), list(cols)) for t, cols in COLUMNS.items()}


def make_plan() -> list[Process]:
    return [p() for p in PLAN]


def _legacy_params(p: type[Process]) -> tuple[Param, ...]:
    return tuple(getattr(p, "params", ()) or ())


def _units() -> list[tuple[str, tuple[Param, ...], tuple[str, ...]]]:
    """(unit, parameters it declares, parameters of other units it reads), in plan order."""
    return [(p.name, tuple(p.pars) + _legacy_params(p), tuple(p.uses)) for p in PLAN + HELPERS]


def param_index() -> dict[str, tuple[Param, str, tuple[str, ...]]]:
    """Parameter name -> (declaration, the unit that declares it, the other units that read it)."""
    units = _units()
    owner: dict[str, tuple[Param, str]] = {}
    for name, pars, _ in units:
        for q in pars:
            owner.setdefault(q.name, (q, name))
    readers: dict[str, list[str]] = {n: [] for n in owner}
    for name, _, uses in units:
        for n in uses:
            if n not in owner:
                raise ValueError(f"{name} uses parameter {n!r}, which no unit declares")
            if name != owner[n][1] and name not in readers[n]:
                readers[n].append(name)
    return {n: (q, u, tuple(readers[n])) for n, (q, u) in owner.items()}


def all_params() -> list[Param]:
    """Every declared parameter, in plan order."""
    return [q for q, _, _ in param_index().values()]


def _results() -> dict[str, Result]:
    out: dict[str, Result] = {}
    import sys

    for p in PLAN:
        declared = tuple(p.results)
        if not declared:  # not yet declared as results: flows by name (legacy modules)
            mod = sys.modules[p.__module__]
            declared = tuple(Result(n, n.replace("_", " "), "per day") for n in getattr(mod, "FLOWS", ()))
            if hasattr(mod, "STOCKS"):
                means = set(getattr(mod, "MEAN_STOCKS", ()))
                declared += tuple(Result(n, n.replace("_", " "), "", "stock", "mean" if n in means else "sum",
                                         "mean" if n in means else "last") for n in mod.STOCKS)
        for r in declared:
            if r.name in out and out[r.name] != r:
                raise ValueError(f"result {r.name!r} declared twice")
            out.setdefault(r.name, r)
    return out


RESULTS: dict[str, Result] = _results()


def series_names() -> list[str]:
    return list(RESULTS)


STOCKS = tuple(n for n, r in RESULTS.items() if r.kind == "stock")
MEAN_SERIES = tuple(n for n, r in RESULTS.items() if r.cities == "mean")
