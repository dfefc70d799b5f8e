"""Norwegian national identity numbers: fødselsnummer, D-nummer and H-nummer.

The number is six digits of birth date, three individual digits and two mod-11 check
digits (stdnum.no.fodselsnummer does the arithmetic). D-numbers add 4 to the first
digit of the day; H-numbers, used inside the health service, add 4 to the first digit
of the month. We name the problem precisely because a clinician typing from a paper
referral must know whether to recheck the date part or look for a swapped digit.
Never log these numbers (clinical-reference §8).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from stdnum.exceptions import InvalidComponent
from stdnum.no import fodselsnummer

from tsbplace.i18n import tr

LENGTH = 11


class IdKind(StrEnum):
    FODSELSNUMMER = "fodselsnummer"
    D_NUMMER = "d_nummer"
    H_NUMMER = "h_nummer"


class IdProblem(StrEnum):
    EMPTY = "empty"
    NOT_DIGITS = "not_digits"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    DATE = "date"
    CHECKSUM = "checksum"
    FUTURE = "future"


@dataclass(frozen=True)
class IdCheck:
    """The outcome of checking one typed number; ``number`` is the compact form."""

    number: str
    problem: IdProblem | None = None
    kind: IdKind | None = None
    birth_date: dt.date | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def message(self) -> str:
        """A sentence for the clinician: what is wrong, or what kind of number this is."""
        if self.problem is None:
            assert self.kind is not None and self.birth_date is not None
            return tr(
                f"national_id.ok.{self.kind.value}",
                birth_date=self.birth_date.strftime("%d.%m.%Y"),
            )
        return tr(f"national_id.problem.{self.problem.value}", length=len(self.number))


def compact(text: str) -> str:
    """The digits as typed, without spaces, dashes or dots around them."""
    return "".join(text.split()).replace("-", "").replace(".", "")


def _kind(number: str) -> IdKind:
    if int(number[0]) >= 4:
        return IdKind.D_NUMMER
    if int(number[2]) >= 4:
        return IdKind.H_NUMMER
    return IdKind.FODSELSNUMMER


def check_national_id(text: str, today: dt.date | None = None) -> IdCheck:
    """Check a fødselsnummer, D-nummer or H-nummer and name the first problem found.

    The date is checked before the check digits: an impossible date is a clearer
    message than a checksum error, and a typo in the date part breaks both.
    """
    number = compact(text)
    if not number:
        return IdCheck(number, IdProblem.EMPTY)
    if not number.isdigit():
        return IdCheck(number, IdProblem.NOT_DIGITS)
    if len(number) < LENGTH:
        return IdCheck(number, IdProblem.TOO_SHORT)
    if len(number) > LENGTH:
        return IdCheck(number, IdProblem.TOO_LONG)
    try:
        birth_date = fodselsnummer.get_birth_date(number)
    except InvalidComponent:
        return IdCheck(number, IdProblem.DATE)
    check_digits = fodselsnummer.calc_check_digit1(number) + fodselsnummer.calc_check_digit2(
        number[:9] + fodselsnummer.calc_check_digit1(number)
    )
    if number[9:] != check_digits:
        return IdCheck(number, IdProblem.CHECKSUM)
    if birth_date > (today or dt.date.today()):
        return IdCheck(number, IdProblem.FUTURE)
    return IdCheck(number, None, _kind(number), birth_date)


def format_national_id(number: str) -> str:
    """The usual written form, ``DDMMYY NNNNN``."""
    digits = compact(number)
    return f"{digits[:6]} {digits[6:]}" if len(digits) == LENGTH else digits


def legal_sex(number: str) -> str:
    """'M' or 'F' as registered in the number (the ninth digit's parity)."""
    return "M" if int(compact(number)[8]) % 2 else "F"


def synthetic_national_id(birth_date: dt.date, first_serial: int = 100) -> str:
    """A fødselsnummer with valid check digits for ``birth_date`` (1900–1999 or 2000–2039).

    For tests, demos and the self-test only: the number is computed, not looked up, and
    may belong to a real person, so it must never be shown as anyone's.
    """
    year = birth_date.year
    serials = range(first_serial, 500) if year < 2000 else range(max(first_serial, 500), 1000)
    for serial in serials:
        base = f"{birth_date:%d%m}{year % 100:02d}{serial:03d}"
        first = fodselsnummer.calc_check_digit1(base)
        second = fodselsnummer.calc_check_digit2(base + first)
        if len(first) == 1 and len(second) == 1:
            return base + first + second
    raise ValueError(f"no valid number for {birth_date} from serial {first_serial}")
