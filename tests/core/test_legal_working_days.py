"""Norwegian working days: every public holiday in three years, weekends, start dates that
are not working days, the explanation of skipped days, and properties of the counting.

Expected dates are counted by hand on a calendar; day 0 is the received date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsbplace.legal import working_days
from tsbplace.legal.working_days import (
    add_working_days,
    count_working_days,
    is_working_day,
    public_holidays,
    working_days_span,
)

D = dt.date

# (received, expected 10th working day after it, weekday holidays skipped on the way)
HAND_COUNTED = [
    # 2025: Easter (Maundy Thursday 17.04, Good Friday 18.04, Easter Monday 21.04) and 1 May
    (D(2025, 4, 16), D(2025, 5, 6), ["17.04.2025", "18.04.2025", "21.04.2025", "01.05.2025"]),
    # 2025: Ascension Day 29.05 and Whit Monday 09.06
    (D(2025, 5, 26), D(2025, 6, 11), ["29.05.2025", "09.06.2025"]),
    # 2025/26: Christmas Day, Boxing Day, New Year's Day; Christmas Eve and New Year's Eve count
    (D(2025, 12, 19), D(2026, 1, 7), ["25.12.2025", "26.12.2025", "01.01.2026"]),
    # 2024/25: New Year's Day on a Wednesday
    (D(2024, 12, 31), D(2025, 1, 15), ["01.01.2025"]),
    # 2026: Easter (02.04, 03.04, 06.04)
    (D(2026, 3, 30), D(2026, 4, 16), ["02.04.2026", "03.04.2026", "06.04.2026"]),
    # 2026: 1 May on a Friday and Ascension Day 14.05 (17 May is a Sunday)
    (D(2026, 4, 29), D(2026, 5, 15), ["01.05.2026", "14.05.2026"]),
    # 2026: Whit Monday 25.05
    (D(2026, 5, 15), D(2026, 6, 1), ["25.05.2026"]),
    # 2026/27: Christmas Day on a Friday (Boxing Day a Saturday), New Year's Day on a Friday
    (D(2026, 12, 21), D(2027, 1, 6), ["25.12.2026", "01.01.2027"]),
    # 2027: Easter (25.03, 26.03, 29.03)
    (D(2027, 3, 23), D(2027, 4, 9), ["25.03.2027", "26.03.2027", "29.03.2027"]),
    # 2027: received on 1 May, a Saturday; Ascension 06.05; Whit Monday is 17 May
    (D(2027, 5, 1), D(2027, 5, 18), ["06.05.2027", "17.05.2027"]),
    # 2027/28: Christmas and New Year all on weekends: nothing but weekends skipped
    (D(2027, 12, 23), D(2028, 1, 6), []),
]


@pytest.mark.parametrize(("received", "expected", "skipped"), HAND_COUNTED,
                         ids=[str(case[0]) for case in HAND_COUNTED])
def test_ten_working_days_across_the_holidays(
    received: dt.date, expected: dt.date, skipped: list[str]
) -> None:
    span = working_days_span(received, 10)
    assert span.end == expected
    assert [holiday.date.strftime("%d.%m.%Y") for holiday in span.holidays] == skipped
    assert count_working_days(received, expected) == 10


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_every_public_holiday_of_the_year(year: int) -> None:
    easter = {2025: D(2025, 4, 20), 2026: D(2026, 4, 5), 2027: D(2027, 3, 28)}[year]
    expected = {
        D(year, 1, 1), easter - dt.timedelta(days=3), easter - dt.timedelta(days=2), easter,
        easter + dt.timedelta(days=1), D(year, 5, 1), D(year, 5, 17), easter + dt.timedelta(days=39),
        easter + dt.timedelta(days=49), easter + dt.timedelta(days=50), D(year, 12, 25), D(year, 12, 26),
    }
    assert set(public_holidays(year)) == expected
    assert all(not is_working_day(day) for day in expected)
    assert is_working_day(D(year, 12, 24)) == (D(year, 12, 24).weekday() < 5)  # Christmas Eve counts
    assert is_working_day(D(year, 12, 31)) == (D(year, 12, 31).weekday() < 5)  # New Year's Eve counts


def test_holiday_names_in_both_languages() -> None:
    names = {day: holiday.name for day, holiday in public_holidays(2025).items()}
    assert names[D(2025, 4, 17)] == {"nb": "skjærtorsdag", "en": "Maundy Thursday"}
    assert names[D(2025, 4, 18)]["nb"] == "langfredag"
    assert names[D(2025, 4, 21)]["nb"] == "andre påskedag"
    assert names[D(2025, 5, 29)]["nb"] == "Kristi himmelfartsdag"  # a name keeps its capital
    assert names[D(2025, 5, 17)]["nb"] == "grunnlovsdag"
    both = public_holidays(2027)[D(2027, 5, 17)].name  # Whit Monday and 17 May on one day
    assert both["nb"] == "andre pinsedag og grunnlovsdag"
    assert both["en"] == "Constitution Day and Pentecost Monday"


def test_ordinary_sundays_are_not_holidays_but_never_working_days() -> None:
    sundays = [D(2026, 1, 4) + dt.timedelta(weeks=week) for week in range(52)]
    listed = set(public_holidays(2026))
    assert [day for day in sundays if day in listed] == [D(2026, 4, 5), D(2026, 5, 17), D(2026, 5, 24)]
    assert not any(is_working_day(day) for day in sundays)


@pytest.fixture
def holidays_listing_sundays(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A `holidays` that lists every Norwegian Sunday (as some versions do by default)."""

    def with_sundays(country: str, *, years: int, language: str) -> holidays.HolidayBase:
        return holidays.NO(years=years, language=language, include_sundays=True)

    public_holidays.cache_clear()
    monkeypatch.setattr(working_days.holidays, "country_holidays", with_sundays)
    yield
    public_holidays.cache_clear()


