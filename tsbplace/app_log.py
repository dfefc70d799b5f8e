"""The application log and crash reports, kept free of patient data.

Why: Normen (the Norwegian health-sector security norm) requires that logs, crash reports
and temporary files never hold patient names or ID numbers. Log files are copied into
support tickets and backups where health data must never go, so everything written here
passes through ``redact``: runs of 11 digits and the typed ``DDMMYY NNNNN`` form become
``[id-nr]``, and every name registered with ``redact_also`` becomes ``[navn]``. Files are
owner-only (0600 in a 0700 folder) all the same. Crash reports hold the traceback without
local variables, since locals are where patient records live.

What callers must do:

* Log codes and ids (case id, rule id, error class), never free text a clinician typed.
* Call ``redact_also(full_name, given_name, family_name)`` whenever a patient record is
  loaded, so a name that slips into an exception message is caught. Redaction is the safety
  net, not the plan: a name typed with a spelling never registered passes through.
* Call ``configure_logging`` and ``install_crash_handler`` once at start-up.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import logging.handlers
import os
import platform
import re
import stat
import sys
import threading
import traceback
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from io import TextIOWrapper
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from tsbplace.locations import ensure_private_dir, ensure_private_file

LOGGER_NAME = "tsbplace"
WARNINGS_LOGGER_NAME = "py.warnings"  # where logging.captureWarnings sends warnings
LOG_FILE = "tsbplace.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

ID_MARK = "[id-nr]"
NAME_MARK = "[navn]"
MIN_SENSITIVE_LENGTH = 3  # shorter strings would blank out ordinary words

# Eleven digits (or more: an ID typed with an extra digit is still an ID), or six and five
# split by one space, dot or hyphen as people type them. Digits either side keep a longer
# number from being cut into an ID-shaped piece and a leftover.
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{11,}|\d{6}[ .\-\u00a0]\d{5})(?!\d)")

_sensitive_lock = threading.Lock()
_sensitive: set[str] = set()
_sensitive_pattern: re.Pattern[str] | None = None

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]
ThreadExceptHook = Callable[[threading.ExceptHookArgs], Any]


# --- redaction --------------------------------------------------------------------------


def _normalise(text: str) -> str:
    # A name stored as NFC must still match when a message carries it decomposed (NFD).
    return unicodedata.normalize("NFC", text)


def _name_pattern(names: set[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    # Longest first, so "Sárá Øvergård" is replaced whole before "Sárá" could split it;
    # any whitespace between name parts matches, as names get re-wrapped and re-spaced.
    ordered = sorted(names, key=len, reverse=True)
    alternatives = (r"\s+".join(re.escape(part) for part in name.split()) for name in ordered)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def redact_also(*texts: str) -> None:
    """Register texts (patient names) to be replaced by ``[navn]`` wherever they appear.

    Matching ignores case and whitespace differences. Texts shorter than three characters
    are ignored, since they would blank out ordinary words.
    """
    global _sensitive_pattern
    added = {_normalise(" ".join(text.split())) for text in texts}
    added = {text for text in added if len(text) >= MIN_SENSITIVE_LENGTH}
    if not added:
        return
    with _sensitive_lock:
        _sensitive.update(added)
        _sensitive_pattern = _name_pattern(_sensitive)


def forget_sensitive() -> None:
    """Forget every registered text (for tests, and when a workstation session ends)."""
    global _sensitive_pattern
    with _sensitive_lock:
        _sensitive.clear()
        _sensitive_pattern = None


def redact(text: str) -> str:
    """``text`` with ID numbers replaced by ``[id-nr]`` and registered names by ``[navn]``."""
    result = _normalise(text)
    pattern = _sensitive_pattern  # one read: another thread may swap in a new pattern
    if pattern is not None:
        result = pattern.sub(NAME_MARK, result)
    return _ID_NUMBER.sub(ID_MARK, result)


# --- the log file ---------------------------------------------------------------------


class RedactingFilter(logging.Filter):
    """Replaces each record's message with its redacted, fully formatted text.

    The record is changed in place, so every handler that sees it after this one gets the
    redacted text too. Exception text is redacted by ``RedactingFormatter``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not turn logging into a crash
            message = f"{record.msg!s} (the log arguments could not be formatted)"
        record.msg, record.args = redact(message), None
        if record.exc_text:  # cached by another handler's formatter, perhaps unredacted
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RedactingFormatter(logging.Formatter):
    """ISO-time formatter whose whole output, tracebacks included, is redacted."""

    def __init__(self) -> None:
        super().__init__(LOG_FORMAT)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = dt.datetime.fromtimestamp(record.created).astimezone()
        return moment.isoformat(timespec="milliseconds")

    def formatException(self, ei: Any) -> str:
        # Redacted here as well as in format(): the result is cached on the record, where
        # other handlers would pick it up.
        return redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info))

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose every file, after rollover too, is owner-only."""

    def _open(self) -> TextIOWrapper:
        # The stock handler opens with the process umask (often 0644) on each rollover.
        ensure_private_file(Path(self.baseFilename))
        return super()._open()


def _our_handlers() -> list[PrivateRotatingFileHandler]:
    handlers = logging.getLogger(LOGGER_NAME).handlers
    return [handler for handler in handlers if isinstance(handler, PrivateRotatingFileHandler)]


def _new_handler(path: Path) -> PrivateRotatingFileHandler:
    ensure_private_file(path)
    handler = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                         encoding="utf-8")
    handler.addFilter(RedactingFilter())
    handler.setFormatter(RedactingFormatter())
    return handler


def configure_logging(log_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send the ``tsbplace`` loggers and Python warnings to ``<log_dir>/tsbplace.log``.

    The file rotates (1 MB × 5), is owner-only and redacted. Calling again sets the level
    and, if ``log_dir`` changed, moves the log there; it never adds a second handler.
    """
    path = (ensure_private_dir(log_dir) / LOG_FILE).resolve()
    existing = _our_handlers()
    if [Path(handler.baseFilename) for handler in existing] != [path]:
        close_logging()
        handler = _new_handler(path)
        logging.getLogger(LOGGER_NAME).addHandler(handler)
        logging.getLogger(WARNINGS_LOGGER_NAME).addHandler(handler)
    logging.getLogger(LOGGER_NAME).setLevel(level)
    logging.captureWarnings(True)
    return path


