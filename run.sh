#!/usr/bin/env bash
# Set up (a virtual environment in .venv) and run the main job: the default scenario
# (prd-2003-2010) with its report. Extra arguments go to `rightful run`.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/rightful ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[ensemble]"
fi
exec .venv/bin/rightful run "$@"
