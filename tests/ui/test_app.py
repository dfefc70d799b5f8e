"""Starting the program: the log first, then the first-start dialog or signing in;
cancelling ends cleanly, and the main window runs as the signed-in user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.conftest import LEAD_PASSWORD
from tsbplace import app_log
from tsbplace.access import Workspace, sign_in
from tsbplace.locations import Locations
from tsbplace.services import StoreTooNew
from tsbplace.ui import app as app_module
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import QApplication, QSettings
from tsbplace.ui.setup_dialog import SetupDialog
from tsbplace.ui.sign_in_dialog import SignInDialog


@pytest.fixture(autouse=True)
def quiet_start(monkeypatch, tmp_path: Path) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Throw-away settings, no blocking event loop or message box, hooks put back."""
    shown: list[str] = []
    settings_file = str(tmp_path / "settings.ini")
    monkeypatch.setattr(app_module, "QSettings", lambda: QSettings(settings_file, QSettings.Format.IniFormat))
    monkeypatch.setattr(app_module.QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(QApplication, "exec", lambda _self: 0)
    yield shown
    app_log.uninstall_crash_handler()
    app_log.close_logging()


def test_cancelling_the_first_start_exits_cleanly(monkeypatch, locations: Locations) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def cancel(_self: SetupDialog) -> int:
        seen.append("setup")
        return 0

    monkeypatch.setattr(SetupDialog, "exec", cancel)
    assert app_module.run_app(locations) == 0
    assert seen == ["setup"]
    assert (locations.data_dir / "logs").is_dir()  # logging started before anything else


def test_signing_in_opens_the_main_window_as_that_user(  # type: ignore[no-untyped-def]
        monkeypatch, workspace: Workspace) -> None:
    workspace.close()
    windows: list[MainWindow] = []

    def sign_in_at_once(self: SignInDialog) -> int:
        assert self.user_name_edit.text() == ""
        self.workspace = sign_in(self.locations, "kari", LEAD_PASSWORD)
        return 1

    original_show = MainWindow.show

    def show(self: MainWindow) -> None:
        windows.append(self)
        original_show(self)

    monkeypatch.setattr(SignInDialog, "exec", sign_in_at_once)
    monkeypatch.setattr(MainWindow, "show", show)
    assert app_module.run_app(workspace.locations) == 0
    assert windows[0].user_name == "Kari Nordmann"
    assert windows[0].users_action is not None  # kari is the lead
    windows[0].close()


def test_store_errors_from_signing_in_keep_their_messages(  # type: ignore[no-untyped-def]
        monkeypatch, workspace: Workspace, quiet_start: list[str]) -> None:
    workspace.close()

    def too_new(self: SignInDialog) -> int:
        self.start_error = StoreTooNew()
        return 0

    monkeypatch.setattr(SignInDialog, "exec", too_new)
    assert app_module.run_app(workspace.locations) == 1
    assert quiet_start == ["Databasen er laget av en nyere versjon av TSBplace. "
                           "Oppdater programmet før du åpner den."]


def test_a_damaged_old_store_is_reported_before_any_setup(  # type: ignore[no-untyped-def]
        monkeypatch, quiet_start: list[str], locations: Locations) -> None:
    database = locations.data_dir / "tsbplace.sqlite3"
    database.parent.mkdir(parents=True)
    database.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"broken" * 100)
    monkeypatch.setattr(SetupDialog, "exec", lambda _self: pytest.fail("no setup over a damaged store"))
    assert app_module.run_app(locations) == 1
    [message] = quiet_start
    assert "tsbplace.sqlite3" in message or "skadet" in message.lower()


@pytest.mark.parametrize(("value", "minutes"), [
    (None, 10), ("5", 5), ("240", 240), ("0", 10), ("241", 10), ("never", 10), ("", 10)])
def test_the_lock_pause_is_ten_minutes_unless_set_within_bounds(value: str | None, minutes: int) -> None:
    environ = {} if value is None else {app_module.LOCK_MINUTES_ENV: value}
    assert app_module.lock_after_ms(environ) == minutes * 60_000


@pytest.mark.parametrize(("environ", "argv", "expected"), [
    ({}, ["tsbplace"], "en"), ({"TSBPLACE_LANGUAGE": "nb"}, ["tsbplace"], "nb"),
    ({}, ["tsbplace", "--language", "nb"], "nb")])
def test_the_saved_language_applies_unless_the_run_says_otherwise(
        tmp_path: Path, environ: dict[str, str], argv: list[str], expected: str) -> None:
    from tsbplace.i18n import current_language, set_language

    settings = QSettings(str(tmp_path / "lang.ini"), QSettings.Format.IniFormat)
    settings.setValue("ui/language", "en")
    set_language("nb")
    app_module.apply_saved_language(settings, environ, argv)
    assert current_language() == expected
