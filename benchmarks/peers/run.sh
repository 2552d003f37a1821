#!/usr/bin/env bash
# Peer benchmark: Epstein's civil-violence model, rightful vs Mesa's own example, in one command.
# Why a separate venv: Mesa (and what its examples import) must never become a dependency of
# rightful itself, so it lives only in /work/main/.venv-peers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${PEERS_VENV:-$ROOT/.venv-peers}"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
if [ -f "$ROOT/pyproject.toml" ]; then
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT"
else
    # No pyproject yet: import rightful from the source tree instead.
    export PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}"
fi
"$VENV/bin/python" -m pip install --quiet -r "$ROOT/benchmarks/peers/requirements.txt"

cd "$ROOT"
exec "$VENV/bin/python" benchmarks/peers/civil_violence_bench.py "$@"
