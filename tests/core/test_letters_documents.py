"""The patient letter, the answer to the referrer, the referral summary and the note,
rendered from real stored cases and read back with pypdf; and ``tsbplace letter``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.access import Workspace, create_store
from tsbplace.cases import AssessmentRecord, CaseSummary, Decision, ReferralDetails, ReferralRecord
from tsbplace.clinic import ClinicDetails
from tsbplace.letter_commands import letter_command
from tsbplace.letters import (
    LetterNotReady,
    complaint_deadline,
    render_assessment_note,
    render_patient_letter,
    render_referral_summary,
    render_referrer_letter,
)
from tsbplace.locations import resolve_locations
from tsbplace.national_id import synthetic_national_id

CREATED = dt.datetime(2026, 11, 22, 9, 30)
CLINIC = ClinicDetails(
    name="Avdeling for rusbehandling, Sykehuset Innlandet", unit="Poliklinikk Hamar",
    address_lines=("Postboks 4453", "2326 Hamar"), organisation_number="983 971 709",
    phone="62 00 00 00", complaint_authority="Statsforvalteren i Innlandet")
ALCOHOL = {"rus": {"main_substance": "alcohol", "withdrawal_complications": True, "rating": 2}}
AUDIT = {"audit": {f"q{i}": 2 for i in range(1, 9)} | {"q9": 2, "q10": 4}}
OTHER_ID = synthetic_national_id(dt.date(1990, 2, 3))


@dataclass
class Stored:
    case: CaseSummary
    record: AssessmentRecord
    referral: ReferralRecord


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = create_store(resolve_locations(tmp_path / "data", environ={}), "kari", "Kari Nordmann",
                      "korrekt-hest-batteri")
    ws.clinic.save(CLINIC)
    yield ws
    ws.close()


def alcohol_case(ws: Workspace, *, sign: bool = True, name: str = PATIENT_NAME,
                 goals: str = "Slutte å drikke og beholde jobben") -> Stored:
    """Alcohol dependence with earlier withdrawal seizures: D3M, a right, 6 weeks."""
    case = ws.cases.create_case(name, PATIENT_ID, dt.date(2026, 11, 20))
    ws.cases.save_assessment(case.id, ALCOHOL, AUDIT)
    ws.cases.save_referral(case.id, ReferralDetails(
        source="fastlege", referrer="Dr. Berg, Sentrum legekontor",
        reason="Økende alkoholbruk, kramper i 2024",
        present_items=("substances", "wishes", "housing")))
    ws.cases.save_decision(case.id, Decision(
        chosen_level="D3M", care_right="rett", frist_weeks=6, latest_start_date=dt.date(2027, 1, 4),
        patient_goals=goals, patient_preferred_level="D3M", patient_agreement="enig"))
    if sign:
        ws.cases.sign_assessment(case.id)
    record = ws.cases.load_assessment(case.id)
    assert record is not None
    return Stored(ws.cases.get_case(case.id), record, ws.cases.load_referral(case.id))


def no_right_case(ws: Workspace, *, sign: bool = False) -> Stored:
    """Mild use, chosen municipal follow-up with no right (a draft unless ``sign``)."""
    case = ws.cases.create_case("Per Olsen", OTHER_ID, dt.date(2026, 11, 18))
    record = ws.cases.save_assessment(case.id, {"rus": {"main_substance": "cannabis", "rating": 1}})
    ws.cases.save_decision(case.id, Decision(
        chosen_level="K0", reason="klinisk_skjonn" if record.suggested_level != "K0" else None,
        care_right="ikke_rett", patient_goals="Få orden på søvnen", patient_agreement="uenig"))
    if sign:
        ws.cases.sign_assessment(case.id)
    stored = ws.cases.load_assessment(case.id)
    assert stored is not None
    return Stored(ws.cases.get_case(case.id), stored, ws.cases.load_referral(case.id))


def text(pdf: bytes) -> str:
    """The PDF's text with every run of white space made one space (lines wrap anywhere)."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def all_four(ws: Workspace, stored: Stored, clinic: ClinicDetails | None = CLINIC) -> dict[str, bytes]:
    content = ws.cases.content
    args = (content, stored.case, stored.record)
    return {
        "pasient": render_patient_letter(*args, author="Kari Nordmann", clinic=clinic,
                                         referral=stored.referral, created=CREATED),
        "henviser": render_referrer_letter(*args, author="Kari Nordmann", clinic=clinic,
                                           referral=stored.referral, created=CREATED),
        "henvisning": render_referral_summary(*args, stored.referral, author="Kari Nordmann", clinic=clinic,
                                              created=CREATED),
        "notat": render_assessment_note(*args, author="Kari Nordmann", created=CREATED),
    }


