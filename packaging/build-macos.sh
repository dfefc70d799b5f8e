#!/usr/bin/env bash
# Build TSBplace for macOS: TSBplace.app (PyInstaller BUNDLE) in a .dmg, from a clean
# virtual environment holding only the project's wheel and PyInstaller. Not run in CI
# (Linux only); see packaging/README.md. Needs Python 3.11+ from python.org (universal2
# or the machine's architecture) as PYTHON, and Xcode's command line tools.
#
#   PYTHON=python3.11 packaging/build-macos.sh
#
# Produces dist/TSBplace.app and dist/tsbplace-<version>-macos-<arch>.dmg, then runs the
# app's executable with --version and self-test (offscreen). Not signed or notarised unless
# TSBPLACE_CODESIGN_IDENTITY is set (then PyInstaller signs; notarise separately).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PYTHON="${PYTHON:-python3}"
[ "$(uname -s)" = Darwin ] || { echo "build-macos.sh runs on macOS only" >&2; exit 1; }
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "needs Python 3.11 or newer as \$PYTHON" >&2; exit 1; }

version="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
arch="$(uname -m)"
work="$(mktemp -d "${TMPDIR:-/tmp}/tsbplace-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$PYTHON" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip --disable-pip-version-check)
"${pip[@]}" install --quiet --upgrade pip
"${pip[@]}" wheel --quiet --no-deps --wheel-dir "$work/wheel" "$ROOT"
wheel="$(ls "$work"/wheel/tsbplace-*.whl)"
"${pip[@]}" install --quiet -c requirements/constraints.txt "$wheel[packaging,postgres]"

rm -rf dist/tsbplace dist/TSBplace.app "dist/tsbplace-$version-macos-$arch.dmg"
(
  cd "$work"  # only the installed wheel can be imported
  "$work/venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$work/build" "$ROOT/packaging/tsbplace.spec"
)
plist=dist/TSBplace.app/Contents/Info.plist
[ "$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$plist")" = "$version" ] \
  || { echo "Info.plist does not carry version $version" >&2; exit 1; }

(
  cd "$work"
  export QT_QPA_PLATFORM=offscreen TSBPLACE_DATA_DIR="$work/data"
  "$ROOT/dist/TSBplace.app/Contents/MacOS/tsbplace" --version
  "$ROOT/dist/TSBplace.app/Contents/MacOS/tsbplace" self-test
)

# The disk image: the app and a link to /Applications to drag it onto.
mkdir -p "$work/dmg"
cp -R dist/TSBplace.app "$work/dmg/"
ln -s /Applications "$work/dmg/Applications"
hdiutil create -volname "TSBplace $version" -srcfolder "$work/dmg" -fs HFS+ -format UDZO \
  -ov "dist/tsbplace-$version-macos-$arch.dmg"
du -sh dist/TSBplace.app "dist/tsbplace-$version-macos-$arch.dmg"
