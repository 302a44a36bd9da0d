#!/usr/bin/env bash
# Create .venv and install the project (editable) with its pinned requirements; reinstalls only
# when a requirements file changes.
# Usage: scripts/setup.sh requirements.txt|requirements-dev.txt
set -euo pipefail
cd "$(dirname "$0")/.."
req="${1:-requirements.txt}"
case "$(basename "$req")" in
  requirements.txt) target="." ;;
  requirements-dev.txt) target=".[dev]" ;;
  *) echo "usage: scripts/setup.sh requirements.txt|requirements-dev.txt" >&2; exit 2 ;;
esac
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# Older checkouts put the project on the path with a .pth file; the editable install replaces it.
site="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
rm -f "$site/timeline-explorer.pth"
stamp=".venv/.installed-$(basename "$req")"
digest="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target"
  echo "$digest" > "$stamp"
fi
# Plotly's basic build for the charts (skipped when present; offline, the charts load Streamlit's).
.venv/bin/python frontend.py
