"""Referrals, decisions, signed versions, corrections, issued documents and the audit
log, on real SQLite and PostgreSQL: signed records are never overwritten, every change
leaves exactly one audit entry, and refused input changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.actor import Actor
from tsbplace.audit import AuditAction
from tsbplace.cases import (
    AssessmentConflict,
    AssessmentSigned,
    CaseService,
    CaseSummary,
    Decision,
    InvalidInput,
    NotSigned,
    ReferralConflict,
    ReferralDetails,
)
from tsbplace.content import Content
from tsbplace.storage import Store
from tsbplace.storage.models import Assessment, AuditEvent

TODAY = dt.date.today()
ANSWERS = {"rus": {"rating": 2}}


@pytest.fixture
def database_url(any_database_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (see tests/conftest.py)."""
    return any_database_url


@pytest.fixture
def case(service: CaseService) -> CaseSummary:
    return service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)


def complete_decision(level: str, **changes: object) -> Decision:
    values: dict[str, object] = {
        "chosen_level": level, "care_right": "rett", "frist_weeks": 6,
        "latest_start_date": TODAY + dt.timedelta(weeks=6), "patient_goals": "Slutte å drikke",
        "patient_preferred_level": level, "patient_agreement": "enig"}
    values.update(changes)
    return Decision(**values)  # type: ignore[arg-type]


def signed_case(service: CaseService, case: CaseSummary) -> int:
    """Save, decide and sign the case's first version; its suggested level is chosen."""
    record = service.save_assessment(case.id, ANSWERS)
    record = service.save_decision(case.id, complete_decision(record.suggested_level))
    return service.sign_assessment(case.id, expected_version=record.version).id


def actions(service: CaseService, case_id: int) -> list[str]:
    return [entry.action for entry in service.audit_trail(case_id)]


def raw(service: CaseService, sql: str, **values: object) -> None:
    with service.store.engine.begin() as connection:
        connection.execute(text(sql), values)


# --- referral ----------------------------------------------------------------------------

def test_a_new_case_has_an_empty_referral_missing_every_expected_content(
        service: CaseService, case: CaseSummary, content: Content) -> None:
    referral = service.load_referral(case.id)
    assert referral.version == 0 and referral.updated_at is None
    assert content.codes is not None
    assert referral.missing_items == content.codes.referral_items
    assert len(referral.missing_items) == 16 and not referral.complete


def test_saved_referral_reads_back_and_names_what_is_missing(service: CaseService, case: CaseSummary) -> None:
    details = ReferralDetails(source="fastlege", referrer=" Dr. Berg, Sentrum legekontor ",
                              reason="Økende alkoholbruk", present_items=("substances", "wishes", "housing"))
    saved = service.save_referral(case.id, details, expected_version=0)
    assert saved.version == 1 and saved.updated_by == service.actor.user
    assert saved.details.referrer == "Dr. Berg, Sentrum legekontor"
    assert saved.details.present_items == ("housing", "substances", "wishes")
    missing = {item.id for item in saved.missing_items}
    assert {"substances", "wishes", "housing"} & missing == set() and len(missing) == 13
    assert service.load_referral(case.id) == saved
    again = service.save_referral(case.id, details, expected_version=1)
    assert again.version == 2
    with pytest.raises(ReferralConflict):
        service.save_referral(case.id, details, expected_version=1)
    assert actions(service, case.id) == ["case.created", "referral.saved", "referral.saved"]


