"""The thin path on the real main window, from the keyboard: new case → domain → suggestion
→ saved record → PDF. Only the file chooser is replaced, so nothing blocks on a dialog."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import type_text
from tsbplace.cases import CaseService
from tsbplace.content import Content
from tsbplace.national_id import synthetic_national_id
from tsbplace.storage import Store
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import (
    QApplication,
    QComboBox,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    Qt,
    QWidget,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def focused(window: MainWindow) -> QWidget:
    widget = window.focusWidget()
    assert widget is not None
    return widget


def tab(qtbot, window: MainWindow) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focused(window), Qt.Key.Key_Tab)
    return focused(window)


def test_thin_path_end_to_end(qtbot, service: CaseService, content: Content,  # type: ignore[no-untyped-def]
                              database_url: str, tmp_path: Path) -> None:
    pdf_path = tmp_path / "out" / "notat.pdf"
    pdf_path.parent.mkdir()
    asked: list[str] = []

    def choose_path(_parent: QWidget, suggested: str) -> Path:
        asked.append(suggested)
        return pdf_path

    window = MainWindow(service, user_name="Kari Nordmann", ask_save_path=choose_path)
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # shortcuts need it
    assert not window.save_action.isEnabled()

    # Ctrl+N opens the dialog; a wrong check digit is refused and nothing is stored.
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    dialog = window.new_case_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    type_text(dialog.name_edit, PATIENT_NAME)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
    type_text(dialog.id_edit, PATIENT_ID[:-1] + str((int(PATIENT_ID[-1]) + 1) % 10))
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Kontrollsifrene stemmer ikke" in dialog.id_message.text()
    assert service.list_cases() == []

    # Correct the last digit and press Enter: the case is created and opened.
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Backspace)
    type_text(dialog.id_edit, PATIENT_ID[-1])
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.case_page is not None)
    assert not dialog.isVisible()
    page = window.case_page
    assert page is not None and page.case.patient_name == PATIENT_NAME
    qtbot.waitUntil(lambda: window.case_model.rowCount() == 1)  # the list is fetched off the GUI thread
    assert page.suggestion_panel.level_code.text() == "K0"

    # Answer the domain from the keyboard, field by field.
    substance = focused(window)
    assert isinstance(substance, QComboBox)
    qtbot.keyClick(substance, Qt.Key.Key_Down)  # Alkohol
    injecting = tab(qtbot, window)
    assert isinstance(injecting, QComboBox)
    qtbot.keyClick(injecting, Qt.Key.Key_Down)
    qtbot.keyClick(injecting, Qt.Key.Key_Down)  # Nei
    seizures = tab(qtbot, window)
    assert isinstance(seizures, QComboBox)
    qtbot.keyClick(seizures, Qt.Key.Key_Down)  # Ja
    days = tab(qtbot, window)
    assert isinstance(days, QSpinBox)
    qtbot.keyClick(days, Qt.Key.Key_A, CTRL)
    type_text(days, "20")
    note = tab(qtbot, window)
    assert isinstance(note, QPlainTextEdit)
    type_text(note, "Ønsker døgnbehandling nær Kárášjohka.")
    # The domain's later items (substances, overdoses, ...) stay unanswered: Tab past them.
    rating = tab(qtbot, window)
    for _ in range(500):
        if isinstance(rating, QRadioButton):
            break
        rating = tab(qtbot, window)
    assert isinstance(rating, QRadioButton)
    for _ in range(2):
        qtbot.keyClick(focused(window), Qt.Key.Key_Down)
    qtbot.keyClick(focused(window), Qt.Key.Key_Space)

    expected = {"main_substance": "alcohol", "injecting": False, "withdrawal_complications": True,
                "days_used_last_30": 20, "note": "Ønsker døgnbehandling nær Kárášjohka.",
                "rating": 2}
    assert page.domain_page.answers() == expected
    assert page.dirty
    assert page.nav.mark("rus") == "◐"  # started; the substances and more are still required
    assert page.suggestion_panel.level_code.text() == "D3M"

    # Ctrl+S stores the record; another connection to the same database sees it.
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert not page.dirty
    other = Store.open(database_url)
    try:
        record = CaseService(other, content).load_assessment(page.case.id)
    finally:
        other.close()
    assert record is not None
    assert record.answers == {"rus": expected}
    assert record.suggested_level == "D3M"
    assert record.ruleset_hash == content.ruleset.content_hash
    qtbot.waitUntil(lambda: window.case_model.case_at(0).suggested_level == "D3M")

    # Ctrl+E writes the assessment note where the (replaced) file chooser says.
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    assert asked == [f"Vurderingsnotat {page.case.case_number}.pdf"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    assert PATIENT_NAME in text
    assert "D3M Døgn med medisinsk overvåking" in text
    assert "Tidligere abstinenskramper eller delirium ved avhengighet av" in text
    assert f"Laget {dt.date.today():%d.%m.%Y}" in text and "Kari Nordmann" in text
    assert "notat.pdf" in window.statusBar().currentMessage()


def test_failed_pdf_write_is_reported_and_leaves_nothing(qtbot, service: CaseService,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path, monkeypatch) -> None:
    from tsbplace.ui import main_window as module

    warnings: list[str] = []
    monkeypatch.setattr(module.QMessageBox, "warning",
                        lambda _parent, _title, text: warnings.append(text))
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    target = tmp_path / "missing-folder" / "notat.pdf"
    window = MainWindow(service, user_name="Kari", ask_save_path=lambda *_: target)
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show_case(service.get_case(case.id))
    assert window.save_note_pdf() is None
    assert len(warnings) == 1 and "ble ikke lagret" in warnings[0]
    assert not target.parent.exists()


def test_switching_case_or_closing_keeps_the_draft(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    first = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    second = service.create_case("Ola Nordmann", synthetic_national_id(dt.date(1999, 2, 3)),
                                 dt.date.today())
    window = MainWindow(service, user_name="Kari")
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show()
    window.case_table.selectRow(window.case_model.row_of(first.id))
    assert window.case_page is not None and window.case_page.case.id == first.id
    window.case_page.domain_page.rating_group.button(1).click()
    assert window.case_page.dirty

    window.case_table.selectRow(window.case_model.row_of(second.id))
    assert window.case_page.case.id == second.id
    assert window.case_model.case_at(window.case_table.currentIndex().row()).id == second.id
    assert service.load_assessment(first.id).answers == {"rus": {"rating": 1}}  # type: ignore[union-attr]

    window.case_page.domain_page.rating_group.button(4).click()
    window.close()
    assert service.load_assessment(second.id).suggested_level == "A4"  # type: ignore[union-attr]
