"""The web laboratory (``rightful serve``): run, watch and compare scenarios in a browser.

Needs the ``web`` extra (FastAPI, uvicorn). ``create_app`` builds the app for a runs folder;
``rightful.web.cli.serve`` is the command.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Build the FastAPI app (imported lazily so that ``import rightful.web`` needs no FastAPI)."""
    from .app import create_app as _create

    return _create(*args, **kwargs)
