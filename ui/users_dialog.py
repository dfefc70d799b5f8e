"""Brukere: the professional lead's list of users, to add, remove and reset passwords.

The service decides who may do what (``NotAllowed``) and what a good value is
(``InvalidInput``); the dialog shows its answers in plain words and never blocks on a
second modal dialog in tests (``ask_password`` and ``confirm`` are injectable)."""

from __future__ import annotations

from collections.abc import Callable

from tsbplace.accounts import AccountService, ClinicianRecord, NotAllowed, Role
from tsbplace.field_problems import InvalidInput
from tsbplace.i18n import tr
from tsbplace.security.passwords import MIN_LENGTH
from tsbplace.ui.dialog_parts import close_buttons, dialog_layout
from tsbplace.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

PasswordAsker = Callable[[QWidget, str], str | None]
Confirmer = Callable[[QWidget, str], bool]
UnitAsker = Callable[[QWidget, ClinicianRecord, tuple[str, ...]], str | None]


def ask_new_password(parent: QWidget, user_name: str) -> str | None:
    text, ok = QInputDialog.getText(parent, tr("gui.users.reset_title"),
                                    tr("gui.users.reset_question", user=user_name),
                                    QLineEdit.EchoMode.Password)
    return text if ok else None


def ask_unit(parent: QWidget, user: ClinicianRecord, known: tuple[str, ...]) -> str | None:
    """The unit for ``user``: one already named, or a new one typed (empty: none)."""
    choices = [user.unit, *(unit for unit in known if unit != user.unit)] if user.unit else ["", *known]
    text, ok = QInputDialog.getItem(parent, tr("gui.users.unit_title"),
                                    tr("gui.users.unit_question", user=user.user_name), choices, 0, True)
    return text if ok else None


def confirm_removal(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, tr("gui.users.remove_title"), text)
    return answer == QMessageBox.StandardButton.Yes


def role_text(role: Role) -> str:
    return tr("gui.users.role_lead") if role is Role.LEAD else tr("gui.users.role_clinician")


