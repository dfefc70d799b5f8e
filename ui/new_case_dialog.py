"""Ny sak: the patient's name, ID number (checked as it is typed) and the received date."""

from __future__ import annotations

import datetime as dt

from tsbplace.cases import CaseService, InvalidInput, check_name
from tsbplace.i18n import tr
from tsbplace.national_id import IdProblem, check_national_id
from tsbplace.ui.dialog_parts import action_buttons, dialog_layout
from tsbplace.ui.qt import (
    QDate,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
    Signal,
)

# While the number is still being typed, say what is needed rather than call it wrong.
_STILL_TYPING = {IdProblem.EMPTY, IdProblem.TOO_SHORT}


class NewCaseDialog(QDialog):
    """Creates a case through the service; emits ``created`` and closes on success."""

    created = Signal(object)  # CaseSummary

    def __init__(self, service: CaseService, parent: QWidget | None = None) -> None:
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

    def received_date(self) -> dt.date:
        value = self.received_edit.date()
        return dt.date(value.year(), value.month(), value.day())

    def _create(self) -> None:
        try:
            case = self.service.create_case(
                self.name_edit.text(), self.id_edit.text(), self.received_date())
        except InvalidInput as error:
            self.form_message.setText("\n".join(p.message for p in error.problems))
            self.form_message.show()
            return
        self.created.emit(case)
        self.accept()


