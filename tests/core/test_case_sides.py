"""A case prepared on the referring side (tsbplace.case_sides): created with its side, never
decided or signed, referred once its referral letter is issued, only the letters that make
sense for it, left out of the quality data, round-tripped through case files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.access import Workspace, create_store
from tsbplace.case_exchange import export_bytes, export_case, import_case, parse_export
from tsbplace.case_file import CaseFileError
from tsbplace.case_sides import SIDES, NotForSide, letter_kinds
from tsbplace.cases import CaseService, Decision, InvalidInput, ReferralDetails
from tsbplace.clinic import ClinicDetails
from tsbplace.content import Content
from tsbplace.letter_commands import letter_command, render_letter
from tsbplace.locations import resolve_locations, sqlite_url
from tsbplace.national_id import synthetic_national_id
from tsbplace.quality_export import quality_rows
from tsbplace.storage import Store

RECEIVED = dt.date(2026, 11, 20)
ALCOHOL = {"rus": {"main_substance": "alcohol", "withdrawal_complications": True, "rating": 3}}
OFFICE = ClinicDetails(name="Sentrum legekontor", unit="Fastlegene",
                       address_lines=("Storgata 1", "2317 Hamar"))


def referral_case(service: CaseService) -> int:
    """A referral we prepare: the rus domain and the referral's details, no decision."""
    case = service.create_case(PATIENT_NAME, PATIENT_ID, RECEIVED, side="referrer")
    service.save_assessment(case.id, ALCOHOL)
    details = ReferralDetails(source="fastlege", referrer="Dr. Berg", reason="Økende alkoholbruk",
                              present_items=("substances",))
    service.save_referral(case.id, details)
    return case.id


def text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_side_is_stored_listed_and_audited(service: CaseService) -> None:
    tsb = service.create_case("Ola Nordmann", synthetic_national_id(dt.date(1990, 2, 3)), RECEIVED)
    case = service.create_case(PATIENT_NAME, PATIENT_ID, RECEIVED, side="referrer")
    assert (tsb.side, tsb.referring) == ("tsb", False)
    assert (case.side, case.referring, case.status) == ("referrer", True, "new")
    assert service.get_case(case.id).side == "referrer"
    assert {c.id: c.side for c in service.list_cases()} == {tsb.id: "tsb", case.id: "referrer"}
    assert {c.id: c.side for c in service.search_cases().rows} == {tsb.id: "tsb", case.id: "referrer"}
    [created] = [e for e in service.audit_trail(case.id) if e.action == "case.created"]
    assert created.detail == {"side": "referrer"}


def test_an_unknown_side_is_refused_and_nothing_is_written(service: CaseService) -> None:
    with pytest.raises(InvalidInput) as refused:
        service.create_case(PATIENT_NAME, PATIENT_ID, RECEIVED, side="kommune")
    assert [p.field for p in refused.value.problems] == ["side"]
    assert "tsb, referrer" in refused.value.problems[0].message and SIDES == ("tsb", "referrer")
    assert service.list_cases() == []


def test_a_referrer_side_case_is_never_decided_or_signed(service: CaseService) -> None:
    case_id = referral_case(service)
    before = service.load_assessment(case_id)
    with pytest.raises(NotForSide, match="TSB avgjør rett, frist og nivå"):
        service.save_decision(case_id, Decision(chosen_level="D3M", care_right="rett"))
    with pytest.raises(NotForSide, match="signeres ikke"):
        service.sign_assessment(case_id)
    assert service.load_assessment(case_id) == before
    actions = [e.action for e in service.audit_trail(case_id)]
    assert "decision.saved" not in actions and "assessment.signed" not in actions


