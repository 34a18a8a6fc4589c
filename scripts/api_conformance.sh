#!/usr/bin/env bash
# Check the API against its own OpenAPI document with schemathesis (every check), on a throwaway
# SQLite copy of the demo data, with the server on loopback. Not part of ./scripts/test.sh: it
# installs schemathesis into a venv in /tmp and takes a few minutes.
#   MAX_EXAMPLES=30 ./scripts/api_conformance.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
[ -x .venv/bin/python ] || source scripts/bootstrap.sh
PY=$REPO/.venv/bin/python
ST_VENV=${ST_VENV:-/tmp/okrcoach-schemathesis}
PORT=${PORT:-8765}
MAX_EXAMPLES=${MAX_EXAMPLES:-30}
WORK=$(mktemp -d /tmp/okrcoach-conformance.XXXXXX)
export DJANGO_SETTINGS_MODULE=okrcoach.settings.dev
export DATABASE_URL="sqlite:///$WORK/api-demo.sqlite3"
# The coach's per-token limit (tested in okrs/tests/test_api_coach_limits.py) would turn most of
# schemathesis' valid coach requests into documented 429s; lift it for this run.
export THROTTLE_COACH_PER_TOKEN=${THROTTLE_COACH_PER_TOKEN:-1000000}
export THROTTLE_COACH_BYTES_PER_TOKEN=${THROTTLE_COACH_BYTES_PER_TOKEN:-10000000000}

if [ ! -x "$ST_VENV/bin/schemathesis" ]; then
  echo "==> Installing schemathesis into $ST_VENV"
  python3 -m venv "$ST_VENV"
  "$ST_VENV/bin/pip" install -q schemathesis
fi
"$ST_VENV/bin/schemathesis" --version

echo "==> Seeding $DATABASE_URL"
$PY manage.py migrate --noinput -v0
$PY manage.py load_academy | tail -n 1
$PY manage.py seed_demo | sed -n '1p'
TOKEN=$($PY manage.py create_api_token nora.quinn@kestrel.example --org kestrel | grep -o 'okr_[A-Za-z0-9_-]*' | head -n 1)

echo "==> Starting the server on 127.0.0.1:$PORT"
$PY manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER=$!
stop() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  # Server errors, if any, for the report above.
  grep -A40 "^Traceback" "$WORK/server.log" | head -n 200 || true
  rm -rf "$WORK"
}
trap stop EXIT INT TERM

echo "==> schemathesis run --checks all (at most $MAX_EXAMPLES cases per operation)"
# From the scratch folder, so schemathesis leaves its cache there and not in the repository.
cd "$WORK"
# One worker: with two, hypothesis' parallel ast.parse calls crash CPython 3.11 now and then
# ("AST constructor recursion depth mismatch"), an error of the tool rather than of the API.
"$ST_VENV/bin/schemathesis" --config-file "$REPO/scripts/schemathesis.toml" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $TOKEN" \
  --max-examples "$MAX_EXAMPLES" \
  --seed "${SEED:-1}" \
  --workers 1 \
  --wait-for-schema 60 \
  --request-timeout 30 \
  --suppress-health-check all \
  --warnings off
