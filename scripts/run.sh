#!/usr/bin/env bash
# Set up (if needed), build the index from corpus/, and start the app on http://127.0.0.1:8000
# (COACH_HOST / COACH_PORT to change). This is the README's run command.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
coach ingest
exec coach serve --host "${COACH_HOST:-127.0.0.1}" --port "${COACH_PORT:-8000}"
