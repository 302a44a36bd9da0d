#!/usr/bin/env bash
# Set up everything the tests need (venv, Debian's chromium) and run lint and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f node_modules/@knight-lab/timelinejs/dist/js/timeline.js ]; then
  npm ci --no-audit --no-fund  # the real TimelineJS, pinned in package-lock.json
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m timeline validate seeds/*.yaml
exec .venv/bin/python -m pytest "$@"
