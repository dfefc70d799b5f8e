"""One window start, in its own process, for ``benchmarks/run_all.py`` (start-up and memory).

    .venv/bin/python benchmarks/window_start.py --data-dir DIR [--scroll-pages N]
    .venv/bin/python benchmarks/window_start.py --bare

The program (``--data-dir``, a plain SQLite store of demo cases): what ``tsbplace``
does from the process start to an interactive window, without the sign-in dialog: the
imports of the entry point (``tsbplace.ui.launch``, ``tsbplace.ui.app``), the log and
crash handler, the application object and style, the clinical content, opening and
checking the store (``open_store``: integrity and schema checks, migrations), the
``CaseService``, the ``MainWindow`` shown, and the first page of the case list loaded
by its worker thread and on screen. Signing in (argon2, deliberately slow) and
unlocking an encrypted store are left out: the store is plain, and there are no
``accounts`` (so no users' list, no lock timer).

The baseline (``--bare``): import PySide6's widgets, a ``QApplication`` and an empty
``QMainWindow`` shown.

When the window is shown and its event loop idle, the process prints ``ready`` on a line
of its own (the parent times process start → that line). Then it scrolls the case list
``--scroll-pages`` pages further, and prints one JSON line: its peak resident memory
(``ru_maxrss``) and the rows the list holds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_rss_kib() -> int:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # Linux: KiB; macOS: bytes


def wait_until(condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    """Run the event loop until ``condition`` holds, then once more until it is idle."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)

    def check() -> None:
        if condition():
            poll.stop()
            QTimer.singleShot(0, loop.quit)  # after whatever else is queued: idle

    poll.timeout.connect(check)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    poll.start()
    deadline.start(int(timeout_s * 1000))
    loop.exec()
    if not condition():
        raise TimeoutError("the window did not get ready in time")


def ready() -> None:
    print("ready", flush=True)


def bare() -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1360, 860)
    window.show()
    wait_until(window.isVisible)
    ready()
    window.close()
    app.processEvents()
    return {"peak_rss_kib": peak_rss_kib(), "rows": 0}


def program(data_dir: Path, scroll_pages: int) -> dict[str, Any]:
    phases: dict[str, float] = {}
    last = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        phases[name] = now - last
        last = now

    import tsbplace.ui.launch  # noqa: F401  # the entry point's imports, as `tsbplace` starts
    from tsbplace.actor import Actor, local_actor
    from tsbplace.app_log import close_logging, configure_logging, install_crash_handler
    from tsbplace.cases import CaseService
    from tsbplace.clinic import ClinicSettings
    from tsbplace.content import installed_content
    from tsbplace.locations import resolve_locations
    from tsbplace.services import open_store
    from tsbplace.ui.app import create_application
    from tsbplace.ui.main_window import MainWindow

    phase("imports")
    locations = resolve_locations(str(data_dir), None)
    configure_logging(locations.data_dir / "logs")
    install_crash_handler(locations.data_dir / "logs")
    app = create_application()
    phase("application")
    content = installed_content()
    phase("content")
    store = open_store(locations)
    phase("open_store")
    try:
        service = CaseService(store, content)
        actor = Actor("benchmark", local_actor().workstation)
        window = MainWindow(service, user_name="Benchmark", clinic=ClinicSettings(store, None, actor))
        window.show()
        phase("window")
        model = window.case_model
        wait_until(lambda: model.total is not None and not model.busy)
        phase("first_page")
        ready()
        for _ in range(scroll_pages):
            before = model.rowCount()
            if not model.canFetchMore():
                break
            window.case_table.scrollToBottom()
            wait_until(lambda before=before: model.rowCount() > before and not model.busy)
        rows = model.rowCount()
        window.close()
        model.pool.waitForDone()
        app.processEvents()
    finally:
        store.close()
        close_logging()
    return {"peak_rss_kib": peak_rss_kib(), "rows": rows, "phases_s": phases}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--data-dir", type=Path, help="the data folder of a plain demo store")
    chosen.add_argument("--bare", action="store_true", help="a bare QMainWindow (the baseline)")
    parser.add_argument("--scroll-pages", type=int, default=0, help="pages to scroll after ready")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = bare() if args.bare else program(args.data_dir, args.scroll_pages)
    print(json.dumps({**figures, "in_process_s": time.perf_counter() - started}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
