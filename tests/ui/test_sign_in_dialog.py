"""Signing in to a real encrypted store: a wrong password says only "wrong user name or
password", clears the password and keeps the user name; after repeated failures the
button waits, counting down."""

from __future__ import annotations

from tests.ui.conftest import LEAD_PASSWORD
from tests.ui.keyboard import type_text
from tsbplace.access import Workspace
from tsbplace.ui.qt import Qt
from tsbplace.ui.sign_in_dialog import SignInDialog


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_password_shows_the_message_and_clears_the_password(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace) -> None:
    workspace.close()
    dialog = SignInDialog(workspace.locations, user_name="kari")
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.password_edit, "ikke passordet mitt")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.workspace is None
    assert dialog.message.text() == "Feil brukernavn eller passord."
    assert not dialog.message.isHidden()
    assert dialog.password_edit.text() == ""
    assert dialog.user_name_edit.text() == "kari"
    assert dialog.sign_in_button.isEnabled()

    type_text(dialog.password_edit, LEAD_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.workspace is not None
    assert dialog.workspace.me.user_name == "kari"
    dialog.workspace.close()


def test_an_unknown_user_gets_the_same_message(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    workspace.close()
    dialog = SignInDialog(workspace.locations)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.user_name_edit, "ola")
    type_text(dialog.password_edit, LEAD_PASSWORD)
    dialog.sign_in_button.click()
    assert dialog.message.text() == "Feil brukernavn eller passord."
    assert dialog.user_name_edit.text() == "ola"


def test_throttled_sign_in_counts_down_with_the_button_disabled(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace) -> None:
    workspace.close()
    clock = FakeClock()
    dialog = SignInDialog(workspace.locations, user_name="kari", clock=clock, tick_ms=10)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(3):  # the third failure asks for a pause
        type_text(dialog.password_edit, "feil passord igjen")
        dialog.sign_in_button.click()
    assert not dialog.sign_in_button.isEnabled()
    assert dialog.timer.isActive()
    assert dialog.countdown.text() == "Du kan prøve igjen om 5 s."
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # Enter does nothing meanwhile
    assert dialog.workspace is None

    clock.now += 2.5
    qtbot.waitUntil(lambda: dialog.countdown.text() == "Du kan prøve igjen om 3 s.")
    assert not dialog.sign_in_button.isEnabled()
    clock.now += 3
    qtbot.waitUntil(dialog.sign_in_button.isEnabled)
    assert dialog.countdown.isHidden()
    assert not dialog.timer.isActive()
