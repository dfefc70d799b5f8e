"""Backups while the store is written to, and restores that refuse bad files, on real
SQLite files."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from tsbplace.cases import CaseService
from tsbplace.content import Content
from tsbplace.locations import sqlite_url
from tsbplace.national_id import synthetic_national_id
from tsbplace.storage import Store
from tsbplace.storage.backup import BackupFailed, NotSqlite, backup_to, newest_good_backup, restore_from
from tsbplace.storage.integrity import check_file

NAME = "Mette Ŋáddá Åsheim"  # synthetic
NATIONAL_ID = synthetic_national_id(dt.date(1991, 11, 30))


def case_ids(database: Path) -> set[int]:
    with sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT id FROM tsb_case").fetchall()
    connection.close()
    return {row[0] for row in rows}


def add_cases(service: CaseService, count: int) -> list[int]:
    ids = []
    for step in range(count):
        case = service.create_case(NAME, NATIONAL_ID, dt.date(2026, 3, 3))
        service.save_assessment(case.id, {"rus": {"rating": step % 4}})
        ids.append(case.id)
    return ids


def test_backup_while_another_connection_writes(tmp_path: Path, database_url: str,
                                                 service: CaseService, content: Content) -> None:
    add_cases(service, 5)
    committed: list[int] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:  # its own store: another connection, as another window would be
        writer = CaseService(Store.open(database_url), content)
        try:
            while not stop.is_set():
                committed.extend(add_cases(writer, 1))
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            writer.store.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        for number in range(8):
            before = list(committed)
            target = tmp_path / f"backup-{number}.sqlite3"
            result = backup_to(service.store.engine, target)
            assert result.ok and check_file(target).ok
            assert stat.S_IMODE(target.stat().st_mode) == 0o600
            in_backup = case_ids(target)
            assert set(before) <= in_backup
            with sqlite3.connect(target) as connection:  # a consistent snapshot
                assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
                saved = {row[0] for row in connection.execute("SELECT case_id FROM assessment")}
            connection.close()
            assert set(before) <= saved
    finally:
        stop.set()
        thread.join(timeout=30)
    assert failures == []
    assert len(committed) > 0
    assert not list(tmp_path.glob(".*.tmp")), "no half backup is left behind"


def test_backup_of_a_server_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotSqlite):
        backup_to("postgresql+psycopg://someone@localhost/tsbplace", tmp_path / "x.sqlite3")
    assert not (tmp_path / "x.sqlite3").exists()


def test_restore_round_trip_keeps_the_previous_database(tmp_path: Path, service: CaseService,
                                                         database_url: str) -> None:
    first = add_cases(service, 3)
    backup = tmp_path / "kept.sqlite3"
    backup_to(database_url, backup)
    later = add_cases(service, 2)
    database = Path(service.store.engine.url.database or "")
    service.store.close()

    restored = restore_from(backup, database, tmp_path / "backups")
    assert restored.revision is not None and restored.database == database
    assert case_ids(database) == set(first)
    assert restored.previous is not None and restored.previous.parent == tmp_path / "backups"
    assert case_ids(restored.previous) == set(first + later)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert not Path(f"{database}-wal").exists() or Path(f"{database}-wal").stat().st_size == 0
    assert newest_good_backup(tmp_path / "backups") == restored.previous

    reopened = Store.open(sqlite_url(database), backup_dir=tmp_path / "backups")
    try:
        assert check_file(database, live=True).ok
    finally:
        reopened.close()


def corrupted_copy(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle:middle + 4096] = b"\xff" * 4096
    data[4096:4096 * 2] = b"\x00\x13" * 2048
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("kind", ["corrupted", "not_a_database", "missing"])
def test_restore_refuses_a_bad_file_and_changes_nothing(tmp_path: Path, service: CaseService,
                                                         database_url: str, kind: str) -> None:
    add_cases(service, 30)
    database = Path(service.store.engine.url.database or "")
    good = tmp_path / "good.sqlite3"
    backup_to(database_url, good)
    service.store.close()
    if kind == "corrupted":
        bad = corrupted_copy(good, tmp_path / "bad.sqlite3")
        assert check_file(bad).damaged
    elif kind == "not_a_database":
        bad = tmp_path / "bad.sqlite3"
        bad.write_text("Dette er et brev, ikke en database.\n" * 100, encoding="utf-8")
    else:
        bad = tmp_path / "no-such.sqlite3"
    before = database.read_bytes()
    listing = sorted(path.name for path in database.parent.iterdir())

    with pytest.raises(BackupFailed) as raised:
        restore_from(bad, database, tmp_path / "backups")
    assert "ikke" in raised.value.reason or "finnes ikke" in raised.value.reason
    assert database.read_bytes() == before
    assert sorted(path.name for path in database.parent.iterdir()) == listing
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_restore_refuses_a_database_from_a_newer_tsbplace(tmp_path: Path, service: CaseService,
                                                          database_url: str) -> None:
    database = Path(service.store.engine.url.database or "")
    newer = tmp_path / "newer.sqlite3"
    backup_to(database_url, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.close()
    service.store.close()
    before = database.read_bytes()
    with pytest.raises(BackupFailed) as raised:
        restore_from(newer, database, tmp_path / "backups")
    assert "9999_future" in raised.value.reason
    assert database.read_bytes() == before


def test_restore_refuses_while_the_store_is_open(tmp_path: Path, service: CaseService,
                                                 database_url: str) -> None:
    add_cases(service, 1)
    backup = tmp_path / "b.sqlite3"
    backup_to(database_url, backup)
    database = Path(service.store.engine.url.database or "")
    with service.store.engine.connect() as connection:  # TSBplace still running
        connection.exec_driver_sql("SELECT 1")
        with pytest.raises(BackupFailed) as raised:
            restore_from(backup, database, tmp_path / "backups")
    assert "i bruk" in raised.value.reason
