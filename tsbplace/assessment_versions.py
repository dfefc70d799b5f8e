"""Assessment versions inside one database session: find the newest, update a draft
under optimistic locking, copy a signed version into a correction, and turn rows into
the plain records callers get. Used by :class:`tsbplace.cases.CaseService` only.

A case's assessment is a chain of versions (revision 1, 2, ...). Only the newest may be
a draft; a signed version is never changed or deleted (database triggers, migration
0005). A correction is a new draft revision that names the signed one it supersedes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from tsbplace.decisions import Decision
from tsbplace.i18n import tr
from tsbplace.storage.models import Assessment, IssuedDocument

DRAFT, SIGNED = "draft", "signed"
MAX_CORRECTION_REASON = 2000


class AssessmentConflict(RuntimeError):
    """Someone else saved the assessment after it was loaded; nothing was stored.

    ``saved_at`` is when the other save happened, ``version`` the version stored now.
    """

    def __init__(self, case_id: int, saved_at: dt.datetime, version: int) -> None:
        self.case_id = case_id
        self.saved_at = saved_at
        self.version = version
        super().__init__(self.message())

    def message(self) -> str:
        """The explanation in the current language, with the local time of the other save."""
        return tr("assessment.conflict.message", time=self.saved_at.astimezone().strftime("%H:%M"))


class AssessmentSigned(RuntimeError):
    """The newest version is signed and cannot change; a correction makes a new version."""

    def __init__(self, case_id: int, signed_by: str, signed_at: dt.datetime) -> None:
        self.case_id = case_id
        self.signed_by = signed_by
        self.signed_at = signed_at
        super().__init__(self.message())

    def message(self) -> str:
        local = self.signed_at.astimezone()
        return tr("assessment.signed.message", user=self.signed_by, date=local.strftime("%d.%m.%Y"),
                  time=local.strftime("%H:%M"))


class NotSigned(RuntimeError):
    """A correction was asked for, but the case has no signed newest version to correct."""

    def __init__(self, case_id: int) -> None:
        self.case_id = case_id
        super().__init__(tr("assessment.not_signed.message"))


@dataclass(frozen=True)
class AssessmentRecord:
    case_id: int
    answers: Mapping[str, Mapping[str, Any]]
    suggestion: Mapping[str, Any]
    suggested_level: str
    ruleset_version: str
    ruleset_hash: str
    updated_at: dt.datetime
    # {instrument id: InstrumentResult.to_dict()}: answers, total, band, threshold set, version
    instruments: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # 1 for a new draft, +1 on every save; pass it back as save_assessment(expected_version=)
    version: int = 1
    id: int = 0
    revision: int = 1  # 1 for the first version; a correction is the next
    status: str = DRAFT  # "draft" or "signed"
    decision: Decision = field(default_factory=Decision)
    created_by: str = ""
    updated_by: str = ""
    signed_by: str | None = None
    signed_at: dt.datetime | None = None
    supersedes_id: int | None = None  # the signed version this one corrects
    correction_reason: str = ""

    @property
    def signed(self) -> bool:
        return self.status == SIGNED


@dataclass(frozen=True)
class IssuedDocumentRecord:
    id: int
    case_id: int
    assessment_id: int | None
    kind: str
    file_name: str
    sha256: str
    byte_size: int
    issued_by: str
    workstation: str
    issued_at: dt.datetime


def newest_version(session: Session, case_id: int) -> Assessment | None:
    return session.exec(select(Assessment).where(Assessment.case_id == case_id)
                        .order_by(col(Assessment.revision).desc()).limit(1)).first()


def refuse_if_signed(record: Assessment | None) -> None:
    """AssessmentSigned if ``record`` (a case's newest version) is signed."""
    if record is not None and record.status == SIGNED:
        raise AssessmentSigned(record.case_id, record.signed_by or "", record.signed_at or record.updated_at)


def update_draft(session: Session, record: Assessment, expected_version: int | None,
                 values: Mapping[str, Any]) -> None:
    """Write ``values`` into the draft ``record`` and add one to its version, only if
    nobody saved it since it was read (and since the caller loaded ``expected_version``);
    otherwise raise AssessmentConflict and write nothing. ``record`` is fresh afterwards."""
    if expected_version is not None and record.version != expected_version:
        raise AssessmentConflict(record.case_id, record.updated_at, record.version)
    read_version = record.version
    changed = session.exec(
        update(Assessment)
        .where(col(Assessment.id) == record.id, col(Assessment.version) == read_version)
        .values(version=read_version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    session.expire(record)
    session.refresh(record)
    if changed.rowcount != 1:  # another save committed after our read
        raise AssessmentConflict(record.case_id, record.updated_at, record.version)


def decision_values(decision: Decision) -> dict[str, Any]:
    """The assessment columns that hold ``decision``."""
    return {"chosen_level": decision.chosen_level, "decision_reason": decision.reason,
            "decision_reason_text": decision.reason_text, "care_right": decision.care_right,
            "frist_weeks": decision.frist_weeks, "latest_start_date": decision.latest_start_date,
            "patient_goals": decision.patient_goals,
            "patient_preferred_level": decision.patient_preferred_level,
            "patient_agreement": decision.patient_agreement, "ip_status": decision.ip_status,
            "coordinator": decision.coordinator, "care_group": decision.care_group,
            "chosen_service": decision.chosen_service}


def decision_of(record: Assessment) -> Decision:
    return Decision(record.chosen_level, record.decision_reason, record.decision_reason_text,
                    record.care_right, record.frist_weeks, record.latest_start_date,
                    record.patient_goals, record.patient_preferred_level, record.patient_agreement,
                    record.ip_status, record.coordinator, record.care_group, record.chosen_service)


def correction_of(signed: Assessment, reason: str, user: str, now: dt.datetime) -> Assessment:
    """A new draft revision holding a copy of ``signed``, which it names as superseded."""
    return Assessment(
        case_id=signed.case_id, revision=signed.revision + 1, supersedes_id=signed.id,
        correction_reason=reason, status=DRAFT, created_by=user, updated_by=user,
        answers=signed.answers, suggestion=signed.suggestion,
        instrument_results=signed.instrument_results, suggested_level=signed.suggested_level,
        ruleset_id=signed.ruleset_id, ruleset_version=signed.ruleset_version,
        ruleset_hash=signed.ruleset_hash, created_at=now, updated_at=now, version=1,
        **decision_values(decision_of(signed)))


def assessment_record(record: Assessment) -> AssessmentRecord:
    assert record.id is not None
    return AssessmentRecord(
        record.case_id, record.answers, record.suggestion, record.suggested_level,
        record.ruleset_version, record.ruleset_hash, record.updated_at, record.instrument_results,
        record.version, record.id, record.revision, record.status, decision_of(record),
        record.created_by, record.updated_by, record.signed_by, record.signed_at,
        record.supersedes_id, record.correction_reason)


def issued_record(document: IssuedDocument) -> IssuedDocumentRecord:
    assert document.id is not None
    return IssuedDocumentRecord(document.id, document.case_id, document.assessment_id, document.kind,
                                document.file_name, document.sha256, document.byte_size,
                                document.issued_by, document.workstation, document.issued_at)
