"""The case list's query (CaseService.search_cases) on SQLite and PostgreSQL: search as
you type by name, ID number and case number, the status and deadline filters, paging."""

from __future__ import annotations

import datetime as dt

import pytest

from tsbplace.case_search import latest_received_for_deadline
from tsbplace.cases import CaseService
from tsbplace.national_id import format_national_id, synthetic_national_id

# (name, birth date, received date); synthetic people
PEOPLE = (
    ("Åse Sørli", dt.date(1990, 3, 4), dt.date(2026, 3, 2)),          # 2026-00001, due 16.03
    ("Áile Ŋuolja Sárá", dt.date(1985, 12, 24), dt.date(2026, 3, 16)),  # 2026-00002, due 30.03
    ("Ola Nordmann", dt.date(2001, 5, 17), dt.date(2026, 3, 16)),       # 2026-00003, due 30.03
    ("Per Åsheim", dt.date(1970, 1, 1), dt.date(2026, 4, 1)),           # 2026-00004, due 20.04 (Easter)
)


@pytest.fixture
def database_url(any_database_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (see tests/conftest.py)."""
    return any_database_url


@pytest.fixture
def cases(service: CaseService) -> CaseService:
    for name, born, received in PEOPLE:
        service.create_case(name, synthetic_national_id(born), received)
    service.save_assessment(2, {"rus": {"rating": 2}})
    service.save_assessment(4, {"rus": {"rating": 2}})
    return service


def numbers(service: CaseService, text: str = "", **filters: object) -> list[str]:
    page = service.search_cases(text, **filters)  # type: ignore[arg-type]
    assert page.total == len(page.rows)  # every result fits on the first page here
    return [row.case_number[-1] for row in page.rows]  # the case's serial, newest first


def test_without_text_every_case_comes_newest_received_first(cases: CaseService) -> None:
    page = cases.search_cases()
    assert [row.case_number for row in page.rows] == ["2026-00004", "2026-00003", "2026-00002", "2026-00001"]
    assert (page.total, page.limit, page.offset) == (4, 50, 0)
    first = page.rows[0]
    assert (first.patient_name, first.national_id, first.birth_date) == (
        "Per Åsheim", synthetic_national_id(dt.date(1970, 1, 1)), dt.date(1970, 1, 1))
    assert (first.status, first.suggested_level) == ("assessed", cases.get_case(4).suggested_level)
    assert page.rows[1].suggested_level is None and page.rows[1].status == "new"
    assert first == cases.get_case(4)  # the same summary as everywhere else


@pytest.mark.parametrize(("text", "expected"), [
    ("åse", ["1"]),              # the start of the name, whatever the case
    ("ÅSE SØ", ["1"]),
    ("ås", ["4", "1"]),          # the start of a later word too (Åsheim)
    ("  sárá ", ["2"]),
    ("SÁRÁ", ["2"]),
    ("nord", ["3"]),
    ("a", []),                   # no name or word starts with a plain a
    ("ordmann", []),             # not inside a word
    ("_", []), ("%", []),        # LIKE's wildcards are plain characters
])
def test_name_search(cases: CaseService, text: str, expected: list[str]) -> None:
    assert numbers(cases, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("0403", ["1"]),
    ("040390", ["1"]),
    (format_national_id(synthetic_national_id(dt.date(1990, 3, 4)))[:9], ["1"]),  # "040390 10"
    (synthetic_national_id(dt.date(1985, 12, 24)), ["2"]),
    ("1", ["3"]),                # 17050150100
    ("0", ["4", "1"]),
    ("9", []),
])
def test_national_id_search(cases: CaseService, text: str, expected: list[str]) -> None:
    assert numbers(cases, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-0000", ["4", "3", "2", "1"]),
    ("2026-00003", ["3"]),
    ("2026", ["4", "3", "2", "1"]),
    ("2025-", []),
    ("demo-2026", []),  # no demo cases here (see test_demo_data.py)
])
def test_case_number_search(cases: CaseService, text: str, expected: list[str]) -> None:
    assert numbers(cases, text) == expected


def test_status_filter(cases: CaseService) -> None:
    assert numbers(cases, status="assessed") == ["4", "2"]
    assert numbers(cases, status="new") == ["3", "1"]
    assert numbers(cases, "ås", status="new") == ["1"]
    assert numbers(cases, status="closed") == []


@pytest.mark.parametrize(("due_before", "expected"), [
    (dt.date(2026, 3, 13), []),
    (dt.date(2026, 3, 16), ["1"]),             # received 02.03 + 10 working days
    (dt.date(2026, 3, 27), ["1"]),
    (dt.date(2026, 3, 30), ["3", "2", "1"]),
    (dt.date(2026, 4, 17), ["3", "2", "1"]),
    (dt.date(2026, 4, 20), ["4", "3", "2", "1"]),  # 01.04 + 10 working days, across Easter
])
def test_deadline_filter(cases: CaseService, due_before: dt.date, expected: list[str]) -> None:
    assert numbers(cases, due_before=due_before) == expected


def test_filters_combine(cases: CaseService) -> None:
    assert numbers(cases, "2026", status="new", due_before=dt.date(2026, 3, 30)) == ["3", "1"]


def test_one_page_at_a_time(cases: CaseService) -> None:
    page = cases.search_cases(limit=2, offset=1)
    assert [row.case_number for row in page.rows] == ["2026-00003", "2026-00002"]
    assert (page.total, page.limit, page.offset) == (4, 2, 1)
    assert cases.search_cases(offset=4).rows == ()
    assert cases.search_cases(offset=4).total == 4


@pytest.mark.parametrize("paging", [{"limit": 0}, {"limit": 1001}, {"offset": -1}])
def test_bad_paging_is_refused(cases: CaseService, paging: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        cases.search_cases(**paging)


def test_the_deadline_bound_is_the_last_received_date_due_by_the_day() -> None:
    assert latest_received_for_deadline(dt.date(2026, 3, 30), 10) == dt.date(2026, 3, 16)
    assert latest_received_for_deadline(dt.date(2026, 4, 17), 10) == dt.date(2026, 3, 31)
    # received 01.04 to 06.04 (Maundy Thursday to Easter Monday): all due 20.04
    assert latest_received_for_deadline(dt.date(2026, 4, 20), 10) == dt.date(2026, 4, 6)
    assert latest_received_for_deadline(dt.date(2026, 4, 20), 0) == dt.date(2026, 4, 20)


def test_cases_are_assigned_and_filtered_by_clinician(service: CaseService) -> None:
    first = service.create_case("Ola Nordmann", synthetic_national_id(dt.date(1980, 1, 1)),
                                dt.date(2026, 3, 1))
    second = service.create_case("Kari Østby", synthetic_national_id(dt.date(1981, 1, 1)),
                                 dt.date(2026, 3, 2))
    assert service.assign_case(first.id, "kari").assigned_to == "kari"
    assert [row.id for row in service.search_cases(assigned_to="kari").rows] == [first.id]
    assert service.search_cases(assigned_to="kari").total == 1
    assert [row.id for row in service.search_cases(unassigned=True).rows] == [second.id]
    assert service.search_cases().rows[0].assigned_to is None  # the second, newest first
    assert service.assign_case(first.id, None).assigned_to is None
    assert service.search_cases(assigned_to="kari").total == 0
    assert [e.action for e in service.audit_trail(first.id)].count("case.assigned") == 2
    assert second.id != first.id