# --- The patient letter -----------------------------------------------------------------

def test_patient_letter_with_a_right_says_right_date_level_place_and_rights(workspace: Workspace) -> None:
    letter = text(all_four(workspace, alcohol_case(workspace))["pasient"])
    assert "Du har rett til nødvendig helsehjelp i spesialisthelsetjenesten" in letter
    assert "Behandlingen skal starte senest 04.01.2027." in letter
    assert "Den er 6 uker etter at vi fikk henvisningen" in letter
    assert "Døgn med medisinsk overvåking" in letter
    assert "Stedet er: Poliklinikk Hamar, Avdeling for rusbehandling, Sykehuset Innlandet." in letter
    assert "Mens du venter" in letter and "116 117" in letter
    assert "fritt behandlingsvalg" in letter
    assert "Retten gjelder ikke øyeblikkelig hjelp og ikke legemiddelassistert rehabilitering (LAR)" in letter
    assert "ny vurdering" in letter and "§ 2-3" in letter
    assert "klagen videre til Statsforvalteren i Innlandet" in letter and "§§ 7-1 og 7-2" in letter
    assert f"Klagen må være sendt innen {complaint_deadline().weeks} uker" in letter
    assert "Ring oss på 62 00 00 00" in letter
    assert "Org.nr. 983 971 709" in letter and "20.11.2026" in letter
    assert "Kopi: Dr. Berg, Sentrum legekontor" in letter
    assert "UTKAST" not in letter  # signed
    assert "ikke rett" not in letter


def test_patient_letter_without_a_right_says_so_and_where_else_to_get_help(workspace: Workspace) -> None:
    letter = text(all_four(workspace, no_right_case(workspace), clinic=None)["pasient"])
    assert "Du har ikke rett til helsehjelp hos oss nå" in letter
    assert "at du ikke har rett til nødvendig helsehjelp i spesialisthelsetjenesten nå" in letter
    assert "Kommunen din" in letter and "Fastlegen din" in letter
    assert "ny vurdering" in letter and "§ 2-3" in letter
    assert "klagen videre til Statsforvalteren (pasient- og brukerrettighetsloven" in letter
    assert "Klagen må være sendt innen 4 uker" in letter
    assert "Behandlingen skal starte senest" not in letter and "fritt behandlingsvalg" not in letter
    # no clinic details: a plain TSBplace header, no invented phone number
    assert letter.startswith("TSBplace") and "Ta kontakt med oss. Oppgi saksnummeret" in letter
    assert "Telefon" not in letter and "Org.nr." not in letter
    assert "UTKAST" in letter  # a draft


def test_complaint_deadline_is_data_with_its_source_and_a_verify_note() -> None:
    deadline = complaint_deadline()
    assert deadline.weeks == 4 and deadline.verify
    assert "§ 7-2" in deadline.source


# --- The referrer letter ----------------------------------------------------------------

def test_referrer_letter_holds_decision_summary_findings_and_next_steps(workspace: Workspace) -> None:
    letter = text(all_four(workspace, alcohol_case(workspace))["henviser"])
    assert letter.count("Dr. Berg, Sentrum legekontor") >= 2  # window and facts
    assert "Pasienten har rett til nødvendig helsehjelp i spesialisthelsetjenesten." in letter
    assert "Frist for start av helsehjelpen: 6 uker, senest 04.01.2027." in letter
    assert "Valgt omsorgsnivå: D3M Døgn med medisinsk overvåking." in letter
    assert "Omsorgsnivået er det samme som TSBplace foreslo" in letter
    assert "Tidligere abstinenskramper eller delirium" in letter
    assert "AUDIT: 22 (sone IV: mulig avhengighet)" in letter
    assert "Avrusning: I døgnenhet" in letter
    assert "Videre oppfølging" in letter and "Pasienten får innkalling direkte fra oss" in letter
    assert "UTKAST" not in letter


