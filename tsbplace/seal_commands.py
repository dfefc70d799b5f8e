"""``tsbplace seal FILE --out FILE`` and ``tsbplace unseal FILE --out FILE``: a case file
(or any file) sealed with a passphrase for removable media, and opened again
(:mod:`tsbplace.sealed_files`; the passphrase on standard input, never an argument)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from tsbplace.files import WriteFailed, write_atomically
from tsbplace.i18n import tr
from tsbplace.sealed_files import Reason, SealedFileError, seal, unseal
from tsbplace.security.passwords import password_problem

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

REASONS = {  # the sealing module's stable codes, in the user's language
    Reason.NOT_SEALED: "cli.seal.not_sealed",
    Reason.UNSUPPORTED_VERSION: "cli.seal.unsupported_version",
    Reason.BAD_PARAMETERS: "cli.seal.bad_parameters",
    Reason.TRUNCATED: "cli.seal.truncated",
    Reason.WRONG_PASSPHRASE_OR_DAMAGED: "cli.seal.wrong_passphrase_or_damaged",
    Reason.EMPTY_PASSPHRASE: "cli.seal.empty_passphrase",
}


def _passphrase(passphrase_stdin: bool, stdin: TextIO, err: TextIO) -> str | None:
    if not passphrase_stdin:
        err.write(tr("cli.seal.needs_passphrase_stdin") + "\n")
        return None
    return stdin.readline().rstrip("\r\n")


def _read(source: Path, err: TextIO) -> bytes | None:
    try:
        return source.read_bytes()
    except OSError as error:
        err.write(tr("cli.seal.unreadable", file=str(source), reason=error.strerror or str(error)) + "\n")
        return None


def _write(target: Path, data: bytes, out: TextIO, err: TextIO, done_key: str) -> int:
    if target.exists():
        err.write(tr("cli.backup.exists", file=str(target)) + "\n")
        return EXIT_FAILURE
    try:
        write_atomically(target, data)
    except WriteFailed as error:
        err.write(tr("cli.backup.failed", reason=error.reason) + "\n")
        return EXIT_FAILURE
    out.write(tr(done_key, file=str(target)) + "\n")
    return EXIT_OK


def seal_command(source: Path, target: Path, passphrase_stdin: bool, stdin: TextIO, out: TextIO,
                 err: TextIO) -> int:
    passphrase = _passphrase(passphrase_stdin, stdin, err)
    if passphrase is None:
        return EXIT_USAGE
    if (problem := password_problem(passphrase)) is not None:
        err.write(problem + "\n")
        return EXIT_FAILURE
    data = _read(source, err)
    if data is None:
        return EXIT_FAILURE
    return _write(target, seal(data, passphrase), out, err, "cli.seal.sealed")


def unseal_command(source: Path, target: Path, passphrase_stdin: bool, stdin: TextIO, out: TextIO,
                   err: TextIO) -> int:
    passphrase = _passphrase(passphrase_stdin, stdin, err)
    if passphrase is None:
        return EXIT_USAGE
    data = _read(source, err)
    if data is None:
        return EXIT_FAILURE
    try:
        opened = unseal(data, passphrase)
    except SealedFileError as error:
        err.write(tr(REASONS[error.reason]) + "\n")
        return EXIT_FAILURE
    return _write(target, opened, out, err, "cli.seal.unsealed")
