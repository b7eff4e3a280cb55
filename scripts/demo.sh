#!/usr/bin/env bash
# Start fazhi with the demo city (黄石市) on SQLite at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p var
fazhi migrate --no-input -v 0
fazhi demo
# Without debug pages: visitors get the platform's own 404 and 500 pages.
export FAZHI_DEBUG=${FAZHI_DEBUG:-0}
exec fazhi serve "${FAZHI_ADDR:-127.0.0.1:8000}"
