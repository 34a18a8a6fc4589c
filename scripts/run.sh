#!/usr/bin/env bash
# Set everything up and run okrcoach on SQLite: the web server on 127.0.0.1:$PORT (default 8000)
# and the background task worker. An empty database gets the demo organisations, unless DEMO=0
# (then the first page offers the one-time setup form). DEBUG=1 turns Django's debug pages on.
# Emails are written to var/mail/ (one file per message), not to the console.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=okrcoach.settings.dev
export DEBUG=${DEBUG:-false}
export SITE_URL=${SITE_URL:-http://127.0.0.1:${PORT}}
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}
export EMAIL_FILE_PATH=${EMAIL_FILE_PATH:-$PWD/var/mail}
# Write bytecode: every process after the first starts seconds faster.
unset PYTHONDONTWRITEBYTECODE
mkdir -p var "$EMAIL_FILE_PATH"

echo "==> Preparing the database (var/okrcoach.sqlite3)"
PIDS=()
stop() { kill "${PIDS[@]}" 2>/dev/null || true; }
trap stop EXIT INT TERM
# One process prepares the database and then serves: a Django start-up costs seconds.
PREPARE=(--accounts-file var/demo_accounts.txt --serve "127.0.0.1:${PORT}" --server-log var/server.log)
if [ "${DEMO:-1}" = 0 ]; then PREPARE+=(--no-demo); fi
$PY manage.py prepare_run "${PREPARE[@]}" 2>> var/server.log &
SERVER=$!
PIDS+=($SERVER)

# Announce the address only once the server answers.
$PY - "$PORT" "$SERVER" <<'PYEOF'
import os, sys, time, urllib.error, urllib.request
port, server = sys.argv[1], int(sys.argv[2])
while True:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
        break
    except urllib.error.HTTPError:
        break
    except OSError:
        try:
            os.kill(server, 0)
        except OSError:
            sys.exit("okrcoach stopped while starting; see var/server.log.")
        time.sleep(0.1)
PYEOF
$PY manage.py run_worker --interval 2 --no-reload > var/worker.log 2>&1 &
PIDS+=($!)

cat <<MSG

  Emails:     var/mail/ (one file per message)     Logs: var/server.log, var/worker.log
MSG
if [ -s var/demo_accounts.txt ]; then echo; sed 's/^/  /' var/demo_accounts.txt; fi
cat <<MSG

  okrcoach is running at ${SITE_URL}/
  (web server and task worker; stop both with Ctrl+C)

MSG
wait "$SERVER"
