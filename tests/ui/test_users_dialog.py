"""The professional lead's users dialog on a real encrypted store: add, reset and remove
a user; the service's refusals are shown in the dialog; a clinician never sees it."""

from __future__ import annotations

from tests.ui.conftest import LEAD_PASSWORD
from tests.ui.keyboard import type_text
from tsbplace.access import Workspace, sign_in
from tsbplace.accounts import Role
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.users_dialog import UsersDialog

OLA_PASSWORD = "ola sitt passord her"


def test_the_lead_adds_resets_and_removes_a_user(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    dialog = UsersDialog(workspace.accounts, confirm=lambda _parent, text: asked.append(text) is None,
                         ask_password=lambda _parent, _user: "et helt nytt passord")
    qtbot.addWidget(dialog)
    assert [user.user_name for user in dialog.users] == ["kari"]

    type_text(dialog.user_name_edit, "ola")
    type_text(dialog.display_name_edit, "Ola Nordmann")
    type_text(dialog.password_edit, OLA_PASSWORD)
    assert dialog.add_user()
    assert [user.user_name for user in dialog.users] == ["kari", "ola"]
    assert dialog.table.item(1, 2).text() == "Behandler"
    assert dialog.message.text() == "Brukeren ola er lagt til."
    assert dialog.selected_user() is not None and dialog.selected_user().user_name == "ola"
    sign_in(workspace.locations, "ola", OLA_PASSWORD).close()

    assert dialog.reset_selected()
    sign_in(workspace.locations, "ola", "et helt nytt passord").close()

    assert dialog.remove_selected()
    assert "ola" in asked[0]
    assert dialog.table.item(1, 4).text() == "Fjernet"
    assert not dialog.remove_button.isEnabled()

    dialog.select_user("kari")  # never yourself
    assert not dialog.remove_button.isEnabled()
    assert dialog.reset_button.isEnabled()


def test_the_lead_sets_a_users_unit_from_the_known_ones(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    offered: list[tuple[str, ...]] = []

    def ask(_parent, user, known):  # type: ignore[no-untyped-def]
        offered.append(known)
        return "Poliklinikk Hamar"

    dialog = UsersDialog(workspace.accounts, ask_unit=ask)
    qtbot.addWidget(dialog)
    assert not dialog.unit_button.isEnabled()  # nobody selected
    dialog.select_user("kari")
    assert dialog.set_unit_of_selected()
    assert dialog.table.item(0, 3).text() == "Poliklinikk Hamar"
    assert dialog.message.text() == "kari jobber nå i enheten Poliklinikk Hamar."
    assert dialog.set_unit_of_selected()
    assert offered == [(), ("Poliklinikk Hamar",)]


def test_refused_values_are_shown_in_the_dialog(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = UsersDialog(workspace.accounts)
    qtbot.addWidget(dialog)
    type_text(dialog.user_name_edit, "kari")  # taken
    type_text(dialog.display_name_edit, "Kari Igjen")
    type_text(dialog.password_edit, "kort")
    assert not dialog.add_user()
    assert "allerede i bruk" in dialog.message.text()
    assert "minst 10 tegn" in dialog.message.text()
    assert dialog.password_edit.text() == ""
    assert len(dialog.users) == 1


def test_users_and_audit_log_are_for_the_lead_only(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    workspace.accounts.add_user("ola", "Ola Nordmann", Role.CLINICIAN, OLA_PASSWORD)
    lead_window = MainWindow(workspace.cases, user_name="Kari Nordmann", accounts=workspace.accounts)
    qtbot.waitUntil(lambda: not lead_window.case_model.busy)  # the first page, fetched off the GUI thread
    qtbot.addWidget(lead_window)
    assert lead_window.users_action is not None and lead_window.audit_action is not None
    lead_window.users_action.trigger()
    assert lead_window.users_dialog is not None and lead_window.users_dialog.isVisible()
    lead_window.users_dialog.reject()

    clinician = sign_in(workspace.locations, "ola", OLA_PASSWORD)
    try:
        window = MainWindow(clinician.cases, user_name="Ola Nordmann", accounts=clinician.accounts)
        qtbot.waitUntil(lambda: not window.case_model.busy)  # the first page, fetched off the GUI thread
        qtbot.addWidget(window)
        assert window.users_action is None and window.audit_action is None
        assert window.lock_action is not None
        dialog = UsersDialog(clinician.accounts)  # even if reached, the service refuses
        qtbot.addWidget(dialog)
        type_text(dialog.user_name_edit, "per")
        type_text(dialog.display_name_edit, "Per Hansen")
        type_text(dialog.password_edit, LEAD_PASSWORD)
        assert not dialog.add_user()
        assert dialog.message.text() == "Bare en fagansvarlig kan administrere brukere."
    finally:
        clinician.close()
