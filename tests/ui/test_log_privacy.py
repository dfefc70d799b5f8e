"""After a click-through on the real window (sign-in store, new case typed from the
keyboard, a note naming the patient, save, a failed and a good PDF, lock and unlock), the
application log holds what happened, by case id, and no name or ID number of the patient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.conftest import LEAD_PASSWORD
from tests.ui.keyboard import type_text
from tsbplace import app_log
from tsbplace.access import Workspace
from tsbplace.national_id import format_national_id
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import QApplication, QMessageBox, QPlainTextEdit, Qt

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = app_log.configure_logging(tmp_path / "logs")
    yield path
    app_log.close_logging()
    app_log.forget_sensitive()


def test_the_log_of_a_click_through_holds_no_patient_name_or_id(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, workspace: Workspace, log_file: Path, tmp_path: Path) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    targets = iter([tmp_path / "missing" / f"{PATIENT_NAME} {PATIENT_ID}.pdf", tmp_path / "notat.pdf"])
    window = MainWindow(workspace.cases, user_name=workspace.me.display_name, accounts=workspace.accounts,
                        ask_save_path=lambda *_: next(targets))
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    dialog = window.new_case_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    type_text(dialog.name_edit, PATIENT_NAME)
    type_text(dialog.id_edit, PATIENT_ID)
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.case_page is not None)
    page = window.case_page
    assert page is not None
    note = page.pages["rus"].fields["note"].widget
    assert isinstance(note, QPlainTextEdit)
    type_text(note, f"{PATIENT_NAME} ({PATIENT_ID}) ønsker døgnbehandling.")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert window.save_note_pdf() is None  # the folder does not exist: a warning, logged
    assert window.save_note_pdf() == tmp_path / "notat.pdf"
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert window.locked and window.lock_screen is not None
    window.lock_screen.password_edit.setText(LEAD_PASSWORD)
    qtbot.keyClick(window.lock_screen.password_edit, Qt.Key.Key_Return)
    assert not window.locked
    window.close()

    logged = log_file.read_text(encoding="utf-8")
    case_id = page.case.id
    for expected in (f"case {case_id} created by kari", f"case {case_id} opened by kari",
                     f"case {case_id}: assessment revision 1 saved", f"case {case_id}: notat issued",
                     f"note for case {case_id} not written to", "[navn]", "[id-nr]"):
        assert expected in logged, expected
    for secret in (*PATIENT_NAME.split(), PATIENT_ID, format_national_id(PATIENT_ID)):
        assert secret not in logged, secret
