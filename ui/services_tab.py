"""Innstillinger → Tjenester: the clinic's own services, each at one level of care.

A table lists the services (name, level, note, in use); the fields under it edit the
selected row, so every value has a labelled input with an accessible name and the whole
tab works from the keyboard (Tab through table, fields and buttons; arrows pick a row).
The settings dialog saves the list; the core checks it (``service_problems``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from tsbplace.content.model import Content
from tsbplace.field_problems import FieldProblem
from tsbplace.i18n import tr
from tsbplace.local_services import MAX_NAME, MAX_NOTE, MAX_SERVICES, LocalService, new_service
from tsbplace.ui.inputs import ComboBox
from tsbplace.ui.labels import styled_label
from tsbplace.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

NAME, LEVEL, NOTE, ACTIVE = range(4)
DEFAULT_LEVEL = "P1"  # a new service starts at outpatient care, the most common local service


class ServicesTab(QWidget):
    def __init__(self, content: Content, services: Iterable[LocalService],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.rows: list[LocalService] = list(services)
        self._loading = False
        layout = QVBoxLayout(self)
        intro = styled_label(tr("gui.services.intro"), "small")
        layout.addWidget(intro)
        layout.addWidget(self._table(), 1)
        layout.addLayout(self._buttons())
        layout.addLayout(self._editor())
        self.count = styled_label("", "small")
        layout.addWidget(self.count)
        for row in range(len(self.rows)):
            self._show_row(row)
        self._select(0 if self.rows else None)

    # --- building -------------------------------------------------------------------------

    def _table(self) -> QTableWidget:
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("gui.services.name"), tr("gui.services.level"),
                                              tr("gui.services.note"), tr("gui.services.active")])
        self.table.setAccessibleName(tr("gui.services.table_name"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Room for five services before it scrolls: a clinic sees its list at a glance.
        self.table.setMinimumHeight(self.table.fontMetrics().lineSpacing() * 2 * 6)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the fields below
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection)
        return self.table

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.add_button = QPushButton(tr("gui.services.add"))
        self.add_button.setAccessibleName(tr("gui.services.add_name"))
        self.add_button.clicked.connect(self.add_service)
        self.remove_button = QPushButton(tr("gui.services.remove"))
        self.remove_button.setAccessibleName(tr("gui.services.remove_name"))
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)  # Enter in a field saves the dialog; it never adds a row
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _editor(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(tr("gui.services.name_name"))
        self.name_edit.setPlaceholderText(tr("gui.services.name_placeholder"))
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.textEdited.connect(lambda text: self._edit(name=text))
        self.level_box = ComboBox()
        for level in self.content.levels:
            self.level_box.addItem(level.label(), level.code)
        self.level_box.fit_options()
        self.level_box.setAccessibleName(tr("gui.services.level_name"))
        self.level_box.currentIndexChanged.connect(lambda _: self._edit(level=self.level_box.currentData()))
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName(tr("gui.services.note_name"))
        self.note_edit.setPlaceholderText(tr("gui.services.note_placeholder"))
        self.note_edit.setMaxLength(MAX_NOTE)
        self.note_edit.textEdited.connect(lambda text: self._edit(note=text))
        self.active_box = QCheckBox(tr("gui.services.active_name"))
        self.active_box.setAccessibleName(tr("gui.services.active_name"))
        self.active_box.toggled.connect(lambda on: self._edit(active=on))
        form.addRow(tr("gui.services.name"), self.name_edit)
        form.addRow(tr("gui.services.level"), self.level_box)
        form.addRow(tr("gui.services.note"), self.note_edit)
        form.addRow("", self.active_box)
        return form

    # --- values ---------------------------------------------------------------------------

    def services(self) -> tuple[LocalService, ...]:
        """The list as shown, names and notes trimmed, for the core to check and store."""
        return tuple(replace(s, name=s.name.strip(), note=s.note.strip()) for s in self.rows)

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def add_service(self) -> None:
        """A new, empty service at outpatient level; the cursor goes to its name."""
        if len(self.rows) >= MAX_SERVICES:
            return
        codes = [level.code for level in self.content.levels]
        level = DEFAULT_LEVEL if DEFAULT_LEVEL in codes else codes[0]
        self.rows.append(new_service("", level))
        self._show_row(len(self.rows) - 1)
        self._select(len(self.rows) - 1)
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        del self.rows[row]
        self.table.removeRow(row)
        self._select(min(row, len(self.rows) - 1) if self.rows else None)

    def problem_lines(self, problems: Sequence[FieldProblem]) -> list[str]:
        """Each problem as '<row name>: <message>'; the first bad row is selected."""
        lines = []
        first: int | None = None
        for problem in problems:
            parts = problem.field.split(".")
            if len(parts) >= 2 and parts[1].isdigit():
                index = int(parts[1])
                first = index if first is None else first
                lines.append(tr("gui.services.row", row=index + 1, message=problem.message))
            else:
                lines.append(problem.message)
        if first is not None and first < len(self.rows):
            self._select(first)
        return lines

    # --- showing ---------------------------------------------------------------------------

    def _show_row(self, row: int) -> None:
        """Show ``rows[row]`` in the table, adding the table row if it is new. Items are
        updated in place, so the selection stays where it is while the row is edited."""
        service = self.rows[row]
        if row >= self.table.rowCount():
            self.table.insertRow(row)
            for column in range(self.table.columnCount()):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
        level = next((known for known in self.content.levels if known.code == service.level), None)
        for column, text in ((NAME, service.name), (LEVEL, service.level), (NOTE, service.note)):
            cell = self.table.item(row, column)
            cell.setText(text)
            cell.setToolTip(text if column != LEVEL else level.label() if level is not None else "")
        active = self.table.item(row, ACTIVE)
        active.setCheckState(Qt.CheckState.Checked if service.active else Qt.CheckState.Unchecked)
        self._update_count()

    def _select(self, row: int | None) -> None:
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
        self._on_selection()

    def _on_selection(self) -> None:
        row = self.selected_row()
        service = self.rows[row] if row is not None else None
        self._quietly(lambda: self._fill(service))
        for widget in (self.name_edit, self.level_box, self.note_edit, self.active_box, self.remove_button):
            widget.setEnabled(service is not None)
        self._update_count()

    def _fill(self, service: LocalService | None) -> None:
        self.name_edit.setText(service.name if service else "")
        self.note_edit.setText(service.note if service else "")
        self.level_box.setCurrentIndex(max(0, self.level_box.findData(service.level)) if service else 0)
        self.active_box.setChecked(service.active if service else True)

    def _edit(self, **change: object) -> None:
        row = self.selected_row()
        if self._loading or row is None:
            return
        self.rows[row] = replace(self.rows[row], **change)
        self._show_row(row)

    def _quietly(self, change: Callable[[], None]) -> None:
        self._loading = True
        try:
            change()
        finally:
            self._loading = False

    def _update_count(self) -> None:
        self.count.setText(tr("gui.services.count", count=len(self.rows), limit=MAX_SERVICES))
        self.add_button.setEnabled(len(self.rows) < MAX_SERVICES)
