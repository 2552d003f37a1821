"""Regenerate the generated tables of docs/ODD.md (see ``rightful.odd``)."""

import sys

from rightful.odd import main

if __name__ == "__main__":
    sys.exit(main())
