"""``tsbplace letter``: render one letter of a case to a PDF file, headless.

Kinds: ``pasient`` (vurderingsbrev), ``henviser`` (svar til henviser), ``henvisning``
(referral summary), ``notat`` (vurderingsnotat); a case prepared on the referring side
has only ``henvisning`` and ``notat`` (it has no decision to tell about). The file is
written whole or not at all (:func:`tsbplace.files.write_atomically`), an existing file
is never replaced, and the issue is recorded on the case (``document.issued`` in the
audit log, with the SHA-256 of the bytes). Messages are one line, from
``resources/letters`` (``cli.*``).
Exit status: 0 written; 1 refused or failed (no case, no assessment, decision
incomplete, a letter the case's side does not have, file exists, write failed); 2 unknown
kind.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from tsbplace.access import Workspace
from tsbplace.case_sides import NotForSide, letter_kinds
from tsbplace.cases import MAX_PAGE_SIZE, CaseService, CaseSummary
from tsbplace.clinic import ClinicDetails
from tsbplace.files import WriteFailed, write_atomically
from tsbplace.letters import (
    LetterNotReady,
    letter_text,
    render_assessment_note,
    render_patient_letter,
    render_referral_summary,
    render_referrer_letter,
)

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
KINDS = ("pasient", "henviser", "henvisning", "notat")


class NoAssessment(LookupError):
    """The case has no saved assessment to print."""


def find_case(workspace: Workspace, case_number: str) -> CaseSummary | None:
    """The case with exactly this number (the search matches prefixes; keep the exact one)."""
    wanted = case_number.strip()
    if not wanted:
        return None
    page = workspace.cases.search_cases(wanted, limit=MAX_PAGE_SIZE)
    return next((case for case in page.rows if case.case_number == wanted), None)


def render_letter(service: CaseService, clinic: ClinicDetails, case: CaseSummary, kind: str, *,
                  author: str, created: dt.datetime | None = None) -> bytes:
    """The PDF of ``kind`` for ``case`` (the window's letter menu and ``tsbplace letter``).
    Raises NoAssessment without an assessment, LetterNotReady when a patient or
    referrer letter's decision is incomplete, and NotForSide for a letter about a decision
    asked of a case prepared on the referring side."""
    if kind not in letter_kinds(case.side):
        raise NotForSide(case.id, letter_text("referring.not_allowed", kind=letter_text(f"kind.{kind}")))
    record = service.load_assessment(case.id)
    if record is None:
        raise NoAssessment(case.case_number)
    when = created or dt.datetime.now().astimezone()
    if kind == "notat":
        return render_assessment_note(service.content, case, record, author=author, created=when)
    referral = service.load_referral(case.id)
    if kind == "henvisning":
        return render_referral_summary(service.content, case, record, referral, author=author,
                                       clinic=clinic, created=when)
    render = render_patient_letter if kind == "pasient" else render_referrer_letter
    return render(service.content, case, record, author=author, clinic=clinic, referral=referral,
                  created=when)


def letter_command(workspace: Workspace, case_number: str, kind: str, out_path: Path, out: TextIO,
                   err: TextIO) -> int:
    """``tsbplace letter --case NUMBER --kind KIND --out FILE``."""
    if kind not in KINDS:
        err.write(letter_text("cli.unknown_kind", kind=kind, kinds=", ".join(KINDS)) + "\n")
        return EXIT_USAGE
    target = Path(out_path)
    case = find_case(workspace, case_number)
    if case is None:
        err.write(letter_text("cli.no_case", case=case_number) + "\n")
        return EXIT_FAILURE
    if target.exists():
        err.write(letter_text("cli.exists", file=str(target)) + "\n")
        return EXIT_FAILURE
    try:
        pdf = render_letter(workspace.cases, workspace.clinic.details(), case, kind,
                            author=workspace.me.display_name)
    except NoAssessment:
        err.write(letter_text("cli.no_assessment", case=case.case_number) + "\n")
        return EXIT_FAILURE
    except (LetterNotReady, NotForSide) as error:
        err.write(str(error) + "\n")
        return EXIT_FAILURE
    if target.exists():  # created while rendering: still never replaced
        err.write(letter_text("cli.exists", file=str(target)) + "\n")
        return EXIT_FAILURE
    try:
        write_atomically(target, pdf)
    except WriteFailed as error:
        err.write(letter_text("cli.write_failed", file=str(target), reason=error.reason) + "\n")
        return EXIT_FAILURE
    workspace.cases.record_issued_document(case.id, kind, pdf, target.name)
    out.write(letter_text("cli.done", kind=letter_text(f"kind.{kind}"), case=case.case_number,
                          file=str(target), size=len(pdf)) + "\n")
    return EXIT_OK
