"""``tsbplace export`` and ``tsbplace import``: a case as a versioned case file (JSON) or a
FHIR R4 Bundle, the clinic's de-identified quality data as CSV, and a case file read back.

Every file is written atomically (a crash or a full disk leaves no half file) and never
over an existing one; ``--seal`` seals it with a passphrase for removable media (the
next line of standard input). Each export is recorded and audited; an import is audited
by the import itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from tsbplace.access import Workspace
from tsbplace.case_exchange import export_bytes, export_case, import_case, parse_export
from tsbplace.case_file import CaseFileError
from tsbplace.fhir_export import fhir_bundle
from tsbplace.files import WriteFailed, write_atomically
from tsbplace.i18n import current_language, tr
from tsbplace.letter_commands import find_case
from tsbplace.quality_export import quality_csv
from tsbplace.seal_commands import REASONS
from tsbplace.sealed_files import SealedFileError, is_sealed, seal, unseal
from tsbplace.security.passwords import password_problem

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _write(target: Path, data: bytes, err: TextIO) -> bool:
    if target.exists():
        err.write(tr("cli.backup.exists", file=str(target)) + "\n")
        return False
    try:
        write_atomically(target, data)
    except WriteFailed as error:
        err.write(tr("cli.backup.failed", reason=error.reason) + "\n")
        return False
    return True


def _case_data(workspace: Workspace, case_id: int, fmt: str) -> bytes:
    if fmt == "fhir":
        bundle = fhir_bundle(workspace.cases, case_id, language=current_language())
        return json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    return export_bytes(export_case(workspace.cases, case_id))


def export_command(workspace: Workspace, case_number: str | None, all_cases: bool, fmt: str,
                   target: Path, passphrase: str | None, out: TextIO, err: TextIO) -> int:
    """One case as ``json`` or ``fhir``; ``--all --format csv`` for the quality data."""
    if (fmt == "csv") != all_cases or (case_number is None) != all_cases:
        err.write(tr("cli.export.usage") + "\n")
        return EXIT_USAGE
    if passphrase is not None and (problem := password_problem(passphrase)) is not None:
        err.write(problem + "\n")
        return EXIT_FAILURE
    case_id = None
    if case_number is not None:
        case = find_case(workspace, case_number)
        if case is None:
            err.write(tr("cli.audit.no_case", case=case_number) + "\n")
            return EXIT_FAILURE
        case_id = case.id
    data = quality_csv(workspace.cases) if case_id is None else _case_data(workspace, case_id, fmt)
    if passphrase is not None:
        data = seal(data, passphrase)
    if not _write(target, data, err):
        return EXIT_FAILURE
    kind = f"export-{fmt}" + ("-sealed" if passphrase is not None else "")
    if case_id is None:
        workspace.cases.record_export(kind, data)
    else:
        workspace.cases.record_issued_document(case_id, kind, data, target.name)
    out.write(tr("cli.export.done", file=str(target)) + "\n")
    return EXIT_OK


def import_command(workspace: Workspace, source: Path, on_duplicate: str, stdin: TextIO, out: TextIO,
                   err: TextIO) -> int:
    """Read a case file (sealed or not: a sealed one takes its passphrase from standard input),
    check it whole and import it all or nothing."""
    try:
        raw = source.read_bytes()
    except OSError as error:
        err.write(tr("cli.seal.unreadable", file=str(source), reason=error.strerror or str(error)) + "\n")
        return EXIT_FAILURE
    if is_sealed(raw):
        try:
            raw = unseal(raw, stdin.readline().rstrip("\r\n"))
        except SealedFileError as error:
            err.write(tr(REASONS[error.reason]) + "\n")
            return EXIT_FAILURE
    try:
        result = import_case(workspace.cases, parse_export(raw, workspace.cases.content), on_duplicate)
    except CaseFileError as error:
        err.write(tr("cli.import.refused", count=len(error.problems)) + "\n")
        for problem in error.problems:
            err.write(f"  {problem}\n")
        return EXIT_FAILURE
    key = "cli.import.skipped" if result.skipped else "cli.import.done"
    out.write(tr(key, case=result.case_number, versions=len(result.revisions)) + "\n")
    return EXIT_OK
