"""Ny sak: live validation of the ID number; nothing is stored until it is right."""

from __future__ import annotations

import datetime as dt

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import type_text
from tsbplace.cases import CaseService
from tsbplace.ui.new_case_dialog import NewCaseDialog
from tsbplace.ui.qt import QApplication, QSettings, Qt


def make_dialog(qtbot, service: CaseService) -> NewCaseDialog:  # type: ignore[no-untyped-def]
    dialog = NewCaseDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_message_follows_typing(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, service)
    type_text(dialog.name_edit, PATIENT_NAME)
    type_text(dialog.id_edit, "151086")
    assert "11 siffer" in dialog.id_message.text()
    assert dialog.id_message.objectName() == "muted"  # still typing: a hint, not an error
    assert not dialog.create_button.isEnabled()
    type_text(dialog.id_edit, "95077")
    assert "Kontrollsifrene" in dialog.id_message.text()
    assert dialog.id_message.objectName() == "problem"
    assert not dialog.create_button.isEnabled()
    dialog.id_edit.clear()
    type_text(dialog.id_edit, "31028612345")
    assert "fødselsdato" in dialog.id_message.text()
    dialog.id_edit.clear()
    type_text(dialog.id_edit, PATIENT_ID)
    assert dialog.id_message.text().startswith("✓ Gyldig fødselsnummer, født 17.05.1984")
    assert dialog.create_button.isEnabled()


def test_name_is_required(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, service)
    type_text(dialog.id_edit, PATIENT_ID)
    assert not dialog.create_button.isEnabled()
    type_text(dialog.name_edit, "   ")
    assert not dialog.create_button.isEnabled()


def test_enter_creates_the_case_and_emits_it(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, service)
    type_text(dialog.name_edit, PATIENT_NAME)
    type_text(dialog.id_edit, PATIENT_ID)
    with qtbot.waitSignal(dialog.created) as signal:
        qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    case = signal.args[0]
    assert case.patient_name == PATIENT_NAME
    assert case.received_date == dt.date.today()
    assert service.list_cases() == [case]


def test_refusal_from_the_service_is_shown_and_the_dialog_stays(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    dialog = make_dialog(qtbot, service)
    type_text(dialog.name_edit, "Noen Andre")
    type_text(dialog.id_edit, PATIENT_ID)
    dialog.create_button.click()
    assert dialog.isVisible()
    assert not dialog.form_message.isHidden()
    assert "annet navn" in dialog.form_message.text()
    assert len(service.list_cases()) == 1


def test_the_side_is_chosen_from_the_keyboard(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, service)
    assert dialog.side() == "tsb" and dialog.side_buttons["tsb"].isChecked()  # the default
    type_text(dialog.name_edit, PATIENT_NAME)
    type_text(dialog.id_edit, PATIENT_ID)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    for _ in range(8):  # Tab: the date (through its day, month and year), then the side
        if QApplication.focusWidget() is dialog.side_buttons["tsb"]:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.side_buttons["tsb"]
    qtbot.keyClick(dialog.side_buttons["tsb"], Qt.Key.Key_Down)  # arrows move within the group
    assert dialog.side() == "referrer"
    label = dialog.form.labelForField(dialog.received_edit)
    assert label.text() == "Påbegynt"  # the referring side received nothing yet
    with qtbot.waitSignal(dialog.created) as signal:
        qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    case = signal.args[0]
    assert (case.side, case.referring) == ("referrer", True)
    assert service.get_case(case.id).side == "referrer"


def test_the_side_chosen_last_is_where_the_next_new_case_starts(qtbot, service: CaseService,  # type: ignore[no-untyped-def]
                                                                  tmp_path) -> None:
    """A GP's office always refers: once it created a referral, Ny sak starts there."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = NewCaseDialog(service, settings=settings)
    qtbot.addWidget(first)
    assert first.side() == "tsb"
    first.side_buttons["referrer"].setChecked(True)
    type_text(first.name_edit, PATIENT_NAME)
    type_text(first.id_edit, PATIENT_ID)
    with qtbot.waitSignal(first.created):
        first.create_button.click()
    second = NewCaseDialog(service, settings=settings)
    qtbot.addWidget(second)
    assert second.side() == "referrer"
    assert second.form.labelForField(second.received_edit).text() == "Påbegynt"
    cancelled = NewCaseDialog(service, settings=settings)  # choosing without creating keeps it
    qtbot.addWidget(cancelled)
    cancelled.side_buttons["tsb"].setChecked(True)
    cancelled.reject()
    assert NewCaseDialog(service, settings=settings).side() == "referrer"
