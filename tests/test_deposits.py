"""The worked example of docs/DEVELOPING.md: one file declares a mechanism, the engine binds it.

Hiring deposits (processes/deposits.py) are off by default; switched on, on common random
numbers, employers keep deposits from new hires and what they owe their workers rises. The
declaration alone puts the process in the plan, its parameters in the parameter index and the
ODD, and its series in the results.
"""

from __future__ import annotations

import numpy as np

from rightful.model import Simulation, simulate
from rightful.processes import RESULTS, param_index
from rightful.scenarios.loader import load

RUN = dict(seed=5, scale=0.001, until="2003-09-30")


def test_deposits_raise_what_employers_owe_on_common_random_numbers() -> None:
    ld = load("prd-2003-2010")
    off = simulate(ld, **RUN)
    on = simulate(ld, **RUN, overrides={"deposit_comply_below": 0.5, "deposit_yuan": 300.0})
    taken = on.total("deposits_taken").sum()
    assert off.total("deposits_taken").sum() == 0.0
    assert taken > 0.0
    assert np.isclose(on.total("deposits_yuan").sum(), 300.0 * taken)
    # the same hires, so what employers owe at the end is higher by roughly the deposits kept
    assert on.total("arrears")[-1] > off.total("arrears")[-1]


def test_the_declaration_is_all_the_engine_needs() -> None:
    sim = Simulation(load("prd-2003-2010"), **RUN)
    names = [p.name for p in sim.plan.processes]
    assert names.index("deposits") == names.index("labour_market") + 1
    idx = param_index()
    assert idx["deposit_yuan"][1] == "deposits" and idx["deposit_comply_below"][0].default == 0.0
    assert RESULTS["deposits_taken"].label == "workers made to pay a hiring deposit"
    odd = (__import__("pathlib").Path(__file__).parents[1] / "docs" / "ODD.md").read_text()
    assert "`deposit_yuan`" in odd and "`deposits_taken`" in odd
