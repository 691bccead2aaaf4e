#!/usr/bin/env bash
# Set up (if needed), run the eval regression gate on the project's index and dev data, lint with
# ruff, then the whole test suite. This is the README's test command; .ci/run calls it. All three
# always run; the exit code is non-zero if any fails (pytest's summary stays the last line of output).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev || exit 1
export PATH="$PWD/.venv/bin:$PATH"

gate=0
{ coach ingest >&2 && coach eval --gate; } || gate=$?
[ "$gate" = 0 ] || echo "test.sh: the eval gate failed (exit $gate); see above" >&2

lint=0
ruff check --quiet . || lint=$?
[ "$lint" = 0 ] || echo "test.sh: ruff found problems (exit $lint); see above" >&2

# Tests build their own indexes and databases in temp dirs.
python -m pytest "$@"
tests=$?
[ "$gate" = 0 ] && [ "$lint" = 0 ] && [ "$tests" = 0 ] && exit 0
exit 1
