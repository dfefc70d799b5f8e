"""First start: create the store's first user, who becomes its professional lead.

Shown when there is no store yet (``StoreKind.NEW``) or only an old unencrypted one
(``StoreKind.PLAIN``, encrypted in place by ``create_store``)."""

from __future__ import annotations

from collections.abc import Callable

from tsbplace.access import SignInFailed, StoreKind, Workspace, create_store
from tsbplace.accounts import new_user_problems
from tsbplace.content import ContentError
from tsbplace.field_problems import InvalidInput
from tsbplace.i18n import tr
from tsbplace.locations import Locations
from tsbplace.security.passwords import MIN_LENGTH
from tsbplace.services import StoreTooNew, StoreUnavailable
from tsbplace.ui.dialog_parts import action_buttons, dialog_layout
from tsbplace.ui.qt import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

StoreCreator = Callable[[Locations, str, str, str], Workspace]
START_ERRORS = (ContentError, StoreUnavailable, StoreTooNew)  # app.py turns these into one message


def set_state(label: QLabel, text: str, state: str) -> None:
    """A field's message and its look: ``muted`` (a hint), ``problem`` or ``good``."""
    label.setText(text)
    label.setObjectName(state)
    label.style().unpolish(label)
    label.style().polish(label)


def message_label() -> QLabel:
    label = QLabel("")
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


class SetupDialog(QDialog):
    """Asks for the first user and creates the store; ``workspace`` is set on success.

    A store error (damaged, too new, unreachable, invalid content) ends the dialog with
    ``start_error`` set, for the launcher to explain."""

    def __init__(self, locations: Locations, kind: StoreKind = StoreKind.NEW,
                 create: StoreCreator = create_store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.locations = locations
        self.create = create
        self.workspace: Workspace | None = None
        self.start_error: Exception | None = None
        self._refused: dict[str, str] = {}  # the service's answer, until the field changes
        self.setWindowTitle(tr("gui.setup.title"))
        self.setMinimumWidth(520)

        self.user_name_edit = QLineEdit()
        self.user_name_edit.setAccessibleName(tr("gui.setup.user_name"))
        self.user_name_edit.setPlaceholderText(tr("gui.setup.user_name_placeholder"))
        self.display_name_edit = QLineEdit()
        self.display_name_edit.setAccessibleName(tr("gui.setup.display_name"))
        self.display_name_edit.setPlaceholderText(tr("gui.setup.display_name_placeholder"))
        self.password_edit = QLineEdit()
        self.password_edit.setAccessibleName(tr("gui.setup.password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setAccessibleName(tr("gui.setup.repeat"))
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.messages = {"user_name": message_label(), "display_name": message_label(),
                         "password": message_label(), "repeat": message_label()}
        self.form_message = QLabel("")
        self.form_message.setObjectName("problem")
        self.form_message.setWordWrap(True)
        self.form_message.hide()

        form = QFormLayout()
        form.setVerticalSpacing(6)
        form.addRow(tr("gui.setup.user_name"), self.user_name_edit)
        form.addRow("", self.messages["user_name"])
        form.addRow(tr("gui.setup.display_name"), self.display_name_edit)
        form.addRow("", self.messages["display_name"])
        form.addRow(tr("gui.setup.password"), self.password_edit)
        form.addRow("", self.messages["password"])
        form.addRow(tr("gui.setup.repeat"), self.repeat_edit)
        form.addRow("", self.messages["repeat"])

        self.buttons, self.create_button = action_buttons(tr("gui.setup.create"), self._create, self.reject)
        layout = dialog_layout(self, tr("gui.setup.intro"), tr("gui.setup.heading"))
        if kind is StoreKind.PLAIN:
            self.plain_note: QLabel | None = QLabel(tr("gui.setup.plain"))
            self.plain_note.setObjectName("warning")
            self.plain_note.setWordWrap(True)
            layout.addWidget(self.plain_note)
        else:
            self.plain_note = None
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.form_message)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)

        for field, edit in (("user_name", self.user_name_edit), ("display_name", self.display_name_edit),
                            ("password", self.password_edit), ("repeat", self.repeat_edit)):
            edit.textChanged.connect(lambda _text, field=field: self._edited(field))
        self._refresh()

    def _edited(self, field: str) -> None:
        self._refused.pop(field, None)
        if field == "repeat":
            self._refused.pop("password", None)
        self.form_message.hide()
        self._refresh()

    def _refresh(self) -> None:
        """Live messages: a hint while a field is empty, the core's own check once typed."""
        user_name, display_name = self.user_name_edit.text(), self.display_name_edit.text()
        password, repeat = self.password_edit.text(), self.repeat_edit.text()
        problems = {p.field: p.message for p in new_user_problems(user_name, display_name, password)}
        hints = {"user_name": tr("gui.setup.user_name_hint"),
                 "display_name": tr("gui.setup.display_name_hint"),
                 "password": tr("gui.setup.password_hint", length=MIN_LENGTH)}
        typed = {"user_name": user_name, "display_name": display_name, "password": password}
        for field, hint in hints.items():
            label = self.messages[field]
            if field in self._refused:
                set_state(label, self._refused[field], "problem")
            elif not typed[field]:
                set_state(label, hint, "muted")
            elif field in problems:
                set_state(label, problems[field], "problem")
            else:
                set_state(label, "✓", "good")
        if not repeat:
            set_state(self.messages["repeat"], tr("gui.setup.repeat_hint"), "muted")
        elif repeat != password:
            set_state(self.messages["repeat"], tr("gui.setup.mismatch"), "problem")
        else:
            set_state(self.messages["repeat"], "✓ " + tr("gui.setup.match"), "good")
        self.create_button.setEnabled(bool(password) and password == repeat)

    def _create(self) -> None:
        if not self.create_button.isEnabled():
            return
        try:
            self.workspace = self.create(self.locations, self.user_name_edit.text().strip(),
                                         self.display_name_edit.text(), self.password_edit.text())
        except InvalidInput as error:
            self._refused = {p.field: p.message for p in error.problems}
            self._refresh()
            return
        except SignInFailed as error:  # someone set it up meanwhile
            self.form_message.setText(error.message)
            self.form_message.show()
            return
        except START_ERRORS as error:
            self.start_error = error
            self.reject()
            return
        self.accept()
