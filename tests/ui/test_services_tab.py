"""Innstillinger → Tjenester: the clinic's services in a table, edited in labelled fields
under it, added and removed from the keyboard (saving: tests/ui/test_settings_dialog.py)."""

from __future__ import annotations

from tests.ui.keyboard import type_text
from tsbplace.content.model import Content
from tsbplace.local_services import MAX_SERVICES, LocalService, new_service
from tsbplace.ui.qt import QApplication, Qt
from tsbplace.ui.services_tab import ServicesTab

HAMAR = LocalService("hamar", "Poliklinikk Hamar", "P1", "Skolegata 32")
SANDERUD = LocalService("sanderud", "Avrusning Sanderud", "D3M", active=False)


def tab_for(qtbot, content: Content, services: tuple[LocalService, ...] = ()) -> ServicesTab:  # type: ignore[no-untyped-def]
    tab = ServicesTab(content, services)
    qtbot.addWidget(tab)
    tab.resize(600, 420)
    tab.show()
    return tab


def test_the_table_shows_each_service_and_the_fields_edit_the_selected_one(  # type: ignore[no-untyped-def]
        qtbot, content: Content) -> None:
    tab = tab_for(qtbot, content, (HAMAR, SANDERUD))
    assert tab.table.rowCount() == 2
    first_row = [tab.table.item(0, column).text() for column in range(3)]
    assert first_row == ["Poliklinikk Hamar", "P1", "Skolegata 32"]
    assert tab.table.item(1, 3).checkState() == Qt.CheckState.Unchecked  # not in use
    assert tab.selected_row() == 0 and tab.name_edit.text() == "Poliklinikk Hamar"
    assert tab.level_box.currentText().startswith("P1 ")
    tab.table.selectRow(1)
    assert tab.name_edit.text() == "Avrusning Sanderud" and not tab.active_box.isChecked()
    tab.active_box.setChecked(True)
    tab.level_box.setCurrentIndex(tab.level_box.findData("D3"))
    assert tab.table.item(1, 1).text() == "D3" and tab.table.item(1, 3).checkState() == Qt.CheckState.Checked
    assert tab.services() == (HAMAR, LocalService("sanderud", "Avrusning Sanderud", "D3", active=True))
    assert tab.selected_row() == 1  # editing keeps the row selected
    for widget in (tab.table, tab.name_edit, tab.level_box, tab.note_edit, tab.active_box,
                   tab.add_button, tab.remove_button):
        assert widget.accessibleName()


def test_add_type_and_remove_from_the_keyboard(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    tab = tab_for(qtbot, content, (HAMAR,))
    tab.activateWindow()
    qtbot.keyClick(tab.add_button, Qt.Key.Key_Space)
    assert tab.table.rowCount() == 2 and tab.selected_row() == 1
    qtbot.waitUntil(tab.name_edit.hasFocus)  # straight to the new service's name
    type_text(tab.name_edit, "Rusteam Gjøvik ")
    assert tab.table.item(1, 0).text() == "Rusteam Gjøvik "
    new = tab.services()[1]
    assert new.name == "Rusteam Gjøvik" and new.level == "P1" and new.active and new.id
    qtbot.keyClick(tab.remove_button, Qt.Key.Key_Space)
    assert tab.services() == (HAMAR,) and tab.selected_row() == 0
    tab.table.setFocus()
    for widget in (tab.add_button, tab.remove_button, tab.name_edit, tab.level_box, tab.note_edit,
                   tab.active_box):  # Tab leaves the table and goes through every input
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget
    qtbot.keyClick(tab.remove_button, Qt.Key.Key_Space)
    assert tab.services() == () and tab.selected_row() is None
    assert not tab.name_edit.isEnabled() and not tab.remove_button.isEnabled()


def test_no_more_than_the_limit_can_be_added(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    tab = tab_for(qtbot, content, tuple(new_service(f"T{n}", "P1") for n in range(MAX_SERVICES - 1)))
    assert tab.add_button.isEnabled()
    tab.add_service()
    assert len(tab.services()) == MAX_SERVICES and not tab.add_button.isEnabled()
    tab.add_service()
    assert len(tab.services()) == MAX_SERVICES
