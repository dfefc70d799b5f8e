"""Oppstart: the day treatment started after a decision with a right to care, recorded on
the case after signing (the signed version stays as it was); it is what "frist met"
counts in the quality figures. The service checks the date; this dialog only asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tsbplace.i18n import tr
from tsbplace.ui.dialog_parts import action_buttons, dialog_layout
from tsbplace.ui.qt import QDate, QDateEdit, QDialog, QFormLayout, QWidget

StartAsker = Callable[[QWidget, dt.date, dt.date | None], dt.date | None]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class TreatmentStartDialog(QDialog):
    def __init__(self, received: dt.date, current: dt.date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("gui.treatment_start.title"))
        self.edit = QDateEdit(_qdate(current or dt.date.today()))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd.MM.yyyy")
        self.edit.setMinimumDate(_qdate(received))  # never before the referral came
        self.edit.setMaximumDate(_qdate(dt.date.today()))
        self.edit.setAccessibleName(tr("gui.treatment_start.date"))
        form = QFormLayout()
        form.addRow(tr("gui.treatment_start.date"), self.edit)
        buttons, _save = action_buttons(tr("gui.treatment_start.save"), self.accept, self.reject)
        layout = dialog_layout(self, tr("gui.treatment_start.intro"), tr("gui.treatment_start.title"))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def day(self) -> dt.date:
        value = self.edit.date()
        return dt.date(value.year(), value.month(), value.day())


def ask_treatment_start(parent: QWidget, received: dt.date, current: dt.date | None) -> dt.date | None:
    """The day treatment started (None: the clinician cancelled)."""
    dialog = TreatmentStartDialog(received, current, parent)
    return dialog.day() if dialog.exec() == QDialog.DialogCode.Accepted else None
