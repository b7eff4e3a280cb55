#!/usr/bin/env bash
# Make .venv ready: Python 3.11 virtualenv with the pinned dependencies.
# Idempotent and quick when nothing changed (a stamp holds the inputs' hash).
set -euo pipefail
cd "$(dirname "$0")/.."

want_dev=${1:-}
PY=${FAZHI_PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      PY=$candidate; break
    fi
  done
fi
[ -n "$PY" ] || { echo "fazhi needs Python 3.11 (set FAZHI_PYTHON)" >&2; exit 1; }

[ -x .venv/bin/python ] || "$PY" -m venv .venv
extras=""; [ "$want_dev" = "--dev" ] && extras="[dev]"
stamp=.venv/.fazhi-stamp
inputs=$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)$extras
current=$(cat "$stamp" 2>/dev/null || true)
# A dev install has everything a plain one has: `make demo` after
# `bootstrap.sh --dev` must not reinstall.
if [ "$current" != "$inputs" ] && [ "$current" != "${inputs}[dev]" ]; then
  echo "Installing fazhi and its pinned dependencies into .venv (log: var/pip.log) ..."
  mkdir -p var
  if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
         .venv/bin/python -m pip install --disable-pip-version-check \
           -c requirements.lock -e ".$extras"; } > var/pip.log 2>&1; then
    tail -40 var/pip.log >&2
    echo "pip install failed; the whole log is in var/pip.log" >&2
    exit 1
  fi
  echo "$inputs" > "$stamp"
fi
