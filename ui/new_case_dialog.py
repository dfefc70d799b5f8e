"""Ny sak: the patient's name, ID number (checked as it is typed), the received date, and
which side the case is worked on: assessed in TSB (the default) or a referral to TSB that
we prepare (a GP's office or a municipal service; :mod:`tsbplace.case_sides`)."""

from __future__ import annotations

import datetime as dt

from tsbplace.case_sides import REFERRER, TSB
from tsbplace.cases import CaseService, InvalidInput, check_name
from tsbplace.i18n import tr
from tsbplace.national_id import IdProblem, check_national_id
from tsbplace.ui.dialog_parts import action_buttons, dialog_layout
from tsbplace.ui.qt import (
    QButtonGroup,
    QDate,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSettings,
    QVBoxLayout,
    QWidget,
    Signal,
)

SIDE_KEY = "new_case/side"  # the side chosen last on this workstation

# While the number is still being typed, say what is needed rather than call it wrong.
_STILL_TYPING = {IdProblem.EMPTY, IdProblem.TOO_SHORT}


class NewCaseDialog(QDialog):
    """Creates a case through the service; emits ``created`` and closes on success."""

    created = Signal(object)  # CaseSummary

    def __init__(self, service: CaseService, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        """``settings`` remembers the side chosen last on this workstation (a GP's office
        always refers), so the next new case starts on it."""
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(tr("gui.new_case.title"))
        self.setMinimumWidth(460)

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(tr("gui.new_case.name"))
        self.name_edit.setPlaceholderText(tr("gui.new_case.name_placeholder"))
        self.id_edit = QLineEdit()
        self.id_edit.setAccessibleName(tr("gui.new_case.national_id"))
        self.id_edit.setPlaceholderText(tr("gui.new_case.national_id_placeholder"))
        self.id_edit.setMaxLength(13)  # 11 digits plus a space or dash
        self.id_message = QLabel(tr("national_id.problem.empty"))
        self.id_message.setObjectName("muted")
        self.id_message.setWordWrap(True)
        self.received_edit = QDateEdit(QDate.currentDate())
        self.received_edit.setAccessibleName(tr("gui.new_case.received"))
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setDisplayFormat("dd.MM.yyyy")
        self.received_edit.setMaximumDate(QDate.currentDate())
        self.form_message = QLabel("")
        self.form_message.setObjectName("problem")
        self.form_message.setWordWrap(True)
        self.form_message.hide()

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow(tr("gui.new_case.name"), self.name_edit)
        form.addRow(tr("gui.new_case.national_id"), self.id_edit)
        form.addRow("", self.id_message)
        form.addRow(tr("gui.new_case.received"), self.received_edit)
        # Last in the form, so Enter after the ID number still creates the usual case.
        self.side_buttons = {TSB: QRadioButton(tr("gui.referring.side_tsb")),
                             REFERRER: QRadioButton(tr("gui.referring.side_referrer"))}
        self.side_group = QButtonGroup(self)  # exclusive; the arrow keys move between them
        side_box = QVBoxLayout()
        side_box.setSpacing(4)
        for button in self.side_buttons.values():
            self.side_group.addButton(button)
            side_box.addWidget(button)
        self.settings = settings
        remembered = str(settings.value(SIDE_KEY, TSB)) if settings is not None else TSB
        self.side_buttons[remembered if remembered in self.side_buttons else TSB].setChecked(True)
        self.side_buttons[REFERRER].toggled.connect(self._on_side)
        self.form = form
        form.addRow(tr("gui.referring.side"), side_box)
        self._on_side()  # the remembered side may be the referring one

        self.buttons, self.create_button = action_buttons(tr("gui.new_case.create"), self._create,
                                                          self.reject)
        layout = dialog_layout(self, tr("gui.new_case.intro"))
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.form_message)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)

        self.name_edit.textChanged.connect(self._refresh)
        self.id_edit.textChanged.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        check = check_national_id(self.id_edit.text())
        self.id_message.setText(("✓ " if check.ok else "") + check.message())
        state = "good" if check.ok else ("muted" if check.problem in _STILL_TYPING else "problem")
        self.id_message.setObjectName(state)
        self.id_message.style().unpolish(self.id_message)
        self.id_message.style().polish(self.id_message)
        self.form_message.hide()
        self.create_button.setEnabled(check.ok and check_name(self.name_edit.text()) is None)

    def side(self) -> str:
        return REFERRER if self.side_buttons[REFERRER].isChecked() else TSB

    def _on_side(self) -> None:
        # On the referring side nothing was received yet: the date is when the work began.
        label = self.form.labelForField(self.received_edit)
        if isinstance(label, QLabel):
            label.setText(tr("gui.referring.started") if self.side() == REFERRER
                          else tr("gui.new_case.received"))
        self.received_edit.setAccessibleName(label.text() if isinstance(label, QLabel) else "")

    def received_date(self) -> dt.date:
        value = self.received_edit.date()
        return dt.date(value.year(), value.month(), value.day())

    def _create(self) -> None:
        try:
            case = self.service.create_case(
                self.name_edit.text(), self.id_edit.text(), self.received_date(), side=self.side())
        except InvalidInput as error:
            self.form_message.setText("\n".join(p.message for p in error.problems))
            self.form_message.show()
            return
        if self.settings is not None:
            self.settings.setValue(SIDE_KEY, self.side())
        self.created.emit(case)
        self.accept()


