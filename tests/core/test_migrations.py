"""Every saved store of a released schema upgrades to head without loss, after a copy."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tsbplace.cases import CaseService
from tsbplace.content import Content
from tsbplace.locations import sqlite_url
from tsbplace.storage import Store
from tsbplace.storage.migrate import current_revision, head_revision, known_revisions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
SAVED = sorted(FIXTURES.glob("*.sqlite3"))


def dump(path: Path) -> list[str]:
    """Schema and rows of a SQLite file, to compare stores by content, not by bytes."""
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def test_every_revision_before_head_has_a_saved_store() -> None:
    saved = {path.stem for path in SAVED}
    assert saved == known_revisions() - {head_revision()}


@pytest.mark.parametrize("fixture", SAVED, ids=[path.stem for path in SAVED])
def test_saved_store_upgrades_to_head_keeping_every_record(
    fixture: Path, tmp_path: Path, content: Content
) -> None:
    path = tmp_path / "tsbplace.sqlite3"
    shutil.copy(fixture, path)
    store = Store.open(sqlite_url(path), backup_dir=tmp_path / "backups")
    try:
        assert current_revision(store.engine) == head_revision()
        service = CaseService(store, content)
        [case] = service.list_cases()
        assert (case.case_number, case.patient_name) == ("2026-00001", "Áile Ŋuolja Sárá")
        record = service.load_assessment(case.id)
        assert record is not None
        assert record.answers["rus"]["main_substance"] == "alcohol"
        assert record.suggested_level == "D3M"
        assert record.instruments == {}
    finally:
        store.close()
    [backup] = (tmp_path / "backups").iterdir()
    assert backup.name.startswith(f"tsbplace-before-upgrade-from-{fixture.stem}-")
    assert dump(backup) == dump(fixture)  # the copy is the store as it was (WAL header aside)
