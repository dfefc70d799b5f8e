"""Getting into a store: creating it with its first user, and signing in.

The default store is an encrypted SQLite file (SQLCipher). Its random key is wrapped per
user in the keyring beside it (:mod:`tsbplace.security.keyring`), so signing in is
unwrapping the key with the password and opening the store with it; a wrong password
cannot open the store at all. A PostgreSQL store checks the password against the user's
argon2id hash; its data at rest is the server's to protect (docs/security.md).

Failed sign-ins are throttled per user name: after three in a row each further attempt
waits longer (5 s, doubling, at most 15 minutes). They are audited: on a server store at
once, on an encrypted file store (which a failed sign-in cannot open) at the next
successful sign-in, with their original times.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import math
from dataclasses import dataclass

from sqlmodel import Session, select

from tsbplace.accounts import (
    AccountService,
    ClinicianRecord,
    Role,
    add_clinician,
    clinician_record,
    new_user_problems,
)
from tsbplace.actor import Actor, local_actor
from tsbplace.audit import AuditAction, add_event
from tsbplace.cases import CaseService
from tsbplace.clinic import ClinicSettings
from tsbplace.content import installed_content
from tsbplace.field_problems import InvalidInput
from tsbplace.i18n import tr
from tsbplace.locations import Locations, ensure_private_dir
from tsbplace.security.keyring import Keyring, KeyringError, WrongPassword, keyring_path
from tsbplace.security.passwords import verify_password
from tsbplace.services import open_store, sqlite_database_file
from tsbplace.storage.encrypt import encrypt_plain_store
from tsbplace.storage.integrity import Verdict, check_file
from tsbplace.storage.models import Clinician, utcnow
from tsbplace.storage.store import Store

log = logging.getLogger(__name__)

FREE_ATTEMPTS = 3
FIRST_WAIT_S = 5.0
LONGEST_WAIT_S = 15 * 60.0


class StoreKind(enum.Enum):
    NEW = "new"  # nothing there yet: `tsbplace init` or the first-start dialog creates it
    PLAIN = "plain"  # a SQLite store from before encryption: init encrypts it
    ENCRYPTED = "encrypted"
    SERVER = "server"  # PostgreSQL: accounts in the database, no keyring


class SignInFailed(Exception):
    """Wrong user name or password (never saying which), a throttled attempt, or a store
    that is not set up. ``retry_after`` is the seconds to wait when throttled."""

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def throttle_wait(failures: int) -> float:
    """Seconds to wait after ``failures`` failed attempts in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(FIRST_WAIT_S * 2.0 ** (failures - FREE_ATTEMPTS), LONGEST_WAIT_S))


def _refuse_if_throttled(failures: int, last: dt.datetime | None, now: dt.datetime) -> None:
    if last is None:
        return
    left = throttle_wait(failures) - (now - last).total_seconds()
    if left > 0:
        raise SignInFailed(tr("account.sign_in.throttled", seconds=math.ceil(left)), left)


def store_kind(locations: Locations) -> StoreKind:
    database = sqlite_database_file(locations)
    if database is None:
        return StoreKind.SERVER
    if keyring_path(database).exists():
        return StoreKind.ENCRYPTED
    found = check_file(database, live=True)
    return StoreKind.NEW if found.verdict is Verdict.EMPTY else StoreKind.PLAIN


@dataclass
class Workspace:
    """What a signed-in clinician works with; close it when done."""

    locations: Locations
    store: Store
    me: ClinicianRecord
    actor: Actor
    cases: CaseService
    accounts: AccountService
    clinic: ClinicSettings

    def close(self) -> None:
        self.store.close()


def _workspace(locations: Locations, store: Store, me: ClinicianRecord, actor: Actor) -> Workspace:
    database = sqlite_database_file(locations)
    ring = None if database is None or store.key is None else keyring_path(database)
    clinic = ClinicSettings(store, me, actor)
    cases = CaseService(store, installed_content(), band_sets=clinic.band_sets(), actor=actor,
                        local_services=clinic.services())
    return Workspace(locations, store, me, actor, cases, AccountService(store, me, actor, ring), clinic)


def create_store(locations: Locations, admin: str, display_name: str, password: str,
                 workstation: str | None = None) -> Workspace:
    """Set up a store with its first user, a professional lead. A new SQLite store is
    encrypted from the first byte; an existing plain one (from before encryption) is
    encrypted in place, its plain backups too. Refuses a store that has users."""
    problems = new_user_problems(admin, display_name, password)
    if problems:
        raise InvalidInput(problems)
    kind = store_kind(locations)
    if kind is StoreKind.ENCRYPTED:
        raise SignInFailed(tr("account.setup.exists"))
    actor = Actor(admin, workstation or local_actor().workstation)
    key = None
    database = sqlite_database_file(locations)
    if database is not None:
        ensure_private_dir(locations.data_dir)
        key = Keyring.new_key()
        if kind is StoreKind.PLAIN:
            encrypt_plain_store(database, locations.backup_dir, key)
    store = open_store(locations, key=key)
    try:
        with store.session() as session:
            if session.exec(select(Clinician)).first() is not None:
                raise SignInFailed(tr("account.setup.exists"))
            add_event(session, actor, AuditAction.STORE_CREATED, None, encrypted=key is not None)
            row = add_clinician(session, actor, admin, display_name, Role.LEAD, password)
            me = clinician_record(row)
            if database is not None and key is not None:
                ring = Keyring.new()
                ring.add(admin, password, key)
                ring.save(keyring_path(database))  # last: the store is not "set up" before it exists
    except BaseException:
        store.close()
        raise
    return _workspace(locations, store, me, actor)


