"""Start the GUI: the application object, the style, the store and the main window."""

from __future__ import annotations

import getpass
import sys

from tsbplace import __version__
from tsbplace.content import ContentError
from tsbplace.i18n import tr
from tsbplace.locations import Locations
from tsbplace.services import StoreDamaged, StoreTooNew, StoreUnavailable, open_case_service
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import QApplication, QMessageBox, QSettings
from tsbplace.ui.style import apply_style


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


def run_app(locations: Locations) -> int:
    app = create_application()
    try:
        service = open_case_service(locations)
    except ContentError as error:
        QMessageBox.critical(None, "TSBplace", tr("gui.start.content_invalid", details=str(error)))
        return 1
    except StoreDamaged as error:
        QMessageBox.critical(None, "TSBplace", damaged_message(error))
        return 1
    except StoreTooNew:
        QMessageBox.critical(None, "TSBplace", tr("gui.start.store_too_new"))
        return 1
    except StoreUnavailable as error:
        QMessageBox.critical(None, "TSBplace", tr("gui.start.store_unavailable",
                                                  reason=error.reason, url=locations.database_url))
        return 1
    # Accounts arrive with the security work; until then the OS user signs letters.
    # The settings (organisation and application names above) remember only the last open
    # case's id, so the next start continues there.
    window = MainWindow(service, user_name=getpass.getuser(), settings=QSettings())
    window.show()
    code = app.exec()
    service.store.close()
    return int(code)
