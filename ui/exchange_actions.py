"""The window's export and import: "Eksporter sak …" (a case file or FHIR R4, sealed with a
passphrase if asked), "Importer saksfil …" (plain or sealed; a case already stored is
skipped or added as a new version, as the clinician chooses) and, for a professional
lead, the de-identified quality CSV.

Each calls the same core functions as ``tsbplace export``/``import``
(:mod:`tsbplace.exchange_files`), so it is recorded and audited exactly as there, and runs
through :class:`~tsbplace.ui.background_task.TaskRunner`: off the GUI thread, with progress
and Avbryt. Every question goes through a replaceable asker, so tests never block.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tsbplace.case_exchange import ExportedCase, ImportResult, is_duplicate
from tsbplace.cases import CaseService
from tsbplace.exchange_files import (
    ExchangeRefused,
    export_case_file,
    export_quality_file,
    file_is_sealed,
    import_case_export,
    read_case_export,
)
from tsbplace.i18n import tr
from tsbplace.progress import Progress
from tsbplace.security.passwords import password_problem
from tsbplace.ui.background_task import TaskRunner, error_text
from tsbplace.ui.dialog_parts import action_buttons, dialog_layout
from tsbplace.ui.qt import (
    QAction,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QObject,
    QRadioButton,
    QToolButton,
    QWidget,
)

if TYPE_CHECKING:
    from tsbplace.ui.main_window import MainWindow

SKIP, NEW_VERSION = "skip", "new-version"  # the core's on_duplicate choices the window offers


@dataclass(frozen=True)
class ExportChoice:
    fmt: str  # "json" (a TSBplace case file) or "fhir" (a FHIR R4 Bundle)
    passphrase: str | None = None  # sealed with it when given


class ExportDialog(QDialog):
    """The format of the export, and whether to seal it (the passphrase typed twice)."""

    def __init__(self, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: ExportChoice | None = None
        self.setWindowTitle(tr("gui.exchange.export_title", case=case_number))
        self.setMinimumWidth(480)
        layout = dialog_layout(self, tr("gui.exchange.export_intro"),
                               tr("gui.exchange.export_title", case=case_number))
        self.json_button = QRadioButton(tr("gui.exchange.format_json"))
        self.fhir_button = QRadioButton(tr("gui.exchange.format_fhir"))
        self.json_button.setChecked(True)
        self.formats = QButtonGroup(self)
        for button in (self.json_button, self.fhir_button):
            self.formats.addButton(button)
            layout.addWidget(button)
        self.seal_box = QCheckBox(tr("gui.exchange.seal"))
        self.seal_box.toggled.connect(self._on_seal_toggled)
        layout.addSpacing(8)
        layout.addWidget(self.seal_box)
        seal_hint = QLabel(tr("gui.exchange.seal_hint"))
        seal_hint.setObjectName("muted")
        seal_hint.setWordWrap(True)
        layout.addWidget(seal_hint)
        form = QFormLayout()
        self.phrase = QLineEdit()
        self.repeat = QLineEdit()
        for field, key in ((self.phrase, "gui.exchange.phrase"), (self.repeat, "gui.exchange.repeat")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setEnabled(False)
            label = QLabel(tr(key))
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons, self.export_button = action_buttons(tr("gui.exchange.export_button"), self.try_accept,
                                                     self.reject)
        layout.addWidget(buttons)

    def _on_seal_toggled(self, sealed: bool) -> None:
        for field in (self.phrase, self.repeat):
            field.setEnabled(sealed)
        if sealed:
            self.phrase.setFocus()

    def try_accept(self) -> bool:
        """Accept with the choice, or say why the passphrase cannot be used."""
        passphrase = None
        if self.seal_box.isChecked():
            passphrase = self.phrase.text()
            problem = password_problem(passphrase)
            if problem is None and self.repeat.text() != passphrase:
                problem = tr("gui.exchange.phrase_mismatch")
            if problem is not None:
                self.problem.setText(problem)
                self.problem.show()
                self.repeat.clear()
                self.phrase.setFocus()
                self.phrase.selectAll()
                return False
        self.choice = ExportChoice("fhir" if self.fhir_button.isChecked() else "json", passphrase)
        self.accept()
        return True


def ask_export_choice(parent: QWidget, case_number: str) -> ExportChoice | None:
    dialog = ExportDialog(case_number, parent)
    return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_save_path(parent: QWidget, suggested_name: str, file_filter: str) -> Path | None:
    """The system save dialog (it asks before replacing a file)."""
    path, _ = QFileDialog.getSaveFileName(parent, tr("gui.exchange.save_title"),
                                          str(Path.home() / suggested_name), file_filter)
    return Path(path) if path else None


def ask_open_path(parent: QWidget) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, tr("gui.exchange.import_title"), str(Path.home()),
                                          tr("gui.exchange.import_filter"))
    return Path(path) if path else None


def ask_passphrase(parent: QWidget, file_name: str) -> str | None:
    text, ok = QInputDialog.getText(parent, tr("gui.exchange.import_title"),
                                    tr("gui.exchange.phrase_question", file=file_name),
                                    QLineEdit.EchoMode.Password)
    return text if ok and text else None


def ask_duplicate(parent: QWidget, case_number: str) -> str | None:
    """What to do with a case the store already holds: skip, a new version, or nothing."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("gui.exchange.import_title"),
                      tr("gui.exchange.duplicate_question", case=case_number), parent=parent)
    new_version = box.addButton(tr("gui.exchange.duplicate_new_version"), QMessageBox.ButtonRole.AcceptRole)
    skip = box.addButton(tr("gui.exchange.duplicate_skip"), QMessageBox.ButtonRole.ActionRole)
    refuse = box.addButton(tr("gui.exchange.duplicate_refuse"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(refuse)
    box.exec()
    clicked = box.clickedButton()
    return NEW_VERSION if clicked is new_version else SKIP if clicked is skip else None


@dataclass(frozen=True)
class _ReadFile:
    exported: ExportedCase
    duplicate: bool


class ExchangeActions(QObject):
    """The export and import actions of ``window``, behind one toolbar button."""

    def __init__(self, window: MainWindow, service: CaseService, lead: bool) -> None:
        super().__init__(window)
        self.window, self.service = window, service
        self.runner = TaskRunner(window)
        self.runner.busy_changed.connect(lambda _busy: window._update_actions())
        self.ask_export_choice: Callable[[QWidget, str], ExportChoice | None] = ask_export_choice
        self.ask_save_path: Callable[[QWidget, str, str], Path | None] = ask_save_path
        self.ask_open_path: Callable[[QWidget], Path | None] = ask_open_path
        self.ask_passphrase: Callable[[QWidget, str], str | None] = ask_passphrase
        self.ask_duplicate: Callable[[QWidget, str], str | None] = ask_duplicate
        menu = QMenu(window)
        self.export_action = self._add(menu, tr("gui.exchange.export_case"), self.export_case)
        self.import_action = self._add(menu, tr("gui.exchange.import_file"), self.import_file)
        self.quality_action: QAction | None = None
        if lead:
            menu.addSeparator()
            self.quality_action = self._add(menu, tr("gui.exchange.export_quality"), self.export_quality)
        self.button = QToolButton()
        self.button.setText(tr("gui.exchange.menu"))
        self.button.setAccessibleName(tr("gui.exchange.menu"))
        self.button.setMenu(menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    @staticmethod
    def _add(menu: QMenu, text: str, slot: Callable[[], object]) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def update(self, has_case: bool, locked: bool) -> None:
        """Enable what can run now: nothing while locked or while a task runs."""
        free = not locked and not self.runner.busy
        self.export_action.setEnabled(free and has_case)
        self.import_action.setEnabled(free)
        if self.quality_action is not None:
            self.quality_action.setEnabled(free)
        self.button.setEnabled(free)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def _refused(self, title: str, error: ExchangeRefused) -> None:
        self.runner.show_message(self.window, title, error_text(error))

    # --- export ----------------------------------------------------------------------

    def export_case(self) -> bool:
        """Export the open case (its draft saved first) as the clinician chooses."""
        window = self.window
        if window.case_page is None or window.locked or self.runner.busy or not window.keep_open_draft():
            return False
        case = window.case_page.case
        choice = self.ask_export_choice(window, case.case_number)
        if choice is None:
            return False
        name = f"{case.case_number}-fhir.json" if choice.fmt == "fhir" else f"{case.case_number}.json"
        sealed = choice.passphrase is not None
        file_filter = tr("gui.exchange.sealed_filter") if sealed else tr("gui.exchange.json_filter")
        target = self.ask_save_path(window, name + ".sealed" if sealed else name, file_filter)
        if target is None:
            return False

        def work(progress: Progress) -> bytes:
            return export_case_file(self.service, case.id, choice.fmt, target, passphrase=choice.passphrase,
                                    replace=True, progress=progress)  # the save dialog asked

        return self.runner.start(tr("gui.exchange.export_case").rstrip(" …"),
                                 tr("gui.exchange.exporting", case=case.case_number), work,
                                 lambda _data: self._status(tr("gui.exchange.exported", file=target.name)),
                                 lambda: self._status(tr("gui.exchange.cancelled")))

    def export_quality(self) -> bool:
        """The de-identified quality CSV of every case (a professional lead)."""
        window = self.window
        if self.quality_action is None or window.locked or self.runner.busy:
            return False
        name = tr("gui.exchange.quality_file_name", date=dt.date.today().isoformat())
        target = self.ask_save_path(window, name, tr("gui.exchange.csv_filter"))
        if target is None:
            return False

        def work(progress: Progress) -> bytes:
            return export_quality_file(self.service, target, replace=True, progress=progress)

        return self.runner.start(tr("gui.exchange.export_quality").rstrip(" …"),
                                 tr("gui.exchange.exporting_quality"), work,
                                 lambda _data: self._status(tr("gui.exchange.exported", file=target.name)),
                                 lambda: self._status(tr("gui.exchange.cancelled")))

    # --- import ----------------------------------------------------------------------

    def import_file(self) -> bool:
        """Read a case file (asking for the passphrase when sealed) off the GUI thread; then
        ask about a duplicate and import it, also off the GUI thread."""
        window = self.window
        if window.locked or self.runner.busy:
            return False
        source = self.ask_open_path(window)
        if source is None:
            return False
        title = tr("gui.exchange.import_title")
        passphrase = None
        try:
            if file_is_sealed(source):
                passphrase = self.ask_passphrase(window, source.name)
                if passphrase is None:
                    return False
        except ExchangeRefused as error:
            self._refused(title, error)
            return False

        def read(progress: Progress) -> _ReadFile:
            exported = read_case_export(source, self.service.content, passphrase, progress)
            return _ReadFile(exported, is_duplicate(self.service, exported))

        return self.runner.start(title, tr("gui.exchange.reading", file=source.name), read, self._import_read,
                                 lambda: self._status(tr("gui.exchange.cancelled")))

    def _import_read(self, read: _ReadFile) -> None:
        on_duplicate = "refuse"
        if read.duplicate:
            choice = self.ask_duplicate(self.window, read.exported.case_number)
            if choice is None:
                self._status(tr("gui.exchange.not_imported"))
                return
            on_duplicate = choice

        def work(progress: Progress) -> ImportResult:
            return import_case_export(self.service, read.exported, on_duplicate, progress)

        self.runner.start(tr("gui.exchange.import_title"),
                          tr("gui.exchange.importing", case=read.exported.case_number), work, self._imported,
                          lambda: self._status(tr("gui.exchange.cancelled")))

    def _imported(self, result: ImportResult) -> None:
        key = "gui.exchange.skipped" if result.skipped else "gui.exchange.imported"
        self._status(tr(key, case=result.case_number, versions=len(result.revisions)))
        if self.window.locked:
            self.window.reload_cases()
        else:
            self.window.reload_cases(select_id=result.case_id)
