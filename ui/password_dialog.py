"""Endre passord: the signed-in user changes their own password (the old one asked again).
On an encrypted store the service re-wraps this user's copy of the database key, so the
new password opens the store and the old one no longer does."""

from __future__ import annotations

from tsbplace.accounts import AccountService
from tsbplace.field_problems import InvalidInput
from tsbplace.i18n import tr
from tsbplace.security.passwords import MIN_LENGTH
from tsbplace.ui.dialog_parts import action_buttons, dialog_layout
from tsbplace.ui.qt import QDialog, QFormLayout, QLabel, QLineEdit, QWidget


class PasswordDialog(QDialog):
    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.changed = False
        self.setWindowTitle(tr("gui.password.title"))
        self.old_edit, self.new_edit, self.repeat_edit = (self._secret(key) for key in (
            "gui.password.old", "gui.password.new", "gui.password.repeat"))
        self.new_edit.setPlaceholderText(tr("gui.password.hint", length=MIN_LENGTH))
        self.message = QLabel()
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("gui.password.old"), self.old_edit)
        form.addRow(tr("gui.password.new"), self.new_edit)
        form.addRow(tr("gui.password.repeat"), self.repeat_edit)
        form.addRow("", self.message)
        self.buttons, self.change_button = action_buttons(tr("gui.password.change"), self.change, self.reject)
        layout = dialog_layout(self, tr("gui.password.intro", user=accounts.me.user_name),
                               tr("gui.password.title"))
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    @staticmethod
    def _secret(key: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(tr(key))
        return edit

    def change(self) -> bool:
        if self.new_edit.text() != self.repeat_edit.text():
            self.message.setText(tr("gui.password.mismatch"))
            return False
        try:
            self.accounts.change_password(self.old_edit.text(), self.new_edit.text())
        except InvalidInput as error:
            self.message.setText(" ".join(problem.message for problem in error.problems))
            for edit in (self.old_edit, self.new_edit, self.repeat_edit):
                edit.clear()
            self.old_edit.setFocus()
            return False
        self.changed = True
        self.accept()
        return True
