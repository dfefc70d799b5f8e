"""The clinician's decision on a case: the chosen level and why, the right to care, the
frist and latest start date, and the patient's own goals, preferred level and agreement
(clinical reference §5 and §7).

:func:`decision_problems` checks values whenever a decision is saved (a draft may be
incomplete); :func:`signing_problems` checks that it is complete before it is signed.
Codes come from ``rules/codes.toml`` and levels from ``rules/levels.toml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from tsbplace.content.codes import Code, CodeLists
from tsbplace.content.model import Content
from tsbplace.field_problems import FieldProblem, too_long
from tsbplace.i18n import tr

MAX_TEXT = 4000  # a reason or the patient's goals: a few paragraphs
MAX_FRIST_WEEKS = 52  # the prioriteringsveileder's frister are weeks; a year is the outer bound
MAX_NAME = 200  # the coordinator's name and service; the chosen local service

MISSING = {  # what signing needs, and the message when it is not there
    "chosen_level": "decision.problem.missing_chosen_level",
    "reason": "decision.problem.missing_reason",
    "reason_text": "decision.problem.missing_reason_text",
    "care_right": "decision.problem.missing_care_right",
    "frist_weeks": "decision.problem.missing_frist_weeks",
    "latest_start_date": "decision.problem.missing_latest_start_date",
    "patient_agreement": "decision.problem.missing_patient_agreement",
}


@dataclass(frozen=True)
class Decision:
    chosen_level: str | None = None
    reason: str | None = None  # why the chosen level differs from the suggested one
    reason_text: str = ""
    care_right: str | None = None
    frist_weeks: int | None = None
    latest_start_date: dt.date | None = None
    patient_goals: str = ""
    patient_preferred_level: str | None = None
    patient_agreement: str | None = None
    ip_status: str | None = None  # individual plan (codes.toml ip_status)
    coordinator: str = ""  # the named coordinator, if any
    care_group: str | None = None  # ansvarsgruppe (codes.toml care_group)
    chosen_service: str = ""  # the clinic's own service, by its name when decided (local_services)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (the date as YYYY-MM-DD)."""
        values = asdict(self)
        if self.latest_start_date is not None:
            values["latest_start_date"] = self.latest_start_date.isoformat()
        return values


def _codes(content: Content) -> CodeLists:
    assert content.codes is not None, "load_content always loads codes.toml or raises"
    return content.codes


def _known(codes: tuple[Code, ...], value: str | None) -> bool:
    return value is None or any(code.id == value for code in codes)


def _level_known(content: Content, value: str | None) -> bool:
    return value is None or any(level.code == value for level in content.levels)


def decision_problems(content: Content, decision: Decision) -> list[FieldProblem]:
    """Values that cannot be stored: unknown levels or codes, a frist out of range, texts
    too long. Missing values are allowed here (a draft)."""
    codes = _codes(content)
    problems = []
    for field, value in (("chosen_level", decision.chosen_level),
                         ("patient_preferred_level", decision.patient_preferred_level)):
        if not _level_known(content, value):
            problems.append(FieldProblem(f"decision.{field}", tr("decision.problem.unknown_level")))
    for field, value, known in (("reason", decision.reason, codes.decision_reasons),
                                ("care_right", decision.care_right, codes.care_rights),
                                ("patient_agreement", decision.patient_agreement, codes.patient_agreements),
                                ("ip_status", decision.ip_status, codes.ip_statuses),
                                ("care_group", decision.care_group, codes.care_groups)):
        if not _known(known, value):
            problems.append(FieldProblem(f"decision.{field}", tr("input.problem.unknown_code")))
    if decision.frist_weeks is not None and not 1 <= decision.frist_weeks <= MAX_FRIST_WEEKS:
        problems.append(FieldProblem("decision.frist_weeks",
                                     tr("decision.problem.frist_range", limit=MAX_FRIST_WEEKS)))
    problems += too_long("decision", {"reason_text": decision.reason_text,
                                      "patient_goals": decision.patient_goals}, MAX_TEXT)
    problems += too_long("decision", {"coordinator": decision.coordinator,
                                      "chosen_service": decision.chosen_service}, MAX_NAME)
    return problems


def signing_problems(content: Content, decision: Decision, suggested_level: str,
                     received_date: dt.date) -> list[FieldProblem]:
    """What is missing before the decision can be signed: a chosen level; a reason code
    when it differs from the suggestion, and a text when the code asks for one; the right
    to care; with a right, the frist and a latest start date on or after the referral was
    received; and whether the patient agrees."""
    codes = _codes(content)
    problems = decision_problems(content, decision)

    def missing(field: str) -> None:
        problems.append(FieldProblem(f"decision.{field}", tr(MISSING[field])))

    if decision.chosen_level is None:
        missing("chosen_level")
    elif decision.chosen_level != suggested_level:
        reason = None if decision.reason is None else codes.find(codes.decision_reasons, decision.reason)
        if decision.reason is None:
            missing("reason")
        elif reason is not None and reason.requires_text and not decision.reason_text.strip():
            missing("reason_text")
    if decision.care_right is None:
        missing("care_right")
    elif decision.care_right == "rett":
        if decision.frist_weeks is None:
            missing("frist_weeks")
        if decision.latest_start_date is None:
            missing("latest_start_date")
        elif decision.latest_start_date < received_date:
            problems.append(FieldProblem("decision.latest_start_date",
                                         tr("decision.problem.start_before_received")))
    if decision.patient_agreement is None:
        missing("patient_agreement")
    return problems
