"""The access report for one patient: who has worked on their cases, what they did and
when, from the audit log, in words a patient understands (Normen: patients may see who
accessed their record). Many saves of one draft on one day by one person are one line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from tsbplace.audit import AuditAction, read_events
from tsbplace.storage.models import Clinician, Patient, TsbCase

# What each action means to a patient (i18n keys); actions not listed are not shown
# (for example user administration, which is not about the patient).
ACTION_TEXTS = {
    AuditAction.CASE_CREATED: "access_report.action.case_created",
    AuditAction.CASE_OPENED: "access_report.action.case_opened",
    AuditAction.CASE_ASSIGNED: "access_report.action.case_assigned",
    AuditAction.REFERRAL_SAVED: "access_report.action.referral_saved",
    AuditAction.ASSESSMENT_SAVED: "access_report.action.assessment_saved",
    AuditAction.DECISION_SAVED: "access_report.action.decision_saved",
    AuditAction.ASSESSMENT_SIGNED: "access_report.action.assessment_signed",
    AuditAction.CORRECTION_STARTED: "access_report.action.correction_started",
    AuditAction.DOCUMENT_ISSUED: "access_report.action.document_issued",
    AuditAction.CASE_EXPORTED: "access_report.action.case_exported",
    AuditAction.CASE_IMPORTED: "access_report.action.case_imported",
}


@dataclass(frozen=True)
class AccessLine:
    day: dt.date  # local date
    first_at: dt.datetime
    user_name: str
    display_name: str
    action: AuditAction
    case_number: str
    times: int  # how many entries this line stands for


@dataclass(frozen=True)
class AccessReport:
    patient_name: str
    national_id: str
    case_ids: tuple[int, ...]
    case_numbers: tuple[str, ...]
    entries: tuple[AccessLine, ...]


def build_access_report(session: Session, national_id: str) -> AccessReport | None:
    """The report for the patient with ``national_id``, or None if there is none."""
    patient = session.exec(select(Patient).where(Patient.national_id == national_id)).first()
    if patient is None:
        return None
    cases = session.exec(select(TsbCase).where(TsbCase.patient_id == patient.id)
                         .order_by(col(TsbCase.received_date))).all()
    numbers = {case.id: case.case_number for case in cases if case.id is not None}
    names = dict(session.exec(select(Clinician.user_name, Clinician.display_name)).all())
    lines: list[AccessLine] = []
    for entry in read_events(session, case_ids=tuple(numbers)):
        if not isinstance(entry.action, AuditAction) or entry.action not in ACTION_TEXTS:
            continue
        assert entry.case_id is not None
        day = entry.at.astimezone().date()
        last = lines[-1] if lines else None
        if (last is not None and (last.day, last.user_name, last.action, last.case_number)
                == (day, entry.actor, entry.action, numbers[entry.case_id])):
            lines[-1] = AccessLine(last.day, last.first_at, last.user_name, last.display_name,
                                   last.action, last.case_number, last.times + 1)
            continue
        lines.append(AccessLine(day, entry.at, entry.actor, names.get(entry.actor, entry.actor),
                                entry.action, numbers[entry.case_id], 1))
    return AccessReport(patient.name, patient.national_id, tuple(numbers), tuple(numbers.values()),
                        tuple(lines))
