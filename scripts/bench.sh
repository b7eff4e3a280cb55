#!/usr/bin/env bash
# Run every benchmark in bench/; each prints its ratio against a baseline it
# measures in the same run. PostgreSQL benches use FAZHI_BENCH_PG_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --dev
export PATH="$PWD/.venv/bin:$PATH" DJANGO_SETTINGS_MODULE=fazhi.settings
for script in bench/bench_*.py; do
  printf '\n== %s\n' "$script"
  python "$script" "$@"
done