def test_the_issued_referral_letter_makes_the_case_referred(service: CaseService) -> None:
    case_id = referral_case(service)
    assert service.get_case(case_id).status == "assessed"
    service.record_issued_document(case_id, "notat", b"%PDF-note", "notat.pdf")
    assert service.get_case(case_id).status == "assessed"  # the note is internal: nothing sent
    service.record_issued_document(case_id, "henvisning", b"%PDF-referral", "henvisning.pdf")
    assert service.get_case(case_id).status == "referred"
    assert [c.id for c in service.search_cases(status="referred").rows] == [case_id]
    service.save_assessment(case_id, ALCOHOL)  # edited after sending: still sent
    assert service.get_case(case_id).status == "referred"
    actions = [e.action for e in service.audit_trail(case_id)]
    assert actions[-2:] == ["document.issued", "assessment.saved"]


def test_a_tsb_case_is_not_referred_by_its_referral_summary(service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, RECEIVED)
    service.save_assessment(case.id, ALCOHOL)
    service.record_issued_document(case.id, "henvisning", b"%PDF-", "henvisning.pdf")
    assert service.get_case(case.id).status == "assessed"


def test_the_deadline_filter_leaves_out_referrals_we_prepare(service: CaseService) -> None:
    tsb = service.create_case("Ola Nordmann", synthetic_national_id(dt.date(1990, 2, 3)), RECEIVED)
    referral_case(service)
    due = service.search_cases(due_before=dt.date(2027, 1, 1))
    assert [c.id for c in due.rows] == [tsb.id] and due.total == 1


def test_quality_rows_count_only_tsb_assessments(service: CaseService) -> None:
    tsb = service.create_case("Ola Nordmann", synthetic_national_id(dt.date(1990, 2, 3)), RECEIVED)
    service.save_assessment(tsb.id, ALCOHOL)
    referral_case(service)
    rows = quality_rows(service)
    assert len(rows) == 1 and rows[0]["status"] == "assessed"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = create_store(resolve_locations(tmp_path / "data", environ={}), "kari", "Kari Nordmann",
                      "korrekt-hest-batteri")
    ws.clinic.save(OFFICE)
    yield ws
    ws.close()


def test_letters_follow_the_side(workspace: Workspace) -> None:
    assert letter_kinds("referrer") == ("henvisning", "notat")
    assert letter_kinds("tsb") == ("pasient", "henviser", "henvisning", "notat")
    case = workspace.cases.get_case(referral_case(workspace.cases))
    clinic = workspace.clinic.details()
    for kind in ("pasient", "henviser"):
        with pytest.raises(NotForSide, match="henvisningen og vurderingsnotatet"):
            render_letter(workspace.cases, clinic, case, kind, author="Kari Nordmann")
    note = text(render_letter(workspace.cases, clinic, case, "notat", author="Kari Nordmann"))
    assert "TSB vurderer henvisningen og avgjør rett" in note
    assert "Ingen beslutning er registrert ennå" not in note


def test_the_referral_is_written_by_the_referring_office_to_tsb(workspace: Workspace) -> None:
    case = workspace.cases.get_case(referral_case(workspace.cases))
    pdf = render_letter(workspace.cases, workspace.clinic.details(), case, "henvisning",
                        author="Kari Nordmann")
    letter = text(pdf)
    assert letter.startswith("Sentrum legekontor Fastlegene Storgata 1 2317 Hamar")  # our letterhead
    assert "Tverrfaglig spesialisert rusbehandling (TSB) Mottak av henvisninger" in letter  # to TSB
    assert "Henvisning til tverrfaglig spesialisert rusbehandling (TSB)" in letter
    assert "D3M Døgn med medisinsk overvåking" in letter
    assert "Forslaget er beslutningsstøtte for oss som henviser. TSB vurderer henvisningen" in letter
    assert "UTKAST" not in letter  # the referring side signs nothing: it is never a draft
    assert "Henvisning mottatt" not in letter and "Fastlegene, Sentrum legekontor" in letter
    assert "Pasientens egne ønsker" not in letter  # kept with a decision, which we never make


