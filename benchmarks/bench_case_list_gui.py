"""Does the case list keep the GUI thread free with many cases? The longest block, per phase.

    .venv/bin/python benchmarks/bench_case_list_gui.py [--cases N] [--json-out FILE]

A throw-away SQLite store made through the real migrations is filled with N demo cases
(default 100,000) by ``tsbplace.demo_data``. A real ``MainWindow`` opens offscreen, and a
``QTimer`` on the GUI thread ticks every 5 ms; the longest gap between two ticks is the
longest time the GUI thread was busy (a frozen window) during each phase:

(a) the window opens and shows the first page of the list;
(b) searches are typed, a key every 60 ms, each until its answer is shown: the start of a
    name, the start of a later word of a name, the start of an ID number, a case number;
(c) scrolling to the end of the list fetches three more pages.

The target is ≤ 100 ms in every phase. The time until each answer was on screen is
reported too. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from timing import report

from tsbplace.cases import CaseService
from tsbplace.content import installed_content
from tsbplace.demo_data import make_demo_cases
from tsbplace.locations import sqlite_url
from tsbplace.national_id import format_national_id
from tsbplace.storage import Store
from tsbplace.ui.qt import QApplication, QEventLoop, QTimer
from tsbplace.ui.style import apply_style

TARGET_MS = 100.0
TICK_MS = 5
KEY_MS = 60  # between two typed keys
MORE_PAGES = 3


class Heartbeat:
    """A 5 ms timer on the GUI thread; ``longest`` is the longest gap since ``reset``."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0

    def stop(self) -> float:
        self._tick()  # the time since the last tick counts too
        return self.longest * 1e3


def run_until(condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    """Let the event loop run (the heartbeat ticks) until ``condition`` holds."""
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(TICK_MS)
    poll.timeout.connect(lambda: loop.quit() if condition() else None)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    if condition():
        return
    poll.start()
    deadline.start(int(timeout_s * 1000))
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the case list did not answer in time")


def pause(ms: int) -> None:
    until = time.perf_counter() + ms / 1e3
    run_until(lambda: time.perf_counter() >= until)


def searches(service: CaseService) -> list[tuple[str, str]]:
    """What a clinician types, from a case in the middle of the store."""
    middle = service.search_cases(offset=service.search_cases().total // 2, limit=1).rows[0]
    words = middle.patient_name.split()
    return [("name: start of the name", f"DEMO {words[1][:3]}"),
            ("name: start of a later word", words[-1][:4].lower()),
            ("ID number prefix", format_national_id(middle.national_id)[:8]),
            ("case number", middle.case_number)]


def measure(count: int) -> dict[str, Any]:
    from tsbplace.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    apply_style(app)
    content = installed_content()
    with tempfile.TemporaryDirectory(prefix="tsbplace-bench-") as folder:
        store = Store.open(sqlite_url(Path(folder) / "bench.sqlite3"))
        try:
            service = CaseService(store, content)
            made = make_demo_cases(store, content, count)
            heartbeat = Heartbeat()
            heartbeat.timer.start()
            pause(50)
            phases = []

            heartbeat.reset()
            started = time.perf_counter()
            window = MainWindow(service, user_name="Benchmark")
            window.resize(1360, 860)
            window.show()
            model = window.case_model
            run_until(lambda: model.total is not None and not model.busy)
            phases.append({"phase": "open and show the first page", "rows": model.rowCount(),
                           "matches": model.total, "shown_ms": (time.perf_counter() - started) * 1e3,
                           "longest_block_ms": heartbeat.stop()})

            edit, bar = window.filter_bar.search_edit, window.filter_bar
            for name, text in searches(service):
                edit.clear()
                run_until(lambda: not bar.pause.isActive() and not model.busy)
                heartbeat.reset()
                for end in range(1, len(text) + 1):
                    edit.setText(text[:end])  # one key
                    pause(KEY_MS)
                typed = time.perf_counter()
                run_until(lambda: not bar.pause.isActive() and not model.busy)
                phases.append({"phase": f"search: {name}", "rows": model.rowCount(), "matches": model.total,
                               "shown_ms": (time.perf_counter() - typed) * 1e3,
                               "longest_block_ms": heartbeat.stop()})

            edit.clear()
            run_until(lambda: not bar.pause.isActive() and not model.busy)
            heartbeat.reset()
            started = time.perf_counter()
            for _ in range(MORE_PAGES):
                before = model.rowCount()
                if not model.canFetchMore():
                    break
                window.case_table.scrollToBottom()
                run_until(lambda before=before: model.rowCount() > before and not model.busy)
            phases.append({"phase": f"scroll: {MORE_PAGES} more pages", "rows": model.rowCount(),
                           "matches": model.total, "shown_ms": (time.perf_counter() - started) * 1e3,
                           "longest_block_ms": heartbeat.stop()})
            heartbeat.timer.stop()
            window.close()
            window.deleteLater()
            model.pool.waitForDone()
            app.processEvents()
        finally:
            store.close()
    return {"cases": count, "target_ms": TARGET_MS, "tick_ms": TICK_MS, "fill_s": made.seconds,
            "phases": phases}


def print_table(result: dict[str, Any]) -> None:
    print(f"{'phase':<35} {'matches':>8} {'rows':>5} {'shown ms':>9} {'longest block ms':>17}  target")
    for row in result["phases"]:
        verdict = "ok" if row["longest_block_ms"] <= TARGET_MS else "missed"
        print(f"{row['phase']:<35} {row['matches']:>8} {row['rows']:>5} {row['shown_ms']:>9.0f} "
              f"{row['longest_block_ms']:>17.1f}  ≤ {TARGET_MS:g} ms {verdict}")
    print(f"demo data: {result['cases']} cases in {result['fill_s']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="demo cases in the store (default 100000)")
    parser.add_argument("--json-out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.cases < 2:
        parser.error("--cases must be at least 2")
    return report(measure(args.cases), print_table, args.json_out)


if __name__ == "__main__":
    sys.exit(main())
