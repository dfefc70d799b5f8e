"""The screen lock on the real main window and a real encrypted store: Ctrl+L (or a pause
without keyboard and mouse) hides every patient detail, saves the draft first, and only
the signed-in user's password opens it again."""

from __future__ import annotations

import datetime as dt

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.conftest import LEAD_PASSWORD
from tests.ui.keyboard import type_text
from tsbplace.access import Workspace
from tsbplace.cases import CaseService
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    Qt,
    QToolButton,
)

CTRL = Qt.KeyboardModifier.ControlModifier
NAME_PARTS = (PATIENT_NAME, *PATIENT_NAME.split())


def visible_texts(window: MainWindow) -> list[str]:
    """Every text a person could read in the window: labels, fields, buttons, list cells."""
    texts = [window.windowTitle(), window.statusBar().currentMessage()]
    for kind in (QLabel, QPushButton, QToolButton, QRadioButton, QCheckBox):
        texts += [widget.text() for widget in window.findChildren(kind) if widget.isVisible()]
    texts += [edit.text() for edit in window.findChildren(QLineEdit) if edit.isVisible()]
    texts += [edit.toPlainText() for edit in window.findChildren(QPlainTextEdit) if edit.isVisible()]
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisible() and model is not None:
            texts += [str(model.index(row, column).data() or "")
                      for row in range(model.rowCount()) for column in range(model.columnCount())]
    return texts


def shows_patient(window: MainWindow) -> bool:
    return any(part in text for text in visible_texts(window) for part in NAME_PARTS)


def open_window(qtbot, workspace: Workspace, lock_after_ms: int = 60_000) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(workspace.cases, user_name=workspace.me.display_name,
                        accounts=workspace.accounts, lock_after_ms=lock_after_ms, autosave_ms=60_000)
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def add_case(service: CaseService) -> int:
    return service.create_case(PATIENT_NAME, PATIENT_ID, dt.date(2026, 11, 10)).id


def test_lock_on_demand_hides_the_patient_and_the_password_opens_it(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace) -> None:
    case_id = add_case(workspace.cases)
    window = open_window(qtbot, workspace)
    window.case_table.selectRow(window.case_model.row_of(case_id) or 0)
    assert window.case_page is not None
    assert shows_patient(window)
    window.case_page.changed.emit()  # a change waiting for the autosave pause
    window.case_page.dirty = True

    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert window.locked
    assert not window.case_page.dirty  # the draft was saved before locking
    assert not shows_patient(window)
    assert window.windowTitle() == "TSBplace"
    assert not window.new_case_action.isEnabled() and not window.save_action.isEnabled()
    lock_screen = window.lock_screen
    assert lock_screen is not None and lock_screen.isVisible()
    assert "Kari Nordmann" in " ".join(visible_texts(window))

    type_text(lock_screen.password_edit, "ikke passordet")
    qtbot.keyClick(lock_screen.password_edit, Qt.Key.Key_Return)
    assert window.locked
    assert lock_screen.message.text().startswith("Passordet er feil")
    assert lock_screen.password_edit.text() == ""
    assert not shows_patient(window)

    type_text(lock_screen.password_edit, LEAD_PASSWORD)
    qtbot.keyClick(lock_screen.password_edit, Qt.Key.Key_Return)
    assert not window.locked
    assert shows_patient(window)
    assert window.save_action.isEnabled()
    actions = [str(entry.action) for entry in workspace.cases.audit_trail()]
    assert actions[-2:] == ["sign_in.failed", "session.unlocked"]


def test_a_pause_without_keyboard_or_mouse_locks_the_screen(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    case_id = add_case(workspace.cases)
    window = open_window(qtbot, workspace, lock_after_ms=150)
    window.case_table.selectRow(window.case_model.row_of(case_id) or 0)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert not shows_patient(window)


def test_keyboard_use_restarts_the_pause(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, workspace, lock_after_ms=10_000)
    window.lock_timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may be 5 % off
    window.lock_timer.start()
    qtbot.wait(600)
    assert window.lock_timer.remainingTime() < 9_600
    qtbot.keyClick(window.case_table, Qt.Key.Key_Down)
    assert window.lock_timer.remainingTime() > 9_800
    assert not window.locked


def test_without_accounts_there_is_no_lock(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(service, user_name="Kari Nordmann")
    qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(window)
    assert window.lock_action is None and window.users_action is None
    assert not window.lock()
    assert not window.lock_timer.isActive()
