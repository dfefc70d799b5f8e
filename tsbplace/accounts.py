"""Clinician accounts: who may use a store, in which role, and with which password.

Two roles: a clinician works on cases; a professional lead (``lead``) also adds and
removes users and resets passwords. The first user of a store is a lead. Users are never
deleted (the audit log names them); a removed one can no longer sign in, and on an
encrypted store their wrapped copy of the database key is deleted from the keyring.
Every change here is audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlmodel import Session, col, func, select

from tsbplace.actor import Actor
from tsbplace.audit import AuditAction, add_event
from tsbplace.field_problems import FieldProblem, InvalidInput
from tsbplace.i18n import tr
from tsbplace.security.keyring import Keyring
from tsbplace.security.passwords import hash_password, password_problem, verify_password
from tsbplace.storage.models import Clinician, utcnow
from tsbplace.storage.store import Store

USER_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")  # short, typed at every sign-in


class Role(StrEnum):
    CLINICIAN = "clinician"
    LEAD = "lead"  # fagansvarlig: administers users


class NotAllowed(PermissionError):
    """Only a professional lead may do this (or it would lock everyone out)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ClinicianRecord:
    user_name: str
    display_name: str
    role: Role
    active: bool
    created_by: str
    created_at: dt.datetime
    unit: str = ""  # the unit the clinician works in ("" : the store's only unit)


MAX_UNIT = 120


def clinician_record(row: Clinician) -> ClinicianRecord:
    return ClinicianRecord(row.user_name, row.display_name, Role(row.role), row.active, row.created_by,
                           row.created_at, row.unit)


def new_user_problems(user_name: str, display_name: str, password: str) -> list[FieldProblem]:
    problems = []
    if not USER_NAME.match(user_name):
        problems.append(FieldProblem("user_name", tr("account.problem.user_name")))
    if not display_name.strip() or len(display_name) > 200:
        problems.append(FieldProblem("display_name", tr("account.problem.display_name")))
    if (message := password_problem(password)) is not None:
        problems.append(FieldProblem("password", message))
    return problems


def add_clinician(session: Session, actor: Actor, user_name: str, display_name: str, role: Role,
                  password: str) -> Clinician:
    """Insert a user (checked by the caller) and audit it."""
    row = Clinician(user_name=user_name, display_name=display_name.strip(), role=role.value,
                    password_hash=hash_password(password), active=True, created_by=actor.user)
    session.add(row)
    session.flush()
    add_event(session, actor, AuditAction.USER_ADDED, None, user=user_name, role=role.value)
    return row


