"""The processes of the model (MODEL.md, 'What happens each day'), one module each, in the order
the plan runs them. Dated policy events are applied by the engine before the first process."""

from __future__ import annotations

from ..engine.params import Param
from ..engine.plan import Process
from . import (
    central_state,
    claims,
    diffusion,
    grievance,
    information,
    labour_market,
    media,
    mobilisation,
    ngos,
    observe,
    payroll,
    responses,
    strikes,
    unions,
)
from .central_state import CentralState
from .claims import Claims
from .diffusion import Diffusion
from .grievance import Grievance
from .information import Information
from .labour_market import LabourMarket
from .mobilisation import Mobilisation
from .ngos import NGOs
from .observe import Observe
from .payroll import Payroll
from .strikes import Strikes
from .unions import Unions

MODULES = (payroll, labour_market, information, grievance, claims, mobilisation, strikes, media,
           responses, diffusion, ngos, unions, central_state, observe)


def make_plan() -> list[Process]:
    return [Payroll(), LabourMarket(), Information(), Grievance(), NGOs(), Unions(), Claims(),
            Mobilisation(), Strikes(), Diffusion(), CentralState(), Observe()]


def all_params() -> list[Param]:
    seen: dict[str, Param] = {}
    for m in MODULES:
        for p in getattr(m, "PARAMS", ()):
            seen.setdefault(p.name, p)
    return list(seen.values())


def series_names() -> list[str]:
    names: list[str] = []
    for m in MODULES:
        for n in getattr(m, "FLOWS", ()):
            if n not in names:
                names.append(n)
    for n in observe.STOCKS:
        if n not in names:
            names.append(n)
    return names


STOCKS = observe.STOCKS
