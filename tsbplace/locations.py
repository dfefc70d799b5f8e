"""Where TSBplace keeps its data: the data directory and the database URL.

Precedence of the data directory, highest first:

1. the ``--data-dir`` option;
2. the ``TSBPLACE_DATA_DIR`` environment variable;
3. the portable variant: a bundled (frozen) program with the marker file
   ``tsbplace-portable.txt`` beside its executable keeps its data in ``data/`` there;
4. the platform's per-user data directory.

The database URL follows the same order (``--database-url``, ``TSBPLACE_DATABASE_URL``),
else it is the SQLite file in the data directory, created readable by its owner only,
because it holds health records.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "TSBplace"
DATA_DIR_ENV = "TSBPLACE_DATA_DIR"
DATABASE_URL_ENV = "TSBPLACE_DATABASE_URL"
DATABASE_FILE = "tsbplace.sqlite3"
# Beside the executable of a bundled program: keep the data beside it too (packaging/README.md).
PORTABLE_MARKER = "tsbplace-portable.txt"
PORTABLE_DATA_FOLDER = "data"


@dataclass(frozen=True)
class Locations:
    """The resolved places for one run of the program."""

    data_dir: Path
    database_url: str
    portable: bool = False  # the data directory came from the portable marker

    @property
    def is_default_sqlite(self) -> bool:
        return self.database_url == sqlite_url(self.data_dir / DATABASE_FILE)

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def default_data_dir() -> Path:
    # roaming=False: health data must stay on this workstation, not follow a profile.
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def bundle_dir() -> Path | None:
    """The folder of the executable of a bundled (PyInstaller) program, else None.

    A program run by a Python interpreter is never portable: ``sys.executable`` is then
    the interpreter, and a marker beside it would not be ours.
    """
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent


def portable_data_dir() -> Path | None:
    """``<executable folder>/data`` if the portable marker sits beside the executable."""
    folder = bundle_dir()
    if folder is None or not (folder / PORTABLE_MARKER).is_file():
        return None
    return folder / PORTABLE_DATA_FOLDER


def resolve_locations(
    data_dir: str | os.PathLike[str] | None = None,
    database_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Locations:
    """Resolve the data directory and database URL from options, environment, the
    portable marker and defaults, in that order."""
    env = os.environ if environ is None else environ
    chosen_dir = data_dir or env.get(DATA_DIR_ENV)
    portable = False
    if not chosen_dir:
        chosen_dir = portable_data_dir()
        portable = chosen_dir is not None
    resolved_dir = Path(chosen_dir or default_data_dir()).expanduser().resolve()
    url = database_url or env.get(DATABASE_URL_ENV) or sqlite_url(resolved_dir / DATABASE_FILE)
    return Locations(data_dir=resolved_dir, database_url=url, portable=portable)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it accessible to its owner only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if sys.platform != "win32":  # Windows profiles are private by ACL already
        path.chmod(stat.S_IRWXU)
    return path


def ensure_private_file(path: Path) -> Path:
    """Create an empty file readable and writable by its owner only, if it does not exist.

    SQLite gives its -wal and -shm files the permissions of the database file, so
    creating the file this way before the first connection protects all three. A missing
    folder is created owner-only; an existing one is left as it is (it may be shared, like
    a folder named in --database-url, and is not ours to lock).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    if sys.platform != "win32":
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return path
