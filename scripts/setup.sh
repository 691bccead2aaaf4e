#!/usr/bin/env bash
# Create .venv and install the coach with what it needs. Idempotent: reinstalls only when
# pyproject.toml changed. Usage: scripts/setup.sh [--dev]   (--dev adds test tools and Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

extras="llm"
want_browser=0
if [ "${1:-}" = "--dev" ]; then extras="dev,llm,st"; want_browser=1; fi

py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($py --version)" >&2
  "$py" -m venv .venv
fi

stamp=".venv/.coach-installed-$(sha1sum pyproject.toml | cut -c1-12)-$extras"
if [ ! -f "$stamp" ]; then
  echo "setup: installing the coach [$extras] (first run takes a few minutes)" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip >&2
  .venv/bin/python -m pip install --quiet -e ".[$extras]" >&2
  rm -f .venv/.coach-installed-*
  touch "$stamp"
fi

if [ "$want_browser" = 1 ]; then
  # Browser tests drive Debian's Chromium (Playwright's own browser download is not reachable);
  # charts and PDF exports need a Japanese font; the PostgreSQL storage tests start a throwaway
  # cluster from Debian's server binaries.
  missing=""
  for deb in chromium fonts-noto-cjk fonts-ipaexfont postgresql; do
    dpkg -s "$deb" >/dev/null 2>&1 || missing="$missing $deb"
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing Debian packages:$missing" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >&2 \
        || echo "setup: could not install$missing; browser / PostgreSQL tests will be skipped" >&2
    else
      echo "setup: missing$missing and cannot install here; browser / PostgreSQL tests will be skipped" >&2
    fi
  fi
fi
