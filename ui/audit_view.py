"""Tilgangslogg: the access log for the professional lead, read-only, newest first.

Each entry says when (local time), who, from which workstation, what (in plain words)
and on which case; the log holds codes and ids, never a name, so neither does this view."""

from __future__ import annotations

from tsbplace.cases import AuditEntry, CaseService
from tsbplace.i18n import tr
from tsbplace.ui.dialog_parts import close_buttons, dialog_layout
from tsbplace.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

COLUMNS = ("time", "user", "workstation", "action", "case")


def action_text(action: str) -> str:
    """An audit action in plain words; an action this version does not know, as stored."""
    texts = {
        "sign_in.ok": tr("gui.audit_action.sign_in_ok"),
        "sign_in.failed": tr("gui.audit_action.sign_in_failed"),
        "session.unlocked": tr("gui.audit_action.session_unlocked"),
        "store.created": tr("gui.audit_action.store_created"),
        "user.added": tr("gui.audit_action.user_added"),
        "user.removed": tr("gui.audit_action.user_removed"),
        "user.password_changed": tr("gui.audit_action.user_password_changed"),
        "user.password_reset": tr("gui.audit_action.user_password_reset"),
        "user.unit_changed": tr("gui.audit_action.user_unit_changed"),
        "case.created": tr("gui.audit_action.case_created"),
        "case.opened": tr("gui.audit_action.case_opened"),
        "referral.saved": tr("gui.audit_action.referral_saved"),
        "assessment.saved": tr("gui.audit_action.assessment_saved"),
        "decision.saved": tr("gui.audit_action.decision_saved"),
        "assessment.signed": tr("gui.audit_action.assessment_signed"),
        "assessment.correction_started": tr("gui.audit_action.assessment_correction_started"),
        "document.issued": tr("gui.audit_action.document_issued"),
        "case.assigned": tr("gui.audit_action.case_assigned"),
        "case.treatment_started": tr("gui.audit_action.case_treatment_started"),
        "case.exported": tr("gui.audit_action.case_exported"),
        "case.imported": tr("gui.audit_action.case_imported"),
        "settings.changed": tr("gui.audit_action.settings_changed"),
    }
    return texts.get(str(action), str(action))


def detail_user(entry: AuditEntry) -> str:
    """The user an account entry is about (``user.added`` names the new user)."""
    value = entry.detail.get("user")
    return str(value) if value and value != entry.actor else ""


class AuditView(QDialog):
    """``case_id``: the open case, offered as a filter (checked from the start)."""

    def __init__(self, service: CaseService, case_id: int | None = None, case_number: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.case_id = case_id
        self.entries: tuple[AuditEntry, ...] = ()
        self.setWindowTitle(tr("gui.audit.title"))
        self.resize(900, 600)
        self.case_numbers = {case.id: case.case_number for case in service.list_cases()}

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr("gui.audit.time"), tr("gui.audit.user"),
                                              tr("gui.audit.workstation"), tr("gui.audit.action"),
                                              tr("gui.audit.case")])
        self.table.setAccessibleName(tr("gui.audit.title"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.case_filter = QCheckBox(tr("gui.audit.only_case", case=case_number))
        self.case_filter.setVisible(case_id is not None)
        self.case_filter.setChecked(case_id is not None)
        self.case_filter.toggled.connect(self.reload)
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")

        buttons = close_buttons(self.reject)
        layout = dialog_layout(self, tr("gui.audit.intro"))
        layout.addWidget(self.case_filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        only = self.case_id if self.case_filter.isChecked() else None
        self.entries = tuple(reversed(self.service.audit_trail(only)))  # newest first
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            action = action_text(entry.action)
            if (about := detail_user(entry)):
                action = f"{action} ({about})"
            case = ""
            if entry.case_id is not None:
                case = self.case_numbers.get(entry.case_id, f"#{entry.case_id}")
            texts = (entry.at.astimezone().strftime("%d.%m.%Y %H:%M:%S"), entry.actor,
                     entry.workstation, action, case)
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.count_label.setText(tr("gui.audit.count", count=len(self.entries)))

    def column_texts(self, column: str) -> list[str]:
        index = COLUMNS.index(column)
        return [item.text() if (item := self.table.item(row, index)) else ""
                for row in range(self.table.rowCount())]
