"""The case list's query: search as you type, filter, newest first, one page at a time.

The text matches a patient's name (case-insensitive: the start of the name or of any
word in it; text with a digit is never a name), an ID number (digits, spaces ignored:
its start) or a case number (its start, with or without the ``DEMO-`` of demo cases).
Filters: the case's status, and the assessment deadline (received date + the legal
number of working days, 10) on or before a day (TSB-side cases only: a referral being
written by the referrer has no assessment deadline). The deadline is turned into a bound on
the received date in Python, with the working-day calendar of
:mod:`tsbplace.legal.working_days`, so the SQL stays a plain range over an index
(migration 0004). Prefixes are ranges too (``>= p AND < p + 1``) on byte-ordered
columns; only a word inside a name (``LIKE '% p%'``) reads every patient row. Every
condition is on ``tsb_case`` (a patient's through ``patient_id IN (SELECT ...)``), so
the count needs no join and each part of an OR has its own index.

:func:`case_list_statements` gives the two SQL statements (page and count) and their
values; ``CaseService.search_cases`` runs them, and the benchmark runs exactly the same
SQL through ``sqlite3`` (:func:`case_page_queries`).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, Select, and_, bindparam, or_, select, true
from sqlmodel import col, func

from tsbplace.case_sides import TSB
from tsbplace.legal.working_days import add_working_days
from tsbplace.national_id import compact
from tsbplace.storage.models import Patient, TsbCase, search_key

DEMO_PREFIX = "DEMO-"  # tsbplace.demo_data's case numbers

AnySelect = Select[*tuple[Any, ...]]


def latest_received_for_deadline(day: dt.date, working_days: int) -> dt.date:
    """The last received date whose deadline (``working_days`` working days later) falls on
    or before ``day``. Deadlines never go down as the received date goes up, so every case
    received on or before this date is due by ``day``."""
    received = day
    while add_working_days(received, working_days) > day:
        received -= dt.timedelta(days=1)
    return received


def _after_prefix(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _starts_with(column: Any, name: str) -> ColumnElement[bool]:
    return and_(column >= bindparam(f"{name}_from"), column < bindparam(f"{name}_to"))


def _prefix(params: dict[str, Any], name: str, prefix: str) -> None:
    params[f"{name}_from"], params[f"{name}_to"] = prefix, _after_prefix(prefix)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@lru_cache(maxsize=64)
def _statements(kind: str, demo: bool, status: bool, received: bool,
                assigned: bool = False, unassigned: bool = False) -> tuple[AnySelect, AnySelect]:
    """The page and count statements for one shape of query, built once (values are bound
    parameters). ``kind``: "" no text, "digits" an ID number (or a case number), "case" a
case number only (digits and other characters), "name" a name (or a case number). Every condition
    is on ``tsb_case`` (the patient's through ``patient_id IN (SELECT ...)``), so SQLite can
    answer each part of an OR from its own index and the count needs no join."""
    conditions: list[Any] = []
    if kind:
        matches = [_starts_with(col(TsbCase.case_number), "case")]
        if demo:
            matches.append(_starts_with(col(TsbCase.case_number), "demo"))
        if kind == "digits":
            patients = select(col(Patient.id)).where(_starts_with(col(Patient.national_id), "id"))
            matches.append(col(TsbCase.patient_id).in_(patients))
        elif kind == "name":
            patients = select(col(Patient.id)).where(or_(
                _starts_with(col(Patient.search_name), "name"),
                col(Patient.search_name).like(bindparam("word"), escape="\\"),
            ))
            matches.append(col(TsbCase.patient_id).in_(patients))
        conditions.append(or_(*matches))
    if status:
        conditions.append(col(TsbCase.status) == bindparam("status"))
    if received:
        conditions.append(col(TsbCase.received_date) <= bindparam("received_to", type_=Date()))
        # The assessment deadline is TSB's: a referral still being written has none.
        conditions.append(col(TsbCase.side) == TSB)
    if assigned:
        conditions.append(col(TsbCase.assigned_to) == bindparam("assigned_to"))
    if unassigned:
        conditions.append(col(TsbCase.assigned_to).is_(None))
    where = conditions or [true()]
    page: AnySelect = (
        select(col(TsbCase.id), col(TsbCase.case_number), col(Patient.name), col(Patient.national_id),
               col(Patient.birth_date), col(TsbCase.received_date), col(TsbCase.status),
               col(TsbCase.suggested_level), col(TsbCase.chosen_level), col(TsbCase.assigned_to),
               col(TsbCase.side))
        .join(Patient, col(TsbCase.patient_id) == col(Patient.id))
        .where(*where)
        .order_by(col(TsbCase.received_date).desc(), col(TsbCase.id).desc())
        .limit(bindparam("limit", type_=Integer())).offset(bindparam("offset", type_=Integer()))
    )
    count: AnySelect = select(func.count()).select_from(TsbCase).where(*where)
    return page, count


def case_list_statements(text: str = "", status: str | None = None,
                         received_on_or_before: dt.date | None = None, *, limit: int,
                         offset: int = 0, assigned_to: str | None = None,
                         unassigned: bool = False) -> tuple[AnySelect, AnySelect, dict[str, Any]]:
    """(the page, the count, their parameter values) for the case list; the page's columns
    are those of ``tsbplace.cases.CaseSummary``, in order. The statements are shared by
    every query of the same shape, so SQLAlchemy compiles each shape once."""
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    kind, demo = "", False
    if stripped := text.strip():
        case_number = stripped.upper()
        _prefix(params, "case", case_number)
        if demo := not case_number.startswith(DEMO_PREFIX):
            _prefix(params, "demo", DEMO_PREFIX + case_number)
        if (digits := compact(stripped)).isdigit():
            kind = "digits"
            _prefix(params, "id", digits)
        elif any(character.isdigit() for character in stripped):
            kind = "case"  # digits and more: only a case number looks like that
        else:
            kind = "name"
            key = search_key(stripped)
            _prefix(params, "name", key)
            params["word"] = f"% {_escape_like(key)}%"
    if status is not None:
        params["status"] = status
    if received_on_or_before is not None:
        params["received_to"] = received_on_or_before
    if assigned_to is not None:
        params["assigned_to"] = assigned_to
    page, count = _statements(kind, demo, status is not None, received_on_or_before is not None,
                              assigned_to is not None, unassigned)
    return page, count, params


def case_page_queries(text: str = "", status: str | None = None,
                      received_on_or_before: dt.date | None = None, *, limit: int,
                      offset: int = 0) -> tuple[AnySelect, AnySelect]:
    """The same two statements with their values bound in (for the benchmark's plain SQL)."""
    page, count, params = case_list_statements(text, status, received_on_or_before,
                                               limit=limit, offset=offset)
    return page.params(params), count.params(params)
