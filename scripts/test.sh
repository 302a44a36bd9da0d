#!/usr/bin/env bash
# Set up everything the tests need (venv, the package, Debian's chromium) and run lint, the type
# check and every test. Arguments go to pytest.
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
.venv/bin/mypy  # --strict over timeline/ and the app, set in pyproject.toml
.venv/bin/python -m timeline validate seeds/*.yaml
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" = 5 ]; then
  echo "pytest collected no test: that is a failure, not a pass" >&2
fi
exit "$status"
