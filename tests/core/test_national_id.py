"""Fødselsnummer, D-nummer and H-nummer checks: every problem is named precisely."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from tsbplace.i18n import set_language
from tsbplace.national_id import (
    IdKind,
    IdProblem,
    check_national_id,
    format_national_id,
    legal_sex,
    synthetic_national_id,
)


def with_check_digits(first_nine: str) -> str | None:
    """Append correct check digits, or None when no valid number has these nine digits."""
    d1 = fodselsnummer.calc_check_digit1(first_nine)
    d2 = fodselsnummer.calc_check_digit2(first_nine + d1)
    return first_nine + d1 + d2 if len(d1) == 1 and len(d2) == 1 else None


def first_valid(prefix: str) -> str:
    for serial in range(100, 1000):
        number = with_check_digits(f"{prefix}{serial:03d}")
        if number:
            return number
    raise AssertionError(prefix)


def test_published_example_is_valid() -> None:
    # The worked example in python-stdnum's documentation: 15 Oct 1986, female.
    check = check_national_id("151086 95088")
    assert check.ok
    assert check.kind is IdKind.FODSELSNUMMER
    assert check.birth_date == dt.date(1986, 10, 15)
    assert legal_sex("15108695088") == "F"
    assert format_national_id("15108695088") == "151086 95088"


def test_d_number_is_recognised_with_its_real_birth_date() -> None:
    number = first_valid("551086")  # day 15 + 40
    check = check_national_id(number)
    assert check.ok and check.kind is IdKind.D_NUMMER
    assert check.birth_date == dt.date(1986, 10, 15)


def test_h_number_is_recognised_with_its_real_birth_date() -> None:
    number = first_valid("155086")  # month 10 + 40
    check = check_national_id(number)
    assert check.ok and check.kind is IdKind.H_NUMMER
    assert check.birth_date == dt.date(1986, 10, 15)


def test_wrong_check_digit_is_a_checksum_problem() -> None:
    check = check_national_id("15108695077")
    assert check.problem is IdProblem.CHECKSUM
    assert "Kontrollsifrene" in check.message()


def test_impossible_date_with_correct_check_digits_is_a_date_problem() -> None:
    number = first_valid("310286")  # 31 February
    check = check_national_id(number)
    assert check.problem is IdProblem.DATE
    assert "fødselsdato" in check.message()


def test_bad_date_is_named_before_a_bad_checksum() -> None:
    number = first_valid("310286")
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert check_national_id(broken).problem is IdProblem.DATE


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", IdProblem.EMPTY),
        ("   ", IdProblem.EMPTY),
        ("1510869508", IdProblem.TOO_SHORT),
        ("151086950881", IdProblem.TOO_LONG),
        ("15108695O88", IdProblem.NOT_DIGITS),
        ("1510869508x", IdProblem.NOT_DIGITS),
    ],
)
def test_malformed_input_is_named(typed: str, problem: IdProblem) -> None:
    check = check_national_id(typed)
    assert not check.ok
    assert check.problem is problem
    assert check.message()


def test_spaces_and_dashes_are_accepted() -> None:
    assert check_national_id(" 151086-95088 ").number == "15108695088"


def test_birth_date_in_the_future_is_refused() -> None:
    number = synthetic_national_id(dt.date(2030, 1, 1))
    check = check_national_id(number, today=dt.date(2026, 11, 22))
    assert check.problem is IdProblem.FUTURE
    assert check_national_id(number, today=dt.date(2030, 1, 2)).ok


def test_messages_exist_in_english_too() -> None:
    set_language("en")
    assert "check digits" in check_national_id("15108695077").message()
    assert "born 15.10.1986" in check_national_id("15108695088").message()


def test_too_short_message_counts_the_digits() -> None:
    assert "6" in check_national_id("151086").message()


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31))


@given(dates)
def test_synthetic_numbers_validate_to_their_birth_date(birth: dt.date) -> None:
    check = check_national_id(synthetic_national_id(birth), today=dt.date(2026, 1, 1))
    assert check.ok
    assert check.birth_date == birth


@given(dates, st.integers(min_value=0, max_value=10), st.integers(min_value=1, max_value=9))
def test_any_single_digit_error_is_caught(birth: dt.date, position: int, shift: int) -> None:
    number = synthetic_national_id(birth)
    digit = (int(number[position]) + shift) % 10
    typo = number[:position] + str(digit) + number[position + 1:]
    assert not check_national_id(typo, today=dt.date(2026, 1, 1)).ok
