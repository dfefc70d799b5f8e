"""A quick integrity check of a SQLite store file, before anything opens or changes it.

:func:`check_file` reads the file header, runs ``PRAGMA quick_check`` and reads the
schema revision from ``alembic_version``. It never creates a file and never changes the
schema. Its reasons are SQLite's own short messages: page numbers, never patient data.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tsbplace.i18n import tr
from tsbplace.storage.migrate import known_revisions
from tsbplace.storage.sqlite_files import DATABASE_ERRORS, OPERATIONAL_ERRORS, connect

SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_PROBLEMS = 3


class Verdict(enum.Enum):
    OK = "ok"
    EMPTY = "empty"                    # no file or a zero-byte file: a new store
    NOT_A_DATABASE = "not_a_database"  # not a SQLite file at all
    DAMAGED = "damaged"                # truncated or corrupted
    NOT_TSBPLACE = "not_tsbplace"      # a SQLite file without TSBplace's tables
    TOO_NEW = "too_new"                # written by a newer TSBplace
    UNREADABLE = "unreadable"          # locked, no permission: the file may be fine


@dataclass(frozen=True)
class IntegrityResult:
    """What the check found; ``detail`` is SQLite's message, if any."""

    path: Path
    verdict: Verdict
    revision: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK

    @property
    def damaged(self) -> bool:
        return self.verdict in (Verdict.DAMAGED, Verdict.NOT_A_DATABASE)

    def reason(self) -> str:
        """The finding in the current language, fit for a person."""
        if self.verdict is Verdict.OK:
            return tr("integrity.ok", revision=self.revision or "-")
        if self.verdict is Verdict.EMPTY:
            return tr("integrity.empty")
        if self.verdict is Verdict.NOT_A_DATABASE:
            return tr("integrity.not_a_database", detail=self.detail)
        if self.verdict is Verdict.DAMAGED:
            return tr("integrity.damaged", detail=self.detail)
        if self.verdict is Verdict.NOT_TSBPLACE:
            return tr("integrity.not_tsbplace")
        if self.verdict is Verdict.TOO_NEW:
            return tr("integrity.too_new", revision=self.revision or "-")
        return tr("integrity.unreadable", detail=self.detail)


def _connect(path: Path, *, live: bool, key: bytes | None) -> Any:
    # A live store is opened as the program would (WAL recovery included); any other
    # file (a backup, a file to restore) as immutable, so checking it changes nothing.
    # mode=rw never creates a file.
    uri = path.resolve().as_uri() + ("?mode=rw" if live else "?mode=ro&immutable=1")
    return connect(uri, key=key, uri=True)


def _is_damage(error: Exception) -> bool:
    if isinstance(error, OPERATIONAL_ERRORS):
        message = str(error).lower()
        return "malformed" in message or "corrupt" in message or "not a database" in message
    return True  # DatabaseError proper: SQLITE_CORRUPT, SQLITE_NOTADB


def check_file(path: Path, *, live: bool = False, key: bytes | None = None) -> IntegrityResult:
    """Check the SQLite file at ``path``; ``live`` for the store in use (reads its -wal).

    With ``key`` the file is an encrypted store: its first bytes are random, so only
    SQLCipher can tell a damaged file (or one encrypted with another key) from a good one."""
    try:
        size = path.stat().st_size if path.exists() else 0
        if size == 0:
            return IntegrityResult(path, Verdict.EMPTY)
        with path.open("rb") as stream:
            header = stream.read(len(SQLITE_MAGIC))
    except OSError as error:
        return IntegrityResult(path, Verdict.UNREADABLE, detail=error.strerror or str(error))
    if key is None and header != SQLITE_MAGIC:
        truncated = len(header) < len(SQLITE_MAGIC) and SQLITE_MAGIC.startswith(header)
        if truncated:
            return IntegrityResult(path, Verdict.DAMAGED, detail=tr("integrity.truncated"))
        return IntegrityResult(path, Verdict.NOT_A_DATABASE, detail="file is not a database")
    try:
        connection = _connect(path, live=live, key=key)
        try:
            rows = [str(row[0]) for row in connection.execute("PRAGMA quick_check").fetchall()]
            if rows != ["ok"]:
                return IntegrityResult(path, Verdict.DAMAGED, detail="; ".join(rows[:MAX_PROBLEMS]))
            tables = {str(row[0]) for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                return IntegrityResult(path, Verdict.EMPTY)
            if "alembic_version" not in tables:
                return IntegrityResult(path, Verdict.NOT_TSBPLACE)
            found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except DATABASE_ERRORS as error:
        verdict = Verdict.DAMAGED if _is_damage(error) else Verdict.UNREADABLE
        return IntegrityResult(path, verdict, detail=str(error).splitlines()[0])
    revision = None if found is None else str(found[0])
    if revision is not None and revision not in known_revisions():
        return IntegrityResult(path, Verdict.TOO_NEW, revision=revision)
    return IntegrityResult(path, Verdict.OK, revision=revision)
