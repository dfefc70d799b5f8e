"""The bar over the case list: search as you type (a short pause first) and the filters for
status, assessment deadline and clinician. It says what to show (a ``CaseQuery``); the
list's model fetches it."""

from __future__ import annotations

import datetime as dt

from tsbplace.i18n import tr
from tsbplace.legal import add_working_days
from tsbplace.ui.case_list import SOON_WORKING_DAYS, CaseQuery, count_text
from tsbplace.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

SEARCH_PAUSE_MS = 250  # after the last keystroke, before the search runs
MINE = "\x00mine"  # the clinician combo's data for "Mine" (user names hold no NUL)
UNASSIGNED = "\x00nobody"  # … and for "Ikke tildelt"


class SearchEdit(QLineEdit):
    """A line edit that Esc clears (and passes on when already empty)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)


class CaseFilterBar(QWidget):
    changed = Signal(object)  # the new CaseQuery

    def __init__(self, me: str | None = None, clinicians: tuple[tuple[str, str], ...] = (),
                 parent: QWidget | None = None, pause_ms: int = SEARCH_PAUSE_MS) -> None:
        """``me``: the signed-in user's name (None: no clinician filter); ``clinicians``:
        (user name, display name) of the others one may filter on."""
        super().__init__(parent)
        self.me = me
        self.search_edit = SearchEdit()
        self.search_edit.setObjectName("caseSearch")
        self.search_edit.setPlaceholderText(tr("gui.case_filter.placeholder"))
        self.search_edit.setAccessibleName(tr("gui.case_filter.search"))
        self.search_edit.setToolTip(tr("gui.case_filter.search_tip"))
        self.search_edit.setClearButtonEnabled(True)
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(pause_ms)
        self.pause.timeout.connect(self._emit)
        self.search_edit.textChanged.connect(lambda _text: self.pause.start())
        self.search_edit.returnPressed.connect(self._emit)  # no need to wait

        self.status_combo = self._combo(tr("gui.case_filter.status"), [
            (tr("gui.case_filter.status_all"), None), (tr("gui.case_filter.status_new"), "new"),
            (tr("gui.case_filter.status_assessed"), "assessed"),
            (tr("gui.case_filter.status_signed"), "signed"),
            (tr("gui.referring.status_referred"), "referred")])
        self.deadline_combo = self._combo(tr("gui.case_filter.deadline"), [
            (tr("gui.case_filter.deadline_all"), None),
            (tr("gui.case_filter.deadline_overdue"), "overdue"),
            (tr("gui.case_filter.deadline_soon", days=SOON_WORKING_DAYS), "soon")])
        self.deadline_combo.setToolTip(tr("gui.case_filter.deadline_tip", days=SOON_WORKING_DAYS))
        choices: list[tuple[str, str | None]] = [(tr("gui.case_filter.clinician_all"), None)]
        if me is not None:
            choices.append((tr("gui.case_filter.clinician_mine"), MINE))
            choices.append((tr("gui.case_filter.clinician_nobody"), UNASSIGNED))
            choices += [(display, user) for user, display in clinicians if user != me]
        self.clinician_combo = self._combo(tr("gui.case_filter.clinician"), choices)
        self.clinician_combo.setVisible(me is not None)

        self.count_label = QLabel()  # "1 234 saker", or "Søker …" while a query runs
        self.count_label.setObjectName("muted")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for combo in (self.status_combo, self.deadline_combo, self.clinician_combo):
            filters.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search_edit)
        layout.addLayout(filters)

    def _combo(self, name: str, choices: list[tuple[str, str | None]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for text, data in choices:
            combo.addItem(text, data)
        combo.currentIndexChanged.connect(lambda _index: self._emit())
        return combo

    def focus_search(self) -> None:
        """Ctrl+F: into the search field, its text selected for typing over."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def query(self, today: dt.date | None = None) -> CaseQuery:
        """The search and filters as ``search_cases`` takes them; the deadline filters are
        days by the legal working-day calendar (``due_before``: deadline on or before)."""
        today = today or dt.date.today()
        due_before = None
        match self.deadline_combo.currentData():
            case "overdue":
                due_before = today - dt.timedelta(days=1)
            case "soon":
                due_before = add_working_days(today, SOON_WORKING_DAYS)
        clinician = self.clinician_combo.currentData()
        assigned = self.me if clinician == MINE else None if clinician == UNASSIGNED else clinician
        return CaseQuery(self.search_edit.text().strip(), self.status_combo.currentData(), due_before,
                         assigned, clinician == UNASSIGNED)

    def _emit(self) -> None:
        self.pause.stop()
        self.changed.emit(self.query())

    def show_busy(self, busy: bool, total: int | None) -> None:
        """The quiet line by the heading: searching, or how many cases match."""
        if busy:
            self.count_label.setText(tr("gui.case_filter.busy"))
        else:
            self.count_label.setText("" if total is None else count_text(total))
