"""The professional lead's settings: the letterhead and the CIWA-Ar threshold set are
stored for the clinic (and scoring uses the set at once), the language for this computer."""

from __future__ import annotations

from pathlib import Path

from tsbplace.access import Workspace
from tsbplace.ui.qt import QSettings
from tsbplace.ui.settings_dialog import LANGUAGE_KEY, SettingsDialog


def test_settings_are_saved_checked_and_used(qtbot, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = SettingsDialog(workspace.clinic, workspace.cases, settings)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Avdeling for rusbehandling")
    dialog.address_edit.setPlainText("Postboks 1\n\n2326 Hamar\n")
    dialog.org_edit.setText("12345")
    assert not dialog.save() and "9 siffer" in dialog.message.text()
    assert not workspace.clinic.details().is_set  # nothing stored from a refused form
    dialog.org_edit.setText("983 971 709")
    ciwa = dialog.band_set_boxes["ciwa_ar"]
    ciwa.setCurrentIndex(1 - ciwa.currentIndex())
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("en"))
    assert dialog.save()
    details = workspace.clinic.details()
    assert details.name == "Avdeling for rusbehandling"
    assert details.address_lines == ("Postboks 1", "2326 Hamar")
    chosen = {key: str(box.currentData()) for key, box in dialog.band_set_boxes.items()}
    assert chosen["ciwa_ar"] != "va-camcops"
    assert workspace.cases.band_sets == chosen == workspace.clinic.band_sets()
    assert settings.value(LANGUAGE_KEY) == "en"


def test_the_dialog_saves_the_services_and_names_refused_rows(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = SettingsDialog(workspace.clinic, workspace.cases, settings)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Avdeling for rusbehandling")
    tab = dialog.services_tab
    tab.add_service()
    tab.add_service()
    tab.name_edit.setText("")  # the second has no name
    tab.name_edit.textEdited.emit("")
    assert not dialog.save()
    assert "Tjeneste 1: Navnet mangler." in dialog.message.text()
    assert "Tjeneste 2: Navnet mangler." in dialog.message.text()
    assert tab.selected_row() == 0  # the first bad row, ready to fix
    assert workspace.clinic.services() == () and not workspace.clinic.details().is_set  # nothing stored
    for row, name in ((0, "Poliklinikk Hamar"), (1, "Avrusning Sanderud")):
        tab.table.selectRow(row)
        tab.name_edit.textEdited.emit(name)
    tab.level_box.setCurrentIndex(tab.level_box.findData("D3M"))
    assert dialog.save()
    stored = workspace.clinic.services()
    assert [(s.name, s.level) for s in stored] == [("Poliklinikk Hamar", "P1"), ("Avrusning Sanderud", "D3M")]
    assert workspace.cases.local_services == stored  # used from the next case opened