def close_logging() -> None:
    """Remove and close the handler ``configure_logging`` added; stop capturing warnings."""
    for handler in _our_handlers():
        for name in (LOGGER_NAME, WARNINGS_LOGGER_NAME):
            logging.getLogger(name).removeHandler(handler)
        handler.close()
    logging.captureWarnings(False)


# --- crash reports --------------------------------------------------------------------


@dataclass
class _CrashSettings:
    log_dir: Path
    stderr: TextIO | None
    previous_hook: ExceptHook
    previous_thread_hook: ThreadExceptHook


_crash_settings: _CrashSettings | None = None
_crash_logger = logging.getLogger(f"{LOGGER_NAME}.crash")


def _program_version() -> str:
    import tsbplace  # the package itself: already imported, and never Qt

    return str(getattr(tsbplace, "__version__", "unknown"))


def crash_report_text(exc_type: type[BaseException], exc: BaseException | None,
                      tb: TracebackType | None, *, thread_name: str | None = None) -> str:
    """The redacted text of a crash report: versions, platform and the traceback.

    Local variables are never included (the traceback module leaves them out by default);
    they are where patient records would be.
    """
    if exc is None:  # threading.excepthook may pass no exception object
        frames = "".join(traceback.format_tb(tb))
        trace = f"Traceback (most recent call last):\n{frames}{exc_type.__name__}\n"
    else:
        trace = "".join(traceback.format_exception(exc_type, exc, tb))
    lines = [
        f"TSBplace {_program_version()}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Platform {platform.platform()}",
        f"Time {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
    ]
    if thread_name is not None:
        lines.append(f"Thread {thread_name}")
    return redact("\n".join(lines) + "\n\n" + trace)


