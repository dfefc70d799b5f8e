"""The store on real SQLite and PostgreSQL: private files, durable settings, migrations that
match the models on both."""

from __future__ import annotations

import sqlite3
import stat
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tsbplace.locations import sqlite_url
from tsbplace.storage import Store, StoreTooNew
from tsbplace.storage.migrate import current_revision, head_revision
from tsbplace.storage.models import metadata


def test_new_store_is_migrated_to_head(any_store: Store) -> None:
    assert current_revision(any_store.engine) == head_revision() == "0004_case_search"


def test_migrations_and_models_agree(any_store: Store) -> None:
    """The equivalent of ``alembic check``: no drift between migrations and models, on
    SQLite and on PostgreSQL (the same migrations run on both)."""
    with any_store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_sqlite_settings_for_durability(store: Store) -> None:
    with store.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_database_file_and_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    opened = Store.open(sqlite_url(folder / "tsbplace.sqlite3"))
    opened.close()
    assert stat.S_IMODE((folder / "tsbplace.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_database_from_a_newer_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    Store.open(sqlite_url(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = path.read_bytes()
    with pytest.raises(StoreTooNew):
        Store.open(sqlite_url(path), backup_dir=tmp_path / "backups")
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_reopening_an_up_to_date_store_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store.open(sqlite_url(path), backup_dir=tmp_path / "backups").close()
    Store.open(sqlite_url(path), backup_dir=tmp_path / "backups").close()
    assert not (tmp_path / "backups").exists()


def test_foreign_keys_are_enforced(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO tsb_case (case_number, patient_id, received_date, status, created_at,"
            " updated_at) VALUES ('X', 999, '2026-01-01', 'new', '2026-01-01', '2026-01-01')")


def test_damaged_database_file_gives_a_clear_error_and_is_left_alone(tmp_path: Path) -> None:
    from tsbplace.locations import resolve_locations
    from tsbplace.services import StoreUnavailable, open_case_service

    path = tmp_path / "tsbplace.sqlite3"
    path.write_bytes(b"this is not a database, just bytes " * 200)
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable) as raised:
        open_case_service(resolve_locations(tmp_path, sqlite_url(path), environ={}))
    assert "not a database" in raised.value.reason
    assert path.read_bytes() == before
