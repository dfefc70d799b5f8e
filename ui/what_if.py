"""Hva om: try a candidate rule set on every stored case before it is put into use.

The professional lead picks the candidate's rules folder; it is loaded and checked like
the installed rules (its problems are listed, and nothing runs). Every case is then
assessed with both rule sets off the GUI thread (:func:`tsbplace.replay.what_if`, with
progress and Avbryt), and the dialog shows how the level distribution would move and
which cases' suggestions would change, and why. It only reads: nothing is stored, and the
installed rules stay in use. Case numbers only, as in ``tsbplace replay``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tsbplace.cases import CaseService
from tsbplace.content import ContentError, load_content
from tsbplace.content.model import Content
from tsbplace.i18n import tr
from tsbplace.progress import Progress
from tsbplace.replay import WhatIf, what_if
from tsbplace.replay_commands import describe_change
from tsbplace.stored_cases import count_stored_cases, iter_stored_cases
from tsbplace.ui.background_task import TaskRunner
from tsbplace.ui.dialog_parts import close_buttons, dialog_layout
from tsbplace.ui.qt import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

FolderAsker = Callable[[QWidget], Path | None]
SHOWN_LIMIT = 1000  # changed cases listed; the tally counts them all


def ask_rules_folder(parent: QWidget) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, tr("gui.what_if.choose"), str(Path.home()))
    return Path(folder) if folder else None


def _table(headers: list[str], name: str, stretch_last: bool = True) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(stretch_last)
    return table


def _cell(text: str, number: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class WhatIfDialog(QDialog):
    def __init__(self, service: CaseService, parent: QWidget | None = None,
                 ask_folder: FolderAsker = ask_rules_folder) -> None:
        super().__init__(parent)
        self.service = service
        self.ask_folder = ask_folder
        self.result: WhatIf | None = None
        self.runner = TaskRunner(self)
        self.runner.busy_changed.connect(lambda busy: self.choose_button.setEnabled(not busy))
        self.setWindowTitle(tr("gui.what_if.title"))
        self.resize(820, 640)
        layout = dialog_layout(self, tr("gui.what_if.intro"), tr("gui.what_if.title"))
        row = QHBoxLayout()
        self.choose_button = QPushButton(tr("gui.what_if.choose"))
        self.choose_button.clicked.connect(self.choose_and_run)
        row.addWidget(self.choose_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        columns = [tr("gui.what_if.level"), tr("gui.what_if.before"), tr("gui.what_if.after"),
                   tr("gui.what_if.difference")]
        self.levels = _table(columns, tr("gui.what_if.levels_name"), stretch_last=False)
        self.changes = _table([tr("gui.what_if.case"), tr("gui.what_if.change"), tr("gui.what_if.why")],
                              tr("gui.what_if.changes_name"))
        layout.addWidget(self.levels)
        layout.addWidget(self.changes, 1)
        layout.addWidget(close_buttons(self.reject))
        self.levels.hide()
        self.changes.hide()

    def choose_and_run(self) -> bool:
        folder = self.ask_folder(self)
        return folder is not None and self.run(folder)

    def run(self, folder: Path) -> bool:
        """Load the candidate in ``folder`` and replay every case with it (off the GUI thread)."""
        try:
            candidate = load_content(folder)
        except ContentError as error:
            self._say(tr("gui.what_if.invalid", count=len(error.problems)) + "\n"
                      + "\n".join(f"• {problem}" for problem in error.problems[:20]), problem=True)
            return False
        installed = self.service.content
        store = self.service.store

        def work(progress: Progress) -> WhatIf:
            total = count_stored_cases(store)
            return what_if(installed, candidate, iter_stored_cases(store), total, progress, SHOWN_LIMIT)

        started = self.runner.start(tr("gui.what_if.title"), tr("gui.what_if.running"), work,
                                    lambda result: self.show_result(installed, candidate, result),
                                    lambda: self._say(tr("gui.what_if.cancelled")))
        return started

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setObjectName("problem" if problem else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def show_result(self, installed: Content, candidate: Content, result: WhatIf) -> None:
        self.result = result
        summary = result.summary
        old, new = installed.ruleset, candidate.ruleset
        lines = [tr("gui.what_if.rulesets", old=f"{old.id} {old.version} ({old.content_hash[:8]})",
                    new=f"{new.id} {new.version} ({new.content_hash[:8]})"),
                 tr("gui.what_if.summary", changed=summary.changed, total=summary.total)]
        if old.content_hash == new.content_hash:
            lines.append(tr("gui.what_if.same"))
        if summary.failed:
            lines.append(tr("gui.what_if.failed", failed=summary.failed))
        if result.more_changes:
            lines.append(tr("gui.what_if.more", shown=len(result.changes), more=result.more_changes))
        self._say("\n".join(lines))
        ladder = list(dict.fromkeys(level.code for level in sorted(
            (*installed.levels, *candidate.levels), key=lambda level: level.order)))
        self.levels.setRowCount(0)
        for code in ladder:
            before, after = summary.levels_before.get(code, 0), summary.levels_after.get(code, 0)
            row = self.levels.rowCount()
            self.levels.insertRow(row)
            difference = f"{after - before:+d}" if after != before else "0"
            self.levels.setItem(row, 0, _cell(code))
            for column, text in enumerate((str(before), str(after), difference), start=1):
                self.levels.setItem(row, column, _cell(text, number=True))
        self.changes.setRowCount(0)
        for change in result.changes:
            row = self.changes.rowCount()
            self.changes.insertRow(row)
            lines = describe_change(change)
            moved = f"{change.level_before or '–'} → {change.level_after or '–'}"
            self.changes.setItem(row, 0, _cell(change.case_number))
            self.changes.setItem(row, 1, _cell(moved))
            self.changes.setItem(row, 2, _cell("\n".join(line.strip() for line in lines[1:])))
        self.changes.resizeRowsToContents()
        # Every level at once (seven rows): no scrolling for the distribution.
        self.levels.resizeRowsToContents()
        frame = 2 * self.levels.frameWidth()
        self.levels.setFixedHeight(self.levels.verticalHeader().length()
                                   + self.levels.horizontalHeader().sizeHint().height() + frame)
        self.levels.show()
        self.changes.show()