@pytest.mark.parametrize(("details", "field"), [
    (ReferralDetails(source="annet"), "referral.source_text"),
    (ReferralDetails(source="politiet"), "referral.source"),
    (ReferralDetails(present_items=("housing", "horoscope")), "referral.present_items.1"),
    (ReferralDetails(referrer="x" * 201), "referral.referrer"),
])
def test_bad_referral_is_refused_and_changes_nothing(
        service: CaseService, case: CaseSummary, details: ReferralDetails, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        service.save_referral(case.id, details)
    assert [problem.field for problem in raised.value.problems] == [field]
    assert service.load_referral(case.id).version == 0
    assert actions(service, case.id) == ["case.created"]


# --- decision and signing ----------------------------------------------------------------

def test_a_decision_needs_a_saved_assessment(service: CaseService, case: CaseSummary) -> None:
    with pytest.raises(InvalidInput) as raised:
        service.save_decision(case.id, Decision(chosen_level="P1"))
    assert raised.value.problems[0].field == "decision"


def test_decision_is_stored_in_the_draft_and_shown_in_the_case_list(
        service: CaseService, case: CaseSummary) -> None:
    record = service.save_assessment(case.id, ANSWERS)
    decision = complete_decision("D3", reason="pasientens_onske")
    saved = service.save_decision(case.id, decision, expected_version=record.version)
    assert saved.decision == decision and saved.version == record.version + 1 and not saved.signed
    [row] = service.search_cases().rows
    assert (row.suggested_level, row.chosen_level, row.status) == (record.suggested_level, "D3", "assessed")
    with pytest.raises(AssessmentConflict):
        service.save_decision(case.id, decision, expected_version=record.version)


@pytest.mark.parametrize(("decision", "field"), [
    (Decision(chosen_level="X9"), "decision.chosen_level"),
    (Decision(reason="fordi"), "decision.reason"),
    (Decision(care_right="kanskje"), "decision.care_right"),
    (Decision(frist_weeks=0), "decision.frist_weeks"),
    (Decision(patient_goals="x" * 4001), "decision.patient_goals"),
])
def test_bad_decision_values_are_refused(service: CaseService, case: CaseSummary,
                                         decision: Decision, field: str) -> None:
    before = service.save_assessment(case.id, ANSWERS)
    with pytest.raises(InvalidInput) as raised:
        service.save_decision(case.id, decision)
    assert [problem.field for problem in raised.value.problems] == [field]
    assert service.load_assessment(case.id) == before


def test_signing_names_every_gap_in_the_decision_and_changes_nothing(
        service: CaseService, case: CaseSummary) -> None:
    record = service.save_assessment(case.id, ANSWERS)
    other = "D3" if record.suggested_level != "D3" else "P1"
    service.save_decision(case.id, Decision(chosen_level=other, care_right="rett", reason="annet"))
    before = service.load_assessment(case.id)
    with pytest.raises(InvalidInput) as raised:
        service.sign_assessment(case.id)
    assert [problem.field for problem in raised.value.problems] == [
        "decision.reason_text", "decision.frist_weeks", "decision.latest_start_date",
        "decision.patient_agreement"]
    assert service.load_assessment(case.id) == before
    assert AuditAction.ASSESSMENT_SIGNED not in actions(service, case.id)


def test_a_start_date_before_the_referral_is_refused(service: CaseService, case: CaseSummary) -> None:
    record = service.save_assessment(case.id, ANSWERS)
    service.save_decision(case.id, complete_decision(record.suggested_level,
                                                     latest_start_date=TODAY - dt.timedelta(days=1)))
    with pytest.raises(InvalidInput) as raised:
        service.sign_assessment(case.id)
    assert [problem.field for problem in raised.value.problems] == ["decision.latest_start_date"]


def test_no_right_needs_no_frist(service: CaseService, case: CaseSummary) -> None:
    record = service.save_assessment(case.id, ANSWERS)
    service.save_decision(case.id, complete_decision(record.suggested_level, care_right="ikke_rett",
                                                     frist_weeks=None, latest_start_date=None))
    assert service.sign_assessment(case.id).signed


def test_a_signed_assessment_is_read_only_for_the_service(service: CaseService, case: CaseSummary) -> None:
    signed_case(service, case)
    signed = service.load_assessment(case.id)
    assert signed is not None and signed.signed and signed.signed_by == service.actor.user
    assert signed.signed_at is not None and service.get_case(case.id).status == "signed"
    with pytest.raises(AssessmentSigned) as raised:
        service.save_assessment(case.id, {"rus": {"rating": 4}})
    assert signed.signed_by in raised.value.message()
    with pytest.raises(AssessmentSigned):
        service.save_decision(case.id, complete_decision("D3"))
    with pytest.raises(AssessmentSigned):
        service.sign_assessment(case.id)
    assert service.load_assessment(case.id) == signed


@pytest.mark.parametrize("sql", [
    "UPDATE assessment SET answers = '{}' WHERE id = :id",
    "UPDATE assessment SET status = 'draft' WHERE id = :id",
    "DELETE FROM assessment WHERE id = :id",
])
def test_the_database_itself_refuses_to_change_a_signed_assessment(
        service: CaseService, case: CaseSummary, sql: str) -> None:
    assessment_id = signed_case(service, case)
    before = service.load_assessment(case.id)
    with pytest.raises(IntegrityError, match="never changed or deleted"):
        raw(service, sql, id=assessment_id)
    assert service.load_assessment(case.id) == before


def test_a_draft_can_still_be_changed_directly(service: CaseService, case: CaseSummary) -> None:
    """The trigger guards signed rows only (a draft is the clinician's working copy)."""
    record = service.save_assessment(case.id, ANSWERS)
    raw(service, "UPDATE assessment SET updated_by = 'x' WHERE id = :id", id=record.id)
    loaded = service.load_assessment(case.id)
    assert loaded is not None and loaded.updated_by == "x"


# --- corrections -------------------------------------------------------------------------

def test_a_correction_is_a_new_version_linked_to_the_signed_one(
        service: CaseService, case: CaseSummary) -> None:
    first_id = signed_case(service, case)
    first = service.load_assessment(case.id)
    corrector = CaseService(service.store, service.content, actor=Actor("kari", "pc-7"))
    with pytest.raises(InvalidInput):
        corrector.start_correction(case.id, "  ")
    draft = corrector.start_correction(case.id, "Feil rusmiddel registrert")
    assert (draft.revision, draft.supersedes_id, draft.status) == (2, first_id, "draft")
    assert (draft.created_by, draft.correction_reason) == ("kari", "Feil rusmiddel registrert")
    assert draft.answers == ANSWERS and first is not None and draft.decision == first.decision
    assert service.get_case(case.id).status == "assessed"
    with pytest.raises(NotSigned):
        corrector.start_correction(case.id, "igjen")
    corrected = corrector.save_assessment(case.id, {"rus": {"rating": 3}}, expected_version=1)
    corrector.save_decision(case.id, complete_decision(corrected.suggested_level))
    corrector.sign_assessment(case.id)
    versions = service.assessment_versions(case.id)
    assert [(v.revision, v.status, v.signed_by) for v in versions] == [
        (1, "signed", service.actor.user), (2, "signed", "kari")]
    assert versions[0] == first  # the signed original, exactly as it was
    assert versions[1].answers == {"rus": {"rating": 3}}
    assert actions(service, case.id) == [
        "case.created", "assessment.saved", "decision.saved", "assessment.signed",
        "assessment.correction_started", "assessment.saved", "decision.saved", "assessment.signed"]
    assert [entry.actor for entry in service.audit_trail(case.id)][-4:] == ["kari"] * 4


def test_a_correction_needs_a_signed_version(service: CaseService, case: CaseSummary) -> None:
    with pytest.raises(NotSigned):
        service.start_correction(case.id, "Feil")
    service.save_assessment(case.id, ANSWERS)
    with pytest.raises(NotSigned):
        service.start_correction(case.id, "Feil")


def test_two_rows_with_one_revision_are_refused(service: CaseService, case: CaseSummary) -> None:
    record = service.save_assessment(case.id, ANSWERS)
    with pytest.raises(IntegrityError):
        raw(service, "INSERT INTO assessment (case_id, revision, status, answers, suggestion, "
                     "instrument_results, suggested_level, ruleset_id, ruleset_version, ruleset_hash, "
                     "created_at, updated_at, version) SELECT case_id, revision, status, answers, "
                     "suggestion, instrument_results, suggested_level, ruleset_id, ruleset_version, "
                     "ruleset_hash, created_at, updated_at, version FROM assessment WHERE id = :id",
            id=record.id)


def test_concurrent_corrections_make_exactly_one_new_version(
        database_url: str, content: Content, tmp_path: Path) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers need a server database; SQLite serialises writers")
    stores = [Store.open(database_url, backup_dir=tmp_path / "backups") for _ in range(6)]
    try:
        services = [CaseService(store, content, actor=Actor(f"user{i}", "pc"))
                    for i, store in enumerate(stores)]
        case = services[0].create_case(PATIENT_NAME, PATIENT_ID, TODAY)
        signed_case(services[0], case)

        def correct(index: int) -> str:
            try:
                return services[index].start_correction(case.id, f"retting {index}").created_by
            except (AssessmentConflict, NotSigned) as refused:
                return type(refused).__name__

        with ThreadPoolExecutor(len(services)) as pool:
            outcomes = list(pool.map(correct, range(len(services))))
        winners = [outcome for outcome in outcomes if outcome.startswith("user")]
        assert len(winners) == 1
        assert [v.revision for v in services[0].assessment_versions(case.id)] == [1, 2]
        assert actions(services[0], case.id).count("assessment.correction_started") == 1
    finally:
        for store in stores:
            store.close()


# --- issued documents --------------------------------------------------------------------

def test_an_issued_document_is_recorded_with_the_hash_of_its_bytes(
        service: CaseService, case: CaseSummary) -> None:
    assessment_id = signed_case(service, case)
    data = b"%PDF-1.7 a letter"
    document = service.record_issued_document(case.id, "notat", data, "/home/kari/Åse Berg notat.pdf")
    assert document.sha256 == hashlib.sha256(data).hexdigest() and document.byte_size == len(data)
    assert document.file_name == "Åse Berg notat.pdf"  # the folder is not kept
    assert (document.assessment_id, document.issued_by) == (assessment_id, service.actor.user)
    assert service.issued_documents(case.id) == (document,)
    [entry] = [e for e in service.audit_trail(case.id) if e.action == AuditAction.DOCUMENT_ISSUED]
    assert entry.detail == {"kind": "notat", "document_id": document.id, "sha256": document.sha256}
    for sql in ("UPDATE issued_document SET sha256 = 'x'", "DELETE FROM issued_document"):
        with pytest.raises(IntegrityError, match="never changed or deleted"):
            raw(service, sql)
    assert service.issued_documents(case.id) == (document,)


# --- the audit log -----------------------------------------------------------------------

def test_opening_a_case_is_logged_with_who_and_where(store: Store, content: Content) -> None:
    service = CaseService(store, content, actor=Actor("ola", "tsb-pc-12"))
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    assert service.open_case(case.id) == case
    entries = service.audit_trail(case.id)
    assert [(e.action, e.actor, e.workstation, e.case_id) for e in entries] == [
        ("case.created", "ola", "tsb-pc-12", case.id), ("case.opened", "ola", "tsb-pc-12", case.id)]
    assert entries[0].at <= entries[1].at and entries[1].at.tzinfo is not None


def test_the_audit_log_holds_no_name_or_id_number(service: CaseService, case: CaseSummary) -> None:
    service.save_referral(case.id, ReferralDetails(source="nav", reason=PATIENT_NAME))
    signed_case(service, case)
    service.record_issued_document(case.id, "notat", b"x", f"{PATIENT_NAME}.pdf")
    logged = json.dumps([(e.action, e.detail) for e in service.audit_trail()], ensure_ascii=False)
    for secret in (PATIENT_ID, PATIENT_NAME.split()[0], PATIENT_NAME.split()[-1]):
        assert secret not in logged


@pytest.mark.parametrize("sql", ["UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"])
def test_the_audit_log_is_append_only(service: CaseService, case: CaseSummary, sql: str) -> None:
    service.open_case(case.id)
    before = service.audit_trail()
    with pytest.raises(IntegrityError, match="never changed or deleted"):
        raw(service, sql)
    assert service.audit_trail() == before


def test_truncate_is_refused_on_postgresql(service: CaseService, case: CaseSummary) -> None:
    if service.store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(IntegrityError, match="never changed or deleted"):
        raw(service, "TRUNCATE audit_event")
    with service.store.session() as session:
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == 1


def test_a_refused_change_leaves_no_audit_entry(service: CaseService, case: CaseSummary) -> None:
    with pytest.raises(InvalidInput):
        service.save_assessment(case.id, {"rus": {"rating": 99}})
    with pytest.raises(InvalidInput):
        service.sign_assessment(case.id)
    assert actions(service, case.id) == ["case.created"]
    with service.store.session() as session:
        assert session.exec(select(func.count()).select_from(Assessment)).one() == 0
