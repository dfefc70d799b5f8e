"""The ``tsbplace`` command's entry point: the core command line, with the GUI plugged in.

Before Qt is touched, check that a window can be shown at all. Without a display, or
with a system library missing, Qt would abort with a plugin stack trace; a clinician's
IT person should get one clear sentence instead.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path

from tsbplace.cli import main as cli_main
from tsbplace.i18n import tr
from tsbplace.locations import Locations

EXIT_NO_DISPLAY = 3


def display_problem(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """A sentence saying why no window can open here, or None if one can."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return None  # Windows and macOS always have a display for a desktop user
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith(("xcb", "wayland")):
        return None  # offscreen, vnc, …: the user asked for it
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return tr("gui.no_display")
    if not chosen.startswith("wayland") and not env.get("WAYLAND_DISPLAY"):
        return missing_xcb_library() or unreachable_x_display(env.get("DISPLAY", ""))
    return None


def _xcb_plugin() -> Path | None:
    spec = find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


def missing_xcb_library() -> str | None:
    """Load Qt's X11 plugin the way Qt will; if a system library is missing, name it."""
    plugin = _xcb_plugin()
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        library = str(error).split(":", 1)[0].strip()
        return tr("gui.missing_library", library=library)
    return None


def unreachable_x_display(display: str) -> str | None:
    """Connect to the X server the way Qt will; if nobody answers, say so."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None  # missing_xcb_library() reports missing libraries
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode() or None, None)
    failed = xcb.xcb_connection_has_error(connection)
    xcb.xcb_disconnect(connection)
    return tr("gui.display_unreachable", display=display) if failed else None


def launch_gui(locations: Locations) -> int:
    problem = display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_NO_DISPLAY
    try:
        from tsbplace.ui.app import run_app
    except ImportError as error:  # e.g. libEGL.so.1 missing: Qt's own libraries cannot load
        library = str(error).split(":", 1)[0].strip()
        print(tr("gui.missing_library", library=library), file=sys.stderr)
        return EXIT_NO_DISPLAY
    return run_app(locations)


_self_test_app: object = None  # kept alive until the process ends, as Qt expects


def qt_self_check(pdf: bytes) -> str:
    """``self-test``'s Qt check: load the Qt modules the window uses, start Qt offscreen
    (any display is left alone), and open the self-test letter in Qt's PDF viewer."""
    global _self_test_app
    from tsbplace.ui.print_service import load_pdf
    from tsbplace.ui.qt import QApplication, QPdfView, QPrinter, QSize, QtCore

    app = QApplication.instance() or QApplication(["tsbplace", "-platform", "offscreen"])
    _self_test_app = app
    document, buffer = load_pdf(pdf)  # the way the window previews and prints letters
    pages = document.pageCount()
    image = document.render(0, QSize(210, 297)) if pages else None
    document.close()
    buffer.close()
    if image is None or image.isNull():
        raise RuntimeError(f"Qt could not show the letter ({document.error()})")
    view = QPdfView(None)  # the viewer widget and the printer load too
    view.deleteLater()
    QPrinter()
    platform = app.platformName() if isinstance(app, QApplication) else "?"
    return tr("selftest.qt_ok", version=QtCore.qVersion(), platform=platform, pages=pages)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, gui=launch_gui, gui_checks=[("qt", qt_self_check)])


if __name__ == "__main__":
    raise SystemExit(main())
