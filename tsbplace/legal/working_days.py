"""Norwegian working days (virkedager): Monday to Friday, except public holidays.

The assessment deadline of pasient- og brukerrettighetsloven § 2-2 counts working days, so
weekends and the public holidays (New Year's Day, Maundy Thursday, Good Friday, Easter
Monday, 1 May, 17 May, Ascension Day, Whit Monday, Christmas Day and Boxing Day; Easter
Sunday and Whit Sunday fall on Sundays anyway) are skipped. Holiday dates come from the
``holidays`` package, one cached set per year. Christmas Eve and New Year's Eve are not
public holidays and count as working days.

Counting: day 0 is the start date itself, day 1 the first working day after it. A start
date on a weekend or holiday therefore counts from the next working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import holidays

from tsbplace.legal.model import Text
from tsbplace.legal.texts import amount, date_text, listed, message

SATURDAY = 5
# Some versions of `holidays` list every Sunday in Norway as a holiday ("Søndag"). Sundays
# are never working days anyway; these names are dropped so they are not reported as holidays.
_PLAIN_SUNDAY = frozenset({"Søndag", "Sunday"})
_NAME_SEPARATOR = "; "  # `holidays` joins two holidays on one date (17 May 2027) with this
_LANGUAGES = {"nb": "no", "en": "en_US"}  # our language → the `holidays` translation


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: Text  # nb as used inside a sentence ("skjærtorsdag"), en as `holidays` spells it


@dataclass(frozen=True)
class WorkingDaysSpan:
    """``working_days`` working days after ``start`` end on ``end``; between them lie
    ``weekend_days`` Saturdays and Sundays and the weekday ``holidays``."""

    start: dt.date
    end: dt.date
    working_days: int
    weekend_days: int
    holidays: tuple[Holiday, ...]
    start_is_working_day: bool

    def skipped(self) -> Text | None:
        """``hoppet over 4 helgedager og skjærtorsdag 17.04.2025`` or ``None``."""
        items = [] if not self.weekend_days else [amount(self.weekend_days, "weekend_days")]
        items += [message("legal.how.holiday", name=h.name, date=date_text(h.date)) for h in self.holidays]
        return message("legal.how.skipped", days=listed(items)) if items else None


def _nb_in_sentence(name: str) -> str:
    """Norwegian holiday names are common nouns, written in lower case inside a sentence;
    "Kristi himmelfartsdag" keeps its capital (Kristi is a name)."""
    return name if name.startswith("Kristi ") else name[:1].lower() + name[1:]


def _names(year: int, language: str) -> Mapping[dt.date, list[str]]:
    found = holidays.country_holidays("NO", years=year, language=_LANGUAGES[language])
    named = {day: [part for part in name.split(_NAME_SEPARATOR) if part not in _PLAIN_SUNDAY]
             for day, name in found.items()}
    return {day: parts for day, parts in named.items() if parts}


def _holiday(day: dt.date, nb: list[str], en: list[str]) -> Holiday:
    if len(en) != len(nb):  # a translation missing: the Norwegian name serves for both
        en = nb
    return Holiday(day, listed([{"nb": _nb_in_sentence(a), "en": b} for a, b in zip(nb, en, strict=True)]))


@cache
def public_holidays(year: int) -> Mapping[dt.date, Holiday]:
    """Norway's public holidays in ``year``, by date (Sundays included when they are one,
    such as Easter Sunday; ordinary Sundays never)."""
    nb, en = _names(year, "nb"), _names(year, "en")
    return {day: _holiday(day, nb[day], list(en.get(day, ()))) for day in sorted(nb)}


def public_holiday(day: dt.date) -> Holiday | None:
    return public_holidays(day.year).get(day)


def is_weekend(day: dt.date) -> bool:
    return day.weekday() >= SATURDAY


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a Norwegian public holiday."""
    return not is_weekend(day) and public_holiday(day) is None


def working_days_span(start: dt.date, n: int) -> WorkingDaysSpan:
    """The ``n``-th working day after ``start``, with the days skipped on the way."""
    if n < 0:
        raise ValueError(f"the number of working days must be 0 or more, not {n}")
    day, counted, weekend_days, skipped = start, 0, 0, []
    while counted < n:
        day += dt.timedelta(days=1)
        if is_weekend(day):
            weekend_days += 1
        elif (holiday := public_holiday(day)) is not None:
            skipped.append(holiday)
        else:
            counted += 1
    return WorkingDaysSpan(start, day, n, weekend_days, tuple(skipped), is_working_day(start))


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself when ``n`` is 0)."""
    return working_days_span(start, n).end


def count_working_days(start: dt.date, end: dt.date) -> int:
    """How many working days lie after ``start`` up to and including ``end``."""
    days = (end - start).days
    return sum(is_working_day(start + dt.timedelta(days=offset)) for offset in range(1, days + 1))
