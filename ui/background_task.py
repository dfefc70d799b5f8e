"""Slow core work off the GUI thread, with a progress dialog and Avbryt.

:class:`TaskRunner` runs one callable at a time for its window in a pool thread, passing
it a :class:`~tsbplace.progress.Progress`. The answer (a result, an error or "cancelled")
comes back through a queued signal, as the case list's pages do (``ui/case_list.py``); the
worker never touches a widget. A window-modal progress dialog appears only if the work is
still running after :data:`SHOW_AFTER_MS`, so quick work shows nothing; it shows done of
total when the work reports a total and a busy bar otherwise, and its Avbryt asks the work
to stop (the dialog says "Avbryter …" until it has). Errors are shown as the core's message.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from tsbplace.exchange_files import ExchangeRefused
from tsbplace.files import WriteFailed
from tsbplace.i18n import tr
from tsbplace.progress import Cancelled, Progress
from tsbplace.ui.qt import (
    QMessageBox,
    QObject,
    QProgressDialog,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    QWidget,
    Signal,
)

SHOW_AFTER_MS = 500  # the conventions' "slower than half a second"
POLL_MS = 100  # how often the dialog reads the worker's progress

log = logging.getLogger(__name__)  # class names only: an error's text may hold patient data

MessageShower = Callable[[QWidget, str, str], object]


def error_text(error: BaseException) -> str:
    """What the user reads: the core's own message, never a traceback."""
    if isinstance(error, ExchangeRefused):
        return "\n".join([error.message, *(f"• {line}" for line in error.details)])
    if isinstance(error, WriteFailed):
        return tr("exchange.write_failed", reason=error.reason)
    return tr("gui.task.failed", error=type(error).__name__)


def show_warning(parent: QWidget, title: str, text: str) -> object:
    return QMessageBox.warning(parent, title, text)


class _Relay(QObject):
    """Carries the worker's answer to the GUI thread (queued: the runner lives there)."""

    finished = Signal(int, object)  # task number, result
    failed = Signal(int, object)  # task number, the exception
    cancelled = Signal(int)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, number: int, work: Callable[[Progress], Any],
                 progress: Progress) -> None:
        super().__init__()
        self.relay, self.number, self.work, self.progress = relay, number, work, progress

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except Cancelled:
            self._emit(lambda: self.relay.cancelled.emit(self.number))
        except Exception as error:  # every error goes back to the window, which shows it
            self._emit(lambda error=error: self.relay.failed.emit(self.number, error))
        else:
            self._emit(lambda: self.relay.finished.emit(self.number, result))

    @staticmethod
    def _emit(send: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the window was closed and deleted meanwhile
            send()


class TaskRunner(QObject):
    """One background task at a time for ``parent`` (a window)."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QWidget, show_after_ms: int = SHOW_AFTER_MS,
                 show_message: MessageShower = show_warning) -> None:
        super().__init__(parent)
        self.window = parent
        self.show_message = show_message
        self.dialog: QProgressDialog | None = None
        self.progress: Progress | None = None
        self._number = 0
        self._title = self._label = ""
        self._on_done: Callable[[Any], object] = lambda _result: None
        self._on_cancelled: Callable[[], object] = lambda: None
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished)
        self._relay.failed.connect(self._failed)
        self._relay.cancelled.connect(self._cancelled)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(show_after_ms)
        self._show_timer.timeout.connect(self._show_dialog)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self._poll)

    @property
    def busy(self) -> bool:
        return self.progress is not None

    def start(self, title: str, label: str, work: Callable[[Progress], Any],
              on_done: Callable[[Any], object], on_cancelled: Callable[[], object] | None = None) -> bool:
        """Run ``work(progress)`` in a pool thread; ``on_done(result)`` runs on the GUI thread.
        Returns False (and runs nothing) while another task of this window runs."""
        if self.busy:
            return False
        self._number += 1
        self._title, self._label = title, label
        self._on_done = on_done
        self._on_cancelled = on_cancelled or (lambda: None)
        self.progress = Progress()
        self.busy_changed.emit(True)
        self._show_timer.start()
        QThreadPool.globalInstance().start(_Job(self._relay, self._number, work, self.progress))
        return True

    def cancel(self) -> None:
        """Ask the running task to stop (Avbryt); it stops at its next check."""
        if self.progress is None:
            return
        self.progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(tr("gui.task.cancelling"))
            button = self.dialog.findChild(QWidget, "taskCancel")
            if button is not None:
                button.setEnabled(False)
            # Escape or the title bar's close hides the dialog after this; it stays until the work stops.
            QTimer.singleShot(0, self._show_again)

    def _show_again(self) -> None:
        if self.dialog is not None:
            self.dialog.show()

    def _show_dialog(self) -> None:
        if self.progress is None:
            return
        dialog = QProgressDialog(self._label, tr("gui.cancel"), 0, 0, self.window)
        dialog.setWindowTitle(self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(440)
        for button in dialog.findChildren(QWidget):
            if button.metaObject().className() == "QPushButton":
                button.setObjectName("taskCancel")
        dialog.canceled.disconnect(dialog.cancel)  # its own slot would hide it before the work stops
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        self._poll()
        dialog.show()
        self._poll_timer.start()

    def _poll(self) -> None:
        if self.dialog is None or self.progress is None or self.progress.cancelled:
            return
        done, total, text = self.progress.state()
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
            count = tr("gui.task.count", done=f"{done:,}".replace(",", "\u00a0"),
                       total=f"{total:,}".replace(",", "\u00a0"))
            self.dialog.setLabelText("\n".join(filter(None, (self._label, text, count))))
        else:
            self.dialog.setMaximum(0)  # a busy bar: the work cannot tell how far it is
            self.dialog.setLabelText("\n".join(filter(None, (self._label, text))))

    def _end(self, number: int) -> bool:
        """Close the dialog; False for a stale answer or a window no longer shown."""
        if number != self._number or self.progress is None:
            return False
        self.progress = None
        self._show_timer.stop()
        self._poll_timer.stop()
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        self.busy_changed.emit(False)
        return self.window.isVisible()

    def _finished(self, number: int, result: object) -> None:
        if self._end(number):
            self._on_done(result)

    def _cancelled(self, number: int) -> None:
        if self._end(number):
            self._on_cancelled()

    def _failed(self, number: int, error: BaseException) -> None:
        log.warning("background task failed: %s", type(error).__name__)
        if self._end(number):
            self.show_message(self.window, self._title, error_text(error))