def unlock_key(locations: Locations, user_name: str, password: str, *, workstation: str,
               now: dt.datetime | None = None) -> bytes:
    """The encrypted store's key, unwrapped with ``user_name``'s password (throttled; a
    failure is kept in the keyring for the audit log). Opens nothing."""
    database = sqlite_database_file(locations)
    assert database is not None, "only a SQLite store has a keyring"
    path = keyring_path(database)
    now = now or utcnow()
    try:
        ring = Keyring.load(path)
    except KeyringError as error:
        raise SignInFailed(tr("account.sign_in.no_keyring", reason=str(error))) from error
    failures, last = ring.failed_count(user_name)
    _refuse_if_throttled(failures, last, now)
    try:
        key = ring.unwrap(user_name, password)
    except WrongPassword:
        log.warning("sign-in refused: %s on %s", user_name, workstation)
        ring.record_failure(user_name, workstation, now)
        ring.save(path)
        raise SignInFailed(tr("account.sign_in.wrong"), throttle_wait(failures + 1)) from None
    if failures:
        ring.clear_failures(user_name)
        ring.save(path)
    return key


def sign_in(locations: Locations, user_name: str, password: str, *, workstation: str | None = None,
            now: dt.datetime | None = None) -> Workspace:
    """Open the store as ``user_name``; raises SignInFailed (wrong, throttled, removed,
    not set up), or the store errors of :func:`tsbplace.services.open_store`."""
    station = workstation or local_actor().workstation
    now = now or utcnow()
    kind = store_kind(locations)
    if kind in (StoreKind.NEW, StoreKind.PLAIN):
        raise SignInFailed(tr("account.sign_in.not_set_up"))
    actor = Actor(user_name, station)
    if kind is StoreKind.ENCRYPTED:
        key = unlock_key(locations, user_name, password, workstation=station, now=now)
        store = open_store(locations, key=key, user=user_name)
        pending = _pending_failures(locations)
    else:
        store = open_store(locations)
        pending = []
    refusal: SignInFailed | None = None
    try:
        with store.session() as session:  # committed even on a refusal: its audit entry stays
            for failed_user, failed_station, at in pending:
                add_event(session, Actor(failed_user, failed_station), AuditAction.SIGN_IN_FAILED, None,
                          at=at, user=failed_user)
            row = session.exec(select(Clinician).where(Clinician.user_name == user_name)).first()
            if kind is StoreKind.SERVER:
                refusal = _check_server_password(session, row, user_name, password, actor, now)
            if refusal is None and (row is None or not row.active):  # removed, key copy survived
                add_event(session, actor, AuditAction.SIGN_IN_FAILED, None, user=user_name, removed=True)
                refusal = SignInFailed(tr("account.sign_in.wrong"))
            if refusal is None:
                assert row is not None
                add_event(session, actor, AuditAction.SIGN_IN, None)
                me = clinician_record(row)
    except BaseException:
        store.close()
        raise
    if pending:  # in the audit log now: only then out of the keyring (a crash before: twice, not lost)
        _forget_pending(locations, pending)
    if refusal is not None:
        store.close()
        log.warning("sign-in refused: %s on %s", user_name, station)
        raise refusal
    log.info("signed in: %s on %s", user_name, station)
    return _workspace(locations, store, me, actor)


def _check_server_password(session: Session, row: Clinician | None, user_name: str, password: str,
                           actor: Actor, now: dt.datetime) -> SignInFailed | None:
    """The password check of a PostgreSQL store, throttled with the counts in the row; the
    refusal to raise once the session (with its audit entry) is committed, or None."""
    if row is not None and row.last_failed_at is not None:
        left = throttle_wait(row.failed_attempts) - (now - row.last_failed_at).total_seconds()
        if left > 0:
            return SignInFailed(tr("account.sign_in.throttled", seconds=math.ceil(left)), left)
    if row is not None and row.active and verify_password(row.password_hash, password):
        if row.failed_attempts:
            row.failed_attempts, row.last_failed_at = 0, None
            session.add(row)
        return None
    if row is not None:
        row.failed_attempts, row.last_failed_at = row.failed_attempts + 1, now
        session.add(row)
    add_event(session, actor, AuditAction.SIGN_IN_FAILED, None, user=user_name)
    return SignInFailed(tr("account.sign_in.wrong"), throttle_wait(row.failed_attempts) if row else 0.0)


def _pending_failures(locations: Locations) -> list[tuple[str, str, dt.datetime]]:
    database = sqlite_database_file(locations)
    assert database is not None
    return Keyring.load(keyring_path(database)).pending_failures()


def _forget_pending(locations: Locations, written: list[tuple[str, str, dt.datetime]]) -> None:
    database = sqlite_database_file(locations)
    assert database is not None
    path = keyring_path(database)
    ring = Keyring.load(path)
    ring.forget_pending(written)
    ring.save(path)
