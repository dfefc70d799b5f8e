"""The letter preview: the PDF on screen, printed through a stub print service (so nothing
blocks on the system dialog) or saved; each issue is reported once, cancelling reports none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.cases import CaseService
from tsbplace.letters import render_assessment_note
from tsbplace.ui.letter_preview import LetterPreview
from tsbplace.ui.print_service import load_pdf, paint_pages
from tsbplace.ui.qt import QPrinter, QWidget


class StubPrinter:
    def __init__(self, accept: bool) -> None:
        self.accept = accept
        self.printed: list[tuple[bytes, str]] = []

    def print_pdf(self, parent: QWidget, pdf: bytes, title: str) -> bool:
        if self.accept:
            self.printed.append((pdf, title))
        return self.accept


def note_pdf(service: CaseService) -> bytes:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    record = service.save_assessment(case.id, {"rus": {"rating": 2}})
    return render_assessment_note(service.content, service.get_case(case.id), record, author="Kari")


def test_preview_prints_through_the_service_and_reports_the_issue(  # type: ignore[no-untyped-def]
        qtbot, service: CaseService, tmp_path: Path) -> None:
    pdf = note_pdf(service)
    issued: list[tuple[str, str]] = []
    cancelled = LetterPreview(pdf, "Vurderingsnotat", "notat.pdf", print_service=StubPrinter(False),
                              ask_save_path=lambda *_: None, on_issued=lambda *a: issued.append(a))
    qtbot.addWidget(cancelled)
    assert cancelled.document.pageCount() >= 1
    assert not cancelled.print_letter() and cancelled.save_letter() is None and issued == []

    printer = StubPrinter(True)
    target = tmp_path / "ut.pdf"
    preview = LetterPreview(pdf, "Vurderingsnotat", "notat.pdf", print_service=printer,
                            ask_save_path=lambda *_: target, on_issued=lambda *a: issued.append(a))
    qtbot.addWidget(preview)
    assert preview.print_letter()
    assert printer.printed == [(pdf, "Vurderingsnotat")]
    assert preview.save_letter() == target and target.read_bytes() == pdf
    assert issued == [("print", "notat.pdf"), ("save", "ut.pdf")]


def test_the_pages_paint_onto_a_pdf_printer(qtbot, service: CaseService, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real painting path, with Qt's own PDF printer instead of a device."""
    pdf = note_pdf(service)
    document, _buffer = load_pdf(pdf)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert paint_pages(document, printer) == document.pageCount() >= 1
    assert out.read_bytes().startswith(b"%PDF")


def test_the_letters_menu_previews_records_and_refuses_an_incomplete_decision(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, service: CaseService, tmp_path: Path) -> None:
    from tsbplace.cases import Decision
    from tsbplace.ui import main_window as module
    from tsbplace.ui.main_window import MainWindow

    shown: list[str] = []
    monkeypatch.setattr(module.QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    record = service.save_assessment(case.id, {"rus": {"main_substance": "alcohol",
                                                       "withdrawal_complications": True, "rating": 2}})
    printer = StubPrinter(True)
    window = MainWindow(service, user_name="Kari Nordmann", print_service=printer,
                        ask_save_path=lambda *_: tmp_path / "brev.pdf")
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show()
    window.case_table.selectRow(window.case_model.row_of(case.id))
    assert window.letters_button.isEnabled()
    assert window.open_letter("pasient") is None and "Velg omsorgsnivå" in shown[0]
    service.save_decision(case.id, Decision(chosen_level=record.suggested_level, care_right="ikke_rett",
                                            patient_agreement="enig"))
    window.case_table.clearSelection()
    preview = window.open_letter("pasient")
    assert preview is not None and preview.document.pageCount() >= 1
    assert preview.print_letter() and preview.save_letter() == tmp_path / "brev.pdf"
    issued = service.issued_documents(case.id)
    assert [(d.kind, d.file_name) for d in issued] == [
        ("pasient", "(utskrift av 2026-00001-pasient.pdf)".replace("2026", str(dt.date.today().year))),
        ("pasient", "brev.pdf")]
    assert issued[0].sha256 == issued[1].sha256  # what was printed is what was saved
