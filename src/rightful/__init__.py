"""rightful: an agent-based laboratory of labour contention (China's migrant workers, 2003-2010).

The Python API (``rightful.api``; loaded on first use, so ``import rightful`` stays light: no
compiling, no plotting library, no cluster client)::

    import rightful
    r = rightful.run("prd-2003-2010", seed=1, scale=0.001, until="2004-12-31")
    r.daily, r.totals, r.strikes, r.events, r.params     # pandas DataFrames and a dict
    r.plot("strikes_started", by="city"); r.report()
    rightful.load(r.run_id)
    rightful.compare(["ngo-none", "ngo-autonomy"], seeds=3, scale=0.001)   # bands over seeds
    rightful.ensemble("prd-2003-2010", seeds=10, scale=0.001)

See docs/examples/quickstart.ipynb.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["run", "load", "compare", "ensemble", "Result", "__version__"]
_API = ("run", "load", "compare", "ensemble", "Result")


def __getattr__(name: str) -> Any:
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'rightful' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
