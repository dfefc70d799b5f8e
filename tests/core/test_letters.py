"""The vurderingsnotat as a real PDF: text, fonts, metadata, escaping."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.cases import CaseService
from tsbplace.letters import render_assessment_note


def note_for(service: CaseService, name: str, answers: dict) -> PdfReader:
    case = service.create_case(name, PATIENT_ID, dt.date(2026, 11, 20))
    record = service.save_assessment(case.id, answers)
    pdf = render_assessment_note(service.content, service.get_case(case.id), record,
                                 author="Kari Nordmann", created=dt.datetime(2026, 11, 22, 9, 30))
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_note_holds_patient_level_reasons_and_ruleset(service: CaseService) -> None:
    reader = note_for(service, PATIENT_NAME, {"rus": {
        "main_substance": "alcohol", "withdrawal_complications": True, "rating": 3}})
    text = text_of(reader)
    assert len(reader.pages) <= 2  # the decision and its status came after the first version
    assert PATIENT_NAME in text  # Á, Ŋ, á and Ø survive the font
    assert f"{PATIENT_ID[:6]} {PATIENT_ID[6:]}" in text
    assert "D3M Døgn med medisinsk overvåking" in text
    assert "RUS-WITHDRAWAL-HISTORY" in text and "RUS-RATING-SEVERE" in text
    assert f"Regelsett {service.content.ruleset.version}" in text
    assert "20.11.2026" in text and "Kari Nordmann" in text
    assert f"Side 1 av {len(reader.pages)}" in text
    assert "Status: Utkast – ikke signert · Revisjon 1" in text
    assert "Ingen beslutning er registrert ennå." in text


def test_note_lists_missing_information(service: CaseService) -> None:
    text = text_of(note_for(service, PATIENT_NAME, {"rus": {"rating": 1}}))
    assert "Opplysninger som mangler" in text
    assert "Rus og abstinens: Tidligere abstinenskramper eller delirium" in text


def test_bundled_font_is_embedded_and_metadata_set(service: CaseService) -> None:
    reader = note_for(service, PATIENT_NAME, {"rus": {"rating": 0}})
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("NotoSans" in font for font in fonts)
    assert reader.metadata is not None
    assert reader.metadata.title.startswith("Vurderingsnotat, sak ")
    assert reader.metadata.author == "Kari Nordmann"


def test_typed_text_is_escaped_not_interpreted(service: CaseService) -> None:
    name = "<b>Ås & Ødegård</b>"
    assert name in text_of(note_for(service, name, {"rus": {"rating": 0}}))


def test_bundled_fonts_have_every_norwegian_and_sami_letter() -> None:
    from reportlab.pdfbase import pdfmetrics

    from tsbplace.letters.document import FONT, FONT_BOLD, FONT_ITALIC, register_fonts

    register_fonts()
    letters = "æøåÆØÅáÁčČđĐŋŊšŠŧŦžŽïÏäÄöÖ§«»–"
    for name in (FONT, FONT_BOLD, FONT_ITALIC):
        face = pdfmetrics.getFont(name).face
        assert [c for c in letters if ord(c) not in face.charToGlyph] == [], name


def test_note_lists_outputs_flags_and_each_domains_minimum(service: CaseService) -> None:
    text = text_of(note_for(service, PATIENT_NAME, {
        "rus": {"main_substance": "opioids", "rating": 3, "overdoses": 2},
        "psykisk": {"rating": 3, "serious_disorder": "diagnosed"},
        "nettverk": {"minor_children": True}}))
    assert "Andre vurderinger" in text and "LAR-vurdering" in text
    assert "Vurder oppstart eller videreføring" in text
    assert "ROP-ansvar" in text and "Psykisk helsevern" in text
    assert "Varsler og foreslåtte tiltak" in text
    assert "Barn under 18 år: Involver barneansvarlig personell" in text
    assert "Overdosefare:" in text
    assert "(RUS-LAR-OPIOIDS: LAR-vurdering: Vurder oppstart eller videreføring)" in text
    assert "Laveste nivå per område" in text and "Psykisk helse: P1M (PSYKISK-RATING-SEVERE)" in text


def test_a_record_stored_before_outputs_and_flags_still_renders(service: CaseService) -> None:
    from dataclasses import replace

    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date(2026, 11, 20))
    record = service.save_assessment(case.id, {"rus": {"rating": 1}})
    old = {"level": "P1", "why_not_lower": [],
           "fired": [{"rule_id": "RUS-RATING-MILD", "minimum_level": "P1", "source": "x",
                      "because": {"nb": "Gammel begrunnelse.", "en": "Old reason."}, "facts": {}}],
           "missing": [{"fact": "rus.no_longer_a_fact", "could_raise_to": "D3M", "rule_ids": ["OLD"]}],
           "ruleset": {"id": "tsbplace-core", "version": "0.1.0", "hash": "0" * 64}}
    pdf = render_assessment_note(service.content, service.get_case(case.id),
                                 replace(record, suggestion=old, ruleset_version="0.1.0"),
                                 author="Kari Nordmann")
    text = text_of(PdfReader(io.BytesIO(pdf)))
    assert "Gammel begrunnelse. (RUS-RATING-MILD: minst P1)" in text
    assert "rus.no_longer_a_fact (kan gi D3M)" in text
    assert "Andre vurderinger" not in text and "Regelsett 0.1.0" in text
