#!/usr/bin/env bash
# Set up (first time only) and open the dashboard. Extra arguments go to the app:
#   bash scripts/run.sh --data path/to/timeline.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
port="${PORT:-8501}"
echo "Opening the dashboard at http://localhost:${port}"
if [ "$#" -gt 0 ]; then
  exec .venv/bin/streamlit run app.py --server.port "$port" -- "$@"
fi
exec .venv/bin/streamlit run app.py --server.port "$port"
