"""Bring a store's schema to the program's version with Alembic, safely.

Before any upgrade of an existing SQLite file the file is copied to the backup folder;
a database written by a newer TSBplace is refused rather than misread. On SQLite,
foreign keys are switched off while batch migrations copy tables (with them on, a
table copy can silently delete cascading rows) and checked afterwards.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

SCRIPT_LOCATION = "tsbplace.storage:migrations"


class StoreTooNew(RuntimeError):
    """The database was written by a newer TSBplace than this one."""


class MigrationFailed(RuntimeError):
    """An upgrade left the database inconsistent; it was rolled back."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def backup_before_upgrade(database_file: Path, backup_dir: Path, revision: str) -> Path:
    """Copy the SQLite file (after a WAL checkpoint by the caller) next to older backups."""
    backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{database_file.stem}-before-upgrade-from-{revision}-{stamp}.sqlite3"
    shutil.copy2(database_file, target)
    return target


def upgrade_to_head(engine: Engine, backup_dir: Path | None = None) -> str | None:
    """Upgrade the schema to head. Returns the path of the pre-upgrade copy, if one was made."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in known_revisions():
        raise StoreTooNew(current)
    copy = None
    is_sqlite = engine.dialect.name == "sqlite"
    database = engine.url.database
    if current is not None and is_sqlite and database and backup_dir is not None:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        copy = str(backup_before_upgrade(Path(database), backup_dir, current))
    config = alembic_config()
    with engine.connect() as connection:
        if is_sqlite:  # must be set outside a transaction to take effect
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        if is_sqlite:
            broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                connection.rollback()
                raise MigrationFailed(f"foreign key check failed after upgrade: {broken[:5]}")
        connection.commit()
        if is_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
    return copy
