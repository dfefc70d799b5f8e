"""Changing one's own password from the window: the old one is checked, the new one typed
twice; afterwards only the new one opens the encrypted store."""

from __future__ import annotations

import pytest

from tests.ui.conftest import LEAD_PASSWORD
from tsbplace.access import SignInFailed, Workspace, sign_in
from tsbplace.ui.password_dialog import PasswordDialog

NEW_PASSWORD = "en helt ny setning 2026"


def test_changing_the_password_checks_the_old_one_and_the_repeat(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = PasswordDialog(workspace.accounts)
    qtbot.addWidget(dialog)
    dialog.old_edit.setText(LEAD_PASSWORD)
    dialog.new_edit.setText(NEW_PASSWORD)
    dialog.repeat_edit.setText(NEW_PASSWORD + "x")
    assert not dialog.change() and "ikke like" in dialog.message.text()
    dialog.old_edit.setText("not my password")
    dialog.repeat_edit.setText(NEW_PASSWORD)
    assert not dialog.change() and "feil" in dialog.message.text().lower()
    assert dialog.old_edit.text() == "" and dialog.new_edit.text() == ""
    for edit, text in ((dialog.old_edit, LEAD_PASSWORD), (dialog.new_edit, NEW_PASSWORD),
                       (dialog.repeat_edit, NEW_PASSWORD)):
        edit.setText(text)
    assert dialog.change() and dialog.changed
    locations = workspace.locations
    workspace.close()
    with pytest.raises(SignInFailed):
        sign_in(locations, "kari", LEAD_PASSWORD)
    sign_in(locations, "kari", NEW_PASSWORD).close()
