# Shared by scripts/run-app and scripts/run-tests (sourced, not run).
# Installs the Debian packages TSBplace needs when they are missing, then keeps a
# virtual environment in .venv in step with requirements/constraints.txt.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${TSBPLACE_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

# What Qt needs to draw a window (X11 or offscreen) on Debian 12.
APP_PACKAGES=(
  libgl1 libegl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3
  fonts-dejavu-core libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-util1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
)
# What the tests need besides: a virtual X server, PDF rendering, PostgreSQL.
TEST_PACKAGES=(xvfb xauth poppler-utils postgresql)

say() { printf '%s\n' "$*" >&2; }

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || printf '%s\n' "$pkg"
  done
}

ensure_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "Not a Debian-based system: install the Qt runtime libraries listed in the README yourself."
    return 0
  fi
  local missing
  mapfile -t missing < <(missing_packages "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      say "These system packages are missing and this script is not root: ${missing[*]}"
      say "Install them (apt-get install ${missing[*]}) and run the command again."
      exit 1
    fi
  fi
  say "Installing system packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_python() {
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "TSBplace needs Python 3.11 or newer as '$PYTHON' (set PYTHON=/path/to/python3.11 to choose one)."
    exit 1
  fi
  if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    ensure_packages python3-venv
  fi
}

# ensure_venv EXTRAS: create .venv if needed and install TSBplace (editable) with EXTRAS,
# pinned by the constraints file; skipped when nothing changed since the last run.
ensure_venv() {
  local extras="$1"
  ensure_python
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  local stamp="$VENV/.tsbplace-installed-$extras"
  local want
  want="$extras $(cat "$ROOT/pyproject.toml" "$ROOT/requirements/constraints.txt" | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing TSBplace and its Python packages into $VENV …"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      -c "$ROOT/requirements/constraints.txt" -e "$ROOT[$extras]"
    printf '%s' "$want" > "$stamp"
  fi
}

# start_test_postgres: a throw-away PostgreSQL 15 cluster for one test run, on a free
# port of 127.0.0.1, with a database and a password role; exports
# TSBPLACE_TEST_POSTGRES_URL and stops and removes the cluster when the shell exits.
# Fails loudly if PostgreSQL cannot start; TSBPLACE_SKIP_POSTGRES=1 skips it (the
# PostgreSQL tests are then skipped, with the reason in pytest's summary).
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

start_test_postgres() {
  if [ "${TSBPLACE_SKIP_POSTGRES:-0}" = "1" ]; then
    say "TSBPLACE_SKIP_POSTGRES=1: not starting PostgreSQL; its tests will be skipped."
    unset TSBPLACE_TEST_POSTGRES_URL
    return 0
  fi
  if [ ! -x "$PG_BIN/initdb" ]; then
    say "PostgreSQL 15 is not installed ($PG_BIN/initdb missing): apt-get install postgresql,"
    say "or set TSBPLACE_SKIP_POSTGRES=1 for a quick local run without the PostgreSQL tests."
    exit 1
  fi
  # PostgreSQL refuses to run as root: root runs it as the postgres user.
  local as=()
  if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
  # The cluster's folder must be reachable by the user the server runs as; some machines
  # keep /tmp private to root, so fall back to /var/tmp there.
  local base="${TMPDIR:-/tmp}"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$base"; then base=/var/tmp; fi
  PG_DIR="$(mktemp -d "$base/tsbplace-pg.XXXXXX")"
  chmod 755 "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
  PG_AS=("${as[@]}")
  trap stop_test_postgres EXIT
  local port password
  port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  password="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(16))')"
  if ! "${as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log" >&2; say "PostgreSQL: initdb failed (TSBPLACE_SKIP_POSTGRES=1 skips it)."; exit 1
  fi
  # A throw-away cluster: no fsync, so the run stays fast.
  if ! "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
      start >/dev/null; then
    cat "$PG_DIR/server.log" >&2 || true; say "PostgreSQL did not start (TSBPLACE_SKIP_POSTGRES=1 skips it)."; exit 1
  fi
  "${as[@]}" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE tsbplace_test LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE tsbplace_test OWNER tsbplace_test" >/dev/null
  export TSBPLACE_TEST_POSTGRES_URL="postgresql+psycopg://tsbplace_test:$password@127.0.0.1:$port/tsbplace_test"
  say "PostgreSQL 15 for the tests: 127.0.0.1:$port (cluster in $PG_DIR, removed on exit)."
}

stop_test_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
