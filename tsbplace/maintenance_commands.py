"""``tsbplace check``, ``tsbplace backup --out FILE`` and ``tsbplace restore FILE``:
the store's integrity and schema state, a consistent copy, and putting a copy back.

They work on the configured store (``--data-dir`` / ``--database-url``) and print paths,
revisions and SQLite's own messages, never patient data. Backup and restore are for
SQLite; a PostgreSQL database is backed up with the server's own tools (pg_dump).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from tsbplace.i18n import tr
from tsbplace.locations import Locations
from tsbplace.security.keyring import keyring_path
from tsbplace.services import sqlite_database_file
from tsbplace.storage.backup import BackupFailed, backup_to, restore_from
from tsbplace.storage.integrity import Verdict, check_file
from tsbplace.storage.migrate import current_revision, head_revision, known_revisions
from tsbplace.storage.store import make_engine

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _schema_line(revision: str | None, head: str) -> tuple[str, bool]:
    if revision == head:
        return tr("cli.check.schema_current", revision=head), True
    if revision is None:
        return tr("cli.check.schema_none", head=head), False
    if revision not in known_revisions():
        return tr("cli.check.schema_too_new", revision=revision, head=head), False
    return tr("cli.check.schema_older", revision=revision, head=head), True


def _check_server(locations: Locations, out: TextIO, err: TextIO) -> int:
    engine = make_engine(locations.database_url)
    try:
        revision = current_revision(engine)
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        err.write(tr("cli.check.unreachable", reason=str(reason).splitlines()[0]) + "\n")
        return EXIT_FAILURE
    finally:
        engine.dispose()
    out.write(tr("cli.check.server_integrity") + "\n")
    line, ok = _schema_line(revision, head_revision())
    (out if ok else err).write(line + "\n")
    return EXIT_OK if ok else EXIT_FAILURE


def check_store(locations: Locations, out: TextIO, err: TextIO, key: bytes | None = None) -> int:
    """Integrity and migration state of the configured store: exit 0 ok, 1 a problem."""
    database = sqlite_database_file(locations)
    if database is None:
        return _check_server(locations, out, err)
    out.write(tr("cli.check.database", path=str(database)) + "\n")
    result = check_file(database, live=True, key=key)
    if result.verdict is Verdict.EMPTY:
        err.write(tr("cli.check.no_database") + "\n")
        return EXIT_FAILURE
    if result.verdict is Verdict.TOO_NEW:
        out.write(tr("cli.check.integrity_ok") + "\n")
        err.write(_schema_line(result.revision, head_revision())[0] + "\n")
        return EXIT_FAILURE
    if not result.ok:
        err.write(tr("cli.check.problem", reason=result.reason()) + "\n")
        return EXIT_FAILURE
    out.write(tr("cli.check.integrity_ok") + "\n")
    line, ok = _schema_line(result.revision, head_revision())
    (out if ok else err).write(line + "\n")
    return EXIT_OK if ok else EXIT_FAILURE


def backup_store(locations: Locations, target: Path, out: TextIO, err: TextIO,
                 key: bytes | None = None) -> int:
    """Write a consistent, checked copy of the SQLite store to ``target``."""
    database = sqlite_database_file(locations)
    if database is None:
        err.write(tr("cli.backup.use_pg_dump") + "\n")
        return EXIT_USAGE
    if check_file(database, live=True, key=key).verdict is Verdict.EMPTY:
        err.write(tr("cli.check.no_database") + "\n")
        return EXIT_FAILURE
    if target.exists():
        err.write(tr("cli.backup.exists", file=str(target)) + "\n")
        return EXIT_FAILURE
    if not target.absolute().parent.is_dir():
        err.write(tr("cli.backup.no_folder", folder=str(target.absolute().parent)) + "\n")
        return EXIT_FAILURE
    try:
        result = backup_to(locations.database_url, target, key)
    except BackupFailed as error:
        err.write(tr("cli.backup.failed", reason=error.reason) + "\n")
        return EXIT_FAILURE
    except OSError as error:
        err.write(tr("cli.backup.failed", reason=error.strerror or str(error)) + "\n")
        return EXIT_FAILURE
    out.write(tr("cli.backup.done", file=str(target.absolute()), revision=result.revision or "-") + "\n")
    if key is not None:  # without its keyring an encrypted copy opens for nobody
        keys = keyring_path(target)
        shutil.copyfile(keyring_path(database), keys)
        out.write(tr("cli.backup.keyring_copied", file=str(keys.absolute())) + "\n")
    return EXIT_OK


def restore_store(locations: Locations, source: Path, out: TextIO, err: TextIO,
                  key: bytes | None = None) -> int:
    """Replace the SQLite store with the checked copy ``source``; the old one is kept."""
    database = sqlite_database_file(locations)
    if database is None:
        err.write(tr("cli.restore.use_pg_restore") + "\n")
        return EXIT_USAGE
    try:
        restored = restore_from(source, database, locations.backup_dir, key)
    except BackupFailed as error:
        err.write(error.reason + "\n" + tr("cli.restore.nothing_changed") + "\n")
        return EXIT_FAILURE
    except OSError as error:
        err.write(tr("cli.backup.failed", reason=error.strerror or str(error)) + "\n"
                  + tr("cli.restore.nothing_changed") + "\n")
        return EXIT_FAILURE
    out.write(tr("cli.restore.done", file=str(source), database=str(database),
                 revision=restored.revision or "-") + "\n")
    if restored.previous is None:
        out.write(tr("cli.restore.no_previous") + "\n")
    else:
        out.write(tr("cli.restore.previous_kept", file=str(restored.previous)) + "\n")
    if restored.revision != head_revision():
        out.write(tr("cli.restore.will_upgrade", head=head_revision()) + "\n")
    return EXIT_OK
