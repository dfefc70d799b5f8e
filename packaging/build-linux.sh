#!/usr/bin/env bash
# Build the Linux bundle of TSBplace with PyInstaller, from a clean virtual environment
# holding only the project's wheel (pinned by requirements/constraints.txt) and PyInstaller.
#
#   packaging/build-linux.sh            # → dist/tsbplace/ and the two archives below
#
# Produces dist/tsbplace-<version>-linux-x86_64.tar.gz (the onedir folder) and
# dist/tsbplace-<version>-linux-x86_64-portable.tar.gz (the same with the portable
# marker), then runs the bundle's --version and self-test offscreen. Caches nothing.
# PYTHON chooses the interpreter (default python3, 3.11 or newer); TMPDIR the scratch space.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
started=$(date +%s)
note() { printf '\n--- %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

source scripts/setup-common.sh
ensure_python
# PyInstaller needs objdump/objcopy (binutils) and the shared libpython, which Debian's
# python3 does not install by itself.
py_version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
py_real="$(readlink -f "$(command -v "$PYTHON")")"
system_packages=(binutils "${APP_PACKAGES[@]}")
case "$py_real" in /usr/bin/*) system_packages+=("libpython$py_version") ;; esac
ensure_packages "${system_packages[@]}"

version="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
arch="$(uname -m)"
name="tsbplace-$version-linux-$arch"
work="$(mktemp -d "${TMPDIR:-/tmp}/tsbplace-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

note "a clean virtual environment with the wheel and PyInstaller"
"$PYTHON" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip --disable-pip-version-check)
"${pip[@]}" wheel --quiet --no-deps --wheel-dir "$work/wheel" "$ROOT"
wheel="$(ls "$work"/wheel/tsbplace-*.whl)"
# The packaging extra pulls in PyInstaller, the postgres one the driver for a clinic
# that shares a PostgreSQL store; the constraints file pins them with the rest.
"${pip[@]}" install --quiet -c requirements/constraints.txt "$wheel[packaging,postgres]"

note "PyInstaller"
rm -rf dist/tsbplace "dist/$name.tar.gz" "dist/$name-portable.tar.gz"
(
  cd "$work"  # away from the checkout, so only the installed wheel can be imported
  "$work/venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$work/build" "$ROOT/packaging/tsbplace.spec"
)

note "archives"
tar -C dist -I "gzip -1" -cf "dist/$name.tar.gz" tsbplace  # fast: CI time over a few MB
mkdir -p "$work/portable"
cp -a dist/tsbplace "$work/portable/tsbplace"
cp packaging/tsbplace-portable.txt "$work/portable/tsbplace/"
tar -C "$work/portable" -I "gzip -1" -cf "dist/$name-portable.tar.gz" tsbplace

note "smoke test: --version and self-test offscreen, from an empty folder and data dir"
mkdir -p "$work/run"
(
  cd "$work/run"
  export QT_QPA_PLATFORM=offscreen TSBPLACE_DATA_DIR="$work/run/data" HOME="$work/run"
  "$ROOT/dist/tsbplace/tsbplace" --version
  "$ROOT/dist/tsbplace/tsbplace" self-test
  test ! -e "$work/run/data"  # the self-test must not touch the data dir
  # The portable variant keeps its data beside itself (TSBPLACE_DATA_DIR would win):
  # a new encrypted store must appear in its data/ folder, nowhere else.
  unset TSBPLACE_DATA_DIR
  printf 'portable-smoke-test-passphrase\n' \
    | "$work/portable/tsbplace/tsbplace" --language en init --admin admin --password-stdin
  test -s "$work/portable/tsbplace/data/tsbplace.sqlite3"
  # The PostgreSQL driver is in the bundle: a closed port must give "connection failed",
  # not a missing module.
  out="$("$ROOT/dist/tsbplace/tsbplace" --language en \
    --database-url "postgresql+psycopg://smoke:smoke@127.0.0.1:9/none" check 2>&1 || true)"
  case "$out" in
    *"connection failed"*) echo "PostgreSQL driver: present" ;;
    *) echo "the bundle cannot use PostgreSQL: $out" >&2; exit 1 ;;
  esac
)

note "done"
du -sh dist/tsbplace "dist/$name.tar.gz" "dist/$name-portable.tar.gz"
