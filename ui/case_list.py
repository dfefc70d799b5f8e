"""The case list: a table model that fetches pages of ``CaseService.search_cases`` on demand.

Every query (the first page, each further page, a refresh after a save) runs in a worker
thread of the model's own pool; the page comes back through a queued signal, and a result
for a query that is no longer the current one (the text or a filter changed meanwhile) is
dropped by its generation number. The GUI thread only copies the rows in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tsbplace.cases import MAX_PAGE_SIZE, CasePage, CaseService, CaseSummary
from tsbplace.i18n import current_language, tr
from tsbplace.legal import add_working_days
from tsbplace.national_id import format_national_id
from tsbplace.ui.qt import (
    QAbstractTableModel,
    QColor,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from tsbplace.ui.style import PROBLEM, WARNING

PAGE_SIZE = 100  # rows per fetch; the view asks for the next page when scrolled near the end
SOON_WORKING_DAYS = 3  # "snart": the assessment deadline is at most this many working days away
COLUMNS = ("case_number", "patient", "national_id", "received", "deadline", "status",
           "suggested_level", "chosen_level", "assigned_to")
HIDDEN_BY_DEFAULT = ("national_id", "received", "chosen_level", "assigned_to")  # a ~500 px pane
ALWAYS_SHOWN = ("case_number", "patient")
STATUS_KEYS = {"new": "gui.case_status.new", "assessed": "gui.case_status.assessed",
               "signed": "gui.case_status.signed", "referred": "gui.referring.status_referred"}
PATIENT_COLUMN = COLUMNS.index("patient")
DEADLINE_COLUMN = COLUMNS.index("deadline")


def column_title(column: str) -> str:
    titles = {
        "case_number": tr("gui.case_list.case_number"), "patient": tr("gui.case_list.patient"),
        "national_id": tr("gui.case_list.national_id"), "received": tr("gui.case_list.received"),
        "deadline": tr("gui.case_list.deadline"), "status": tr("gui.case_list.status"),
        "suggested_level": tr("gui.case_list.suggested_level"),
        "chosen_level": tr("gui.case_list.chosen_level"), "assigned_to": tr("gui.case_list.assigned_to"),
    }
    return titles[column]


def count_text(total: int) -> str:
    """``1 234 saker`` (a no-break space between thousands in bokmål), ``1,234 cases``."""
    number = f"{total:,}".replace(",", "\u00a0" if current_language() == "nb" else ",")
    return tr("gui.case_list.count_one") if total == 1 else tr("gui.case_list.count", count=number)


@dataclass(frozen=True)
class CaseQuery:
    """What the list shows: the search text and the filters, as ``search_cases`` takes them."""

    text: str = ""
    status: str | None = None
    due_before: dt.date | None = None
    assigned_to: str | None = None
    unassigned: bool = False  # only the cases nobody has yet


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


class _Relay(QObject):
    """Carries a worker's answer to the GUI thread (a queued connection: the model lives there)."""

    done = Signal(int, int, object)  # generation, offset, CasePage
    failed = Signal(int, str)  # generation, the exception's name (never its text: it may hold data)


