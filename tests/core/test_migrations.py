"""Every saved store of a released schema upgrades to head without loss, after a copy."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, create_engine, text
from sqlalchemy.exc import IntegrityError

from tsbplace.audit import verify_chain
from tsbplace.cases import CaseService, Decision
from tsbplace.content import Content
from tsbplace.locations import sqlite_url
from tsbplace.national_id import legal_sex
from tsbplace.storage import Store
from tsbplace.storage.migrate import alembic_config, current_revision, head_revision, known_revisions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
# Parents before children, for copying a saved store's rows into PostgreSQL.
TABLES_IN_ORDER = ("patient", "tsb_case", "referral", "assessment", "issued_document", "audit_event")
JSON_COLUMNS = {"answers", "suggestion", "instrument_results", "present_items", "detail"}
SAVED = sorted(FIXTURES.glob("*.sqlite3"))


def dump(path: Path) -> list[str]:
    """Schema and rows of a SQLite file, to compare stores by content, not by bytes."""
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def test_every_revision_before_head_has_a_saved_store() -> None:
    saved = {path.stem for path in SAVED}
    assert saved == known_revisions() - {head_revision()}


def records_work_at_head(store: Store, service: CaseService, case_id: int) -> None:
    """What 0005 adds holds on an upgraded store: the sex and the suggested level are
    filled in from what was there, the first version is revision 1, and once signed the
    database refuses to change it (the triggers exist)."""
    with store.engine.connect() as connection:
        sex, national_id = connection.execute(text("SELECT sex, national_id FROM patient")).one()
    assert sex == legal_sex(national_id)
    case = service.get_case(case_id)
    assert case.side == "tsb"  # 0009: every case before it was assessed in TSB
    assert service.search_cases(limit=10).rows[0].side == "tsb"
    record = service.load_assessment(case_id)
    assert record is not None and record.revision == 1 and not record.signed
    assert case.suggested_level == record.suggested_level == "D3M"
    service.save_decision(case_id, Decision(chosen_level="D3M", care_right="ikke_rett",
                                            patient_agreement="enig"))
    signed = service.sign_assessment(case_id)
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(text("DELETE FROM assessment WHERE id = :id"), {"id": signed.id})
    assert service.load_assessment(case_id) == signed
    trail = [entry.action for entry in service.audit_trail(case_id)]
    assert trail[-2:] == ["decision.saved", "assessment.signed"]
    with store.session() as session:  # 0006 chained the entries written before it
        assert verify_chain(session).ok


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
        assert record.version == 1  # 0003: existing assessments start at version 1
        if fixture.stem >= "0002":
            assert record.instruments["phq9"]["total"] == 6
            assert record.instruments["phq9"]["band_set"] == "kroenke-2001"
        else:
            assert record.instruments == {}
        assert [row.id for row in service.search_cases("áile ŋ").rows] == [case.id]  # 0004: search_name
        assert case.assigned_to == ("kari" if fixture.stem >= "0008" else None)  # 0008
        assert record.decision.chosen_service == ("Poliklinikk Hamar" if fixture.stem >= "0009" else "")
        if fixture.stem >= "0006":  # 0010: the clinician's unit; 0011: no treatment start yet
            with store.engine.connect() as connection:
                units = connection.execute(text("SELECT unit FROM clinician")).scalars().all()
            assert units == (["Poliklinikk Hamar"] if fixture.stem >= "0010" else [""])
        assert service.get_case(case.id).treatment_started_on is None
        with store.engine.connect() as connection:  # 0010 counted the draft's completeness
            counts = connection.execute(text("SELECT rated_domains, instruments_started, instruments_scored "
                                             "FROM assessment")).one()
        assert tuple(counts) == (len([d for d in record.answers.values() if d.get("rating") is not None]),
                                 len(record.instruments),
                                 len([r for r in record.instruments.values() if r.get("total") is not None]))
        saved = service.save_assessment(case.id, record.answers, expected_version=1)
        assert saved.version == 2
        records_work_at_head(store, service, case.id)
    finally:
        store.close()
    [backup] = (tmp_path / "backups").iterdir()
    assert backup.name.startswith(f"tsbplace-before-upgrade-from-{fixture.stem}-")
    assert dump(backup) == dump(fixture)  # the copy is the store as it was (WAL header aside)


@pytest.mark.parametrize("revision", [path.stem for path in SAVED])
def test_postgres_store_upgrades_to_head_keeping_every_record(
    revision: str, postgres_url: str, tmp_path: Path, content: Content
) -> None:
    """The same migrations on PostgreSQL: a store left at an older revision, with one record
    per table copied from its saved SQLite store, upgrades to head (no file copy there)."""
    fixture = FIXTURES / f"{revision}.sqlite3"
    engine = create_engine(postgres_url)
    try:
        config = alembic_config()
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
        with sqlite3.connect(fixture) as source, engine.begin() as target:
            present = {name for (name,) in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in [t for t in TABLES_IN_ORDER if t in present]:
                cursor = source.execute(f"SELECT * FROM {table}")
                names = [column[0] for column in cursor.description]
                rows = [dict(zip(names, row, strict=True)) for row in cursor]
                for row in rows:
                    for key in JSON_COLUMNS & row.keys():
                        row[key] = json.loads(row[key])
                if not rows:
                    continue
                target.execute(Table(table, MetaData(), autoload_with=target).insert(), rows)
                target.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))  # ids were given
    finally:
        engine.dispose()
    store = Store.open(postgres_url, backup_dir=tmp_path / "backups")
    try:
        assert current_revision(store.engine) == head_revision()
        service = CaseService(store, content)
        [case] = service.list_cases()
        assert case.patient_name == "Áile Ŋuolja Sárá"
        record = service.load_assessment(case.id)
        assert record is not None and record.version == 1
        assert record.answers["rus"]["main_substance"] == "alcohol"
        assert ("phq9" in record.instruments) == (revision != "0001_initial")
        records_work_at_head(store, service, case.id)
    finally:
        store.close()
    assert not (tmp_path / "backups").exists()