def test_referrer_letter_gives_the_reason_when_the_level_differs(workspace: Workspace) -> None:
    stored = no_right_case(workspace)
    letter = text(all_four(workspace, stored)["henviser"])
    assert "Pasienten har ikke rett til nødvendig helsehjelp" in letter
    assert (f"TSBplace foreslo {stored.record.suggested_level} " in letter
            and "valgt nivå er K0 Kommunal oppfølging / fastlege" in letter)
    assert "Begrunnelse for avviket: Klinisk skjønn" in letter
    assert "fastlege og i kommunens helse- og omsorgstjeneste" in letter
    assert "Henvisende lege / tjeneste" in letter  # no referrer recorded
    assert "UTKAST" in letter


def test_letters_refuse_a_decision_without_level_or_right(workspace: Workspace) -> None:
    case = workspace.cases.create_case(PATIENT_NAME, PATIENT_ID, dt.date(2026, 11, 20))
    record = workspace.cases.save_assessment(case.id, ALCOHOL)
    for render in (render_patient_letter, render_referrer_letter):
        with pytest.raises(LetterNotReady) as refused:
            render(workspace.cases.content, workspace.cases.get_case(case.id), record, author="Kari")
        assert len(refused.value.missing) == 2  # level and right
        assert str(refused.value).startswith("Brevet kan ikke lages ennå. Dette mangler:")
    record = workspace.cases.save_decision(case.id, Decision(chosen_level="D3M", care_right="rett"))
    with pytest.raises(LetterNotReady) as refused:
        render_patient_letter(workspace.cases.content, workspace.cases.get_case(case.id), record,
                              author="Kari")
    assert len(refused.value.missing) == 2  # frist and latest start date


# --- The referral summary and the note --------------------------------------------------

def test_referral_summary_lists_content_missing_items_wishes_instruments_and_level(
        workspace: Workspace) -> None:
    stored = alcohol_case(workspace)
    summary = text(all_four(workspace, stored)["henvisning"])
    assert "Henvisning til tverrfaglig spesialisert rusbehandling (TSB)" in summary
    assert "Økende alkoholbruk, kramper i 2024" in summary and "Fastlege" in summary
    assert "13 av 16 punkter mangler fortsatt" in summary
    assert summary.count("mangler") >= 14
    for item in stored.referral.missing_items:
        assert item.label() in summary
    assert "Slutte å drikke og beholde jobben" in summary
    assert "Ønsket behandlingsnivå D3M Døgn med medisinsk overvåking" in summary
    assert "AUDIT: 22 (sone IV: mulig avhengighet)" in summary
    assert "Omsorgsnivå TSBplace foreslår D3M Døgn med medisinsk overvåking" in summary
    assert "Tidligere abstinenskramper eller delirium" in summary
    assert "UTKAST" not in summary


def test_note_holds_decision_patient_view_signer_and_revision(workspace: Workspace) -> None:
    note = text(all_four(workspace, alcohol_case(workspace))["notat"])
    assert "Valgt omsorgsnivå D3M Døgn med medisinsk overvåking" in note
    assert "Frist 6 uker, senest 04.01.2027" in note
    assert "Pasientens mål Slutte å drikke og beholde jobben" in note
    assert "Pasientens syn Enig" in note
    assert "Status: Signert av kari " in note and "Revisjon 1" in note
    draft = text(all_four(workspace, no_right_case(workspace))["notat"])
    assert "Utkast – ikke signert" in draft
    assert "Avvik fra forslaget Klinisk skjønn" in draft
    assert "Rett til helsehjelp Ikke rett til nødvendig helsehjelp" in draft


def test_typed_markup_prints_literally_in_every_letter(workspace: Workspace) -> None:
    stored = alcohol_case(workspace, name="<b>Ås & Co</b>", goals="<i>Slutte</i> & <br/>jobbe")
    for kind, pdf in all_four(workspace, stored).items():
        printed = text(pdf)
        assert "<b>Ås & Co</b>" in printed, kind
        if kind != "pasient":
            assert "<i>Slutte</i> & <br/>jobbe" in printed, kind


def test_letters_carry_metadata_font_and_page_numbers(workspace: Workspace) -> None:
    for kind, pdf in all_four(workspace, alcohol_case(workspace)).items():
        reader = PdfReader(io.BytesIO(pdf))
        assert reader.metadata is not None and reader.metadata.author == "Kari Nordmann", kind
        assert reader.metadata.title is not None and "2026-00001" in reader.metadata.title, kind
        pages = len(reader.pages)
        assert f"Side {pages} av {pages}" in text(pdf), kind
        fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
        assert fonts and all("NotoSans" in font for font in fonts), kind


