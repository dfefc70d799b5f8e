"""Opening a store: the engine, SQLite settings for durability, and migrations.

Services open one short session per operation through :meth:`Store.session` and hand
plain objects to callers; nothing outside ``tsbplace.storage`` and the services sees
a session or writes SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from tsbplace.locations import ensure_private_file
from tsbplace.storage.migrate import upgrade_to_head
from tsbplace.storage.sqlite_files import unlock

BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL + synchronous=FULL: a committed transaction survives a power cut.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(database_url: str, key: bytes | None = None) -> Engine:
    """An engine for ``database_url``; a SQLite file is created owner-only first and, with
    ``key``, opened as a SQLCipher database encrypted with it. SQL errors never carry the
    values bound to a statement (``hide_parameters``): they may be names or ID numbers."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            ensure_private_file(Path(url.database))
        options: dict[str, Any] = {} if key is None else {"module": sqlcipher}
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                               hide_parameters=True, **options)
        if key is not None:
            event.listen(engine, "connect", lambda connection, _record: unlock(connection, key))
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if key is not None:
        raise ValueError("a database key is for a SQLite store; a server protects its own disks")
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


class Store:
    """An open, migrated database."""

    def __init__(self, engine: Engine, key: bytes | None = None) -> None:
        self.engine = engine
        self.key = key  # the SQLCipher key of an encrypted SQLite store, else None

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @classmethod
    def open(cls, database_url: str, backup_dir: Path | None = None, key: bytes | None = None) -> Store:
        """Open (creating if needed) and migrate the store at ``database_url``; ``key``
        opens (or creates) an encrypted SQLite store."""
        engine = make_engine(database_url, key)
        try:
            upgrade_to_head(engine, backup_dir)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, key)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()
