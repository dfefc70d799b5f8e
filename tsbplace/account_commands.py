"""Command-line access to a store with accounts: ``tsbplace init``, signing in for the
commands that touch patient data (``--user NAME --password-stdin``), ``tsbplace audit``
and ``tsbplace access-report``.

The password is read from standard input (first line), never from an argument, so it
does not end up in the shell history or the process list.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from sqlmodel import select

from tsbplace.access import SignInFailed, StoreKind, Workspace, create_store, sign_in, store_kind, unlock_key
from tsbplace.actor import local_actor
from tsbplace.audit import verify_chain
from tsbplace.field_problems import InvalidInput
from tsbplace.files import WriteFailed, write_atomically
from tsbplace.i18n import tr
from tsbplace.letters.access_report import render_access_report
from tsbplace.locations import Locations
from tsbplace.national_id import check_national_id
from tsbplace.services import StoreTooNew, StoreUnavailable
from tsbplace.storage.models import TsbCase

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class CommandRefused(Exception):
    """The command cannot run: ``code`` is its exit status, ``message`` says why."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def read_password(stdin: TextIO) -> str:
    """The first line of standard input, without its line break."""
    return stdin.readline().rstrip("\r\n")


def _credentials(user: str | None, password_stdin: bool, stdin: TextIO) -> tuple[str, str]:
    if not user or not password_stdin:
        raise CommandRefused(EXIT_USAGE, tr("cli.account.needs_user"))
    return user, read_password(stdin)


def store_key(locations: Locations, user: str | None, password_stdin: bool, stdin: TextIO, *,
              audited: bool) -> bytes | None:
    """The key an encrypted store needs (None for any other store). ``audited``: sign in
    properly (logged); otherwise only unwrap the key, for ``check`` and ``restore``, which
    must work on a store too damaged to open."""
    if store_kind(locations) is not StoreKind.ENCRYPTED:
        return None
    name, password = _credentials(user, password_stdin, stdin)
    try:
        if not audited:
            return unlock_key(locations, name, password, workstation=local_actor().workstation)
        workspace = sign_in(locations, name, password)
    except SignInFailed as error:
        raise CommandRefused(EXIT_FAILURE, error.message) from None
    except (StoreUnavailable, StoreTooNew) as error:
        raise CommandRefused(EXIT_FAILURE, str(error)) from None
    key = workspace.store.key
    workspace.close()
    return key


def signed_in(locations: Locations, user: str | None, password_stdin: bool, stdin: TextIO) -> Workspace:
    """A workspace for a command that reads the audit log: always signed in."""
    if store_kind(locations) in (StoreKind.NEW, StoreKind.PLAIN):
        raise CommandRefused(EXIT_FAILURE, tr("account.sign_in.not_set_up"))
    name, password = _credentials(user, password_stdin, stdin)
    try:
        return sign_in(locations, name, password)
    except SignInFailed as error:
        raise CommandRefused(EXIT_FAILURE, error.message) from None
    except (StoreUnavailable, StoreTooNew) as error:
        raise CommandRefused(EXIT_FAILURE, str(error)) from None


def init_command(locations: Locations, admin: str, full_name: str | None, password_stdin: bool,
                 stdin: TextIO, out: TextIO, err: TextIO) -> int:
    """``tsbplace init --admin NAME [--name "Full Name"] --password-stdin``."""
    if not password_stdin:
        err.write(tr("cli.account.needs_password_stdin") + "\n")
        return EXIT_USAGE
    password = read_password(stdin)
    try:
        workspace = create_store(locations, admin, full_name or admin, password)
    except InvalidInput as error:
        for problem in error.problems:
            err.write(f"{problem.field}: {problem.message}\n")
        return EXIT_FAILURE
    except SignInFailed as error:
        err.write(error.message + "\n")
        return EXIT_FAILURE
    encrypted = workspace.store.encrypted
    workspace.close()
    out.write(tr("cli.account.init_done_encrypted" if encrypted else "cli.account.init_done",
                 user=admin, folder=str(locations.data_dir)) + "\n")
    return EXIT_OK


def _case_id(workspace: Workspace, case_number: str) -> int:
    with workspace.store.session() as session:
        case_id = session.exec(select(TsbCase.id).where(TsbCase.case_number == case_number)).first()
    if case_id is None:
        raise CommandRefused(EXIT_FAILURE, tr("cli.audit.no_case", case=case_number))
    return case_id


def audit_command(workspace: Workspace, case_number: str | None, verify: bool, out: TextIO,
                  err: TextIO) -> int:
    """``tsbplace audit [--case NUMBER] [--verify]``: the log, oldest first, one line each;
    ``--verify`` checks the whole hash chain and names the first bad entry."""
    case_id = None if case_number is None else _case_id(workspace, case_number)
    numbers = _case_numbers(workspace)
    for entry in workspace.cases.audit_trail(case_id):
        when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        case = "" if entry.case_id is None else numbers.get(entry.case_id, str(entry.case_id))
        out.write(f"{entry.id:>7}  {when}  {entry.actor:<16} {entry.workstation:<16} "
                  f"{entry.action:<30} {case}\n")
    if not verify:
        return EXIT_OK
    with workspace.store.session() as session:
        verdict = verify_chain(session)
    if verdict.ok:
        out.write(tr("cli.audit.chain_ok", entries=verdict.entries, head=verdict.head) + "\n")
        return EXIT_OK
    key = "cli.audit.chain_changed" if verdict.problem == "changed" else "cli.audit.chain_predecessor_missing"
    err.write(tr(key, entry=verdict.first_bad) + "\n")
    return EXIT_FAILURE


def _case_numbers(workspace: Workspace) -> dict[int, str]:
    with workspace.store.session() as session:
        return {case_id: number for case_id, number in
                session.exec(select(TsbCase.id, TsbCase.case_number)) if case_id is not None}


def access_report_command(workspace: Workspace, national_id: str, target: Path, out: TextIO,
                          err: TextIO, today: dt.date | None = None) -> int:
    """``tsbplace access-report --national-id NUMBER --out FILE``: who has opened, changed,
    signed or printed the patient's cases, as a PDF to hand to the patient."""
    checked = check_national_id(national_id)
    if not checked.ok:
        err.write(checked.message() + "\n")
        return EXIT_USAGE
    report = workspace.cases.access_report(checked.number)
    if report is None:
        err.write(tr("cli.access_report.no_patient") + "\n")
        return EXIT_FAILURE
    pdf = render_access_report(workspace.cases.content, report, author=workspace.me.display_name,
                               created=dt.datetime.now().astimezone())
    try:
        write_atomically(target, pdf)
    except WriteFailed as error:
        err.write(tr("cli.backup.failed", reason=error.reason) + "\n")
        return EXIT_FAILURE
    workspace.cases.record_access_report(report, pdf, target.name)
    out.write(tr("cli.access_report.done", file=str(target), entries=len(report.entries)) + "\n")
    return EXIT_OK
