"""The quality data of every case as a de-identified table, for the clinic's own follow-up
in a spreadsheet: one row per case with its newest assessment version.

Left out on purpose: names, ID numbers, case numbers and case ids, exact dates (only the
ISO year and week the referral was received, and day counts), birth dates (only an age
band), and every free text (notes, goals, reasons, referral text). Row numbers are given
after the rows are sorted by their own de-identified values, so they say nothing about
the order cases were registered in. See docs/fhir-and-csv.md.

Only TSB-side cases are rows: a referral prepared on the referring side
(:mod:`tsbplace.case_sides`) is not a TSB assessment, has no decision or assessment
deadline, and would skew the level and deadline figures the table is for.

Cases are read a page of :data:`PAGE` at a time through ``search_cases``, so the store's
cases never sit in memory at once as database objects; each row is a small dict.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from tsbplace.assessment_versions import AssessmentRecord
from tsbplace.cases import CaseService, CaseSummary
from tsbplace.legal import assessment_deadline
from tsbplace.national_id import legal_sex
from tsbplace.progress import NO_PROGRESS, Progress

__all__ = ["AGE_BANDS", "FIXED_COLUMNS", "PAGE", "age_band", "quality_columns", "quality_csv", "quality_rows"]

PAGE = 1000  # cases per search_cases page (its maximum)
SEPARATOR = ";"  # what Excel expects in a Norwegian locale (the decimal mark is a comma)

# (lowest age, label); the last band is open-ended.
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "0–15"), (16, "16–22"), (23, "23–29"), (30, "30–39"), (40, "40–49"), (50, "50–64"), (65, "65+"),
)

# Before the instrument columns (one per instrument id, in content order) and the rule-set version.
FIXED_COLUMNS: tuple[str, ...] = (
    "row", "received_year", "received_week", "age_band", "sex", "status", "suggested_level",
    "chosen_level", "decision_reason", "care_right", "frist_weeks", "days_to_signed", "deadline_met",
)
LAST_COLUMN = "ruleset_version"


def age_band(birth_date: dt.date, on: dt.date) -> str:
    """The age band of someone born on ``birth_date``, on the day ``on``."""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    label = AGE_BANDS[0][1]
    for lowest, name in AGE_BANDS:
        if age >= lowest:
            label = name
    return label


def quality_columns(service: CaseService) -> list[str]:
    """The header: the fixed columns, one per instrument id, then the rule-set version."""
    return [*FIXED_COLUMNS, *(instrument.id for instrument in service.content.instruments), LAST_COLUMN]


def _total_text(result: Mapping[str, Any] | None) -> str:
    """An instrument total as Norwegian Excel reads a number (decimal comma); empty if none."""
    if not result or result.get("total") is None:
        return ""
    total = result["total"]
    if isinstance(total, bool):
        return ""
    text = str(total)
    return "" if "/" in text else text.replace(".", ",")


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _row(service: CaseService, case: CaseSummary, record: AssessmentRecord | None,
         instruments: list[str]) -> dict[str, str]:
    year, week, _ = case.received_date.isocalendar()
    row = {column: "" for column in (*FIXED_COLUMNS, *instruments, LAST_COLUMN)}
    row |= {
        "received_year": str(year), "received_week": f"{week:02d}",
        "age_band": age_band(case.birth_date, case.received_date),
        "sex": legal_sex(case.national_id), "status": case.status,
        "suggested_level": case.suggested_level or "", "chosen_level": case.chosen_level or "",
    }
    if record is None:
        return row
    decision = record.decision
    row |= {
        "suggested_level": record.suggested_level or "",
        "chosen_level": decision.chosen_level or "",
        "decision_reason": decision.reason or "",
        "care_right": decision.care_right or "",
        "frist_weeks": _number(decision.frist_weeks),
        "ruleset_version": record.ruleset_version or "",
    }
    if record.signed and record.signed_at is not None:
        signed_on = record.signed_at.astimezone().date()  # the clinic's local day
        legal = service.content.legal
        deadline = assessment_deadline(case.received_date, legal=legal).date
        row["days_to_signed"] = str((signed_on - case.received_date).days)
        row["deadline_met"] = "ja" if signed_on <= deadline else "nei"
    for instrument_id in instruments:
        row[instrument_id] = _total_text(record.instruments.get(instrument_id))
    return row


def quality_rows(service: CaseService, progress: Progress = NO_PROGRESS) -> list[dict[str, str]]:
    """One de-identified row per TSB-side case (newest assessment version), keyed by
    :func:`quality_columns`, numbered 1, 2, ... after sorting by their values. Reports
    each case done of the total to ``progress`` (raising Cancelled when asked to stop)."""
    instruments = [instrument.id for instrument in service.content.instruments]
    columns = quality_columns(service)
    rows: list[dict[str, str]] = []
    offset = 0
    while True:
        page = service.search_cases(limit=PAGE, offset=offset)
        for case in page.rows:
            progress.report(len(rows), page.total)
            if case.referring:  # not a TSB assessment (see the module text)
                continue
            rows.append(_row(service, case, service.load_assessment(case.id), instruments))
        offset += len(page.rows)
        if not page.rows or offset >= page.total:
            break
    progress.report(len(rows), len(rows))
    rows.sort(key=lambda row: tuple(row[column] for column in columns[1:]))
    for number, row in enumerate(rows, start=1):
        row["row"] = str(number)
    return rows


def quality_csv(service: CaseService, progress: Progress = NO_PROGRESS) -> bytes:
    """:func:`quality_rows` as CSV for Excel: UTF-8 with a byte-order mark, ``;`` between
    fields, a header row, CRLF line ends."""
    columns = quality_columns(service)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(quality_rows(service, progress))
    return buffer.getvalue().encode("utf-8-sig")
