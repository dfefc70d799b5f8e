"""The ten domains of a case in order, each with how far it is filled in.

The mark is a shape, not a colour: ✓ every required answer is given, ◐ started, ○ not
started. What counts as required comes from the content (``Domain.unanswered_required``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from tsbplace.content.model import Domain
from tsbplace.i18n import pick, tr
from tsbplace.ui.qt import QAbstractItemView, QListWidget, QListWidgetItem, Qt, QWidget


class Progress(StrEnum):
    EMPTY = "○"
    STARTED = "◐"
    DONE = "✓"


def progress(domain: Domain, answers: Mapping[str, Any]) -> tuple[Progress, int]:
    """How far ``answers`` fill in ``domain``, and how many required answers are missing."""
    missing = len(domain.unanswered_required(answers))
    if not answers:
        return Progress.EMPTY, missing
    return (Progress.DONE if missing == 0 else Progress.STARTED), missing


def _status_text(state: Progress, missing: int) -> str:
    match state:
        case Progress.DONE:
            return tr("gui.nav.done")
        case Progress.STARTED:
            return tr("gui.nav.started", missing=missing)
        case Progress.EMPTY:
            return tr("gui.nav.empty")


class DomainNav(QListWidget):
    """Selecting a row shows that domain (``currentRowChanged``)."""

    def __init__(self, domains: Sequence[Domain], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.domains = tuple(domains)
        self.setAccessibleName(tr("gui.nav.title"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for domain in self.domains:
            self.addItem(QListWidgetItem())
            self.set_progress(domain.id, {})
        # Every domain in view at once, never a scroll bar: ten short rows.
        rows = sum(self.sizeHintForRow(row) for row in range(self.count()))
        self.setFixedHeight(rows + 2 * self.frameWidth() + 2)
        self.setMinimumWidth(self._longest_row() + 2 * self.frameWidth() + 24)

    def _longest_row(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(self.item(row).text()) for row in range(self.count())),
                   default=0)

    def row_of(self, domain_id: str) -> int:
        return next(row for row, domain in enumerate(self.domains) if domain.id == domain_id)

    def mark(self, domain_id: str) -> str:
        """The mark shown for a domain (✓, ◐ or ○)."""
        return self.item(self.row_of(domain_id)).text().split(" ", 1)[0]

    def set_progress(self, domain_id: str, answers: Mapping[str, Any]) -> None:
        row = self.row_of(domain_id)
        state, missing = progress(self.domains[row], answers)
        title = pick(self.domains[row].title)
        item = self.item(row)
        item.setText(f"{state.value}  {title}")
        status = _status_text(state, missing)
        item.setToolTip(status)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {status}")
