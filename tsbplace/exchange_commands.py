"""``tsbplace export`` and ``tsbplace import``: a case as a versioned case file (JSON) or a
FHIR R4 Bundle, the clinic's de-identified quality data as CSV, and a case file read back.

Every file is written atomically (a crash or a full disk leaves no half file) and never
over an existing one; ``--seal`` seals it with a passphrase for removable media (the
next line of standard input). Each export is recorded and audited; an import is audited
by the import itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from tsbplace.access import Workspace
from tsbplace.exchange_files import (
    ExchangeRefused,
    export_case_file,
    export_quality_file,
    file_is_sealed,
    import_case_file,
)
from tsbplace.i18n import tr
from tsbplace.letter_commands import find_case

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _refused(error: ExchangeRefused, err: TextIO) -> int:
    err.write(error.message + "\n")
    for line in error.details:
        err.write(f"  {line}\n")
    return EXIT_FAILURE


def export_command(workspace: Workspace, case_number: str | None, all_cases: bool, fmt: str,
                   target: Path, passphrase: str | None, out: TextIO, err: TextIO) -> int:
    """One case as ``json`` or ``fhir``; ``--all --format csv`` for the quality data."""
    if (fmt == "csv") != all_cases or (case_number is None) != all_cases:
        err.write(tr("cli.export.usage") + "\n")
        return EXIT_USAGE
    try:
        if case_number is None:
            export_quality_file(workspace.cases, target, passphrase=passphrase)
        else:
            case = find_case(workspace, case_number)
            if case is None:
                err.write(tr("cli.audit.no_case", case=case_number) + "\n")
                return EXIT_FAILURE
            export_case_file(workspace.cases, case.id, fmt, target, passphrase=passphrase)
    except ExchangeRefused as error:
        return _refused(error, err)
    out.write(tr("cli.export.done", file=str(target)) + "\n")
    return EXIT_OK


def import_command(workspace: Workspace, source: Path, on_duplicate: str, stdin: TextIO, out: TextIO,
                   err: TextIO) -> int:
    """Read a case file (sealed or not: a sealed one takes its passphrase from standard input),
    check it whole and import it all or nothing."""
    try:
        passphrase = stdin.readline().rstrip("\r\n") if file_is_sealed(source) else None
        result = import_case_file(workspace.cases, source, passphrase, on_duplicate)
    except ExchangeRefused as error:
        return _refused(error, err)
    key = "cli.import.skipped" if result.skipped else "cli.import.done"
    out.write(tr(key, case=result.case_number, versions=len(result.revisions)) + "\n")
    return EXIT_OK
