"""Kvalitet: the quality dashboard a professional lead reads at a glance.

The figures come from :mod:`tsbplace.indicators` (computed in the database) and are
computed through :class:`~tsbplace.ui.background_task.TaskRunner`, off the GUI thread,
whenever the period or the clinician changes. Four tabs: Oversikt (key figures with the
number of cases behind each, the monthly trend and deadline adherence), Nivåer
(suggested against chosen level, and the reasons given for choosing lower or higher),
Behandlere (the same figures side by side per clinician, small numbers muted) and
Definisjoner. A key figure or a clinician's cell opens the list of the cases behind it,
for a professional lead, or for a clinician's own figures; a case there is opened in the
main window through :attr:`DashboardDialog.open_case`. The figures export as CSV and as
a PDF report, both audited as exports.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tsbplace.accounts import AccountService, ClinicianRecord, Role
from tsbplace.cases import CaseService, CaseSummary
from tsbplace.files import write_atomically
from tsbplace.i18n import pick, tr
from tsbplace.indicator_report import (
    figure_text,
    indicator_csv,
    kind_text,
    period_text,
    render_indicator_report,
    share_percent,
)
from tsbplace.indicators import (
    NO_REASON,
    Figure,
    IndicatorDefinition,
    IndicatorFilter,
    Indicators,
    case_ids_behind,
    dashboard_indicators,
    indicator_definitions,
)
from tsbplace.progress import Progress
from tsbplace.ui.background_task import TaskRunner
from tsbplace.ui.charts import BarChart, MatrixTable, TrendChart
from tsbplace.ui.dialog_parts import close_buttons, dialog_layout
from tsbplace.ui.exchange_actions import ask_save_path
from tsbplace.ui.inputs import ComboBox
from tsbplace.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QColor,
    QDate,
    QDateEdit,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QMouseEvent,
    QPushButton,
    QScrollArea,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tsbplace.ui.style import MUTED
from tsbplace.ui.what_if import WhatIfDialog

KEY_FIGURES = ("received", "assessed", "within_deadline", "right_to_care", "agreement")
HEADER_WIDTH = 14  # characters per line in the clinician table's column headers
SMALL_N = 10  # fewer cases than this behind a figure: shown muted, "few cases"
LAST_30, THIS_YEAR, EVERYTHING, CUSTOM = "last30", "year", "all", "custom"
SavePathAsker = Callable[[QWidget, str, str], "Path | None"]


@dataclass(frozen=True)
class DashboardData:
    """What one computation hands back to the GUI thread."""

    overall: Indicators
    clinicians: dict[str, Indicators]
    definitions: tuple[IndicatorDefinition, ...]


@dataclass(frozen=True)
class CaseBehind:
    case: CaseSummary
    counted: bool  # in the figure's numerator (else only in its denominator)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def cases_n(figure: Figure | None) -> int | None:
    """The number of cases a figure rests on: its denominator, or the count itself."""
    if figure is None:
        return None
    return figure.denominator if figure.denominator is not None else figure.numerator


def cell_text(figure: Figure | None) -> str:
    """A clinician table cell: "83 % (6)" for a share of 6 cases, the count for a count."""
    if figure is None or figure.numerator is None:
        return "–"
    percent = share_percent(figure)
    if percent is None:
        return "–" if figure.denominator == 0 else str(figure.numerator)
    return tr("gui.dashboard.cell", percent=f"{percent:.0f}", n=figure.denominator)


class FigureCard(QFrame):
    """One key figure: its name, the value large, and the cases behind it. Enter or a
    double click asks for those cases (:attr:`activated`)."""

    activated = Signal(str)

    def __init__(self, indicator_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.indicator_id = indicator_id
        self.setObjectName("card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.drillable = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.title = QLabel(indicator_id)
        self.title.setObjectName("muted")
        self.title.setWordWrap(True)
        self.value = QLabel("–")
        self.value.setObjectName("figureValue")
        self.n_label = QLabel("")
        self.n_label.setObjectName("small")
        for label in (self.title, self.value, self.n_label):
            layout.addWidget(label)
        layout.addStretch(1)

    def set_figure(self, title: str, figure: Figure | None, drillable: bool) -> None:
        self.title.setText(title)
        percent = share_percent(figure) if figure is not None else None
        if figure is None or figure.numerator is None:
            value = "–"
        elif percent is not None:
            value = tr("gui.dashboard.percent", percent=f"{percent:.0f}")
        else:
            value = str(figure.numerator)
        self.value.setText(value)
        n = cases_n(figure)
        if figure is not None and figure.denominator is not None:
            self.n_label.setText(tr("gui.dashboard.of_n", numerator=figure.numerator or 0, n=n or 0))
        else:
            self.n_label.setText(tr("gui.dashboard.n", n=n or 0))
        few = n is not None and n < SMALL_N
        self.drillable = drillable
        tips = [f"{title}: {figure_text(figure)}"]
        if few:
            tips.append(tr("gui.dashboard.few_cases"))
        if drillable:
            tips.append(tr("gui.dashboard.drill_hint"))
        self.setToolTip("\n".join(tips))
        self.setAccessibleName(f"{title}: {value}, {self.n_label.text()}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.drillable:
            self.activated.emit(self.indicator_id)
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.drillable:
            self.activated.emit(self.indicator_id)
        super().mouseDoubleClickEvent(event)


class CasesBehindDialog(QDialog):
    """The cases behind one figure; Enter or a double click opens one (:attr:`chosen`)."""

    chosen = Signal(int)

    def __init__(self, title: str, cases: Sequence[CaseBehind], share: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cases = list(cases)
        self.setWindowTitle(title)
        self.resize(640, 440)
        layout = dialog_layout(self, tr("gui.dashboard.cases_intro"), title)
        headers = [tr("gui.dashboard.case_number"), tr("gui.dashboard.patient"),
                   tr("gui.dashboard.received"), tr("gui.dashboard.clinician")]
        if share:
            headers.append(tr("gui.dashboard.counted"))
        self.table = QTableWidget(len(self.cases), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setAccessibleName(title)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, behind in enumerate(self.cases):
            case = behind.case
            texts = [case.case_number, case.patient_name, case.received_date.strftime("%d.%m.%Y"),
                     case.assigned_to or ""]
            if share:
                texts.append(tr("gui.dashboard.yes") if behind.counted else tr("gui.dashboard.no"))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, case.id)
                self.table.setItem(row, column, item)
        self.table.cellDoubleClicked.connect(lambda row, _column: self.choose(row))
        layout.addWidget(self.table, 1)
        count = QLabel(tr("gui.dashboard.case_count", count=len(self.cases)))
        count.setObjectName("muted")
        layout.addWidget(count)
        buttons = close_buttons(self.reject)
        self.open_button = QPushButton(tr("gui.dashboard.open_case"))
        self.open_button.clicked.connect(lambda: self.choose(self.table.currentRow()))
        buttons.addButton(self.open_button, buttons.ButtonRole.ActionRole)
        layout.addWidget(buttons)
        if self.cases:
            self.table.selectRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentRow() >= 0:
            self.choose(self.table.currentRow())
            return
        super().keyPressEvent(event)

    def choose(self, row: int) -> None:
        if 0 <= row < len(self.cases):
            self.chosen.emit(self.cases[row].case.id)
            self.accept()

    def case_numbers(self) -> list[str]:
        return [behind.case.case_number for behind in self.cases]


class DashboardDialog(QDialog):
    """``accounts``: the signed-in user's (a lead sees every clinician and drills into any
    figure; a clinician sees their own row and drills only into their own figures)."""

    open_case = Signal(int)
    computed = Signal()  # the figures on screen are new (tests wait for it)

    def __init__(self, service: CaseService, accounts: AccountService, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.accounts = accounts
        self.me: ClinicianRecord = accounts.me
        self.lead = self.me.role is Role.LEAD
        self.today = today or dt.date.today()
        self.users = {user.user_name: user.display_name for user in accounts.list_users()}
        self.data: DashboardData | None = None
        self.cases_dialog: CasesBehindDialog | None = None
        self._pending = False
        self.ask_csv_path: SavePathAsker = ask_save_path
        self.ask_pdf_path: SavePathAsker = ask_save_path
        self.runner = TaskRunner(self)
        self.runner.busy_changed.connect(self._on_busy)
        self.setWindowTitle(tr("gui.dashboard.title"))
        self.resize(1080, 760)

        layout = dialog_layout(self, tr("gui.dashboard.intro"), tr("gui.dashboard.title"))
        layout.addLayout(self._filter_row())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._overview_tab(), tr("gui.dashboard.overview_tab"))
        self.tabs.addTab(self._levels_tab(), tr("gui.dashboard.levels_tab"))
        self.tabs.addTab(self._clinicians_tab(), tr("gui.dashboard.clinicians_tab"))
        self.tabs.addTab(self._definitions_tab(), tr("gui.dashboard.definitions_tab"))
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self._bottom_row())

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.compute)
        self.set_period(LAST_30)
        self.compute()

    # --- layout -----------------------------------------------------------------------

    def _filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.period_box = ComboBox()
        for key, data in (("gui.dashboard.last_30", LAST_30), ("gui.dashboard.this_year", THIS_YEAR),
                          ("gui.dashboard.everything", EVERYTHING), ("gui.dashboard.custom", CUSTOM)):
            self.period_box.addItem(tr(key), data)
        self.period_box.setAccessibleName(tr("gui.dashboard.period"))
        self.period_box.fit_options()
        self.period_box.activated.connect(lambda _index: self.set_period(str(self.period_box.currentData())))
        self.from_edit, self.to_edit = QDateEdit(), QDateEdit()
        for edit, key in ((self.from_edit, "gui.dashboard.from"), (self.to_edit, "gui.dashboard.to")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setAccessibleName(tr(key))
            edit.dateChanged.connect(self._on_date_edited)
        self.clinician_box = ComboBox()
        self.clinician_box.setAccessibleName(tr("gui.dashboard.clinician"))
        if self.lead:
            self.clinician_box.addItem(tr("gui.dashboard.every_clinician"), None)
            for user_name, name in self.users.items():
                self.clinician_box.addItem(f"{name} ({user_name})", user_name)
        else:
            self.clinician_box.addItem(tr("gui.dashboard.every_clinician"), None)
            self.clinician_box.addItem(f"{self.me.display_name} ({self.me.user_name})", self.me.user_name)
        self.clinician_box.fit_options()
        self.clinician_box.activated.connect(lambda _index: self.schedule())
        # Units (named on users by a lead) matter on a store several units share: a lead may
        # look at one; without units the chooser is not shown.
        self.unit_box = ComboBox()
        self.unit_box.setAccessibleName(tr("gui.dashboard.unit"))
        self.unit_box.addItem(tr("gui.dashboard.every_unit"), None)
        for unit in self.accounts.units() if self.lead else ():
            self.unit_box.addItem(unit, unit)
        self.unit_box.fit_options()
        self.unit_box.activated.connect(lambda _index: self.schedule())
        filters = [("gui.dashboard.period", self.period_box), ("gui.dashboard.from", self.from_edit),
                   ("gui.dashboard.to", self.to_edit), ("gui.dashboard.clinician", self.clinician_box)]
        if self.unit_box.count() > 1:
            filters.append(("gui.dashboard.unit", self.unit_box))
        for key, widget in filters:
            label = QLabel(tr(key))
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
            row.addSpacing(8)
        row.addStretch(1)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        row.addWidget(self.status)
        return row

    def _bottom_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.csv_button = QPushButton(tr("gui.dashboard.export_csv"))
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button = QPushButton(tr("gui.dashboard.export_pdf"))
        self.pdf_button.clicked.connect(self.export_pdf)
        self.per_clinician_box = QCheckBox(tr("gui.dashboard.csv_per_clinician"))
        self.per_clinician_box.setVisible(self.lead)
        row.addWidget(self.csv_button)
        row.addWidget(self.per_clinician_box)
        row.addWidget(self.pdf_button)
        # What a candidate rule set would change, before it is put into use (a lead's call).
        self.what_if_button = QPushButton(tr("gui.what_if.menu"))
        self.what_if_button.clicked.connect(self.open_what_if)
        self.what_if_button.setVisible(self.lead)
        row.addWidget(self.what_if_button)
        row.addStretch(1)
        row.addWidget(close_buttons(self.reject))
        return row

    @staticmethod
    def _scrolled(inner: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(inner)
        return area

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        return label

    def _overview_tab(self) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        cards = QGridLayout()
        self.cards: dict[str, FigureCard] = {}
        for column, indicator_id in enumerate(KEY_FIGURES):
            card = FigureCard(indicator_id)
            card.activated.connect(lambda figure_id: self.drill(figure_id, None))
            cards.addWidget(card, 0, column)
            self.cards[indicator_id] = card
        layout.addLayout(cards)
        layout.addWidget(self._section(tr("gui.dashboard.trend")))
        self.trend = TrendChart(tr("gui.dashboard.trend"), tr("gui.dashboard.no_data"))
        layout.addWidget(self.trend)
        layout.addWidget(self._section(tr("gui.dashboard.deadline")))
        self.deadline_chart = BarChart(tr("gui.dashboard.deadline"), tr("gui.dashboard.no_data"))
        layout.addWidget(self.deadline_chart)
        layout.addStretch(1)
        return self._scrolled(inner)

    def _levels_tab(self) -> QWidget:
        inner = QWidget()
        layout = QGridLayout(inner)
        self.suggested_chart = BarChart(tr("gui.dashboard.suggested"), tr("gui.dashboard.no_data"))
        self.chosen_chart = BarChart(tr("gui.dashboard.chosen"), tr("gui.dashboard.no_data"))
        layout.addWidget(self._section(tr("gui.dashboard.suggested")), 0, 0)
        layout.addWidget(self._section(tr("gui.dashboard.chosen")), 0, 1)
        layout.addWidget(self.suggested_chart, 1, 0)
        layout.addWidget(self.chosen_chart, 1, 1)
        layout.addWidget(self._section(tr("gui.dashboard.matrix")), 2, 0, 1, 2)
        note = QLabel(tr("gui.dashboard.matrix_note"))
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note, 3, 0, 1, 2)
        self.matrix = MatrixTable(tr("gui.dashboard.matrix"), tr("gui.dashboard.suggested_short"),
                                  tr("gui.dashboard.chosen_short"))
        layout.addWidget(self.matrix, 4, 0, 1, 2)
        self.under_chart = BarChart(tr("gui.dashboard.under_reasons"), tr("gui.dashboard.none"))
        self.over_chart = BarChart(tr("gui.dashboard.over_reasons"), tr("gui.dashboard.none"))
        layout.addWidget(self._section(tr("gui.dashboard.under_reasons")), 5, 0)
        layout.addWidget(self._section(tr("gui.dashboard.over_reasons")), 5, 1)
        layout.addWidget(self.under_chart, 6, 0)
        layout.addWidget(self.over_chart, 6, 1)
        layout.setRowStretch(7, 1)
        return self._scrolled(inner)

    def _clinicians_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        note = QLabel(tr("gui.dashboard.clinicians_note", n=SMALL_N))
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.clinician_table = QTableWidget(0, 0)
        self.clinician_table.setAccessibleName(tr("gui.dashboard.clinicians_tab"))
        self.clinician_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.clinician_table.setWordWrap(True)
        self.clinician_table.verticalHeader().hide()
        self.clinician_table.cellDoubleClicked.connect(self._on_clinician_cell)
        self.clinician_table.activated.connect(
            lambda index: self._on_clinician_cell(index.row(), index.column()))
        layout.addWidget(self.clinician_table, 1)
        return tab

    def _definitions_tab(self) -> QWidget:
        self.definition_table = QTableWidget(0, 4)
        self.definition_table.setHorizontalHeaderLabels([
            tr("gui.dashboard.indicator"), tr("gui.dashboard.kind"), tr("gui.dashboard.definition"),
            tr("gui.dashboard.source")])
        self.definition_table.setAccessibleName(tr("gui.dashboard.definitions_tab"))
        self.definition_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.definition_table.setWordWrap(True)
        self.definition_table.verticalHeader().hide()
        header = self.definition_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        return self.definition_table

    # --- computing ----------------------------------------------------------------------

    def set_period(self, choice: str) -> None:
        """A quick choice of period: the last 30 days, this year, everything, or the dates."""
        self.period_box.setCurrentIndex(self.period_box.findData(choice))
        for edit in (self.from_edit, self.to_edit):
            edit.blockSignals(True)
        if choice == LAST_30:
            self.from_edit.setDate(qdate(self.today - dt.timedelta(days=29)))
            self.to_edit.setDate(qdate(self.today))
        elif choice == THIS_YEAR:
            self.from_edit.setDate(qdate(self.today.replace(month=1, day=1)))
            self.to_edit.setDate(qdate(self.today))
        for edit in (self.from_edit, self.to_edit):
            edit.blockSignals(False)
            edit.setEnabled(choice != EVERYTHING)
        self.schedule()

    def open_what_if(self) -> WhatIfDialog | None:
        if not self.lead:
            return None
        self.what_if = WhatIfDialog(self.service, self)
        self.what_if.open()
        return self.what_if

    def _on_date_edited(self) -> None:
        self.period_box.setCurrentIndex(self.period_box.findData(CUSTOM))
        self.schedule()

    def current_filter(self) -> IndicatorFilter:
        clinician, unit = self.clinician_box.currentData(), self.unit_box.currentData()
        if self.period_box.currentData() == EVERYTHING:
            return IndicatorFilter(None, None, clinician, unit)
        start, end = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        return IndicatorFilter(start, end, clinician, unit)

    def schedule(self) -> None:
        """Compute again shortly (several quick changes compute once)."""
        if hasattr(self, "_debounce"):
            self._debounce.start()

    def compute(self) -> bool:
        """Compute the figures for the chosen period and clinician off the GUI thread."""
        self._debounce.stop()
        if self.runner.busy:
            self._pending = True
            return False
        chosen = self.current_filter()
        store, content = self.service.store, self.service.content
        lead, me = self.lead, self.me.user_name

        def work(progress: Progress) -> DashboardData:
            progress.check()
            # One pass: the figures for the choice, and every clinician's for the Behandlere tab.
            overall, clinicians = dashboard_indicators(store, content, replace(chosen, clinician=None))
            if chosen.clinician is not None:
                overall = clinicians[chosen.clinician]
            progress.check()
            if not lead:
                clinicians = {user: figures for user, figures in clinicians.items() if user == me}
            return DashboardData(overall, clinicians, tuple(indicator_definitions()))

        self.status.setText(tr("gui.dashboard.computing"))
        started: bool = self.runner.start(tr("gui.dashboard.title"), tr("gui.dashboard.computing"), work,
                                          self.show_data, lambda: self.status.setText(""))
        return started

    def _on_busy(self, busy: bool) -> None:
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(not busy and self.data is not None)
        if not busy and self._pending:
            self._pending = False
            QTimer.singleShot(0, self.compute)

    # --- showing ------------------------------------------------------------------------

    def label(self, indicator_id: str) -> str:
        definitions = self.data.definitions if self.data is not None else ()
        return next((pick(d.label) for d in definitions if d.id == indicator_id), indicator_id)

    def reason_label(self, code: str) -> str:
        if code == NO_REASON:
            return tr("indicator_report.no_reason")
        codes = self.service.content.codes
        known = codes.decision_reasons if codes is not None else ()
        return next((reason.label() for reason in known if reason.id == code), code)

    def may_drill(self, clinician: str | None) -> bool:
        """A lead may see the cases behind any figure; a clinician only behind their own."""
        return self.lead or clinician == self.me.user_name

    def show_data(self, data: DashboardData) -> None:
        self.data = data
        overall = data.overall
        self.status.setText(period_text(overall.filter.start, overall.filter.end))
        drillable = self.may_drill(overall.filter.clinician)
        for indicator_id, card in self.cards.items():
            card.set_figure(self.label(indicator_id), overall.figures.get(indicator_id), drillable)
        months = [self._month_text(row.month) for row in overall.months]
        self.trend.set_data(months, [
            (tr("gui.dashboard.received_series"), [row.received for row in overall.months]),
            (tr("gui.dashboard.assessed_series"), [row.assessed for row in overall.months])])
        shares = [row.within_deadline_share for row in overall.months]
        self.deadline_chart.set_data(
            months, [100 * share if share is not None else 0 for share in shares],
            [tr("gui.dashboard.share_text", percent=f"{100 * share:.0f}", numerator=row.within_deadline,
                denominator=row.assessed) if share is not None else tr("gui.dashboard.none")
             for row, share in zip(overall.months, shares, strict=True)], maximum=100)
        self.suggested_chart.set_data(list(overall.suggested_levels), list(overall.suggested_levels.values()))
        self.chosen_chart.set_data(list(overall.chosen_levels), list(overall.chosen_levels.values()))
        levels = list(dict.fromkeys([*overall.suggested_levels, *overall.chosen_levels]))
        self.matrix.set_data(levels, overall.matrix)
        for chart, side in ((self.under_chart, "under"), (self.over_chart, "over")):
            reasons = {code: n for code, n in overall.deviation_reasons.get(side, {}).items() if n}
            chart.set_data([self.reason_label(code) for code in reasons], list(reasons.values()))
        self._fill_clinicians(data)
        self._fill_definitions(data.definitions)
        self._on_busy(False)
        self.computed.emit()

    @staticmethod
    def _month_text(month: str) -> str:
        year, _, number = month.partition("-")
        return f"{number}.{year}" if number else month

    def _fill_clinicians(self, data: DashboardData) -> None:
        table = self.clinician_table
        figure_ids = list(data.overall.figures)
        self.clinician_columns = figure_ids
        table.clear()
        table.setColumnCount(len(figure_ids) + 1)
        # Headers over two or three short lines, so twelve figures fit side by side.
        table.setHorizontalHeaderLabels([tr("gui.dashboard.clinician"),
                                         *(textwrap.fill(self.label(i), HEADER_WIDTH) for i in figure_ids)])
        users = sorted(data.clinicians, key=lambda user: (self.users.get(user) or user).casefold())
        self.clinician_rows = users
        table.setRowCount(len(users))
        for row, user in enumerate(users):
            name = QTableWidgetItem(f"{self.users.get(user, user)} ({user})")
            name.setData(Qt.ItemDataRole.UserRole, user)
            table.setItem(row, 0, name)
            drillable = self.may_drill(user)
            for column, indicator_id in enumerate(figure_ids, start=1):
                figure = data.clinicians[user].figures.get(indicator_id)
                item = QTableWidgetItem(cell_text(figure))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                tips = [f"{self.label(indicator_id)}: {figure_text(figure)}"]
                n = cases_n(figure)
                if n is not None and n < SMALL_N:
                    item.setForeground(QColor(MUTED))
                    tips.append(tr("gui.dashboard.few_cases"))
                if drillable:
                    tips.append(tr("gui.dashboard.drill_hint"))
                item.setToolTip("\n".join(tips))
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.resizeRowsToContents()

    def _fill_definitions(self, definitions: Sequence[IndicatorDefinition]) -> None:
        table = self.definition_table
        table.setRowCount(len(definitions))
        for row, definition in enumerate(definitions):
            for column, text in enumerate((pick(definition.label), kind_text(definition.kind),
                                           pick(definition.definition), definition.source)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                table.setItem(row, column, item)
        table.resizeColumnToContents(0)
        table.resizeColumnToContents(1)
        table.setColumnWidth(3, table.fontMetrics().horizontalAdvance("M") * 18)
        table.resizeRowsToContents()

    def clinician_cell(self, user: str, indicator_id: str) -> QTableWidgetItem | None:
        if self.data is None or user not in self.clinician_rows:
            return None
        return self.clinician_table.item(self.clinician_rows.index(user),
                                         self.clinician_columns.index(indicator_id) + 1)

    # --- drilling down ------------------------------------------------------------------

    def _on_clinician_cell(self, row: int, column: int) -> None:
        if self.data is None or column < 1 or row >= len(self.clinician_rows):
            return
        self.drill(self.clinician_columns[column - 1], self.clinician_rows[row])

    def drill(self, indicator_id: str, clinician: str | None) -> bool:
        """List the cases behind a figure (of one clinician, or of the chosen selection)."""
        if self.data is None or self.runner.busy:
            return False
        chosen = self.data.overall.filter
        if clinician is not None:
            chosen = replace(chosen, clinician=clinician)
        if not self.may_drill(chosen.clinician):
            return False
        figures = self.data.clinicians[clinician] if clinician is not None else self.data.overall
        figure = figures.figures.get(indicator_id)
        share = figure is not None and figure.denominator is not None
        store, content, service = self.service.store, self.service.content, self.service

        def work(progress: Progress) -> list[CaseBehind]:
            counted = case_ids_behind(store, content, chosen, indicator_id, "numerator")
            progress.check()
            ids = case_ids_behind(store, content, chosen, indicator_id, "denominator") if share else counted
            cases = []
            for case_id in ids:
                progress.check()
                cases.append(CaseBehind(service.get_case(case_id), case_id in counted))
            return cases

        name = self.label(indicator_id)
        if clinician is not None:
            name = f"{name} · {self.users.get(clinician, clinician)}"
        return self.runner.start(tr("gui.dashboard.cases_title"), tr("gui.dashboard.finding_cases"), work,
                                 lambda cases: self._show_cases(name, cases, share))

    def _show_cases(self, title: str, cases: list[CaseBehind], share: bool) -> None:
        self.cases_dialog = CasesBehindDialog(title, cases, share, self)
        self.cases_dialog.chosen.connect(self._case_chosen)
        self.cases_dialog.open()

    def _case_chosen(self, case_id: int) -> None:
        self.accept()  # out of the way: the case opens in the main window behind
        self.open_case.emit(case_id)

    # --- export -------------------------------------------------------------------------

    def _file_stem(self) -> str:
        return tr("gui.dashboard.file_name", date=self.today.isoformat())

    def export_csv(self) -> bool:
        if self.data is None or self.runner.busy:
            return False
        target = self.ask_csv_path(self, self._file_stem() + ".csv", tr("gui.exchange.csv_filter"))
        if target is None:
            return False
        data = self.data
        clinicians = data.clinicians if self.lead and self.per_clinician_box.isChecked() else None
        return self._export(tr("gui.dashboard.export_csv"), target, "indicators-csv",
                            lambda: indicator_csv(data.overall, data.definitions, clinicians))

    def export_pdf(self) -> bool:
        if self.data is None or self.runner.busy:
            return False
        target = self.ask_pdf_path(self, self._file_stem() + ".pdf", "PDF (*.pdf)")
        if target is None:
            return False
        data = self.data
        clinician = data.overall.filter.clinician
        scope = f"{self.users.get(clinician, clinician)} ({clinician})" if clinician else ""
        author = self.me.display_name
        return self._export(tr("gui.dashboard.export_pdf"), target, "indicators-pdf",
                            lambda: render_indicator_report(data.overall, data.definitions, author=author,
                                                            scope=scope))

    def _export(self, title: str, target: Path, kind: str, make: Callable[[], bytes]) -> bool:
        """Make the file off the GUI thread, write it whole (or not at all), record it."""
        service = self.service

        def work(progress: Progress) -> bytes:
            content = make()
            progress.check()  # cancelled: nothing written, nothing recorded
            write_atomically(target, content)
            service.record_export(kind, content)
            return content

        done = tr("gui.exchange.exported", file=target.name)
        return self.runner.start(title.rstrip(" …"), tr("gui.dashboard.exporting"), work,
                                 lambda _data: self.status.setText(done))
