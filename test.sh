#!/usr/bin/env bash
# Set up (a virtual environment in .venv) and run the test suite.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/pytest ] || ! .venv/bin/python -c "import rightful, dask, SALib, optuna, pandas, nbclient, ipykernel" 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[ensemble,dev]"
fi
exec .venv/bin/python -m pytest "$@"