def test_english_letters_use_the_english_templates(workspace: Workspace) -> None:
    from tsbplace.i18n import set_language

    stored = alcohol_case(workspace)
    set_language("en")
    letter = text(all_four(workspace, stored)["pasient"])
    assert "Your treatment must start no later than 04.01.2027." in letter
    assert "within 4 weeks" in letter


# --- tsbplace letter --------------------------------------------------------------------

def issued_entries(ws: Workspace) -> list[str]:
    return [e.action for e in ws.cases.audit_trail() if e.action == "document.issued"]


def test_letter_command_writes_records_once_and_refuses_an_existing_file(workspace: Workspace,
                                                                          tmp_path: Path) -> None:
    stored = alcohol_case(workspace)
    target = tmp_path / "brev.pdf"
    out, err = io.StringIO(), io.StringIO()
    assert letter_command(workspace, stored.case.case_number, "pasient", target, out, err) == 0
    assert target.read_bytes().startswith(b"%PDF-") and err.getvalue() == ""
    assert out.getvalue().count("\n") == 1 and "brev.pdf" in out.getvalue()
    assert "Behandlingen skal starte senest 04.01.2027." in text(target.read_bytes())
    assert issued_entries(workspace) == ["document.issued"]
    (issued,) = workspace.cases.issued_documents(stored.case.id)
    assert (issued.kind, issued.file_name) == ("pasient", "brev.pdf")

    before = target.read_bytes()
    err = io.StringIO()
    assert letter_command(workspace, stored.case.case_number, "henviser", target, io.StringIO(), err) == 1
    assert "finnes allerede" in err.getvalue() and err.getvalue().count("\n") == 1
    assert target.read_bytes() == before and len(issued_entries(workspace)) == 1


@pytest.mark.parametrize("kind", ["henviser", "henvisning", "notat"])
def test_letter_command_renders_every_kind(workspace: Workspace, tmp_path: Path, kind: str) -> None:
    stored = alcohol_case(workspace)
    target = tmp_path / f"{kind}.pdf"
    assert letter_command(workspace, stored.case.case_number, kind, target, io.StringIO(), io.StringIO()) == 0
    assert target.read_bytes().startswith(b"%PDF-")
    assert len(issued_entries(workspace)) == 1


def test_letter_command_refusals(workspace: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    err = io.StringIO()
    assert letter_command(workspace, "2026-00001", "brev", target, io.StringIO(), err) == 2
    assert "Ukjent brevtype «brev»" in err.getvalue()
    err = io.StringIO()
    assert letter_command(workspace, "2026-99999", "pasient", target, io.StringIO(), err) == 1
    assert "Fant ingen sak med nummer 2026-99999." in err.getvalue()
    case = workspace.cases.create_case("Per Olsen", OTHER_ID, dt.date(2026, 11, 18))
    err = io.StringIO()
    assert letter_command(workspace, case.case_number, "notat", target, io.StringIO(), err) == 1
    assert "har ingen lagret vurdering" in err.getvalue()
    workspace.cases.save_assessment(case.id, ALCOHOL)
    err = io.StringIO()
    assert letter_command(workspace, case.case_number, "pasient", target, io.StringIO(), err) == 1
    assert "Brevet kan ikke lages ennå" in err.getvalue() and err.getvalue().count("\n") == 1
    err = io.StringIO()
    assert letter_command(workspace, case.case_number, "notat", tmp_path / "no" / "x.pdf",
                          io.StringIO(), err) == 1
    assert err.getvalue().startswith("Kunne ikke skrive") and err.getvalue().count("\n") == 1
    assert not target.exists() and issued_entries(workspace) == []


def test_the_chosen_local_service_is_named_in_the_patient_letter_and_the_note(workspace: Workspace) -> None:
    stored = alcohol_case(workspace, sign=False)
    workspace.cases.save_decision(stored.case.id, dataclasses.replace(stored.record.decision,
                                                                       chosen_service="Avrusning Sanderud"))
    record = workspace.cases.load_assessment(stored.case.id)
    assert record is not None
    letters = all_four(workspace, Stored(stored.case, record, stored.referral))
    letter = text(letters["pasient"])
    assert "Du får tilbud om behandling ved Avrusning Sanderud." in letter
    assert "Stedet er:" not in letter  # the service names the place more exactly than the clinic
    assert "Tjeneste / sted Avrusning Sanderud" in text(letters["notat"])
    without = text(all_four(workspace, stored)["pasient"])
    assert "Du får tilbud om" not in without and "Stedet er: Poliklinikk Hamar" in without