def test_the_letter_command_refuses_a_decision_letter_for_a_referral(workspace: Workspace,
                                                                     tmp_path: Path) -> None:
    case = workspace.cases.get_case(referral_case(workspace.cases))
    err = io.StringIO()
    target = tmp_path / "pasient.pdf"
    assert letter_command(workspace, case.case_number, "pasient", target, io.StringIO(), err) == 1
    assert "hører til en beslutning i TSB" in err.getvalue() and not target.exists()
    out = io.StringIO()
    target = tmp_path / "h.pdf"
    written = letter_command(workspace, case.case_number, "henvisning", target, out, io.StringIO())
    assert written == 0
    assert workspace.cases.get_case(case.id).status == "referred"


# --- case files --------------------------------------------------------------------------

def fresh_service(tmp_path: Path, content: Content, name: str) -> CaseService:
    store = Store.open(sqlite_url(tmp_path / name / "tsbplace.sqlite3"), backup_dir=tmp_path / name / "b")
    return CaseService(store, content)


def test_a_referred_case_round_trips_with_its_side(service: CaseService, content: Content,
                                                    tmp_path: Path) -> None:
    case_id = referral_case(service)
    service.record_issued_document(case_id, "henvisning", b"%PDF-", "henvisning.pdf")
    first = export_case(service, case_id)
    assert (first["case"]["side"], first["case"]["status"]) == ("referrer", "referred")
    target = fresh_service(tmp_path, content, "target")
    result = import_case(target, parse_export(export_bytes(first), content))
    second = export_case(target, result.case_id)
    assert {k: v for k, v in second.items() if k != "exported_at"} == \
        {k: v for k, v in first.items() if k != "exported_at"}
    expected = dataclasses.replace(service.get_case(case_id), id=result.case_id)
    assert target.get_case(result.case_id) == expected
    target.store.close()


def test_a_file_without_a_side_imports_as_a_tsb_case(service: CaseService, content: Content) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, RECEIVED)
    data = export_case(service, case.id)
    del data["case"]["side"]  # as written before sides existed
    data["case"]["case_number"] = "2026-09999"
    parsed = parse_export(export_bytes(data), content)
    assert parsed.side == "tsb"
    result = import_case(service, parsed)
    assert service.get_case(result.case_id).side == "tsb"


@pytest.mark.parametrize(("change", "path", "words"), [
    (lambda d: d["case"].update(side="kommune"), "$.case.side", "tsb"),
    (lambda d: d["case"].update(status="referred"), "$.case.status", "henvisersiden"),
])
def test_a_bad_side_or_referred_tsb_case_is_refused_at_its_path(  # type: ignore[no-untyped-def]
        service: CaseService, content: Content, change, path: str, words: str) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, RECEIVED)
    service.save_assessment(case.id, ALCOHOL)
    data = export_case(service, case.id)
    change(data)
    with pytest.raises(CaseFileError) as refused:
        parse_export(json.dumps(data), content)
    problems = {p.path: p.message for p in refused.value.problems}
    assert path in problems and words in problems[path]


def test_a_signed_version_on_the_referring_side_is_refused(service: CaseService, content: Content) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, RECEIVED)
    service.save_assessment(case.id, ALCOHOL)
    service.save_decision(case.id, Decision(chosen_level="D3M", care_right="ikke_rett",
                                            patient_agreement="enig"))
    service.sign_assessment(case.id)
    data = export_case(service, case.id)
    data["case"]["side"] = "referrer"
    with pytest.raises(CaseFileError) as refused:
        parse_export(json.dumps(data), content)
    assert "$.assessments[0].status" in {p.path for p in refused.value.problems}


def test_a_stored_case_of_the_other_side_is_not_overwritten(service: CaseService, content: Content) -> None:
    case_id = referral_case(service)
    data = export_case(service, case_id)
    data["case"]["side"] = "tsb"
    with pytest.raises(CaseFileError) as refused:
        import_case(service, parse_export(json.dumps(data), content), on_duplicate="skip")
    assert [p.path for p in refused.value.problems] == ["$.case.side"]
