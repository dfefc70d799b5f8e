"""The quick integrity check on real SQLite files, the start-up refusal of a damaged
store, and the working way back: ``tsbplace restore`` from the newest good backup."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tsbplace.locations import DATABASE_FILE, Locations, resolve_locations
from tsbplace.national_id import synthetic_national_id
from tsbplace.services import StoreDamaged, StoreTooNew, StoreUnavailable, open_case_service
from tsbplace.storage.backup import backup_to, newest_good_backup
from tsbplace.storage.integrity import Verdict, check_file

NAME = "Sunniva Ŧávrrá Løkken"  # synthetic
PAGE = 4096


def filled_store(data_dir: Path, cases: int = 40) -> Locations:
    """A store with enough cases to span many pages."""
    locations = resolve_locations(data_dir, environ={})
    service = open_case_service(locations)
    try:
        national_id = synthetic_national_id(dt.date(1979, 3, 14))
        for step in range(cases):
            case = service.create_case(NAME, national_id, dt.date(2026, 2, 2))
            service.save_assessment(case.id, {"rus": {"rating": step % 4}})
    finally:
        service.store.close()
    return locations


def good_backup(locations: Locations, name: str) -> Path:
    locations.backup_dir.mkdir(mode=0o700, exist_ok=True)
    target = locations.backup_dir / name
    backup_to(locations.database_url, target)
    return target


def test_a_healthy_store_passes_with_its_revision(tmp_path: Path) -> None:
    locations = filled_store(tmp_path / "data", cases=2)
    result = check_file(locations.data_dir / DATABASE_FILE, live=True)
    assert result.ok and result.revision is not None
    assert result.revision in result.reason()


def test_missing_and_empty_files_are_a_new_store(tmp_path: Path) -> None:
    assert check_file(tmp_path / "none.sqlite3").verdict is Verdict.EMPTY
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert check_file(tmp_path / "empty.sqlite3").verdict is Verdict.EMPTY
    assert not (tmp_path / "none.sqlite3").exists(), "checking must not create a file"


def test_non_database_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("Ikke en database\n" * 300, encoding="utf-8")
    result = check_file(path)
    assert result.verdict is Verdict.NOT_A_DATABASE and result.damaged
    assert "ikke en SQLite-database" in result.reason()


def test_database_from_a_newer_tsbplace(tmp_path: Path) -> None:
    import sqlite3

    locations = filled_store(tmp_path / "data", cases=1)
    database = locations.data_dir / DATABASE_FILE
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    result = check_file(database, live=True)
    assert result.verdict is Verdict.TOO_NEW and result.revision == "9999_from_the_future"
    with pytest.raises(StoreTooNew):
        open_case_service(locations)


def test_a_foreign_sqlite_file_is_not_tsbplace(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    assert check_file(path).verdict is Verdict.NOT_TSBPLACE


def truncate(database: Path) -> None:
    with database.open("r+b") as stream:
        stream.truncate(database.stat().st_size // 2)


def garble_middle_pages(database: Path) -> None:
    size = database.stat().st_size
    assert size >= 8 * PAGE, "the store must span several pages"
    with database.open("r+b") as stream:
        stream.seek((size // PAGE // 2) * PAGE)
        stream.write(os.urandom(2 * PAGE))


@pytest.mark.parametrize("damage", [truncate, garble_middle_pages], ids=["truncated", "garbage"])
def test_damaged_store_is_refused_at_start_and_restore_brings_it_back(
        tmp_path: Path, damage: object) -> None:
    locations = filled_store(tmp_path / "data")
    database = locations.data_dir / DATABASE_FILE
    older = good_backup(locations, "tsbplace-older.sqlite3")
    newest = good_backup(locations, "tsbplace-newest.sqlite3")
    os.utime(older, (1_000_000_000, 1_000_000_000))
    (locations.backup_dir / "tsbplace-broken.sqlite3").write_bytes(b"SQLite format 3\x00" + b"x" * 500)
    assert callable(damage)
    damage(database)
    before = database.read_bytes()

    result = check_file(database, live=True)
    assert result.verdict is Verdict.DAMAGED, result
    with pytest.raises(StoreDamaged) as raised:
        open_case_service(locations)
    error = raised.value
    assert isinstance(error, StoreUnavailable)
    assert error.backup == newest and newest_good_backup(locations.backup_dir) == newest
    assert error.restore_command is not None and "restore" in error.restore_command
    assert str(newest) in error.restore_command
    assert "skadet" in error.reason and NAME not in str(error)
    assert database.read_bytes() == before, "the damaged file must be left alone"

    env = {**os.environ, "TSBPLACE_LANGUAGE": "en"}
    restored = subprocess.run(
        [sys.executable, "-m", "tsbplace", "--data-dir", str(locations.data_dir), "restore", str(newest)],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    assert restored.returncode == 0, restored.stderr
    assert "previous database was kept" in restored.stdout
    kept = [path for path in locations.backup_dir.iterdir() if "damaged-before-restore" in path.name]
    assert len(kept) == 1 and kept[0].read_bytes() == before

    service = open_case_service(locations)
    try:
        cases = service.list_cases()
        assert len(cases) == 40
        assert all(service.load_assessment(case.id) is not None for case in cases)
    finally:
        service.store.close()
