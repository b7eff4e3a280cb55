#!/usr/bin/env bash
# Run the benchmarks; each prints its ratio against a baseline it measures in
# the same run. The PostgreSQL ones use a database of their own
# (FAZHI_BENCH_PG_URL, default bench_fazhi on 127.0.0.1), never the demo's.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --dev
export PATH="$PWD/.venv/bin:$PATH" DJANGO_SETTINGS_MODULE=fazhi.settings
PG=${FAZHI_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/bench_fazhi}
createdb -h 127.0.0.1 -U postgres bench_fazhi 2>/dev/null || true
BENCH_SQLITE="sqlite:///$PWD/var/bench.sqlite3"
DATABASE_URL=$BENCH_SQLITE fazhi migrate -v0

run() { printf '\n== %s\n' "$*"; "$@"; }
run env DATABASE_URL="$BENCH_SQLITE" python bench/bench_due_dates.py
run env DATABASE_URL="$BENCH_SQLITE" python bench/bench_tokenize.py
run python bench/bench_audit.py
run env DATABASE_URL="$PG" python bench/bench_audit.py
run env DATABASE_URL="$PG" python bench/bench_recompute.py "${FAZHI_BENCH_CLOCKS:-1000000}"
run env DATABASE_URL="$BENCH_SQLITE" python bench/bench_plan_parse.py
run env DATABASE_URL="$BENCH_SQLITE" python bench/bench_plan_report.py
run env DATABASE_URL="$BENCH_SQLITE" python bench/bench_plan_report_render.py
run env DATABASE_URL="$BENCH_SQLITE" python bench/bench_laws_search.py
run env DATABASE_URL="$PG" python bench/bench_laws_search.py
run python bench/bench_hotline_intake.py
run env DATABASE_URL="$PG" python bench/bench_hotline_intake.py
# 1 M tickets here (~4 min); the issue's 10 M takes ~40 min to build: FAZHI_BENCH_KPI_TICKETS=10000000
run env DATABASE_URL="$PG" python bench/bench_hotline_kpi.py --tickets "${FAZHI_BENCH_KPI_TICKETS:-1000000}"
