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

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from tsbplace.locations import ensure_private_file
from tsbplace.storage.migrate import upgrade_to_head

BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL + synchronous=FULL: a committed transaction survives a power cut.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(database_url: str) -> Engine:
    """An engine for ``database_url``; a SQLite file is created owner-only first."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            ensure_private_file(Path(url.database))
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """An open, migrated database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, database_url: str, backup_dir: Path | None = None) -> Store:
        """Open (creating if needed) and migrate the store at ``database_url``."""
        engine = make_engine(database_url)
        try:
            upgrade_to_head(engine, backup_dir)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

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
