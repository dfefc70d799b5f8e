"""Start the GUI: the log, the application object, the style, signing in (or the first
user on first start) and the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from tsbplace import __version__
from tsbplace.access import StoreKind, Workspace, store_kind
from tsbplace.app_log import close_logging, configure_logging, install_crash_handler
from tsbplace.content import ContentError, installed_content
from tsbplace.i18n import LANGUAGES, set_language, tr
from tsbplace.locations import Locations
from tsbplace.services import StoreDamaged, StoreTooNew, StoreUnavailable, check_before_opening
from tsbplace.ui.main_window import LOCK_AFTER_MS, MainWindow
from tsbplace.ui.qt import QApplication, QMessageBox, QSettings
from tsbplace.ui.settings_dialog import LANGUAGE_KEY
from tsbplace.ui.setup_dialog import START_ERRORS, SetupDialog
from tsbplace.ui.sign_in_dialog import SignInDialog
from tsbplace.ui.style import apply_style

LAST_USER_KEY = "session/last_user_name"  # a user name, never patient data


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("TSBplace")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("TSBplace")
    apply_style(app)
    return app


def damaged_message(error: StoreDamaged) -> str:
    """One calm message: what is wrong, that nothing changed, and how to restore."""
    if error.backup is None or error.restore_command is None:
        return tr("gui.start.store_damaged_no_backup", reason=error.reason, database=str(error.database))
    return tr("gui.start.store_damaged", reason=error.reason, database=str(error.database),
              backup=error.backup.name, command=error.restore_command)


def start_error_message(error: Exception, locations: Locations) -> str:
    """The calm sentence for a store or content problem found while opening the store."""
    if isinstance(error, ContentError):
        return tr("gui.start.content_invalid", details=str(error))
    if isinstance(error, StoreDamaged):
        return damaged_message(error)
    if isinstance(error, StoreTooNew):
        return tr("gui.start.store_too_new")
    if isinstance(error, StoreUnavailable):
        return tr("gui.start.store_unavailable", reason=error.reason, url=locations.database_url)
    raise error


LOCK_MINUTES_ENV = "TSBPLACE_LOCK_MINUTES"
LOCK_MINUTES_RANGE = range(1, 241)  # at most four hours: a forgotten screen must lock some time


def lock_after_ms(environ: Mapping[str, str]) -> int:
    """The inactivity pause before the screen locks: TSBPLACE_LOCK_MINUTES (1–240) or the
    default of 10 minutes; anything else is ignored rather than leaving the screen open."""
    try:
        minutes = int(environ.get(LOCK_MINUTES_ENV, ""))
    except ValueError:
        return LOCK_AFTER_MS
    return minutes * 60_000 if minutes in LOCK_MINUTES_RANGE else LOCK_AFTER_MS


def apply_saved_language(settings: QSettings, environ: Mapping[str, str], argv: list[str]) -> None:
    """The language chosen in Innstillinger on this computer, unless --language or
    TSBPLACE_LANGUAGE says otherwise for this run."""
    saved = str(settings.value(LANGUAGE_KEY, ""))
    explicit = "TSBPLACE_LANGUAGE" in environ or any(arg.startswith("--language") for arg in argv)
    if saved in LANGUAGES and not explicit:
        set_language(saved)


def open_workspace(locations: Locations, settings: QSettings) -> Workspace | int:
    """First start (no store, or an unencrypted one): create the first user; otherwise
    sign in. Or the exit code: 0 when the clinician cancels, 1 when the store cannot be
    opened (after saying why)."""
    try:
        installed_content()  # invalid content: say so before asking for a password
        kind = store_kind(locations)
        if kind is StoreKind.PLAIN:  # damaged or too new: say so before offering to set it up
            check_before_opening(locations)
    except START_ERRORS as error:
        QMessageBox.critical(None, "TSBplace", start_error_message(error, locations))
        return 1
    dialog: SetupDialog | SignInDialog
    if kind in (StoreKind.NEW, StoreKind.PLAIN):
        dialog = SetupDialog(locations, kind)
    else:
        dialog = SignInDialog(locations, user_name=str(settings.value(LAST_USER_KEY, "")))
    dialog.exec()
    if dialog.start_error is not None:
        QMessageBox.critical(None, "TSBplace", start_error_message(dialog.start_error, locations))
        return 1
    if dialog.workspace is None:
        return 0  # cancelled: nothing was opened
    settings.setValue(LAST_USER_KEY, dialog.workspace.me.user_name)
    return dialog.workspace


def run_app(locations: Locations) -> int:
    log_dir = locations.data_dir / "logs"
    configure_logging(log_dir)  # first: anything that goes wrong from here is logged, redacted
    install_crash_handler(log_dir)
    app = create_application()
    # The settings (organisation and application names above) remember only the last user
    # name and the last open case's id, so the next start continues there. The portable
    # variant keeps them beside its data rather than in the registry or the user's profile.
    if locations.portable:
        settings = QSettings(str(locations.data_dir / "settings.ini"), QSettings.Format.IniFormat)
    else:
        settings = QSettings()
    apply_saved_language(settings, os.environ, sys.argv)
    workspace = open_workspace(locations, settings)
    if isinstance(workspace, int):
        close_logging()
        return workspace
    try:
        window = MainWindow(workspace.cases, user_name=workspace.me.display_name, settings=settings,
                            accounts=workspace.accounts, lock_after_ms=lock_after_ms(os.environ),
                            clinic=workspace.clinic)
        window.show()
        code = app.exec()
    finally:
        workspace.close()
        close_logging()
    return int(code)
