"""The ten domains of a case in order, each with how far it is filled in; optionally an
entry before them (the referral) and one after them (the decision).

The mark is a shape, not a colour: ✓ every required answer is given, ◐ started, ○ not
started. What counts as required comes from the content (``Domain.unanswered_required``);
an extra entry's mark is set by its page (``set_mark``).
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


Entry = tuple[str, str]  # an extra entry: (id, title)


class DomainNav(QListWidget):
    """Selecting a row shows that entry (``currentRowChanged``): ``first`` (if any), the
    domains, then ``last`` (if any)."""

    def __init__(self, domains: Sequence[Domain], parent: QWidget | None = None, *,
                 first: Entry | None = None, last: Entry | None = None) -> None:
        super().__init__(parent)
        self.domains = tuple(domains)
        self.first, self.last = first, last
        # Every row's id in order: the extra entries' ids and the domains' ids.
        self.ids = tuple([first[0]] if first else []) + tuple(d.id for d in self.domains) \
            + tuple([last[0]] if last else [])
        self._titles = {entry[0]: entry[1] for entry in (first, last) if entry is not None}
        self.setAccessibleName(tr("gui.nav.title"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for _ in self.ids:
            self.addItem(QListWidgetItem())
        for domain in self.domains:
            self.set_progress(domain.id, {})
        for entry_id in self._titles:
            self.set_mark(entry_id, Progress.EMPTY, tr("gui.nav.empty"))
        # Every domain in view at once, never a scroll bar: ten short rows.
        rows = sum(self.sizeHintForRow(row) for row in range(self.count()))
        self.setFixedHeight(rows + 2 * self.frameWidth() + 2)
        self.setMinimumWidth(self._longest_row() + 2 * self.frameWidth() + 24)

    def _longest_row(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(self.item(row).text()) for row in range(self.count())),
                   default=0)

    def row_of(self, entry_id: str) -> int:
        """The row of a domain or an extra entry."""
        return self.ids.index(entry_id)

    def entry_id(self, row: int) -> str:
        return self.ids[row]

    def mark(self, domain_id: str) -> str:
        """The mark shown for a domain (✓, ◐ or ○)."""
        return self.item(self.row_of(domain_id)).text().split(" ", 1)[0]

    def set_progress(self, domain_id: str, answers: Mapping[str, Any]) -> None:
        domain = next(domain for domain in self.domains if domain.id == domain_id)
        state, missing = progress(domain, answers)
        self._show(self.row_of(domain_id), pick(domain.title), state, _status_text(state, missing))

    def set_mark(self, entry_id: str, state: Progress, status: str) -> None:
        """The mark and the status text (tooltip, screen reader) of an extra entry."""
        self._show(self.row_of(entry_id), self._titles[entry_id], state, status)

    def _show(self, row: int, title: str, state: Progress, status: str) -> None:
        item = self.item(row)
        item.setText(f"{state.value}  {title}")
        item.setToolTip(status)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {status}")
