#!/usr/bin/env bash
# The whole test suite: lint, types, migrations, deploy checks, then pytest on
# SQLite and on PostgreSQL, then the coverage floors. Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh
scripts/bootstrap.sh --dev
export PATH="$PWD/.venv/bin:$PATH"
export DJANGO_SETTINGS_MODULE=fazhi.settings
PG_URL=${FAZHI_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}

step() { printf '\n== %s\n' "$*"; }

step "ruff (lint and format)"
PY_PATHS=(fazhi tests bench scripts conftest.py)
ruff check "${PY_PATHS[@]}"
ruff format --check "${PY_PATHS[@]}"

step "mypy (kernel)"
mypy fazhi/kernel

step "migrations are complete"
DATABASE_URL=sqlite:///:memory: fazhi makemigrations --check --dry-run

step "every UI string has its Traditional translation"
DATABASE_URL=sqlite:///:memory: fazhi i18n_hant --check

step "deploy checks under production settings"
FAZHI_ENV=production FAZHI_SECRET_KEY="check-only-$(head -c 32 /dev/urandom | base64)" \
  FAZHI_ALLOWED_HOSTS=fazhi.example.gov.cn DATABASE_URL=sqlite:///:memory: \
  fazhi check --deploy --fail-level WARNING

run_pytest() {  # $1 label, rest: pytest args
  local label=$1; shift
  set +e
  python -m pytest "$@"
  local rc=$?
  set -e
  if [ $rc -eq 5 ]; then
    echo "pytest ($label) collected no tests: that is a failure, not a pass" >&2
    exit 1
  fi
  [ $rc -eq 0 ] || { echo "pytest ($label) failed with exit code $rc" >&2; exit $rc; }
}

rm -f .coverage .coverage.*
step "pytest on SQLite"
COVERAGE_FILE=.coverage.sqlite DATABASE_URL="sqlite:///$PWD/var/test.sqlite3" \
  run_pytest sqlite --cov --cov-report= -q "$@"

step "pytest on PostgreSQL"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "PostgreSQL is not answering; starting the installed cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
COVERAGE_FILE=.coverage.pg DATABASE_URL="$PG_URL" \
  run_pytest postgresql --cov --cov-report= -q "$@"

step "coverage floors"
coverage combine -q .coverage.sqlite .coverage.pg
python scripts/coverage_floors.py
