"""Opening the services a front end needs (the GUI today, the CLI commands later).

One function turns the resolved :class:`~tsbplace.locations.Locations` into ready
services on a migrated store, so no front end ever touches storage directly.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from tsbplace.cases import CaseService
from tsbplace.content import installed_content
from tsbplace.locations import Locations, ensure_private_dir
from tsbplace.storage import Store, StoreTooNew
from tsbplace.storage.backup import newest_good_backup
from tsbplace.storage.integrity import Verdict, check_file

__all__ = ["StoreDamaged", "StoreTooNew", "StoreUnavailable", "open_case_service", "open_store"]


class StoreUnavailable(RuntimeError):
    """The database could not be opened (unreadable, locked, damaged, server down).

    ``reason`` is the driver's own short message: no patient data, fit for a person.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StoreDamaged(StoreUnavailable):
    """The SQLite file failed the start-up integrity check (truncated, corrupted, not a
    database). Holds the reason, the newest backup that passes the check (if any) and the
    command that restores it; no patient data."""

    def __init__(self, reason: str, database: Path, backup: Path | None, restore_command: str | None) -> None:
        super().__init__(reason)
        self.database = database
        self.backup = backup
        self.restore_command = restore_command


def restore_command(locations: Locations, backup: Path, user: str | None = None) -> str:
    """The command line that restores ``backup`` into the store of ``locations`` (signing
    in as ``user`` with the password on standard input, for an encrypted store)."""
    args = ["tsbplace", "--data-dir", str(locations.data_dir)]
    if not locations.is_default_sqlite:
        args += ["--database-url", locations.database_url]
    if user is not None:
        args += ["--user", user, "--password-stdin"]
    args += ["restore", str(backup)]
    return subprocess.list2cmdline(args) if sys.platform == "win32" else shlex.join(args)


def sqlite_database_file(locations: Locations) -> Path | None:
    """The SQLite file of the configured store, or None for a server database."""
    url = make_url(locations.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def check_before_opening(locations: Locations, key: bytes | None = None, user: str | None = None) -> None:
    """The quick integrity check of an existing SQLite store (encrypted with ``key``, if
    given), before anything opens it.

    Raises StoreDamaged, StoreTooNew or StoreUnavailable; a new or healthy store passes.
    """
    database = sqlite_database_file(locations)
    if database is None:
        return
    result = check_file(database, live=True, key=key)
    if result.damaged:
        backup = newest_good_backup(locations.backup_dir, key)
        command = None if backup is None else restore_command(locations, backup, user)
        raise StoreDamaged(result.reason(), database, backup, command)
    if result.verdict is Verdict.TOO_NEW:
        raise StoreTooNew(result.revision)
    if result.verdict in (Verdict.UNREADABLE, Verdict.NOT_TSBPLACE):
        raise StoreUnavailable(result.reason())


def open_store(locations: Locations, key: bytes | None = None, user: str | None = None) -> Store:
    """The configured store, checked and migrated to this program's version.

    Raises StoreDamaged for a SQLite file that fails the integrity check, StoreTooNew for
    a database written by a newer TSBplace and StoreUnavailable when the database cannot
    be opened; none of them changes the store.
    """
    ensure_private_dir(locations.data_dir)
    check_before_opening(locations, key, user)
    try:
        return Store.open(locations.database_url, backup_dir=locations.backup_dir, key=key)
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise StoreUnavailable(str(reason).splitlines()[0]) from error


def open_case_service(locations: Locations) -> CaseService:
    """The case service on the configured store, migrated to this program's version.

    Raises ContentError for invalid clinical content, StoreDamaged for a damaged SQLite
    file, StoreTooNew for a database written by a newer TSBplace and StoreUnavailable
    when the database cannot be opened; none of them changes the store.
    """
    content = installed_content()  # validate content before touching the database
    return CaseService(open_store(locations), content)
