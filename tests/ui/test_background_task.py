"""The background task runner: quick work shows no dialog, slow work shows one with done of
total, Avbryt stops the work before it writes, an error is shown as its message, and an
answer arriving after the window is gone is dropped without a crash."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tsbplace.exchange_files import ExchangeRefused
from tsbplace.files import write_atomically
from tsbplace.progress import Progress
from tsbplace.ui.background_task import TaskRunner
from tsbplace.ui.qt import QProgressDialog, QPushButton, Qt, QThreadPool, QWidget


class Shown:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def __call__(self, _parent: QWidget, title: str, text: str) -> None:
        self.messages.append((title, text))


def window(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_quick_task_shows_no_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = window(qtbot)
    runner = TaskRunner(parent, show_message=Shown())
    results: list[object] = []
    assert runner.start("Rask", "Regner …", lambda progress: 6 * 7, results.append)
    assert runner.busy and not runner.start("En til", "…", lambda progress: 0, results.append)
    qtbot.waitUntil(lambda: results == [42])
    qtbot.wait(600)  # past the half second: still nothing shown
    assert not runner.busy and runner.dialog is None and parent.findChildren(QProgressDialog) == []


def test_a_slow_task_shows_its_progress_and_avbryt_stops_it_before_it_writes(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path) -> None:
    parent = window(qtbot)
    runner = TaskRunner(parent, show_message=Shown())
    target = tmp_path / "ut.csv"
    release = threading.Event()
    cancelled: list[bool] = []

    def work(progress: Progress) -> None:
        for done in range(1000):
            progress.report(done, 1000)
            if done == 3:
                release.wait(10)  # holds here until the test has looked at the dialog
            time.sleep(0.001)
        write_atomically(target, b"alt")

    runner.start("Eksport", "Eksporterer …", work, lambda _r: None, lambda: cancelled.append(True))
    qtbot.waitUntil(lambda: runner.dialog is not None and runner.dialog.isVisible(), timeout=3000)
    dialog = runner.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.maximum() == 1000 and dialog.value() == 3)
    assert "3 av 1\u00a0000" in dialog.labelText() and dialog.isModal()
    [avbryt] = [button for button in dialog.findChildren(QPushButton) if button.text() == "Avbryt"]
    qtbot.mouseClick(avbryt, Qt.MouseButton.LeftButton)
    assert not avbryt.isEnabled()
    assert dialog.isVisible() and dialog.labelText() == "Avbryter …"
    release.set()
    qtbot.waitUntil(lambda: cancelled == [True])
    assert not runner.busy and runner.dialog is None and not target.exists()


def test_an_error_is_shown_as_its_message(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = window(qtbot)
    shown = Shown()
    runner = TaskRunner(parent, show_message=shown)
    refused = "Saksfilen ble avvist (1 feil); ingenting er endret:"

    def work(_progress: Progress) -> None:
        raise ExchangeRefused(refused, ["$.case: feil"])

    runner.start("Import", "Leser …", work, lambda _r: None)
    qtbot.waitUntil(lambda: shown.messages != [])
    assert shown.messages == [("Import", f"{refused}\n• $.case: feil")]

    runner.start("Import", "Leser …", lambda _p: 1 / 0, lambda _r: None)
    qtbot.waitUntil(lambda: len(shown.messages) == 2)
    assert "ZeroDivisionError" in shown.messages[1][1] and "Traceback" not in shown.messages[1][1]


def test_an_answer_after_the_window_closed_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    parent.show()
    runner = TaskRunner(parent, show_message=Shown())
    results: list[object] = []
    runner.start("Sakte", "…", lambda _p: time.sleep(0.3) or "ferdig", results.append)
    parent.close()
    parent.deleteLater()
    qtbot.wait(50)  # the window and its runner are deleted now
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)
    assert results == []


def test_escape_cancels_too_and_the_dialog_stays_until_the_work_stops(  # type: ignore[no-untyped-def]
        qtbot) -> None:
    parent = window(qtbot)
    runner = TaskRunner(parent, show_after_ms=0, show_message=Shown())
    release = threading.Event()
    cancelled: list[bool] = []

    def work(progress: Progress) -> None:
        release.wait(10)
        progress.check()

    runner.start("Import", "Leser …", work, lambda _r: None, lambda: cancelled.append(True))
    qtbot.waitUntil(lambda: runner.dialog is not None and runner.dialog.isVisible())
    dialog = runner.dialog
    assert dialog is not None and dialog.maximum() == 0  # no total: a busy bar
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.labelText() == "Avbryter …")
    release.set()
    qtbot.waitUntil(lambda: cancelled == [True])
    assert runner.dialog is None
