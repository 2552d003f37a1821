"""``python -m rightful.web``: the same as ``rightful serve``."""

from .cli import main

main()
