"""A date that may stay empty: typed as dd.mm.åååå or picked in the calendar, kept as ISO."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ui.keyboard import type_text
from tsbplace.content import Content
from tsbplace.ui.date_field import DateField, parse_typed_date
from tsbplace.ui.qt import QDate, Qt


def make_field(qtbot, content: Content) -> DateField:  # type: ignore[no-untyped-def]
    field = DateField(content.domain("rus").item("last_overdose"))
    qtbot.addWidget(field)
    field.show()
    return field


@pytest.mark.parametrize(("text", "day"), [
    ("05.03.2024", dt.date(2024, 3, 5)),
    ("5.3.2024", dt.date(2024, 3, 5)),
    ("05/03/2024", dt.date(2024, 3, 5)),
    ("05032024", dt.date(2024, 3, 5)),
    ("2024-03-05", dt.date(2024, 3, 5)),
    ("31.02.2024", None),
    ("5.3.24", None),
    ("i går", None),
])
def test_typed_dates(text: str, day: dt.date | None) -> None:
    assert parse_typed_date(text) == day


def test_empty_is_unanswered_and_a_date_round_trips(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    field = make_field(qtbot, content)
    assert field.value() is None
    field.set_value("2024-03-05")
    assert field.edit.text() == "05.03.2024"
    assert field.value() == "2024-03-05"
    field.set_value(None)
    assert field.value() is None and field.edit.text() == ""


def test_typing_shows_problems_at_once(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    field = make_field(qtbot, content)
    with qtbot.waitSignal(field.changed):
        type_text(field.edit, "31.02.2024")
    assert field.value() == "31.02.2024"  # passed on as typed: saving refuses it, never drops it
    assert not field.message.isHidden() and "gyldig dato" in field.message.text()
    field.edit.clear()
    type_text(field.edit, "01.01.2099")
    assert field.value() == "2099-01-01"
    assert field.message.text() == "Datoen kan ikke ligge fram i tid."
    field.edit.clear()
    type_text(field.edit, "17.05.2020")
    assert field.message.isHidden()


def test_calendar_from_the_keyboard(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    field = make_field(qtbot, content)
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = field.calendar
    assert calendar is not None and calendar.isVisible()
    assert calendar.maximumDate() == QDate.currentDate()  # this item allows no future date
    calendar.setSelectedDate(QDate(2023, 12, 24))
    qtbot.keyClick(calendar.focusProxy() or calendar, Qt.Key.Key_Return)  # the day grid
    assert not calendar.isVisible()
    assert field.value() == "2023-12-24"
