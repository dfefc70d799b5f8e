"""Accounts and encryption at rest on real stores: the encrypted SQLite file (and its WAL
and backups) holds no plaintext of a patient, a wrong or removed user cannot open it, a
password change keeps access for that user only, failed sign-ins are throttled and
audited, and the audit chain names the first entry that was tampered with."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.access import SignInFailed, StoreKind, create_store, sign_in, store_kind, throttle_wait
from tsbplace.accounts import NotAllowed, Role
from tsbplace.audit import verify_chain
from tsbplace.field_problems import InvalidInput
from tsbplace.locations import Locations, resolve_locations, sqlite_url
from tsbplace.security.keyring import Keyring, keyring_path
from tsbplace.services import open_case_service
from tsbplace.storage.backup import backup_to
from tsbplace.storage.sqlite_files import connect

ADMIN, ADMIN_PASSWORD = "kari", "korrekt-hest-batteri"
OLA, OLA_PASSWORD = "ola", "ola-sitt-passord-1"
TODAY = dt.date.today()


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    return resolve_locations(tmp_path / "data", environ={})


@pytest.fixture
def server_locations(tmp_path: Path, postgres_url: str) -> Locations:
    return resolve_locations(tmp_path / "data", postgres_url, environ={})


def store_with_patient(locations: Locations) -> None:
    workspace = create_store(locations, ADMIN, "Kari Nordmann", ADMIN_PASSWORD, workstation="pc-1")
    case = workspace.cases.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    workspace.cases.save_assessment(case.id, {"rus": {"rating": 2, "note": f"{PATIENT_NAME} vil ha døgn"}})
    workspace.accounts.add_user(OLA, "Ola Lege", Role.CLINICIAN, OLA_PASSWORD)
    workspace.close()


def secrets() -> list[bytes]:
    return [PATIENT_ID.encode(), PATIENT_NAME.encode("utf-8"), "Øvergård".encode()]


def test_a_new_store_is_created_encrypted_with_a_lead(locations: Locations) -> None:
    assert store_kind(locations) is StoreKind.NEW
    workspace = create_store(locations, ADMIN, "Kari Nordmann", ADMIN_PASSWORD)
    assert workspace.store.encrypted and workspace.me.role is Role.LEAD
    workspace.close()
    assert store_kind(locations) is StoreKind.ENCRYPTED
    with pytest.raises(SignInFailed):
        create_store(locations, "other", "Other", ADMIN_PASSWORD)


@pytest.mark.parametrize(("user", "name", "password", "field"), [
    ("Kari N", "Kari", ADMIN_PASSWORD, "user_name"),
    (ADMIN, " ", ADMIN_PASSWORD, "display_name"),
    (ADMIN, "Kari", "kort", "password"),
])
def test_a_bad_first_user_is_refused_and_creates_nothing(locations: Locations, user: str, name: str,
                                                         password: str, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        create_store(locations, user, name, password)
    assert [problem.field for problem in raised.value.problems] == [field]
    assert store_kind(locations) is StoreKind.NEW


def test_database_wal_and_backups_hold_no_plaintext_patient_data(
        locations: Locations, tmp_path: Path) -> None:
    store_with_patient(locations)
    workspace = sign_in(locations, OLA, OLA_PASSWORD)
    database = Path(workspace.store.engine.url.database or "")
    backup = tmp_path / "backup.sqlite3"
    backup_to(locations.database_url, backup, workspace.store.key)
    wal = Path(f"{database}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # checked while the store is open, WAL and all
    for path in (database, wal, backup, keyring_path(database)):
        data = path.read_bytes()
        for secret in secrets():
            assert secret not in data, f"{secret!r} in {path.name}"
    workspace.close()
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(database) as plain:
        plain.execute("SELECT * FROM patient").fetchall()
    with connect(backup, key=Keyring.load(keyring_path(database)).unwrap(OLA, OLA_PASSWORD)) as copy:
        assert copy.execute("SELECT name FROM patient").fetchall() == [(PATIENT_NAME,)]


def test_a_wrong_password_cannot_open_the_store(locations: Locations) -> None:
    store_with_patient(locations)
    for user, password in ((OLA, ADMIN_PASSWORD), ("nobody", ADMIN_PASSWORD), (ADMIN, "")):
        with pytest.raises(SignInFailed) as raised:
            sign_in(locations, user, password)
        assert raised.value.message == "Feil brukernavn eller passord."


def test_a_removed_user_can_no_longer_open_the_store(locations: Locations, tmp_path: Path) -> None:
    store_with_patient(locations)
    database = Path(locations.database_url.removeprefix("sqlite:///"))
    old_keyring = tmp_path / "old.keys"
    old_keyring.write_bytes(keyring_path(database).read_bytes())
    lead = sign_in(locations, ADMIN, ADMIN_PASSWORD)
    with pytest.raises(NotAllowed):
        lead.accounts.remove_user(ADMIN)  # never yourself (and never the last lead)
    lead.accounts.remove_user(OLA)
    lead.close()
    with pytest.raises(SignInFailed):
        sign_in(locations, OLA, OLA_PASSWORD)
    # Even with a copy of the keyring from before, the store refuses a removed user.
    keyring_path(database).write_bytes(old_keyring.read_bytes())
    with pytest.raises(SignInFailed):
        sign_in(locations, OLA, OLA_PASSWORD)


def test_a_password_change_keeps_access_for_that_user_only(locations: Locations) -> None:
    store_with_patient(locations)
    ola = sign_in(locations, OLA, OLA_PASSWORD)
    with pytest.raises(InvalidInput):
        ola.accounts.change_password("wrong-old-password", "nytt-passord-2026")
    with pytest.raises(NotAllowed):
        ola.accounts.add_user("eva", "Eva", Role.CLINICIAN, "eva-passord-123")
    ola.accounts.change_password(OLA_PASSWORD, "nytt-passord-2026")
    ola.close()
    with pytest.raises(SignInFailed):
        sign_in(locations, OLA, OLA_PASSWORD)
    sign_in(locations, OLA, "nytt-passord-2026").close()
    sign_in(locations, ADMIN, ADMIN_PASSWORD).close()
    with pytest.raises(SignInFailed):
        sign_in(locations, ADMIN, "nytt-passord-2026")


def test_failed_sign_ins_are_throttled_then_audited_at_the_next_success(locations: Locations) -> None:
    store_with_patient(locations)
    start = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    for second in range(3):
        with pytest.raises(SignInFailed):
            sign_in(locations, OLA, "wrong-password", now=start + dt.timedelta(seconds=second))
    with pytest.raises(SignInFailed) as raised:  # the right password, but too soon
        sign_in(locations, OLA, OLA_PASSWORD, now=start + dt.timedelta(seconds=3))
    assert "Vent" in raised.value.message and 0 < raised.value.retry_after <= throttle_wait(3)
    workspace = sign_in(locations, OLA, OLA_PASSWORD, now=start + dt.timedelta(seconds=10))
    entries = workspace.cases.audit_trail()
    failed = [e for e in entries if e.action == "sign_in.failed"]
    assert [e.at for e in failed] == [start + dt.timedelta(seconds=s) for s in range(3)]
    assert entries[-1].action == "sign_in.ok" and entries[-1].actor == OLA
    workspace.close()
    assert Keyring.load(keyring_path(Path(locations.data_dir / "tsbplace.sqlite3"))).pending == []


def test_throttle_waits_grow_and_stop_at_fifteen_minutes() -> None:
    assert [throttle_wait(n) for n in range(6)] == [0, 0, 0, 5, 10, 20]
    assert throttle_wait(40) == 15 * 60


def test_every_action_leaves_exactly_one_audit_entry(locations: Locations) -> None:
    store_with_patient(locations)
    workspace = sign_in(locations, ADMIN, ADMIN_PASSWORD, workstation="pc-7")
    [case] = workspace.cases.list_cases()
    before = len(workspace.cases.audit_trail())
    steps = [
        ("case.opened", lambda: workspace.cases.open_case(case.id)),
        ("assessment.saved", lambda: workspace.cases.save_assessment(case.id, {"rus": {"rating": 1}})),
        ("user.added", lambda: workspace.accounts.add_user("eva", "Eva", Role.CLINICIAN, "eva-passord-123")),
        ("user.password_reset", lambda: workspace.accounts.reset_password("eva", "eva-passord-456")),
        ("user.unit_changed", lambda: workspace.accounts.set_unit("eva", "Poliklinikk Hamar")),
        ("user.removed", lambda: workspace.accounts.remove_user("eva")),
        ("document.issued",
         lambda: workspace.cases.record_issued_document(case.id, "notat", b"%PDF", "n.pdf")),
        ("session.unlocked", lambda: workspace.accounts.verify_password(ADMIN_PASSWORD)),
        ("sign_in.failed", lambda: workspace.accounts.verify_password("not-my-password")),
    ]
    for index, (action, step) in enumerate(steps, start=1):
        step()
        entries = workspace.cases.audit_trail()
        assert len(entries) == before + index, action
        assert (entries[-1].action, entries[-1].actor, entries[-1].workstation) == (action, ADMIN, "pc-7")
    with workspace.store.session() as session:
        assert verify_chain(session).ok
    workspace.close()


@pytest.mark.parametrize("tamper", ["change", "remove"])
def test_tampering_with_the_audit_log_names_the_first_bad_entry(locations: Locations, tamper: str) -> None:
    store_with_patient(locations)
    workspace = sign_in(locations, ADMIN, ADMIN_PASSWORD)
    entries = workspace.cases.audit_trail()
    victim = entries[2].id
    with workspace.store.engine.begin() as connection:  # someone who went round the triggers
        connection.execute(text("DROP TRIGGER audit_event_insert_only_update"))
        connection.execute(text("DROP TRIGGER audit_event_insert_only_delete"))
        if tamper == "change":
            connection.execute(text("UPDATE audit_event SET actor = 'x' WHERE id = :id"), {"id": victim})
        else:
            connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": victim})
    with workspace.store.session() as session:
        verdict = verify_chain(session)
    assert not verdict.ok
    assert (verdict.first_bad, verdict.problem) == (
        (victim, "changed") if tamper == "change" else (entries[3].id, "predecessor_missing"))
    workspace.close()


def test_a_plain_store_from_before_is_encrypted_with_its_backups(locations: Locations) -> None:
    service = open_case_service(locations)  # the plain store an earlier version made
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    service.save_assessment(case.id, {"rus": {"rating": 3}})
    service.store.close()
    database = locations.data_dir / "tsbplace.sqlite3"
    locations.backup_dir.mkdir(mode=0o700)
    backup_to(sqlite_url(database), locations.backup_dir / "old.sqlite3")
    assert store_kind(locations) is StoreKind.PLAIN
    workspace = create_store(locations, ADMIN, "Kari Nordmann", ADMIN_PASSWORD)
    [kept] = workspace.cases.list_cases()
    assert kept.patient_name == PATIENT_NAME and kept.status == "assessed"
    record = workspace.cases.load_assessment(kept.id)
    assert record is not None and record.answers == {"rus": {"rating": 3}}
    workspace.close()
    for path in [*locations.data_dir.rglob("*")]:
        if path.is_file():
            for secret in secrets():
                assert secret not in path.read_bytes(), f"{secret!r} in {path.name}"


def test_the_keyring_holds_no_key_in_clear(locations: Locations) -> None:
    workspace = create_store(locations, ADMIN, "Kari Nordmann", ADMIN_PASSWORD)
    key = workspace.store.key
    assert key is not None
    workspace.close()
    stored = keyring_path(locations.data_dir / "tsbplace.sqlite3").read_text(encoding="utf-8")
    assert key.hex() not in stored and key.hex().upper() not in stored
    assert set(json.loads(stored)["users"]) == {ADMIN}


def test_a_server_store_checks_passwords_and_audits_failures_at_once(server_locations: Locations) -> None:
    workspace = create_store(server_locations, ADMIN, "Kari Nordmann", ADMIN_PASSWORD)
    assert not workspace.store.encrypted
    workspace.accounts.add_user(OLA, "Ola Lege", Role.CLINICIAN, OLA_PASSWORD)
    workspace.close()
    assert store_kind(server_locations) is StoreKind.SERVER
    start = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    for second in range(3):
        with pytest.raises(SignInFailed):
            sign_in(server_locations, OLA, "wrong-password", now=start + dt.timedelta(seconds=second))
    with pytest.raises(SignInFailed) as raised:
        sign_in(server_locations, OLA, OLA_PASSWORD, now=start + dt.timedelta(seconds=3))
    assert raised.value.retry_after > 0
    ola = sign_in(server_locations, OLA, OLA_PASSWORD, now=start + dt.timedelta(seconds=30))
    actions = [e.action for e in ola.cases.audit_trail()]
    assert actions[-4:] == ["sign_in.failed"] * 3 + ["sign_in.ok"]
    with ola.store.session() as session:
        assert verify_chain(session).ok
    ola.close()


def test_failed_sign_ins_stay_pending_until_the_audit_log_has_them(
        locations: Locations, monkeypatch: pytest.MonkeyPatch) -> None:
    store_with_patient(locations)
    with pytest.raises(SignInFailed):
        sign_in(locations, OLA, "wrong-password")
    keys = keyring_path(locations.data_dir / "tsbplace.sqlite3")
    assert len(Keyring.load(keys).pending) == 1

    import tsbplace.access as access_module

    real_add_event = access_module.add_event

    def fail_at_sign_in(session, actor, action, case_id, **detail):  # type: ignore[no-untyped-def]
        if action == "sign_in.ok":
            raise OSError("disk full")
        return real_add_event(session, actor, action, case_id, **detail)

    monkeypatch.setattr(access_module, "add_event", fail_at_sign_in)
    with pytest.raises(OSError):
        sign_in(locations, OLA, OLA_PASSWORD)  # nothing committed: the failure must not be lost
    assert len(Keyring.load(keys).pending) == 1
    monkeypatch.setattr(access_module, "add_event", real_add_event)
    workspace = sign_in(locations, OLA, OLA_PASSWORD)
    assert [e.action for e in workspace.cases.audit_trail()].count("sign_in.failed") == 1
    workspace.close()
    assert Keyring.load(keys).pending == []


def test_a_lead_sets_the_unit_a_user_works_in(locations: Locations) -> None:
    """Units (0010) let a shared store show quality figures per unit; only a lead sets them."""
    store_with_patient(locations)
    workspace = sign_in(locations, ADMIN, ADMIN_PASSWORD)
    assert workspace.accounts.units() == ()
    changed = workspace.accounts.set_unit(OLA, "  Poliklinikk   Hamar ")
    assert changed.unit == "Poliklinikk Hamar"  # spaces tidied
    workspace.accounts.set_unit(ADMIN, "Avrusning Sanderud")
    assert workspace.accounts.units() == ("Avrusning Sanderud", "Poliklinikk Hamar")
    assert {u.user_name: u.unit for u in workspace.accounts.list_users()} == {
        ADMIN: "Avrusning Sanderud", OLA: "Poliklinikk Hamar"}
    with pytest.raises(InvalidInput) as refused:
        workspace.accounts.set_unit(OLA, "x" * 121)
    assert [p.field for p in refused.value.problems] == ["unit"]
    assert workspace.cases.audit_trail()[-1].detail == {"user": ADMIN, "unit": "Avrusning Sanderud"}
    workspace.close()
    ola = sign_in(locations, OLA, OLA_PASSWORD)
    assert ola.me.unit == "Poliklinikk Hamar"
    with pytest.raises(NotAllowed):
        ola.accounts.set_unit(OLA, "")
    ola.close()