def _create_report_file(log_dir: Path) -> tuple[Path, int]:
    # Seconds only: microseconds would make an 11-digit run that redaction would eat.
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    ensure_private_dir(log_dir)
    for attempt in range(1, 100):
        suffix = "" if attempt == 1 else f"-{attempt}"
        path = log_dir / f"crash-{stamp}{suffix}.txt"
        try:  # O_EXCL: two crashes in one second must not overwrite each other
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        if sys.platform != "win32":
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        return path, fd
    raise FileExistsError(f"too many crash reports in {log_dir} this second")


def write_crash_report(log_dir: Path, text: str) -> Path:
    """Write ``text`` to a new owner-only ``crash-<UTC time>.txt`` in ``log_dir``."""
    path, fd = _create_report_file(log_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as report:
        report.write(text)
    return path


def _say(stderr: TextIO | None, text: str) -> None:
    # Under pythonw on Windows sys.stderr is None; a closed stream must not crash us either.
    if stderr is None:
        return
    with contextlib.suppress(Exception):
        print(text, file=stderr, flush=True)


def _report_crash(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
                  thread_name: str | None = None) -> None:
    settings = _crash_settings
    if settings is None:
        return
    stderr = settings.stderr if settings.stderr is not None else sys.stderr
    text = crash_report_text(exc_type, exc, tb, thread_name=thread_name)
    try:
        path = write_crash_report(settings.log_dir, text)
    except OSError as error:
        _crash_logger.critical("Uncaught %s; no crash report could be written (%s)",
                               exc_type.__name__, type(error).__name__)
        _say(stderr, "TSBplace stoppet på grunn av en uventet feil, og feilrapporten kunne ikke "
                     "lagres; her er den, uten pasientopplysninger:\n\n" + text)
        return
    _crash_logger.critical("Uncaught %s; crash report written to %s", exc_type.__name__, path)
    _say(stderr, f"TSBplace stoppet på grunn av en uventet feil; en feilrapport uten "
                 f"pasientopplysninger er lagret i {path}")


def _handle_uncaught(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
    settings = _crash_settings
    if settings is not None and issubclass(exc_type, KeyboardInterrupt):
        settings.previous_hook(exc_type, exc, tb)  # Ctrl-C is a choice, not a crash
        return
    _report_safely(exc_type, exc, tb)


def _handle_thread_exception(args: threading.ExceptHookArgs) -> None:
    if issubclass(args.exc_type, SystemExit):  # threads end quietly on SystemExit, as by default
        return
    thread_name = args.thread.name if args.thread is not None else None
    _report_safely(args.exc_type, args.exc_value, args.exc_traceback, thread_name)


def _report_safely(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
                   thread_name: str | None = None) -> None:
    # An exception hook that raises loses the original error and prints an unredacted
    # traceback of its own; whatever goes wrong here ends in one plain sentence.
    try:
        _report_crash(exc_type, exc, tb, thread_name)
    except Exception:
        _say(sys.__stderr__, f"TSBplace stoppet på grunn av en uventet feil ({exc_type.__name__}).")


def install_crash_handler(log_dir: Path, *, stderr: TextIO | None = None) -> None:
    """Write a redacted crash report to ``log_dir`` for any uncaught exception.

    Covers the main thread (``sys.excepthook``) and other threads (``threading.excepthook``).
    ``stderr`` is where the one-sentence notice goes; ``None`` means ``sys.stderr`` at the
    time of the crash. Installing again changes the folder and stream, keeping the hooks
    that were there before the first install for ``uninstall_crash_handler``.
    """
    global _crash_settings
    if _crash_settings is None:
        _crash_settings = _CrashSettings(log_dir, stderr, sys.excepthook, threading.excepthook)
    else:
        _crash_settings.log_dir, _crash_settings.stderr = log_dir, stderr
    sys.excepthook = _handle_uncaught
    threading.excepthook = _handle_thread_exception


def uninstall_crash_handler() -> None:
    """Put back the exception hooks that were there before ``install_crash_handler``."""
    global _crash_settings
    if _crash_settings is None:
        return
    sys.excepthook = _crash_settings.previous_hook
    threading.excepthook = _crash_settings.previous_thread_hook
    _crash_settings = None
