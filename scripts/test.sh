#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite, then the eval regression gate.
# This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
export PATH="$PWD/.venv/bin:$PATH"
# Tests build their own index in a temp dir; the gate needs the project's index.
python -m pytest "$@"
if coach eval --help >/dev/null 2>&1 && coach eval --help 2>&1 | grep -q -- "--gate"; then
  coach ingest >&2
  coach eval --gate
fi