class AccountService:
    """User administration for the signed-in ``me`` on ``store``. ``keyring_file`` is the
    encrypted store's keyring (None on a server store); ``key`` its database key."""

    def __init__(self, store: Store, me: ClinicianRecord, actor: Actor,
                 keyring_file: Path | None = None) -> None:
        self.store = store
        self.me = me
        self.actor = actor
        self.keyring_file = keyring_file

    def _require_lead(self) -> None:
        if self.me.role is not Role.LEAD:
            raise NotAllowed(tr("account.problem.lead_only"))

    def list_users(self) -> tuple[ClinicianRecord, ...]:
        with self.store.session() as session:
            rows = session.exec(select(Clinician).order_by(col(Clinician.user_name))).all()
            return tuple(clinician_record(row) for row in rows)

    def add_user(self, user_name: str, display_name: str, role: Role, password: str) -> ClinicianRecord:
        """A new user (lead only). On an encrypted store they get their copy of the key."""
        self._require_lead()
        problems = new_user_problems(user_name, display_name, password)
        with self.store.session() as session:
            if session.exec(select(Clinician).where(Clinician.user_name == user_name)).first():
                problems.append(FieldProblem("user_name", tr("account.problem.user_taken")))
            if problems:
                raise InvalidInput(problems)
            row = add_clinician(session, self.actor, user_name, display_name, role, password)
            self._update_keyring(lambda ring: ring.add(user_name, password, self._key()))
            return clinician_record(row)

    def remove_user(self, user_name: str) -> None:
        """Take away a user's access (lead only; never yourself, never the last lead)."""
        self._require_lead()
        if user_name == self.me.user_name:
            raise NotAllowed(tr("account.problem.not_yourself"))
        with self.store.session() as session:
            row = self._active(session, user_name)
            if row.role == Role.LEAD.value and self._active_leads(session) <= 1:
                raise NotAllowed(tr("account.problem.last_lead"))
            row.active, row.removed_by, row.removed_at = False, self.actor.user, utcnow()
            session.add(row)
            add_event(session, self.actor, AuditAction.USER_REMOVED, None, user=user_name)
            self._update_keyring(lambda ring: ring.remove(user_name))

    def set_unit(self, user_name: str, unit: str) -> ClinicianRecord:
        """The unit ``user_name`` works in (lead only; "" for none), for quality figures per
        unit on a store several units share. Audited."""
        self._require_lead()
        unit = " ".join(unit.split())
        if len(unit) > MAX_UNIT:
            raise InvalidInput([FieldProblem("unit", tr("account.problem.unit_too_long", limit=MAX_UNIT))])
        with self.store.session() as session:
            row = self._active(session, user_name)
            row.unit = unit
            session.add(row)
            add_event(session, self.actor, AuditAction.USER_UNIT_CHANGED, None, user=user_name, unit=unit)
            session.flush()
            return clinician_record(row)

    def units(self) -> tuple[str, ...]:
        """The units named on any user, sorted (for the quality figures' unit filter)."""
        with self.store.session() as session:
            found = session.exec(select(Clinician.unit).distinct()).all()
        return tuple(sorted(unit for unit in found if unit))

    def change_password(self, old: str, new: str) -> None:
        """The signed-in user's own password; the old one is asked again."""
        with self.store.session() as session:
            row = self._active(session, self.me.user_name)
            if not verify_password(row.password_hash, old):
                raise InvalidInput([FieldProblem("old_password", tr("account.problem.wrong_password"))])
            self._set_password(session, row, new, AuditAction.PASSWORD_CHANGED)

    def reset_password(self, user_name: str, new: str) -> None:
        """Another user's password, for one who forgot theirs (lead only)."""
        self._require_lead()
        with self.store.session() as session:
            self._set_password(session, self._active(session, user_name), new, AuditAction.PASSWORD_RESET)

    def verify_password(self, password: str) -> bool:
        """Whether ``password`` is the signed-in user's (unlocking a locked screen); audited."""
        with self.store.session() as session:
            row = self._active(session, self.me.user_name)
            ok = verify_password(row.password_hash, password)
            if ok:
                add_event(session, self.actor, AuditAction.UNLOCKED, None)
            else:
                add_event(session, self.actor, AuditAction.SIGN_IN_FAILED, None, user=self.me.user_name,
                          during="unlock")
            return ok

    def _set_password(self, session: Session, row: Clinician, new: str, action: AuditAction) -> None:
        if (message := password_problem(new)) is not None:
            raise InvalidInput([FieldProblem("password", message)])
        row.password_hash = hash_password(new)
        session.add(row)
        add_event(session, self.actor, action, None, user=row.user_name)
        self._update_keyring(lambda ring: ring.add(row.user_name, new, self._key()))

    def _active(self, session: Session, user_name: str) -> Clinician:
        row = session.exec(select(Clinician).where(Clinician.user_name == user_name,
                                                   col(Clinician.active).is_(True))).first()
        if row is None:
            raise InvalidInput([FieldProblem("user_name", tr("account.problem.no_such_user"))])
        return row

    @staticmethod
    def _active_leads(session: Session) -> int:
        return int(session.exec(select(func.count()).select_from(Clinician).where(
            Clinician.role == Role.LEAD.value, col(Clinician.active).is_(True))).one())

    def _key(self) -> bytes:
        assert self.store.key is not None, "an encrypted store has its key"
        return self.store.key

    def _update_keyring(self, change: Callable[[Keyring], None]) -> None:
        """Apply ``change`` to the keyring and save it, inside the caller's transaction: if
        the file cannot be written, the database change is rolled back too."""
        if self.keyring_file is None:
            return
        ring = Keyring.load(self.keyring_file)
        change(ring)
        ring.save(self.keyring_file)
