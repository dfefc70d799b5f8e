"""The access log: one append-only entry per thing done to a case.

Services add an entry in the same transaction as the change it records, so a change
is never stored without its entry (and a refused change leaves none). The table takes
inserts only; database triggers refuse updates and deletes (migration 0005). Details
hold codes, ids and numbers, never a name or an ID number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from tsbplace.actor import Actor
from tsbplace.storage.models import AuditEvent, utcnow


class AuditAction(StrEnum):
    CASE_CREATED = "case.created"
    CASE_OPENED = "case.opened"
    REFERRAL_SAVED = "referral.saved"
    ASSESSMENT_SAVED = "assessment.saved"
    DECISION_SAVED = "decision.saved"
    ASSESSMENT_SIGNED = "assessment.signed"
    CORRECTION_STARTED = "assessment.correction_started"
    DOCUMENT_ISSUED = "document.issued"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    workstation: str
    action: AuditAction | str  # a str for an action this version does not know
    case_id: int | None
    detail: Mapping[str, Any]


def add_event(session: Session, actor: Actor, action: AuditAction, case_id: int | None,
              **detail: Any) -> None:
    """Add an entry to the transaction of ``session`` (committed with the change)."""
    session.add(AuditEvent(at=utcnow(), actor=actor.user, workstation=actor.workstation,
                           action=action.value, case_id=case_id, detail=detail))


def _action(value: str) -> AuditAction | str:
    try:
        return AuditAction(value)
    except ValueError:
        return value


def read_events(session: Session, case_id: int | None = None) -> tuple[AuditEntry, ...]:
    """The entries for one case (or all), oldest first."""
    query = select(AuditEvent).order_by(col(AuditEvent.id))
    if case_id is not None:
        query = query.where(AuditEvent.case_id == case_id)
    return tuple(
        AuditEntry(event.id or 0, event.at, event.actor, event.workstation, _action(event.action),
                   event.case_id, event.detail)
        for event in session.exec(query)
    )
