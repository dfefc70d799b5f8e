"""Innstillinger for the professional lead: the clinic's letterhead, the threshold sets
the clinic scores with (CIWA-Ar has two published sets), the clinic's own services
(``services_tab.py``), and the program's language on this workstation. The services
check and store; this dialog only lays out and reports."""

from __future__ import annotations

from tsbplace.accounts import NotAllowed
from tsbplace.cases import CaseService
from tsbplace.clinic import ClinicDetails, ClinicSettings
from tsbplace.field_problems import InvalidInput
from tsbplace.i18n import LANGUAGES, current_language, pick, tr
from tsbplace.local_services import service_problems
from tsbplace.ui.dialog_parts import action_buttons, dialog_layout
from tsbplace.ui.inputs import ComboBox
from tsbplace.ui.qt import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSettings,
    QTabWidget,
    QWidget,
)
from tsbplace.ui.services_tab import ServicesTab

LANGUAGE_KEY = "ui/language"  # this workstation's language, used from the next start
LANGUAGE_NAMES = {"nb": "Norsk bokmål", "en": "English"}


class SettingsDialog(QDialog):
    def __init__(self, clinic: ClinicSettings, service: CaseService, settings: QSettings | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clinic = clinic
        self.service = service
        self.settings = settings
        self.setWindowTitle(tr("gui.settings.title"))
        self.resize(640, 600)
        tabs = QTabWidget()
        tabs.addTab(self._clinic_tab(clinic.details()), tr("gui.settings.clinic_tab"))
        tabs.addTab(self._thresholds_tab(), tr("gui.settings.thresholds_tab"))
        self.services_tab = ServicesTab(service.content, clinic.services())
        tabs.addTab(self.services_tab, tr("gui.services.tab"))
        tabs.addTab(self._language_tab(), tr("gui.settings.language_tab"))
        self.message = QLabel()
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.buttons, self.save_button = action_buttons(tr("gui.settings.save"), self.save, self.reject)
        layout = dialog_layout(self, tr("gui.settings.intro"), tr("gui.settings.title"))
        layout.addWidget(tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _line(self, text: str, key: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setAccessibleName(tr(key))
        return edit

    def _clinic_tab(self, details: ClinicDetails) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.name_edit = self._line(details.name, "gui.settings.name")
        self.unit_edit = self._line(details.unit, "gui.settings.unit")
        self.address_edit = QPlainTextEdit("\n".join(details.address_lines))
        self.address_edit.setAccessibleName(tr("gui.settings.address"))
        self.address_edit.setTabChangesFocus(True)
        self.address_edit.setFixedHeight(self.address_edit.fontMetrics().lineSpacing() * 5)
        self.org_edit = self._line(details.organisation_number, "gui.settings.organisation_number")
        self.phone_edit = self._line(details.phone, "gui.settings.phone")
        self.authority_edit = self._line(details.complaint_authority, "gui.settings.complaint_authority")
        self.authority_edit.setPlaceholderText(tr("gui.settings.complaint_authority_hint"))
        for key, widget in (("gui.settings.name", self.name_edit), ("gui.settings.unit", self.unit_edit),
                            ("gui.settings.address", self.address_edit),
                            ("gui.settings.organisation_number", self.org_edit),
                            ("gui.settings.phone", self.phone_edit),
                            ("gui.settings.complaint_authority", self.authority_edit)):
            form.addRow(tr(key), widget)
        return tab

    def _thresholds_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        chosen = self.clinic.band_sets()
        self.band_set_boxes: dict[str, ComboBox] = {}
        for instrument in self.service.content.instruments:
            if len(instrument.band_sets) < 2:
                continue  # nothing to choose
            box = ComboBox()
            for band_set in instrument.band_sets:
                box.addItem(pick(band_set.label), band_set.id)
            box.setCurrentIndex(box.findData(chosen.get(instrument.id, instrument.default_band_set)))
            box.setAccessibleName(instrument.short_name)
            self.band_set_boxes[instrument.id] = box
            box.fit_options()
            form.addRow(f"{instrument.short_name}: {pick(instrument.title)}", box)
        note = QLabel(tr("gui.settings.thresholds_note"))
        note.setObjectName("small")
        note.setWordWrap(True)
        form.addRow(note)
        return tab

    def _language_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.language_box = ComboBox()
        for language in LANGUAGES:
            self.language_box.addItem(LANGUAGE_NAMES.get(language, language), language)
        saved = str(self.settings.value(LANGUAGE_KEY, "")) if self.settings is not None else ""
        self.language_box.setCurrentIndex(self.language_box.findData(saved or current_language()))
        self.language_box.setAccessibleName(tr("gui.settings.language"))
        form.addRow(tr("gui.settings.language"), self.language_box)
        note = QLabel(tr("gui.settings.language_note"))
        note.setObjectName("small")
        note.setWordWrap(True)
        form.addRow(note)
        return tab

    def details(self) -> ClinicDetails:
        lines = tuple(line.strip() for line in self.address_edit.toPlainText().splitlines() if line.strip())
        return ClinicDetails(self.name_edit.text().strip(), self.unit_edit.text().strip(), lines,
                             self.org_edit.text().strip(), self.phone_edit.text().strip(),
                             self.authority_edit.text().strip())

    def save(self) -> bool:
        chosen = {key: str(box.currentData()) for key, box in self.band_set_boxes.items()}
        services = self.services_tab.services()
        # Checked before anything is stored, so refused services leave the letterhead unsaved too
        if problems := service_problems(self.service.content, services):
            self.message.setText("\n".join(self.services_tab.problem_lines(problems)))
            return False
        try:
            self.clinic.save(self.details())
            self.service.band_sets = self.clinic.save_band_sets(self.service.content, chosen)
            self.service.local_services = self.clinic.save_services(self.service.content, services)
        except (InvalidInput, NotAllowed) as error:
            problems = error.problems if isinstance(error, InvalidInput) else ()
            self.message.setText(" ".join(p.message for p in problems) or str(error))
            return False
        if self.settings is not None:
            self.settings.setValue(LANGUAGE_KEY, self.language_box.currentData())
        self.accept()
        return True
