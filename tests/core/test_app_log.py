"""The application log and crash reports never hold patient names or ID numbers (Normen)."""

from __future__ import annotations

import io
import logging
import os
import stat
import sys
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace import app_log
from tsbplace.app_log import (
    configure_logging,
    forget_sensitive,
    install_crash_handler,
    redact,
    redact_also,
    uninstall_crash_handler,
)

SPACED_ID = f"{PATIENT_ID[:6]} {PATIENT_ID[6:]}"
NAME_PARTS = PATIENT_NAME.split()
CRASH_NAME = " ".join(NAME_PARTS[:2])  # "Áile Ŋuolja": part of a name, as it might slip into a message
SECRET = "hemmelig-notat-om-pasienten"
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="Windows has no POSIX modes")

log = logging.getLogger("tsbplace.test_app_log")


@pytest.fixture(autouse=True)
def clean_state() -> Iterator[None]:
    """Every test starts and ends with no app_log handler, names or hooks installed."""
    logger = logging.getLogger(app_log.LOGGER_NAME)
    level, handlers = logger.level, list(logger.handlers)
    hooks = (sys.excepthook, threading.excepthook)
    yield
    app_log.close_logging()
    forget_sensitive()
    uninstall_crash_handler()
    logger.setLevel(level)
    assert list(logger.handlers) == handlers
    assert (sys.excepthook, threading.excepthook) == hooks


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    return configure_logging(tmp_path / "logs")


def log_bytes(path: Path) -> bytes:
    for handler in app_log._our_handlers():
        handler.flush()
    return path.read_bytes()


def assert_no_patient_data(data: bytes) -> None:
    for secret in (PATIENT_ID, PATIENT_ID[:6], PATIENT_ID[6:], *NAME_PARTS, SECRET):
        assert secret.encode() not in data, secret


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- redact alone -----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    PATIENT_ID, SPACED_ID, f"{PATIENT_ID[:6]}.{PATIENT_ID[6:]}", f"{PATIENT_ID[:6]}-{PATIENT_ID[6:]}",
    f"{PATIENT_ID[:6]}\u00a0{PATIENT_ID[6:]}", f"{PATIENT_ID}9",
])
def test_id_numbers_in_every_typed_form_are_redacted(text: str) -> None:
    assert redact(f"fnr={text}, slutt") == "fnr=[id-nr], slutt"


@pytest.mark.parametrize("text", ["case 1234567890", "tlf 987 65 432", "2024-05-17T12:00:00", "12345 123456"])
def test_other_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_registered_names_are_redacted_ignoring_case_and_spacing() -> None:
    redact_also(PATIENT_NAME)
    assert redact(f"Lagret {PATIENT_NAME}.") == "Lagret [navn]."
    assert redact(f"lagret {PATIENT_NAME.upper()}") == "lagret [navn]"
    assert redact("áile  ŋUOLJA\nsárá øvergård") == "[navn]"


def test_a_decomposed_name_is_redacted_too() -> None:
    redact_also(PATIENT_NAME)
    assert redact(unicodedata.normalize("NFD", PATIENT_NAME)) == "[navn]"


def test_the_longest_registered_text_wins() -> None:
    redact_also("Sárá", PATIENT_NAME)
    assert redact(PATIENT_NAME) == "[navn]"
    assert redact("Sárá alene") == "[navn] alene"


def test_short_strings_are_not_registered() -> None:
    redact_also("Li", "Bo", " a ", "")
    assert redact("Li Bo bor i Alta") == "Li Bo bor i Alta"


def test_forget_sensitive_forgets() -> None:
    redact_also(PATIENT_NAME)
    forget_sensitive()
    assert redact(PATIENT_NAME) == PATIENT_NAME


# --- the log file -----------------------------------------------------------------------


def test_log_file_is_created_owner_only(tmp_path: Path) -> None:
    path = configure_logging(tmp_path / "logs")
    assert path == (tmp_path / "logs" / "tsbplace.log").resolve()
    assert path.is_file()
    if sys.platform != "win32":
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700


@POSIX_ONLY
def test_rotated_files_stay_owner_only(log_file: Path) -> None:
    log.info("first")
    [handler] = app_log._our_handlers()
    handler.doRollover()
    log.info("second")
    assert mode(log_file) == 0o600
    assert mode(log_file.with_name("tsbplace.log.1")) == 0o600


def test_configuring_twice_gives_one_handler(tmp_path: Path) -> None:
    first = configure_logging(tmp_path / "logs")
    second = configure_logging(tmp_path / "logs", level=logging.DEBUG)
    assert first == second
    assert len(app_log._our_handlers()) == 1
    assert logging.getLogger("tsbplace").level == logging.DEBUG


def test_configuring_a_new_folder_moves_the_log(tmp_path: Path) -> None:
    configure_logging(tmp_path / "old")
    path = configure_logging(tmp_path / "new")
    log.info("hier")
    assert len(app_log._our_handlers()) == 1
    assert b"hier" in log_bytes(path)


def test_lines_carry_iso_time_level_logger_and_message(log_file: Path) -> None:
    log.warning("case %d saved", 42)
    line = log_bytes(log_file).decode().splitlines()[-1]
    stamp, level, name, message = line.split(" ", 3)
    assert stamp[4] == "-" and stamp[10] == "T"
    assert (level, name, message) == ("WARNING", "tsbplace.test_app_log", "case 42 saved")