class UsersDialog(QDialog):
    def __init__(self, accounts: AccountService, parent: QWidget | None = None,
                 ask_password: PasswordAsker = ask_new_password,
                 confirm: Confirmer = confirm_removal, ask_unit: UnitAsker = ask_unit) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.ask_password = ask_password
        self.confirm = confirm
        self.ask_unit = ask_unit
        self.users: tuple[ClinicianRecord, ...] = ()
        self.setWindowTitle(tr("gui.users.title"))
        self.resize(760, 560)

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([tr("gui.users.user_name"), tr("gui.users.display_name"),
                                              tr("gui.users.role"), tr("gui.users.unit"),
                                              tr("gui.users.status")])
        self.table.setAccessibleName(tr("gui.users.title"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.remove_button = QPushButton(tr("gui.users.remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.reset_button = QPushButton(tr("gui.users.reset"))
        self.reset_button.clicked.connect(self.reset_selected)
        self.unit_button = QPushButton(tr("gui.users.set_unit"))
        self.unit_button.clicked.connect(self.set_unit_of_selected)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.reset_button)
        row_buttons.addWidget(self.unit_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)

        self.user_name_edit = QLineEdit()
        self.user_name_edit.setAccessibleName(tr("gui.users.user_name"))
        self.user_name_edit.setPlaceholderText(tr("gui.setup.user_name_placeholder"))
        self.display_name_edit = QLineEdit()
        self.display_name_edit.setAccessibleName(tr("gui.users.display_name"))
        self.display_name_edit.setPlaceholderText(tr("gui.setup.display_name_placeholder"))
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName(tr("gui.users.role"))
        self.role_combo.addItem(role_text(Role.CLINICIAN), Role.CLINICIAN.value)
        self.role_combo.addItem(role_text(Role.LEAD), Role.LEAD.value)
        self.password_edit = QLineEdit()
        self.password_edit.setAccessibleName(tr("gui.users.password"))
        self.password_edit.setPlaceholderText(tr("gui.setup.password_hint", length=MIN_LENGTH))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton(tr("gui.users.add"))
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_user)
        self.password_edit.returnPressed.connect(self.add_user)

        add_card = QFrame()
        add_card.setObjectName("card")
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow(tr("gui.users.user_name"), self.user_name_edit)
        form.addRow(tr("gui.users.display_name"), self.display_name_edit)
        form.addRow(tr("gui.users.role"), self.role_combo)
        form.addRow(tr("gui.users.password"), self.password_edit)
        card_layout = QVBoxLayout(add_card)
        card_layout.setContentsMargins(14, 12, 14, 12)
        add_title = QLabel(tr("gui.users.add_title"))
        add_title.setObjectName("sectionTitle")
        card_layout.addWidget(add_title)
        card_layout.addLayout(form)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        card_layout.addLayout(add_row)

        self.message = QLabel("")
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = close_buttons(self.reject)
        layout = dialog_layout(self, tr("gui.users.intro"))
        layout.addWidget(self.table, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(self.message)
        layout.addSpacing(4)
        layout.addWidget(add_card)
        layout.addWidget(buttons)
        # Enter belongs to the field it is pressed in (the password adds the user), so no
        # button is the dialog's default.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.reload()

    def reload(self) -> None:
        self.users = self.accounts.list_users()
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            status = tr("gui.users.active") if user.active else tr("gui.users.removed")
            texts = (user.user_name, user.display_name, role_text(user.role), user.unit, status)
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._update_buttons()

    def selected_user(self) -> ClinicianRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def select_user(self, user_name: str) -> None:
        for row, user in enumerate(self.users):
            if user.user_name == user_name:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        user = self.selected_user()
        usable = user is not None and user.active
        self.remove_button.setEnabled(usable and user is not None
                                      and user.user_name != self.accounts.me.user_name)
        self.reset_button.setEnabled(usable)
        self.unit_button.setEnabled(usable)

    def _say(self, text: str, problem: bool = True) -> None:
        self.message.setText(text)
        self.message.setObjectName("problem" if problem else "good")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()

    def add_user(self) -> bool:
        user_name = self.user_name_edit.text().strip()
        try:
            self.accounts.add_user(user_name, self.display_name_edit.text(),
                                   Role(self.role_combo.currentData()), self.password_edit.text())
        except (InvalidInput, NotAllowed) as error:
            self._say(problems_text(error))
            return False
        finally:
            self.password_edit.clear()
        for edit in (self.user_name_edit, self.display_name_edit):
            edit.clear()
        self.reload()
        self.select_user(user_name)
        self._say(tr("gui.users.added", user=user_name), problem=False)
        return True

    def remove_selected(self) -> bool:
        user = self.selected_user()
        if user is None or not self.confirm(self, tr("gui.users.remove_question", user=user.user_name)):
            return False
        try:
            self.accounts.remove_user(user.user_name)
        except (InvalidInput, NotAllowed) as error:
            self._say(problems_text(error))
            return False
        self.reload()
        self._say(tr("gui.users.removed_done", user=user.user_name), problem=False)
        return True

    def reset_selected(self) -> bool:
        user = self.selected_user()
        if user is None:
            return False
        password = self.ask_password(self, user.user_name)
        if password is None:
            return False
        try:
            self.accounts.reset_password(user.user_name, password)
        except (InvalidInput, NotAllowed) as error:
            self._say(problems_text(error))
            return False
        self._say(tr("gui.users.reset_done", user=user.user_name), problem=False)
        return True


    def set_unit_of_selected(self) -> bool:
        user = self.selected_user()
        if user is None:
            return False
        unit = self.ask_unit(self, user, self.accounts.units())
        if unit is None:
            return False
        try:
            changed = self.accounts.set_unit(user.user_name, unit)
        except (InvalidInput, NotAllowed) as error:
            self._say(problems_text(error))
            return False
        self.reload()
        self.select_user(user.user_name)
        self._say(tr("gui.users.unit_done", user=user.user_name, unit=changed.unit or "—"), problem=False)
        return True


def problems_text(error: InvalidInput | NotAllowed) -> str:
    if isinstance(error, NotAllowed):
        return error.message
    return "\n".join(p.message for p in error.problems)
