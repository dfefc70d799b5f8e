"""The access log: one append-only entry per thing done to a case or to the users.

Services add an entry in the same transaction as the change it records, so a change
is never stored without its entry (and a refused change leaves none). The table takes
inserts only; database triggers refuse updates and deletes (migration 0005). Details
hold codes, ids and numbers, never a name or an ID number.

The entries form a hash chain (migration 0006): each holds the SHA-256 of its own
content together with the previous entry's hash, so :func:`verify_chain` finds the
first entry that was changed, or whose predecessor was removed, even by someone who
went round the triggers. Appending takes the database's write lock first (SQLite) or
an advisory lock (PostgreSQL), so two writers never fork the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from tsbplace.actor import Actor
from tsbplace.storage.models import AuditEvent, utcnow


class AuditAction(StrEnum):
    SIGN_IN = "sign_in.ok"
    SIGN_IN_FAILED = "sign_in.failed"
    UNLOCKED = "session.unlocked"
    STORE_CREATED = "store.created"
    USER_ADDED = "user.added"
    USER_REMOVED = "user.removed"
    PASSWORD_CHANGED = "user.password_changed"
    PASSWORD_RESET = "user.password_reset"
    USER_UNIT_CHANGED = "user.unit_changed"
    CASE_CREATED = "case.created"
    CASE_OPENED = "case.opened"
    CASE_ASSIGNED = "case.assigned"
    TREATMENT_STARTED = "case.treatment_started"
    REFERRAL_SAVED = "referral.saved"
    ASSESSMENT_SAVED = "assessment.saved"
    DECISION_SAVED = "decision.saved"
    ASSESSMENT_SIGNED = "assessment.signed"
    CORRECTION_STARTED = "assessment.correction_started"
    DOCUMENT_ISSUED = "document.issued"
    CASE_EXPORTED = "case.exported"
    CASE_IMPORTED = "case.imported"
    SETTINGS_CHANGED = "settings.changed"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    workstation: str
    action: AuditAction | str  # a str for an action this version does not know
    case_id: int | None
    detail: Mapping[str, Any]


PG_CHAIN_LOCK = 7_402_113  # pg_advisory_xact_lock key: one chain appender at a time


def entry_digest(prev_hash: str, at: dt.datetime, actor: str, workstation: str, action: str,
                 case_id: int | None, detail: Mapping[str, Any]) -> str:
    """SHA-256 of one entry's content and its predecessor's hash (canonical JSON; the time
    in UTC to the microsecond). Migration 0006 holds a frozen copy; they must agree."""
    content = {"prev": prev_hash, "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
               "actor": actor, "workstation": workstation, "action": action, "case_id": case_id,
               "detail": detail}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    """Hold the right to append until commit, so the head read below stays the head."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_CHAIN_LOCK})
    else:  # any write statement takes SQLite's write lock, even one that changes no row
        session.execute(text("UPDATE audit_event SET id = id WHERE 0 = 1"))


def add_event(session: Session, actor: Actor, action: AuditAction, case_id: int | None,
              *, at: dt.datetime | None = None, **detail: Any) -> None:
    """Append an entry to the chain in the transaction of ``session`` (committed with the
    change). ``at`` is for an event that happened earlier (a failed sign-in recorded at
    the next successful one)."""
    _lock_chain(session)
    head = session.exec(select(AuditEvent.entry_hash).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    prev = head or ""
    when = at or utcnow()
    digest = entry_digest(prev, when, actor.user, actor.workstation, action.value, case_id, detail)
    session.add(AuditEvent(at=when, actor=actor.user, workstation=actor.workstation, action=action.value,
                           case_id=case_id, detail=detail, prev_hash=prev, entry_hash=digest))
    session.flush()


@dataclass(frozen=True)
class ChainVerdict:
    """The chain is intact (``first_bad`` None), or the id of the first entry that was
    changed or follows a removed one, and why."""

    entries: int
    first_bad: int | None = None
    problem: str = ""  # "changed" or "predecessor_missing"
    head: str = ""  # the newest entry's hash: write it down to detect a cut-off tail later

    @property
    def ok(self) -> bool:
        return self.first_bad is None


def verify_chain(session: Session) -> ChainVerdict:
    """Walk the whole log in order and check every link."""
    prev, count = "", 0
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.id))):
        count += 1
        assert event.id is not None
        if event.prev_hash != prev:
            return ChainVerdict(count, event.id, "predecessor_missing")
        digest = entry_digest(event.prev_hash, event.at, event.actor, event.workstation, event.action,
                              event.case_id, event.detail)
        if digest != event.entry_hash:
            return ChainVerdict(count, event.id, "changed")
        prev = event.entry_hash
    return ChainVerdict(count, head=prev)


def _action(value: str) -> AuditAction | str:
    try:
        return AuditAction(value)
    except ValueError:
        return value


def read_events(session: Session, case_id: int | None = None,
                case_ids: tuple[int, ...] | None = None) -> tuple[AuditEntry, ...]:
    """The entries for one case, for several (a patient's), or all, oldest first."""
    query = select(AuditEvent).order_by(col(AuditEvent.id))
    if case_id is not None:
        query = query.where(AuditEvent.case_id == case_id)
    if case_ids is not None:
        query = query.where(col(AuditEvent.case_id).in_(case_ids))
    return tuple(
        AuditEntry(event.id or 0, event.at, event.actor, event.workstation, _action(event.action),
                   event.case_id, event.detail)
        for event in session.exec(query)
    )
