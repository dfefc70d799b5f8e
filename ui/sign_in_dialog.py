"""Logg inn: user name and password, Enter signs in.

A failure shows the core's own message (never saying whether the user name or the
password was wrong), clears the password and keeps the user name. After repeated
failures the core asks for a pause; the button stays disabled and counts down."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from tsbplace.access import SignInFailed, Workspace, sign_in
from tsbplace.i18n import tr
from tsbplace.locations import Locations
from tsbplace.ui.dialog_parts import action_buttons, dialog_layout
from tsbplace.ui.qt import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimer,
    QWidget,
)
from tsbplace.ui.setup_dialog import START_ERRORS

SignIn = Callable[[Locations, str, str], Workspace]
Clock = Callable[[], float]
TICK_MS = 1000


class SignInDialog(QDialog):
    """Signs in through the core; ``workspace`` is set on success. ``clock`` (seconds) and
    ``tick_ms`` drive the countdown, so tests need not wait."""

    def __init__(self, locations: Locations, user_name: str = "", sign_in: SignIn = sign_in,
                 clock: Clock = time.monotonic, tick_ms: int = TICK_MS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.locations = locations
        self.sign_in = sign_in
        self.clock = clock
        self.workspace: Workspace | None = None
        self.start_error: Exception | None = None
        self._wait_until = 0.0
        self.setWindowTitle(tr("gui.sign_in.title"))
        self.setMinimumWidth(420)

        self.user_name_edit = QLineEdit(user_name)
        self.user_name_edit.setAccessibleName(tr("gui.sign_in.user_name"))
        self.password_edit = QLineEdit()
        self.password_edit.setAccessibleName(tr("gui.sign_in.password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.hide()
        self.countdown = QLabel("")
        self.countdown.setObjectName("muted")
        self.countdown.hide()
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._tick)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow(tr("gui.sign_in.user_name"), self.user_name_edit)
        form.addRow(tr("gui.sign_in.password"), self.password_edit)

        self.buttons, self.sign_in_button = action_buttons(tr("gui.sign_in.button"), self._sign_in,
                                                           self.reject)
        layout = dialog_layout(self, tr("gui.sign_in.intro"), tr("gui.sign_in.heading"))
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.countdown)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        (self.password_edit if user_name else self.user_name_edit).setFocus()

    def _sign_in(self) -> None:
        if not self.sign_in_button.isEnabled():
            return
        try:
            self.workspace = self.sign_in(self.locations, self.user_name_edit.text().strip(),
                                          self.password_edit.text())
        except SignInFailed as error:
            self.message.setText(error.message)
            self.message.show()
            self.password_edit.clear()
            self.password_edit.setFocus()
            if error.retry_after > 0:
                self._wait_until = self.clock() + error.retry_after
                self._tick()
                self.timer.start()
            return
        except START_ERRORS as error:
            self.start_error = error
            self.reject()
            return
        self.accept()

    def seconds_left(self) -> int:
        return max(0, math.ceil(self._wait_until - self.clock()))

    def _tick(self) -> None:
        left = self.seconds_left()
        if left > 0:
            self.sign_in_button.setEnabled(False)
            self.countdown.setText(tr("gui.sign_in.wait", seconds=left))
            self.countdown.show()
            return
        self.timer.stop()
        self.countdown.hide()
        self.sign_in_button.setEnabled(True)
