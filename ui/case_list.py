"""The case list: a table model over the service's case summaries."""

from __future__ import annotations

from typing import Any

from tsbplace.cases import CaseSummary
from tsbplace.i18n import tr
from tsbplace.national_id import format_national_id
from tsbplace.ui.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

COLUMNS = ("case_number", "patient", "national_id", "received", "status", "level")
STATUS_KEYS = {"new": "gui.case_status.new", "assessed": "gui.case_status.assessed",
               "signed": "gui.case_status.signed"}
PATIENT_COLUMN = COLUMNS.index("patient")


class CaseListModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cases: list[CaseSummary] = []

    def set_cases(self, cases: list[CaseSummary]) -> None:
        self.beginResetModel()
        self._cases = list(cases)
        self.endResetModel()

    def case_at(self, row: int) -> CaseSummary:
        return self._cases[row]

    def row_of(self, case_id: int) -> int | None:
        for row, case in enumerate(self._cases):
            if case.id == case_id:
                return row
        return None

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._cases)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(f"gui.case_list.{COLUMNS[section]}")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case = self._cases[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[index.column()] == "level":
            return tr("gui.case_list.level_tip", suggested=case.suggested_level or "—",
                      chosen=case.chosen_level or "—")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        match COLUMNS[index.column()]:
            case "case_number":
                return case.case_number
            case "patient":
                return case.patient_name
            case "national_id":
                return format_national_id(case.national_id)
            case "received":
                return case.received_date.strftime("%d.%m.%Y")
            case "status":
                return tr(STATUS_KEYS[case.status]) if case.status in STATUS_KEYS else case.status
            case "level":  # the decided level once there is one, else the suggested
                return case.chosen_level or case.suggested_level or "—"
        return None
