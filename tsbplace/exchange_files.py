"""Export and import files end to end, the same for ``tsbplace export``/``import`` and the
window: build the bytes, seal them when asked, write them atomically, record the export;
read a file, unseal it, check it whole, import it all or nothing.

Each step that can be slow takes a :class:`~tsbplace.progress.Progress` and checks it
before anything is written, so a cancelled export leaves no file and a cancelled import
changes nothing. Every refusal is an :class:`ExchangeRefused` with the user's message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from tsbplace.case_exchange import (
    ExportedCase,
    ImportResult,
    export_bytes,
    export_case,
    import_case,
    parse_export,
)
from tsbplace.case_file import CaseFileError
from tsbplace.cases import CaseService
from tsbplace.content.model import Content
from tsbplace.fhir_export import fhir_bundle
from tsbplace.files import WriteFailed, write_atomically
from tsbplace.i18n import current_language, tr
from tsbplace.progress import NO_PROGRESS, Progress
from tsbplace.quality_export import quality_csv
from tsbplace.seal_commands import REASONS
from tsbplace.sealed_files import MAGIC, SealedFileError, is_sealed, seal, unseal
from tsbplace.security.passwords import password_problem

__all__ = ["EXPORT_FORMATS", "ExchangeRefused", "case_export_data", "export_case_file", "export_kind",
           "export_quality_file", "file_is_sealed", "import_case_export", "import_case_file",
           "read_case_export"]

EXPORT_FORMATS = ("json", "fhir")  # one case; the quality data is always CSV


class ExchangeRefused(Exception):
    """An export or import refused or failed with nothing written or changed. ``message`` is
    for the user, in their language; ``details`` holds one line per problem of a case file."""

    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = tuple(details)


def export_kind(fmt: str, sealed: bool) -> str:
    """What the export is recorded as: ``export-json``, ``export-fhir-sealed``, ``export-csv`` …"""
    return f"export-{fmt}" + ("-sealed" if sealed else "")


def case_export_data(service: CaseService, case_id: int, fmt: str) -> bytes:
    """One case as a version 2 case file (``json``) or a FHIR R4 Bundle (``fhir``)."""
    if fmt == "fhir":
        bundle = fhir_bundle(service, case_id, language=current_language())
        return json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    if fmt != "json":
        raise ValueError(f"fmt must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    return export_bytes(export_case(service, case_id))


def _check_passphrase(passphrase: str | None) -> None:
    if passphrase is not None and (problem := password_problem(passphrase)) is not None:
        raise ExchangeRefused(problem)


def _sealed(data: bytes, passphrase: str | None, progress: Progress) -> bytes:
    if passphrase is None:
        return data
    progress.check()
    return seal(data, passphrase)  # argon2id: the one slow step, and it cannot be interrupted


def _write(target: Path, data: bytes, replace: bool, progress: Progress) -> None:
    """The last moment to cancel; then the whole file or none of it."""
    progress.check()
    if target.exists() and not replace:
        raise ExchangeRefused(tr("exchange.exists", file=str(target)))
    try:
        write_atomically(target, data)
    except WriteFailed as error:
        raise ExchangeRefused(tr("exchange.write_failed", reason=error.reason)) from error


def export_case_file(service: CaseService, case_id: int, fmt: str, target: Path, *,
                     passphrase: str | None = None, replace: bool = False,
                     progress: Progress = NO_PROGRESS) -> bytes:
    """Write one case to ``target`` (sealed with ``passphrase`` if given) and record it on the
    case (``case.exported``). An existing file is refused unless ``replace`` (the window's
    save dialog has asked). Returns the bytes written."""
    _check_passphrase(passphrase)
    progress.check()
    data = _sealed(case_export_data(service, case_id, fmt), passphrase, progress)
    _write(target, data, replace, progress)
    service.record_issued_document(case_id, export_kind(fmt, passphrase is not None), data, target.name)
    return data


def export_quality_file(service: CaseService, target: Path, *, passphrase: str | None = None,
                        replace: bool = False, progress: Progress = NO_PROGRESS) -> bytes:
    """Write the de-identified quality CSV of every case to ``target`` and audit it; ``progress``
    hears each case done of the total."""
    _check_passphrase(passphrase)
    data = _sealed(quality_csv(service, progress), passphrase, progress)
    _write(target, data, replace, progress)
    service.record_export(export_kind("csv", passphrase is not None), data)
    return data


def _read(source: Path, size: int = -1) -> bytes:
    try:
        with source.open("rb") as file:
            return file.read(size)
    except OSError as error:
        raise ExchangeRefused(tr("cli.seal.unreadable", file=str(source),
                                 reason=error.strerror or str(error))) from error


def file_is_sealed(source: Path) -> bool:
    """Whether ``source`` is a sealed file, so the front end knows to ask for the passphrase."""
    return is_sealed(_read(source, len(MAGIC)))


def read_case_export(source: Path, content: Content, passphrase: str | None = None,
                     progress: Progress = NO_PROGRESS) -> ExportedCase:
    """Read, unseal (when sealed) and check a case file whole; nothing is written."""
    raw = _read(source)
    if is_sealed(raw):
        if passphrase is None:
            raise ExchangeRefused(tr("exchange.needs_passphrase"))
        progress.check()
        try:
            raw = unseal(raw, passphrase)
        except SealedFileError as error:
            raise ExchangeRefused(tr(REASONS[error.reason])) from error
    progress.check()
    try:
        return parse_export(raw, content)
    except CaseFileError as error:
        raise ExchangeRefused(tr("cli.import.refused", count=len(error.problems)),
                              [str(problem) for problem in error.problems]) from error


def import_case_export(service: CaseService, exported: ExportedCase, on_duplicate: str = "refuse",
                       progress: Progress = NO_PROGRESS) -> ImportResult:
    """Import a checked case file in one transaction (audited ``case.imported`` by itself)."""
    progress.check()  # the last moment to cancel: the import is one commit
    try:
        return import_case(service, exported, on_duplicate)
    except CaseFileError as error:
        raise ExchangeRefused(tr("cli.import.refused", count=len(error.problems)),
                              [str(problem) for problem in error.problems]) from error


def import_case_file(service: CaseService, source: Path, passphrase: str | None = None,
                     on_duplicate: str = "refuse", progress: Progress = NO_PROGRESS) -> ImportResult:
    """:func:`read_case_export` then :func:`import_case_export`."""
    return import_case_export(service, read_case_export(source, service.content, passphrase, progress),
                              on_duplicate, progress)
