"""Many runs: seeds x scenarios x parameters on an executor (local processes or Dask), reduced
to quantile bands, scalar outcomes, sensitivity indices and paired comparisons.

Modules: ``executors`` (where runs execute), ``batch`` (resumable batches, catalog registration),
``outcomes`` (named scalar outcomes of a run), ``reduce`` (bands across seeds), ``designs`` (grid,
LHS, Sobol, Morris), ``sensitivity`` (SALib analyses), ``seeds`` (ensembles), ``sweep`` (designs x
seeds), ``compare`` (scenarios on common random numbers), ``reports`` (HTML). See docs/ENSEMBLES.md.
"""

import sys
import types
from typing import Any


class _CallableModule(types.ModuleType):
    """``rightful.ensemble`` is both this package and the API's function (``rightful.api.ensemble``):
    importing a subpackage binds its name on the parent package, which would hide the function, so
    the package itself answers the call."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from ..api import ensemble

        return ensemble(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
