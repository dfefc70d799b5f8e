"""First start on a real, empty data folder: the first user becomes the lead of a new
encrypted store; the create button waits for two equal passwords."""

from __future__ import annotations

from tests.ui.keyboard import type_text
from tsbplace.access import StoreKind, sign_in, store_kind
from tsbplace.accounts import Role
from tsbplace.locations import Locations
from tsbplace.ui.qt import Qt
from tsbplace.ui.setup_dialog import SetupDialog

PASSWORD = "en lang og god setning"


def test_setup_creates_the_store_and_its_lead(qtbot, locations: Locations) -> None:  # type: ignore[no-untyped-def]
    assert store_kind(locations) is StoreKind.NEW
    dialog = SetupDialog(locations, store_kind(locations))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.plain_note is None
    assert not dialog.create_button.isEnabled()

    type_text(dialog.user_name_edit, "kari")
    type_text(dialog.display_name_edit, "Kari Nordmann")
    type_text(dialog.password_edit, PASSWORD)
    type_text(dialog.repeat_edit, PASSWORD[:-1])
    assert dialog.messages["repeat"].text() == "Passordene er ikke like."
    assert not dialog.create_button.isEnabled()
    type_text(dialog.repeat_edit, PASSWORD[-1])
    assert dialog.create_button.isEnabled()
    assert dialog.messages["password"].objectName() == "good"

    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)  # Enter creates
    assert dialog.workspace is not None
    try:
        assert dialog.workspace.me.role is Role.LEAD
        assert dialog.workspace.me.display_name == "Kari Nordmann"
    finally:
        dialog.workspace.close()
    assert store_kind(locations) is StoreKind.ENCRYPTED
    again = sign_in(locations, "kari", PASSWORD)
    again.close()


def test_refused_values_are_shown_beside_their_fields(qtbot, locations: Locations) -> None:  # type: ignore[no-untyped-def]
    dialog = SetupDialog(locations)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.user_name_edit, "Kari Nordmann")  # spaces and capitals: refused
    type_text(dialog.display_name_edit, "Kari Nordmann")
    type_text(dialog.password_edit, "kort")
    type_text(dialog.repeat_edit, "kort")
    assert "små bokstaver" in dialog.messages["user_name"].text()
    assert dialog.messages["user_name"].objectName() == "problem"
    dialog.create_button.click()
    assert dialog.workspace is None
    assert "minst 10 tegn" in dialog.messages["password"].text()
    assert dialog.messages["password"].objectName() == "problem"
    assert store_kind(locations) is StoreKind.NEW  # nothing was created


def test_a_plain_store_is_told_it_will_be_encrypted(qtbot, locations: Locations) -> None:  # type: ignore[no-untyped-def]
    dialog = SetupDialog(locations, StoreKind.PLAIN)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.plain_note is not None
    assert "kryptert" in dialog.plain_note.text()