class _PageJob(QRunnable):
    """One ``search_cases`` call in a pool thread; skipped if outdated before it starts."""

    def __init__(self, relay: _Relay, generation: int, current: Callable[[], int],
                 search: Callable[..., CasePage], query: CaseQuery, limit: int, offset: int) -> None:
        super().__init__()
        self.relay, self.generation, self.current = relay, generation, current
        self.search, self.query, self.limit, self.offset = search, query, limit, offset

    def run(self) -> None:
        if self.current() != self.generation:
            return  # a newer query was asked for while this one waited
        query = self.query
        try:
            # The holiday calendar loads on first use (~150 ms of imports): here, not on the
            # GUI thread when it first draws a deadline.
            add_working_days(dt.date.today(), SOON_WORKING_DAYS)
            page = self.search(query.text, query.status, query.due_before, limit=self.limit,
                               offset=self.offset, assigned_to=query.assigned_to,
                               unassigned=query.unassigned)
        except Exception as error:  # told to the GUI thread, which shows it quietly
            name = type(error).__name__
            self._emit(lambda: self.relay.failed.emit(self.generation, name))
            return
        self._emit(lambda: self.relay.done.emit(self.generation, self.offset, page))

    @staticmethod
    def _emit(send: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the list was closed while the query ran
            send()


class CaseListModel(QAbstractTableModel):
    """Rows of ``CaseService.search_cases``, a page at a time (``canFetchMore``/``fetchMore``)."""

    busy_changed = Signal(bool)
    loaded = Signal(bool)  # True: the first page (a new query or a refresh) came in
    failed = Signal(str)

    def __init__(self, service: CaseService | None = None, parent: QObject | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.service = service
        self.page_size = page_size
        self.query = CaseQuery()
        self.total: int | None = None  # of the current query, from its first page
        self._cases: list[CaseSummary] = []
        self._generation = 0
        self._waiting: int | None = None  # the generation a worker is answering
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._deadlines: dict[dt.date, dt.date] = {}
        self._today = dt.date.today()
        self._soon_limit: dt.date | None = None  # counted when first needed (see _PageJob.run)
        self._working_days = 10
        if service is not None and service.content.legal is not None:
            self._working_days = service.content.legal.assessment.working_days

    # --- loading -----------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._waiting is not None

    def set_query(self, query: CaseQuery) -> None:
        """Show the cases matching ``query``, from the first page (the rows go at once)."""
        self.query = query
        self.beginResetModel()
        self._cases = []
        self.total = None
        self.endResetModel()
        self._start(self.page_size, 0)

    def refresh(self) -> None:
        """Fetch the rows shown again (after a save): as many as are loaded, in one query,
        so the list keeps its place; the rows stay until the answer comes."""
        limit = min(max(len(self._cases), self.page_size), MAX_PAGE_SIZE)
        self._start(limit, 0)

    def set_cases(self, cases: list[CaseSummary]) -> None:
        """Show exactly these cases (no service: for a fixed list)."""
        self._generation += 1
        self._set_waiting(None)
        self.beginResetModel()
        self._cases = list(cases)
        self.total = len(self._cases)
        self.endResetModel()

    def _start(self, limit: int, offset: int, *, new_generation: bool = True) -> None:
        if self.service is None:
            return
        if new_generation:
            self._generation += 1
            self._today = dt.date.today()
            self._soon_limit = None
        self._set_waiting(self._generation)
        self.pool.start(_PageJob(self._relay, self._generation, lambda: self._generation,
                                 self.service.search_cases, self.query, limit, offset))

    def _set_waiting(self, generation: int | None) -> None:
        was = self.busy
        self._waiting = generation
        if was != self.busy:
            self.busy_changed.emit(self.busy)

    def _on_done(self, generation: int, offset: int, page: CasePage) -> None:
        if generation != self._generation:
            return  # an outdated query's answer
        self._set_waiting(None)
        rows = list(page.rows)
        if offset == 0:
            self.total = page.total
            self._replace(rows)
        elif offset == len(self._cases) and rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self._cases.extend(rows)
            self.endInsertRows()
        self.loaded.emit(offset == 0)

    def _replace(self, rows: list[CaseSummary]) -> None:
        """New rows for the loaded range, without a reset (the view keeps its scroll place)."""
        old = len(self._cases)
        if len(rows) < old:
            self.beginRemoveRows(QModelIndex(), len(rows), old - 1)
            self._cases = self._cases[:len(rows)]
            self.endRemoveRows()
        self._cases[:len(rows)] = rows[:len(self._cases)]
        if self._cases:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._cases) - 1, len(COLUMNS) - 1))
        if len(rows) > len(self._cases):
            self.beginInsertRows(QModelIndex(), len(self._cases), len(rows) - 1)
            self._cases.extend(rows[len(self._cases):])
            self.endInsertRows()

    def _on_failed(self, generation: int, error: str) -> None:
        if generation == self._generation:
            self._set_waiting(None)
            self.failed.emit(error)

    def canFetchMore(self, parent: Any = QModelIndex()) -> bool:  # noqa: B008 - Qt's API
        return (not parent.isValid() and not self.busy and self.total is not None
                and len(self._cases) < self.total)

    def fetchMore(self, parent: Any = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._start(self.page_size, len(self._cases), new_generation=False)

    # --- rows ----------------------------------------------------------------------------

    def case_at(self, row: int) -> CaseSummary:
        return self._cases[row]

    def row_of(self, case_id: int) -> int | None:
        for row, case in enumerate(self._cases):
            if case.id == case_id:
                return row
        return None

    def deadline(self, case: CaseSummary) -> dt.date:
        """Received + the legal working days (10), by the Norwegian working-day calendar."""
        if (day := self._deadlines.get(case.received_date)) is None:
            day = self._deadlines[case.received_date] = add_working_days(case.received_date,
                                                                          self._working_days)
        return day

    def deadline_state(self, case: CaseSummary) -> str:
        """"overdue", "soon" (within three working days) or "" (signed cases and referrals
        prepared on the referring side, which have no assessment deadline: always "")."""
        if case.status == "signed" or case.referring:
            return ""
        day = self.deadline(case)
        if day < self._today:
            return "overdue"
        if self._soon_limit is None:
            self._soon_limit = add_working_days(self._today, SOON_WORKING_DAYS)
        return "soon" if day <= self._soon_limit else ""

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._cases)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_title(COLUMNS[section])
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and COLUMNS[section] == "deadline"):
            return tr("gui.case_list.deadline_header_tip", days=self._working_days)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._cases):
            return None
        case = self._cases[index.row()]
        column = COLUMNS[index.column()]
        if column == "deadline":
            return self._deadline_data(case, role)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        match column:
            case "case_number":
                return case.case_number
            case "patient":
                return case.patient_name
            case "national_id":
                return format_national_id(case.national_id)
            case "received":
                return _date(case.received_date)
            case "status":
                if case.referring and case.status != "referred":  # our referral, not yet sent
                    return tr("gui.referring.status_draft")
                return tr(STATUS_KEYS[case.status]) if case.status in STATUS_KEYS else case.status
            case "suggested_level":
                return case.suggested_level or "—"
            case "chosen_level":
                return case.chosen_level or "—"
            case "assigned_to":
                return case.assigned_to or ""
        return None

    def _deadline_data(self, case: CaseSummary, role: int) -> Any:
        if case.referring:  # TSB's deadline starts when TSB receives the referral
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return "—"
            return tr("gui.referring.deadline_tip") if role == Qt.ItemDataRole.ToolTipRole else None
        state = self.deadline_state(case)
        day = _date(self.deadline(case))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if state == "overdue":
                return tr("gui.case_list.deadline_overdue", date=day)
            if state == "soon":
                return tr("gui.case_list.deadline_soon", date=day)
            return day
        if role == Qt.ItemDataRole.ForegroundRole and state:
            return QColor(PROBLEM if state == "overdue" else WARNING)
        if role == Qt.ItemDataRole.ToolTipRole:
            base = tr("gui.case_list.deadline_tip", received=_date(case.received_date),
                      days=self._working_days, deadline=day)
            if case.status == "signed":
                return base + " " + tr("gui.case_list.deadline_tip_signed")
            if state == "overdue":
                return base + " " + tr("gui.case_list.deadline_tip_overdue")
            if state == "soon":
                return base + " " + tr("gui.case_list.deadline_tip_soon", days=SOON_WORKING_DAYS)
            return base
        return None
