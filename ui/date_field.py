"""A date that may be left empty: typed as dd.mm.åååå, or picked in a calendar (Alt+↓).

Empty means unanswered. A typed date that is a real day becomes ``"YYYY-MM-DD"``; text
that is not a date is passed on as typed, so the case service refuses it on saving (and
says why) instead of the form quietly dropping it. The line under the field says at
once when the text is not a date, or (through the content's own check) when the item
does not allow a date in the future.
"""

from __future__ import annotations

import datetime as dt
import re

from tsbplace.content.model import ItemType, ProblemCode, ValueRules, parse_iso_date, value_problem
from tsbplace.i18n import tr
from tsbplace.ui.qt import (
    QCalendarWidget,
    QDate,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)

_TYPED = re.compile(r"(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{4})|(\d{2})(\d{2})(\d{4})")


def parse_typed_date(text: str) -> dt.date | None:
    """The day in ``12.03.2024``, ``12.3.2024``, ``12/03/2024`` or ``12032024``, else None."""
    match = _TYPED.fullmatch(text.strip())
    if match is None:
        return parse_iso_date(text.strip())
    groups = match.groups()
    day, month, year = (int(part) for part in (groups[:3] if groups[0] else groups[3:]))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class _DateEdit(QLineEdit):
    """The text part; Alt+↓ or F4 asks for the calendar, as in a combo box."""

    calendar_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.calendar_requested.emit()
        else:
            super().keyPressEvent(event)


class DateField(QWidget):
    """``value()`` is None (empty), ``"YYYY-MM-DD"``, or the text as typed if it is no date."""

    changed = Signal()

    def __init__(self, rules: ValueRules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules = rules
        self.edit = _DateEdit()
        self.edit.setPlaceholderText(tr("gui.date.placeholder"))
        self.edit.setMaxLength(10)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("00.00.00000") + 16)
        self.edit.setMaximumWidth(self.edit.minimumWidth() + 40)
        self.edit.setAccessibleDescription(tr("gui.date.calendar_hint"))
        self.edit.textChanged.connect(self._on_text)
        self.setFocusProxy(self.edit)

        self.edit.calendar_requested.connect(self.open_calendar)

        button = QToolButton()
        button.setText("▾")
        button.setToolTip(tr("gui.date.calendar_hint"))
        button.setAccessibleName(tr("gui.date.calendar"))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Alt+↓ in the field does the same
        button.clicked.connect(self.open_calendar)

        self.message = QLabel()
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.edit)
        row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.calendar: QCalendarWidget | None = None

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def value(self) -> str | None:
        text = self.edit.text().strip()
        if not text:
            return None
        day = parse_typed_date(text)
        return text if day is None else day.isoformat()

    def set_value(self, value: object) -> None:
        day = parse_iso_date(value)
        if day is not None:
            self.edit.setText(day.strftime("%d.%m.%Y"))
        else:
            self.edit.setText("" if value is None else str(value))

    def _on_text(self) -> None:
        self._show_problem()
        self.changed.emit()

    def _show_problem(self) -> None:
        value = self.value()
        message = ""
        if value is not None:
            if parse_iso_date(value) is None:
                message = tr("gui.date.invalid")
            elif value_problem(ItemType.DATE, self.rules, value) is ProblemCode.FUTURE_DATE:
                message = tr("assessment.problem.future_date")
            elif value_problem(ItemType.DATE, self.rules, value) is not None:
                message = tr("assessment.problem.bad_value")
        self.message.setText(message)
        self.message.setVisible(bool(message))

    def open_calendar(self) -> None:
        """A calendar below the field; Enter or a click takes the day, Esc closes it."""
        calendar = self._calendar()
        day = parse_iso_date(self.value())
        shown = day or dt.date.today()
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        calendar.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()

    def _calendar(self) -> QCalendarWidget:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setGridVisible(False)
            self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
            self.calendar.setVerticalHeaderFormat(
                QCalendarWidget.VerticalHeaderFormat.ISOWeekNumbers)
            self.calendar.activated.connect(self._take)
            self.calendar.clicked.connect(self._take)
        if self.rules.not_in_future:
            today = dt.date.today()
            self.calendar.setMaximumDate(QDate(today.year, today.month, today.day))
        return self.calendar

    def _take(self, day: QDate) -> None:
        assert self.calendar is not None
        self.calendar.hide()
        self.edit.setText(f"{day.day():02d}.{day.month():02d}.{day.year():04d}")
        self.edit.setFocus()
