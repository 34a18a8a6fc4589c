# Sourced by run.sh and test.sh: installs uv if missing and syncs .venv from uv.lock.
# Works on a fresh Debian machine with only Python 3.11+ (as root it installs what apt must).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UV_PYTHON_DOWNLOADS=never   # uv must use the machine's Python, never download one
PYTHON_BIN=${PYTHON:-python3}

if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "okrcoach needs Python 3.11 or newer as '$PYTHON_BIN' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  # Install Debian packages; apt-get update runs once per script run.
  if [ -z "${_OKR_APT_UPDATED:-}" ]; then as_root apt-get update -qq; _OKR_APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# uv: on the PATH, in this clone's .tools/ (older clones), or installed once per user into
# $OKRCOACH_TOOLS so a second clone on the same machine needs no download (pip --target makes no
# venv: creating one copies pip and takes half a minute on a slow disk).
TOOLS=${OKRCOACH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/okrcoach-tools}
if command -v uv >/dev/null 2>&1; then
  UV=$(command -v uv)
elif [ -x .tools/bin/uv ]; then
  UV=.tools/bin/uv
elif [ -x "$TOOLS/bin/uv" ]; then
  UV=$TOOLS/bin/uv
elif "$PYTHON_BIN" -m pip --version >/dev/null 2>&1; then
  echo "==> Installing uv into $TOOLS (once per user)"
  "$PYTHON_BIN" -m pip install --quiet --disable-pip-version-check --target "$TOOLS" uv 2>&1 \
    | grep -v -e "^WARNING: Running pip as" -e "^WARNING: Location" || true
  UV=$TOOLS/bin/uv
else
  UV=.tools/bin/uv
  echo "==> Installing uv into .tools/"
  rm -rf .tools
  if ! "$PYTHON_BIN" -m venv .tools >/dev/null 2>&1; then
    rm -rf .tools
    echo "==> python3-venv is missing; installing it with apt"
    PYVER=$("$PYTHON_BIN" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "python${PYVER}-venv" || apt_install python3-venv
    "$PYTHON_BIN" -m venv .tools
  fi
  .tools/bin/python -m pip install --quiet --disable-pip-version-check uv
fi
echo "==> Syncing the environment (.venv) from uv.lock"
"$UV" sync --locked --quiet --python "$PYTHON_BIN"
PY=.venv/bin/python
export PY UV
