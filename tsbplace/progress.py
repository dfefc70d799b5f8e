"""Progress and cancelling for slow core work (the quality CSV over every case, sealing,
an import), without Qt: the window runs the work in a worker thread and reads the
progress from the GUI thread; a command-line run passes nothing and gets :data:`NO_PROGRESS`.

A slow operation calls :meth:`Progress.report` (or :meth:`Progress.check`) between its
steps; once :meth:`Progress.cancel` was called, the next call raises :class:`Cancelled`.
The operations check for the last time before they write, so a cancelled one has written
nothing and changed nothing in the store.
"""

from __future__ import annotations

import threading

__all__ = ["NO_PROGRESS", "Cancelled", "Progress"]


class Cancelled(Exception):
    """The user stopped the operation before it wrote anything."""


class Progress:
    """How far an operation has come, and whether it should stop. Safe between threads:
    the worker reports and checks, the GUI thread reads :meth:`state` and cancels."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._done, self._total, self._text = 0, 0, ""

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        """``done`` of ``total`` steps (``total`` 0: unknown); raises Cancelled when asked to stop."""
        with self._lock:
            self._done, self._total, self._text = done, total, text
        self.check()

    def check(self) -> None:
        """Raise :class:`Cancelled` if :meth:`cancel` was called."""
        if self._cancel.is_set():
            raise Cancelled

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def state(self) -> tuple[int, int, str]:
        """The last report: (done, total, text)."""
        with self._lock:
            return self._done, self._total, self._text


class _NoProgress(Progress):
    """Reports nothing and can never be cancelled: the default of every slow function."""

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        pass

    def cancel(self) -> None:
        raise TypeError("NO_PROGRESS cannot be cancelled; pass a Progress of your own")


NO_PROGRESS: Progress = _NoProgress()