@pytest.mark.usefixtures("holidays_listing_sundays")
def test_sundays_listed_by_holidays_are_dropped() -> None:
    assert D(2025, 1, 5) not in public_holidays(2025)  # an ordinary Sunday
    assert public_holidays(2025)[D(2025, 4, 20)].name == {"nb": "første påskedag", "en": "Easter Sunday"}
    span = working_days_span(D(2025, 4, 16), 10)
    assert span.end == D(2025, 5, 6)
    assert [holiday.date for holiday in span.holidays] == [D(2025, 4, 17), D(2025, 4, 18), D(2025, 4, 21),
                                                           D(2025, 5, 1)]


def test_weekends_are_skipped_and_counted() -> None:
    span = working_days_span(D(2025, 3, 3), 10)  # a Monday in a month without holidays
    assert span.end == D(2025, 3, 17)
    assert (span.weekend_days, span.holidays) == (4, ())
    assert span.skipped() == {"nb": "hoppet over 4 helgedager", "en": "skipped 4 weekend days"}
    assert working_days_span(D(2025, 3, 3), 1).skipped() is None
    assert working_days_span(D(2025, 3, 7), 1).end == D(2025, 3, 10)  # Friday → Monday


@pytest.mark.parametrize("received", [D(2025, 1, 3), D(2025, 1, 4), D(2025, 1, 5)],
                         ids=["friday", "saturday", "sunday"])
def test_a_weekend_start_counts_from_the_next_working_day(received: dt.date) -> None:
    span = working_days_span(received, 10)
    assert span.end == D(2025, 1, 17)
    assert span.start_is_working_day == (received.weekday() < 5)


def test_a_holiday_start_counts_from_the_next_working_day() -> None:
    good_friday = working_days_span(D(2025, 4, 18), 10)
    assert good_friday.end == D(2025, 5, 6)
    assert not good_friday.start_is_working_day
    assert [h.date for h in good_friday.holidays] == [D(2025, 4, 21), D(2025, 5, 1)]


def test_explanation_names_the_skipped_holidays() -> None:
    text = working_days_span(D(2025, 4, 16), 10).skipped()
    assert text is not None
    assert text["nb"] == ("hoppet over 6 helgedager, skjærtorsdag 17.04.2025, langfredag 18.04.2025, "
                          "andre påskedag 21.04.2025 og arbeidernes dag 01.05.2025")
    assert text["en"].startswith("skipped 6 weekend days, Maundy Thursday 17.04.2025, Good Friday")


def test_zero_days_is_the_start_and_negative_is_refused() -> None:
    assert add_working_days(D(2025, 4, 18), 0) == D(2025, 4, 18)
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(D(2025, 4, 18), -1)


days = st.dates(min_value=D(1990, 1, 1), max_value=D(2095, 12, 31))
counts = st.integers(min_value=1, max_value=260)


@given(start=days, n=counts)
def test_the_result_is_a_working_day(start: dt.date, n: int) -> None:
    assert is_working_day(add_working_days(start, n))


@given(start=days, n=counts)
def test_the_result_grows_with_n(start: dt.date, n: int) -> None:
    assert start < add_working_days(start, n) < add_working_days(start, n + 1)


@given(start=days, n=counts)
def test_exactly_n_working_days_lie_between(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert count_working_days(start, end) == n
    assert count_working_days(start, end - dt.timedelta(days=1)) == n - 1
