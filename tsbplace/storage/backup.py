"""Backups and restores of a SQLite store, whole or not at all.

:func:`backup_to` uses SQLite's online backup API, so the copy is one consistent
snapshot even while the program writes; it is written to a temporary file beside the
target, checked, and only then renamed into place, owner-only. :func:`restore_from`
refuses a file that fails the integrity check or comes from a newer TSBplace, keeps the
current database in the backup folder first, and replaces the database atomically.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from tsbplace.i18n import tr
from tsbplace.locations import ensure_private_dir
from tsbplace.storage.integrity import IntegrityResult, Verdict, check_file
from tsbplace.storage.sqlite_files import DATABASE_ERRORS, connect

BACKUP_SUFFIX = ".sqlite3"
SIDE_FILES = ("-wal", "-shm", "-journal")
BUSY_TIMEOUT_S = 5.0


class BackupFailed(RuntimeError):
    """A backup or restore could not be done; ``reason`` is fit for a person. Nothing changed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotSqlite(BackupFailed):
    """The store is not a SQLite file (PostgreSQL has its own tools)."""


@dataclass(frozen=True)
class Restored:
    database: Path
    revision: str | None
    previous: Path | None  # where the database it replaced was kept


def sqlite_file(engine_or_url: Engine | str) -> Path:
    """The database file behind a SQLite engine or URL; NotSqlite for anything else."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise NotSqlite(tr("backup.not_sqlite"))
    return Path(url.database)


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _private_temp(folder: Path, name: str) -> Path:
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)  # 0600
    os.close(fd)
    return Path(temp)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_side_files(path: Path) -> None:
    for suffix in SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _install(temp: Path, target: Path, key: bytes | None) -> None:
    """Check the finished temporary copy, then rename it over ``target``."""
    result = check_file(temp, key=key)
    if not result.ok:
        raise BackupFailed(result.reason())
    _fsync_file(temp)
    if sys.platform != "win32":
        temp.chmod(stat.S_IRUSR | stat.S_IWUSR)
    os.replace(temp, target)
    _fsync_dir(target.parent)


def backup_to(engine_or_url: Engine | str, target: Path, key: bytes | None = None) -> IntegrityResult:
    """Write a consistent, checked copy of the SQLite store to ``target`` (replaced whole).
    An encrypted store (``key``) gives a copy encrypted with the same key."""
    source = sqlite_file(engine_or_url)
    found = check_file(source, live=True, key=key)
    if not found.ok:
        raise BackupFailed(found.reason())
    target = Path(target).absolute()
    temp = _private_temp(target.parent, target.name)
    try:
        with connect(f"{source.resolve().as_uri()}?mode=rw", key=key, uri=True,
                     timeout=BUSY_TIMEOUT_S) as reader:
            with connect(temp, key=key) as writer:
                reader.backup(writer)  # one step: one read transaction, one snapshot
                writer.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            writer.close()
        reader.close()
        _install(temp, target, key)
    except BaseException:
        temp.unlink(missing_ok=True)
        _remove_side_files(temp)
        raise
    return check_file(target, key=key)


def backup_candidates(backup_dir: Path) -> list[Path]:
    """The backup folder's database copies (ours and the pre-upgrade ones), newest first."""
    if not backup_dir.is_dir():
        return []
    files = [path for path in backup_dir.glob(f"*{BACKUP_SUFFIX}")
             if path.is_file() and not path.name.startswith(".")]
    return sorted(files, key=lambda path: (path.stat().st_mtime_ns, path.name), reverse=True)


def newest_good_backup(backup_dir: Path, key: bytes | None = None) -> Path | None:
    """The newest copy in ``backup_dir`` that passes the integrity check, if any."""
    for candidate in backup_candidates(backup_dir):
        if check_file(candidate, key=key).ok:
            return candidate
    return None


def _keep_previous(database_file: Path, backup_dir: Path, current: IntegrityResult,
                   key: bytes | None) -> Path | None:
    """Keep the current database in the backup folder: a checked backup if it is readable,
    otherwise the raw bytes (and its -wal) so nothing is ever thrown away."""
    if current.verdict is Verdict.EMPTY:
        return None
    ensure_private_dir(backup_dir)
    stem = database_file.stem
    if current.ok:
        target = backup_dir / f"{stem}-before-restore-{_stamp()}{BACKUP_SUFFIX}"
        backup_to(f"sqlite:///{database_file.as_posix()}", target, key)
        return target
    raw = backup_dir / f"{stem}-damaged-before-restore-{_stamp()}.bin"
    shutil.copy2(database_file, raw)
    wal = Path(f"{database_file}-wal")
    if wal.exists():
        shutil.copy2(wal, Path(f"{raw}-wal"))
    return raw


def _close_wal(database_file: Path, key: bytes | None) -> None:
    """Fold the -wal into the file and leave WAL mode, so no stale -wal can be replayed
    onto the restored file. Fails (nothing changed) while another program has it open."""
    try:
        with connect(f"{database_file.resolve().as_uri()}?mode=rw", key=key, uri=True,
                     timeout=BUSY_TIMEOUT_S) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()
        connection.close()
    except DATABASE_ERRORS as error:
        if "locked" in str(error).lower() or "busy" in str(error).lower():
            raise BackupFailed(tr("backup.in_use")) from error
        return  # a damaged file: its raw copy is kept; the side files go below
    if mode is None or str(mode[0]).lower() != "delete":
        raise BackupFailed(tr("backup.in_use"))


def restore_from(file: Path, database_file: Path, backup_dir: Path, key: bytes | None = None) -> Restored:
    """Replace ``database_file`` with the checked copy ``file``; the database it replaces
    is kept in ``backup_dir`` first. A refused file raises BackupFailed and changes nothing.
    For an encrypted store, ``file`` must open with the store's ``key``."""
    file = Path(file)
    if not file.is_file():
        raise BackupFailed(tr("backup.no_such_file", file=str(file)))
    candidate = check_file(file, key=key)
    if candidate.verdict is Verdict.EMPTY:
        raise BackupFailed(tr("backup.refused", reason=tr("integrity.not_tsbplace")))
    if not candidate.ok:
        raise BackupFailed(tr("backup.refused", reason=candidate.reason()))
    ensure_private_dir(database_file.parent)
    temp = _private_temp(database_file.parent, database_file.name)
    try:
        shutil.copyfile(file, temp)
        copied = check_file(temp, key=key)  # the bytes that will be installed, checked again
        if not copied.ok:
            raise BackupFailed(tr("backup.refused", reason=copied.reason()))
        current = check_file(database_file, live=True, key=key)
        if current.verdict is not Verdict.EMPTY and not current.damaged:
            _close_wal(database_file, key)  # a damaged file is copied as it is, untouched
        previous = _keep_previous(database_file, backup_dir, current, key)
        _remove_side_files(database_file)
        _install(temp, database_file, key)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Restored(database=database_file, revision=candidate.revision, previous=previous)
