#!/usr/bin/env bash
# Check the API against its own OpenAPI document with schemathesis (every check, stateful links
# included), on a fresh copy of the demo data, with the production settings under gunicorn on
# loopback and real API tokens: an admin's (Nora Quinn) and, with AS=member, a member's (Jordan
# Ellis). Not part of ./scripts/test.sh (it takes minutes); the suite runs a short in-process
# version (okrcoach/demo/tests/test_api_conformance.py).
#   MAX_EXAMPLES=30 ./scripts/api_conformance.sh
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/okrcoach_conformance ./scripts/api_conformance.sh
# With a PostgreSQL URL the database is dropped and created again (it must be yours to throw away).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
[ -x .venv/bin/schemathesis ] || source scripts/bootstrap.sh
PY=$REPO/.venv/bin/python
PORT=${PORT:-8765}
MAX_EXAMPLES=${MAX_EXAMPLES:-30}
AS=${AS:-admin}
WORK=$(mktemp -d /tmp/okrcoach-conformance.XXXXXX)
export DJANGO_SETTINGS_MODULE=okrcoach.settings.production
export SECRET_KEY=conformance-run-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')
export SECURE_SSL_REDIRECT=false LOG_FORMAT=text LOG_LEVEL=WARNING
export DATABASE_URL=${DATABASE_URL:-"sqlite:///$WORK/api-demo.sqlite3"}
# The coach's per-token limit (tested in okrs/tests/test_api_coach_limits.py) would turn most of
# schemathesis' valid coach requests into documented 429s; lift it for this run.
export THROTTLE_COACH_PER_TOKEN=${THROTTLE_COACH_PER_TOKEN:-1000000}
export THROTTLE_COACH_BYTES_PER_TOKEN=${THROTTLE_COACH_BYTES_PER_TOKEN:-10000000000}
.venv/bin/schemathesis --version

if [[ $DATABASE_URL == postgres* ]]; then
  DB=${DATABASE_URL##*/}
  BASE=${DATABASE_URL%/*}
  echo "==> Recreating PostgreSQL database $DB"
  $PY - "$BASE" "$DB" <<'PYEOF'
import sys
import psycopg
with psycopg.connect(f"{sys.argv[1]}/postgres", autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PYEOF
fi
echo "==> Seeding the demo into $DATABASE_URL"
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo | sed -n '1p'
case $AS in
  admin) EMAIL=nora.quinn@kestrel.example ;;
  member) EMAIL=jordan.ellis@kestrel.example ;;
  *) echo "AS must be admin or member" >&2; exit 2 ;;
esac
TOKEN=$($PY manage.py create_api_token "$EMAIL" --org kestrel --name conformance | tail -n 1)

echo "==> Starting gunicorn (production settings) on 127.0.0.1:$PORT"
WEB_BIND=127.0.0.1:$PORT WEB_CONCURRENCY=${WEB_CONCURRENCY:-2} WEB_TIMEOUT=60 \
  .venv/bin/gunicorn -c deploy/gunicorn.conf.py okrcoach.wsgi:application >"$WORK/server.log" 2>&1 &
SERVER=$!
stop() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  # Server errors, if any, for the report above.
  grep -B2 -A40 "Traceback" "$WORK/server.log" | head -n 300 || true
  rm -rf "$WORK"
}
trap stop EXIT INT TERM

echo "==> schemathesis run --checks all --phases examples,coverage,fuzzing,stateful as $AS ($EMAIL), at most $MAX_EXAMPLES cases per operation"
# From the scratch folder, so schemathesis leaves its cache there and not in the repository.
cd "$WORK"
"$REPO/.venv/bin/schemathesis" --config-file "$REPO/scripts/schemathesis.toml" run \
  "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --checks all \
  --phases "${PHASES:-examples,coverage,fuzzing,stateful}" \
  --header "Authorization: Bearer $TOKEN" \
  --max-examples "$MAX_EXAMPLES" \
  --seed "${SEED:-1}" \
  --workers "${WORKERS:-1}" \
  --wait-for-schema 60 \
  --request-timeout 30 \
  --suppress-health-check all \
  --warnings off \
  "$@"
