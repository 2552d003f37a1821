#!/usr/bin/env bash
# Set up (a virtual environment in .venv with the test extras; Debian's Chromium for the browser
# tests of the web laboratory) and run the test suite.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${RIGHTFUL_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing Debian's chromium for the browser tests" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || echo "test.sh: could not install chromium: the browser tests will fail in CI, skip elsewhere" >&2
  else
    echo "test.sh: no chromium (install it: sudo apt-get install chromium): the browser tests will skip" >&2
  fi
fi
if [ ! -x .venv/bin/pytest ] || ! .venv/bin/python -c "import rightful, dask, SALib, optuna, ema_workbench, pandas, nbclient, ipykernel, hypothesis, fastapi, uvicorn, httpx, playwright" 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[ensemble,web,dev]"
fi
exec .venv/bin/python -m pytest "$@"
