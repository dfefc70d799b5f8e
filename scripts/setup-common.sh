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
TEST_PACKAGES=(xvfb xauth poppler-utils)

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