@pytest.mark.parametrize("emit", [
    lambda: log.info("loaded %s", PATIENT_ID),
    lambda: log.info(f"loaded {PATIENT_ID}"),
    lambda: log.info("loaded %s", SPACED_ID),
    lambda: log.info(f"loaded {SPACED_ID}"),
], ids=["in args", "in message", "spaced in args", "spaced in message"])
def test_id_numbers_never_reach_the_file(log_file: Path, emit: object) -> None:
    assert callable(emit)
    emit()
    data = log_bytes(log_file)
    assert b"loaded [id-nr]" in data
    assert_no_patient_data(data)


def test_exception_tracebacks_are_redacted(log_file: Path) -> None:
    redact_also(PATIENT_NAME, *NAME_PARTS)
    try:
        raise ValueError(f"bad patient {CRASH_NAME} {SPACED_ID} / {PATIENT_ID}")
    except ValueError:
        log.exception("import failed")
    data = log_bytes(log_file)
    assert b"ValueError: bad patient [navn] [navn] [id-nr] / [id-nr]" in data
    assert b"Traceback" in data
    assert_no_patient_data(data)


def test_a_registered_name_never_reaches_the_file(log_file: Path) -> None:
    redact_also(PATIENT_NAME)
    log.info("opened %s", PATIENT_NAME.lower())
    data = log_bytes(log_file)
    assert b"opened [navn]" in data
    assert_no_patient_data(data)


def test_warnings_are_logged_redacted(log_file: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"odd number {PATIENT_ID}", UserWarning, stacklevel=1)
    data = log_bytes(log_file)
    assert b"py.warnings" in data and b"odd number [id-nr]" in data
    assert_no_patient_data(data)


def test_a_bad_format_string_does_not_raise(log_file: Path) -> None:
    log.info("two %s %s", PATIENT_ID)
    assert_no_patient_data(log_bytes(log_file))


# --- crash reports ----------------------------------------------------------------------


def process_patient() -> None:
    note = "-".join(["hemmelig", "notat", "om", "pasienten"])  # a local that must not be reported
    if note:
        raise ValueError(f"bad patient {CRASH_NAME} {PATIENT_ID}")


def crash_through_the_hook() -> None:
    try:
        process_patient()
    except ValueError:
        assert sys.excepthook(*sys.exc_info()) is None


def crash_reports(folder: Path) -> list[Path]:
    return sorted(folder.glob("crash-*.txt"))


def test_crash_report_holds_versions_and_no_patient_data(tmp_path: Path) -> None:
    log_path = configure_logging(tmp_path / "logs")
    redact_also(PATIENT_NAME, *NAME_PARTS)
    stderr = io.StringIO()
    install_crash_handler(tmp_path / "logs", stderr=stderr)
    crash_through_the_hook()

    [report] = crash_reports(tmp_path / "logs")
    text = report.read_text(encoding="utf-8")
    assert_no_patient_data(report.read_bytes())
    assert "ValueError: bad patient [navn] [navn] [id-nr]" in text
    assert "process_patient" in text
    assert f"TSBplace {app_log._program_version()}" in text
    assert f"Python {sys.version.split()[0]}" in text and "Platform " in text
    if sys.platform != "win32":
        assert mode(report) == 0o600

    said = stderr.getvalue()
    assert str(report) in said and said.count("\n") == 1
    assert_no_patient_data(said.encode())
    critical = [line for line in log_bytes(log_path).decode().splitlines() if " CRITICAL " in line]
    assert len(critical) == 1 and str(report) in critical[0]


def test_two_crashes_in_one_second_get_two_reports(tmp_path: Path) -> None:
    install_crash_handler(tmp_path, stderr=io.StringIO())
    crash_through_the_hook()
    crash_through_the_hook()
    assert len(crash_reports(tmp_path)) == 2


def test_a_crash_in_another_thread_is_reported(tmp_path: Path) -> None:
    redact_also(PATIENT_NAME, *NAME_PARTS)
    stderr = io.StringIO()
    install_crash_handler(tmp_path, stderr=stderr)
    worker = threading.Thread(target=process_patient, name="worker-7")
    worker.start()
    worker.join()
    [report] = crash_reports(tmp_path)
    assert "Thread worker-7" in report.read_text(encoding="utf-8")
    assert_no_patient_data(report.read_bytes())
    assert str(report) in stderr.getvalue()


def test_uninstall_restores_the_previous_hooks(tmp_path: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    install_crash_handler(tmp_path / "a")
    install_crash_handler(tmp_path / "b")
    assert sys.excepthook is not before[0]
    uninstall_crash_handler()
    assert (sys.excepthook, threading.excepthook) == before


@pytest.fixture
def locked_folder(tmp_path: Path) -> Iterator[Path]:
    if sys.platform == "win32" or os.geteuid() == 0:
        pytest.skip("root, or Windows, can write anywhere this test could lock")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    locked.chmod(0o500)
    yield locked
    locked.chmod(0o700)


def test_unwritable_folder_falls_back_to_stderr(locked_folder: Path) -> None:
    redact_also(PATIENT_NAME, *NAME_PARTS)
    stderr = io.StringIO()
    install_crash_handler(locked_folder / "logs", stderr=stderr)
    crash_through_the_hook()
    said = stderr.getvalue()
    assert "kunne ikke" in said and "ValueError: bad patient [navn] [navn] [id-nr]" in said
    assert_no_patient_data(said.encode())
    assert not (locked_folder / "logs").exists()


def test_a_folder_that_cannot_be_made_falls_back_to_stderr(tmp_path: Path) -> None:
    # Runs as root too: not even root can make a folder inside a regular file.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    stderr = io.StringIO()
    install_crash_handler(blocker / "logs", stderr=stderr)
    crash_through_the_hook()
    said = stderr.getvalue()
    assert "kunne ikke" in said and "ValueError: bad patient" in said
    assert PATIENT_ID not in said
