#!/usr/bin/env bash
# Set everything up and run okrcoach on SQLite with the demo organisations:
# the web server on 127.0.0.1:$PORT (default 8000) and the background task worker.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=okrcoach.settings.dev
mkdir -p var

echo "==> Preparing the database (var/okrcoach.sqlite3)"
$PY manage.py migrate --noinput -v0
$PY manage.py load_academy | tail -n 1
$PY manage.py seed_demo | sed -n '1p'

$PY manage.py run_worker --interval 2 --no-reload &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  okrcoach is running at http://127.0.0.1:${PORT}/
  (web server and task worker; stop both with Ctrl+C)

MSG
$PY manage.py demo_accounts | sed 's/^/  /'
echo
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload
