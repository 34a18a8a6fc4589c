#!/usr/bin/env bash
# Set everything up and run the whole test suite: ruff, mypy, lint-imports, then pytest (browser
# journeys in Debian's Chromium included) on SQLite, and on PostgreSQL too where one answers at
# 127.0.0.1:5432 (required when CI=true).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"

if [ ! -x /usr/bin/chromium ]; then
  echo "==> Installing Chromium from Debian (browser tests)"
  apt_install chromium || { echo "Chromium is needed for the browser tests: apt-get install chromium" >&2; exit 1; }
fi
if [ ! -x /usr/sbin/nginx ]; then
  echo "==> Installing nginx from Debian (the reverse-proxy configuration test)"
  apt_install nginx || echo "nginx could not be installed: its test will skip." >&2
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "==> Installing Node.js and npm from Debian (axe-core for accessibility checks)"
  apt_install nodejs npm || { echo "npm is needed for axe-core: apt-get install npm" >&2; exit 1; }
fi
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/axe-core/axe.min.js ]; then
  echo "==> Installing axe-core (npm ci)"
  npm ci --silent --no-audit --no-fund
fi

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> mypy"
.venv/bin/mypy
echo "==> lint-imports (the import order of ARCHITECTURE.md)"
.venv/bin/lint-imports --no-logo

run_pytest() {
  local label=$1; shift
  echo "==> pytest on ${label}"
  set +e
  "$PY" -m pytest "$@"
  local status=$?
  set -e
  if [ $status -eq 5 ]; then
    echo "pytest collected no tests on ${label}: the suite is broken." >&2
    return 1
  fi
  return $status
}

PG_URL=${POSTGRES_TEST_URL:-postgres://postgres@127.0.0.1:5432/okrcoach}
pg_up() {
  "$PY" - "$PG_URL" <<'PYCODE' >/dev/null 2>&1
import sys, psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
psycopg.connect(url, connect_timeout=3).close()
PYCODE
}

SQLITE_URL="sqlite:///$(pwd)/var/test.sqlite3"
if [ $# -eq 0 ] && pg_up; then
  # Both databases side by side, one per core: SQLite runs everything (browser journeys
  # included); PostgreSQL runs the rest of the suite (the journeys drive the same views), with a
  # Redis database of its own. This keeps the whole command under 30 minutes on two cores.
  mkdir -p var
  echo "==> pytest on SQLite (browser journeys included) and on PostgreSQL, side by side"
  echo "    logs: var/test-sqlite.log, var/test-postgresql.log (printed below when both end)"
  set +e
  DATABASE_URL="$SQLITE_URL" OKRCOACH_CLUSTER_TESTS=elsewhere \
    "$PY" -m pytest >var/test-sqlite.log 2>&1 &
  sqlite_pid=$!
  DATABASE_URL="$PG_URL" OKRCOACH_TEST_REDIS=redis://127.0.0.1:6379/3 \
    "$PY" -m pytest coach okrcoach >var/test-postgresql.log 2>&1 &
  pg_pid=$!
  wait $sqlite_pid; sqlite_status=$?
  wait $pg_pid; pg_status=$?
  set -e
  echo "==> pytest on SQLite (browser journeys included)"; cat var/test-sqlite.log
  echo "==> pytest on PostgreSQL (browser journeys ran on SQLite)"; cat var/test-postgresql.log
  for pair in "SQLite:$sqlite_status" "PostgreSQL:$pg_status"; do
    label=${pair%%:*}; status=${pair##*:}
    if [ "$status" -eq 5 ]; then
      echo "pytest collected no tests on ${label}: the suite is broken." >&2; exit 1
    elif [ "$status" -ne 0 ]; then
      echo "pytest failed on ${label} (exit ${status})." >&2; exit "$status"
    fi
  done
else
  DATABASE_URL="$SQLITE_URL" run_pytest SQLite "$@"
  if pg_up; then
    if [ $# -eq 0 ]; then set -- coach okrcoach; fi
    DATABASE_URL="$PG_URL" run_pytest "PostgreSQL (browser journeys ran on SQLite)" "$@"
  elif [ "${CI:-}" = "true" ]; then
    echo "CI=true but no PostgreSQL answers at ${PG_URL%/*}: the suite must pass on both." >&2
    exit 1
  else
    echo "==> PostgreSQL not reachable at ${PG_URL%/*}: skipped (CI runs it)."
  fi
fi
echo "==> All checks passed."
