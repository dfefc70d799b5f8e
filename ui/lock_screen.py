"""The locked screen: covers every patient detail until the clinician types the password.

The main window shows it after a pause without keyboard or mouse use, or on Ctrl+L."""

from __future__ import annotations

from collections.abc import Callable

from tsbplace.i18n import tr
from tsbplace.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)

PasswordCheck = Callable[[str], bool]


class LockScreen(QWidget):
    """Shows who is signed in and asks for their password; ``unlocked`` when it is right."""

    unlocked = Signal()

    def __init__(self, display_name: str, verify: PasswordCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verify = verify

        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(460)
        title = QLabel(tr("gui.lock.title"))
        title.setObjectName("pageTitle")
        text = QLabel(tr("gui.lock.text", name=display_name))
        text.setObjectName("muted")
        text.setWordWrap(True)
        self.password_edit = QLineEdit()
        self.password_edit.setAccessibleName(tr("gui.lock.password"))
        self.password_edit.setPlaceholderText(tr("gui.lock.password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(self.try_unlock)
        self.unlock_button = QPushButton(tr("gui.lock.unlock"))
        self.unlock_button.setObjectName("primary")
        self.unlock_button.clicked.connect(self.try_unlock)
        self.message = QLabel("")
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.hide()

        row = QHBoxLayout()
        row.addWidget(self.password_edit, 1)
        row.addWidget(self.unlock_button)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 22, 24, 22)
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(text)
        inner.addSpacing(4)
        inner.addLayout(row)
        inner.addWidget(self.message)

        # Stretches rather than an alignment flag: an aligned widget gets its size hint,
        # which ignores how tall the wrapped text is at the card's width.
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(card)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(centred)
        layout.addStretch(3)

    def reset(self) -> None:
        self.password_edit.clear()
        self.message.hide()
        self.password_edit.setFocus()

    def try_unlock(self) -> bool:
        password = self.password_edit.text()
        self.password_edit.clear()
        if password and self.verify(password):
            self.message.hide()
            self.unlocked.emit()
            return True
        self.message.setText(tr("gui.lock.wrong"))
        self.message.show()
        self.password_edit.setFocus()
        return False
