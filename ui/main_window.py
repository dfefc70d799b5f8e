"""The main window: the case list and the open case's domain list on the left, the open
case on the right."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tsbplace.accounts import AccountService, Role
from tsbplace.app_log import redact_also
from tsbplace.case_sides import REFERRAL_LETTER, REFERRED, TSB, NotForSide, letter_kinds
from tsbplace.cases import (
    AssessmentConflict,
    AssessmentSigned,
    CaseNotFound,
    CaseService,
    CaseSummary,
    InvalidInput,
    NotSigned,
    ReferralConflict,
)
from tsbplace.clinic import ClinicDetails, ClinicSettings
from tsbplace.files import WriteFailed, write_atomically
from tsbplace.i18n import tr
from tsbplace.ui.audit_view import AuditView
from tsbplace.ui.case_filter_bar import CaseFilterBar
from tsbplace.ui.case_list import (
    ALWAYS_SHOWN,
    COLUMNS,
    HIDDEN_BY_DEFAULT,
    PATIENT_COLUMN,
    CaseListModel,
    CaseQuery,
    column_title,
)
from tsbplace.ui.case_page import CasePage
from tsbplace.ui.exchange_actions import ExchangeActions
from tsbplace.ui.letter_preview import LetterPreview
from tsbplace.ui.lock_screen import LockScreen
from tsbplace.ui.new_case_dialog import NewCaseDialog
from tsbplace.ui.password_dialog import PasswordDialog
from tsbplace.ui.print_service import PrintService, SystemPrintService
from tsbplace.ui.problem_text import refusal_text
from tsbplace.ui.qt import (
    QAbstractItemView,
    QAction,
    QApplication,
    QCloseEvent,
    QEvent,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QObject,
    QPoint,
    QSettings,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    Qt,
    QTableView,
    QTimer,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from tsbplace.ui.settings_dialog import SettingsDialog
from tsbplace.ui.treatment_start import StartAsker, ask_treatment_start
from tsbplace.ui.users_dialog import UsersDialog

LETTER_TITLES = {"pasient": "gui.letters.pasient", "henviser": "gui.letters.henviser",
                 "henvisning": "gui.letters.henvisning", "notat": "gui.letters.notat"}

if TYPE_CHECKING:
    from tsbplace.ui.dashboard import DashboardDialog

log = logging.getLogger(__name__)  # redacted by tsbplace.app_log: no names or ID numbers reach the file

SavePathAsker = Callable[[QWidget, str], Path | None]


ConflictAsker = Callable[[QWidget, str], bool]
ReasonAsker = Callable[[QWidget], str | None]

AUTOSAVE_MS = 2000  # a crash loses at most the last two seconds of typing
GEOMETRY_KEY = "window/geometry"  # size and place, remembered between starts
SPLITTER_KEY = "window/splitter"  # the case list's width
LAST_CASE_KEY = "session/last_case_id"  # only the case id: never a name or an ID number
HIDDEN_COLUMNS_KEY = "case_list/hidden_columns"  # column names only
LOCK_AFTER_MS = 10 * 60 * 1000  # Normen: a screen left alone locks itself
ACTIVITY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel})


class ActivityWatcher(QObject):
    """An application event filter: any key or mouse use restarts the inactivity timer."""

    def __init__(self, timer: QTimer, parent: QObject) -> None:
        super().__init__(parent)
        self.timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        # A mouse move counts only from the mouse itself: Qt sends made-up ones when a
        # widget appears under a resting pointer, which is no sign of anyone being there.
        if self.timer.isActive() and (kind in ACTIVITY_EVENTS
                                      or (kind == QEvent.Type.MouseMove and event.spontaneous())):
            self.timer.start()
        return False


def ask_reload_after_conflict(parent: QWidget, text: str) -> bool:
    """Whether to drop the typed answers and load the colleague's saved version.

    Without this way out the clinician could neither leave the case nor close the window,
    since leaving saves the draft, and that save meets the same conflict again."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("assessment.conflict.title"),
                      text + "\n\n" + tr("gui.conflict.question"), parent=parent)
    reload_button = box.addButton(tr("gui.conflict.reload"), QMessageBox.ButtonRole.DestructiveRole)
    stay_button = box.addButton(tr("gui.conflict.stay"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay_button)
    box.exec()
    return box.clickedButton() is reload_button


def ask_correction_reason(parent: QWidget) -> str | None:
    """Why the signed assessment is corrected (None: the clinician cancelled)."""
    text, ok = QInputDialog.getMultiLineText(parent, tr("gui.version.correct_title"),
                                             tr("gui.version.correct_question"))
    return text if ok else None


def ask_pdf_path(parent: QWidget, suggested_name: str) -> Path | None:
    """The system save dialog; tests replace it, so they never block on a modal dialog."""
    path, _ = QFileDialog.getSaveFileName(
        parent, tr("gui.save_pdf.title"), str(Path.home() / suggested_name), "PDF (*.pdf)")
    return Path(path) if path else None


class MainWindow(QMainWindow):
    def __init__(self, service: CaseService, user_name: str,
                 ask_save_path: SavePathAsker = ask_pdf_path,
                 ask_conflict_reload: ConflictAsker = ask_reload_after_conflict,
                 settings: QSettings | None = None, autosave_ms: int = AUTOSAVE_MS,
                 ask_reason: ReasonAsker = ask_correction_reason,
                 ask_start: StartAsker = ask_treatment_start,
                 accounts: AccountService | None = None, lock_after_ms: int = LOCK_AFTER_MS,
                 clinic: ClinicSettings | None = None,
                 print_service: PrintService | None = None) -> None:
        """``settings`` remembers the last open case for the next start (None: nothing is
        remembered or resumed); ``autosave_ms`` is the pause after the last change before
        the draft is saved by itself. ``accounts`` is the signed-in user's: with it the
        screen locks after ``lock_after_ms`` without keyboard or mouse use (and on Ctrl+L),
        and a professional lead gets the users dialog and the access log."""
        super().__init__()
        self.service = service
        self.accounts = accounts
        self.locked = False
        self.users_dialog: UsersDialog | None = None
        self.audit_view: AuditView | None = None
        self.dashboard: DashboardDialog | None = None
        self.settings = settings
        self._saving = False
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave)
        self.user_name = user_name
        self.ask_conflict_reload = ask_conflict_reload
        self.ask_save_path = ask_save_path
        self.clinic = clinic  # the letterhead; None: letters without one
        self.print_service: PrintService = print_service or SystemPrintService()
        self.ask_reason = ask_reason
        self.ask_start = ask_start
        self.case_page: CasePage | None = None
        self.new_case_dialog: NewCaseDialog | None = None
        self.setWindowTitle("TSBplace")
        self.resize(1360, 860)

        self.new_case_action = self._action(tr("gui.action.new_case"), QKeySequence.StandardKey.New,
                                            self.open_new_case)
        self.save_action = self._action(tr("gui.action.save"), QKeySequence.StandardKey.Save,
                                        lambda: self.save_case())  # at once, not quiet
        self.pdf_action = self._action(tr("gui.action.note_pdf"), "Ctrl+E", self.save_note_pdf)
        self.next_domain_action = self._action(tr("gui.action.next_domain"), "Ctrl+PgDown",
                                               lambda: self._step_domain(1))
        self.previous_domain_action = self._action(tr("gui.action.previous_domain"), "Ctrl+PgUp",
                                                   lambda: self._step_domain(-1))
        toolbar = QToolBar(tr("gui.toolbar"))
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_case_action, self.save_action, self.pdf_action):
            toolbar.addAction(action)
        toolbar.addWidget(self._letters_button())
        lead = accounts is not None and accounts.me.role is Role.LEAD
        self.exchange = ExchangeActions(self, service, lead=lead)
        toolbar.addWidget(self.exchange.button)
        self.addToolBar(toolbar)
        self.lock_action: QAction | None = None
        self.users_action: QAction | None = None
        self.audit_action: QAction | None = None
        self.dashboard_action: QAction | None = None
        self.password_action: QAction | None = None
        self.settings_action: QAction | None = None
        if accounts is not None:
            spacer = QWidget()
            spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            toolbar.addWidget(spacer)
            if accounts.me.role is Role.LEAD:
                self.users_action = self._action(tr("gui.users.menu"), "", self.open_users)
                self.audit_action = self._action(tr("gui.audit.menu"), "", self.open_audit)
                self.dashboard_action = self._action(tr("gui.dashboard.menu"), "", self.open_dashboard)
                self.settings_action = self._action(tr("gui.settings.menu"), "", self.open_settings)
                toolbar.addAction(self.users_action)
                toolbar.addAction(self.audit_action)
                toolbar.addAction(self.dashboard_action)
                toolbar.addAction(self.settings_action)
            self.password_action = self._action(tr("gui.password.menu"), "", self.open_password)
            toolbar.addAction(self.password_action)
            self.lock_action = self._action(tr("gui.lock.action"), "Ctrl+L", self.lock)
            toolbar.addAction(self.lock_action)

        self.case_model = CaseListModel(service, self)
        self.case_table = QTableView()
        self.case_table.setModel(self.case_model)
        self.case_table.setAccessibleName(tr("gui.case_list.title"))
        self.case_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.case_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.case_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.case_table.verticalHeader().hide()
        self.case_table.setShowGrid(False)
        header = self.case_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PATIENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        for column in self._hidden_columns():
            self.case_table.setColumnHidden(COLUMNS.index(column), True)
        self.case_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.case_table.setWordWrap(False)
        self.case_table.selectionModel().currentRowChanged.connect(self._on_case_selected)
        if accounts is not None:  # "Tildel meg" / "Fjern tildeling" (also the Menu key)
            self.case_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            self.case_table.customContextMenuRequested.connect(self._case_menu)
        clinicians: tuple[tuple[str, str], ...] = ()
        if accounts is not None:
            clinicians = tuple((user.user_name, user.display_name) for user in accounts.list_users())
        self.filter_bar = CaseFilterBar(accounts.me.user_name if accounts is not None else None, clinicians)
        self.filter_bar.changed.connect(self._on_query_changed)
        self.case_model.busy_changed.connect(
            lambda busy: self.filter_bar.show_busy(busy, self.case_model.total))
        self.case_model.loaded.connect(self._on_cases_loaded)
        self.case_model.failed.connect(
            lambda error: self.statusBar().showMessage(tr("gui.case_list.load_failed", error=error), 8000))
        self._select_after_load: int | None = None
        self.find_action = self._action(tr("gui.case_filter.find"), QKeySequence.StandardKey.Find,
                                        self.filter_bar.focus_search)

        list_pane = QWidget()
        list_layout = QVBoxLayout(list_pane)
        list_layout.setContentsMargins(12, 12, 4, 12)
        heading_row = QHBoxLayout()
        heading = QLabel(tr("gui.case_list.title"))
        heading.setObjectName("sectionTitle")
        heading_row.addWidget(heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.filter_bar.count_label)
        list_layout.addLayout(heading_row)
        list_layout.addWidget(self.filter_bar)
        list_layout.addWidget(self.case_table, 1)
        self.nav_area = QVBoxLayout()  # the open case's domain list
        self.nav_area.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(self.nav_area)

        self.empty_state = QLabel(tr("gui.empty_state"))
        self.empty_state.setObjectName("muted")
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_state)

        case_pane = QWidget()
        case_layout = QVBoxLayout(case_pane)
        case_layout.setContentsMargins(0, 0, 0, 0)
        case_layout.setSpacing(0)
        case_layout.addWidget(self._resume_banner())
        case_layout.addWidget(self.stack, 1)

        splitter = QSplitter()
        splitter.addWidget(list_pane)
        splitter.addWidget(case_pane)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([500, 860])
        # Page 0 holds every patient detail; page 1 (the lock screen) covers all of it.
        self.central = QStackedWidget()
        self.central.addWidget(splitter)
        self.work_page = splitter
        self.lock_screen: LockScreen | None = None
        self.lock_timer = QTimer(self)
        self.lock_timer.setSingleShot(True)
        self.lock_timer.setInterval(lock_after_ms)
        self.lock_timer.timeout.connect(self.lock)
        if accounts is not None:
            self.lock_screen = LockScreen(accounts.me.display_name, accounts.verify_password)
            self.lock_screen.unlocked.connect(self.unlock)
            self.central.addWidget(self.lock_screen)
            self.activity_watcher = ActivityWatcher(self.lock_timer, self)
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self.activity_watcher)
            self.lock_timer.start()
        self.setCentralWidget(self.central)
        self.statusBar().showMessage(tr("gui.status.ready"))
        self._restore_window_state()

        self.case_model.set_query(self.filter_bar.query())  # the first page, off the GUI thread
        self._update_actions()
        self._resume_last_case()

    def _resume_banner(self) -> QWidget:
        """A quiet line over the case, "Fortsetter sak … der du slapp", with a close button."""
        self.resume_banner = QFrame()
        self.resume_banner.setObjectName("banner")
        layout = QHBoxLayout(self.resume_banner)
        layout.setContentsMargins(16, 6, 8, 6)
        self.resume_label = QLabel()
        self.resume_label.setObjectName("muted")
        close = QToolButton()
        close.setText("×")
        close.setAccessibleName(tr("gui.resume.dismiss"))
        close.setToolTip(tr("gui.resume.dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(self.resume_banner.hide)
        layout.addWidget(self.resume_label, 1)
        layout.addWidget(close)
        self.resume_banner.hide()
        return self.resume_banner

    def _resume_last_case(self) -> None:
        """Open the case that was open when the program last stopped, if it still exists.

        Its draft is already in the database (autosave), so there is nothing to ask."""
        if self.settings is None:
            return
        try:
            case_id = int(str(self.settings.value(LAST_CASE_KEY, "")))
        except ValueError:
            return
        if (row := self.case_model.row_of(case_id)) is not None:
            self.case_table.selectRow(row)
        else:  # the list's first page may not have come yet, nor hold the case: open it directly
            try:
                self.show_case(self.service.get_case(case_id))
            except CaseNotFound:  # deleted, or another database: start as usual
                self.settings.remove(LAST_CASE_KEY)
                return
        if self.case_page is None or self.case_page.case.id != case_id:
            return
        text = tr("gui.resume.banner", case=self.case_page.case.case_number)
        self.resume_label.setText(text)
        self.resume_banner.show()
        self.statusBar().showMessage(text, 8000)

    def _action(self, text: str, shortcut: QKeySequence.StandardKey | str,
                slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        keys = QKeySequence(shortcut)
        action.setShortcut(keys)
        shown = keys.toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({shown})" if shown else text)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _update_actions(self) -> None:
        has_case = self.case_page is not None and not self.locked
        for action in (self.save_action, self.pdf_action, self.next_domain_action,
                       self.previous_domain_action):
            action.setEnabled(has_case)
        # Only the letters the open case's side has; Ctrl+Shift+P is the letter it ends in.
        side = self.case_page.case.side if self.case_page is not None else TSB
        for kind, action in self.letter_actions.items():
            action.setEnabled(has_case and kind in letter_kinds(side))
        final = REFERRAL_LETTER if self.case_page is not None and self.case_page.case.referring else "pasient"
        for kind, action in self.letter_actions.items():
            action.setShortcut(QKeySequence("Ctrl+Shift+P") if kind == final else QKeySequence())
        self.letters_button.setEnabled(has_case)
        self.exchange.update(self.case_page is not None, self.locked)
        for other in (self.new_case_action, self.find_action, self.users_action, self.audit_action,
                      self.dashboard_action,
                      self.lock_action, self.password_action):
            if other is not None:
                other.setEnabled(not self.locked)

    def lock(self) -> bool:
        """Hide every patient detail and ask for the password (Ctrl+L, or a pause).

        The open draft is saved first; if it cannot be (refused input), its answers stay
        in the hidden form, unsaved, and the screen locks all the same."""
        if self.lock_screen is None or self.locked:
            return False
        self.keep_open_draft()
        for dialog in (self.new_case_dialog, self.users_dialog, self.audit_view, self.dashboard):
            if dialog is not None and dialog.isVisible():
                dialog.reject()
        self.locked = True
        self.lock_timer.stop()
        self.resume_banner.hide()
        self.central.setCurrentWidget(self.lock_screen)
        self.setWindowTitle("TSBplace")
        self.statusBar().showMessage(tr("gui.lock.status_locked"))
        self._update_actions()
        self.lock_screen.reset()
        return True

    def unlock(self) -> None:
        """The password was right (``LockScreen`` asked ``accounts.verify_password``)."""
        self.locked = False
        self.central.setCurrentWidget(self.work_page)
        self.statusBar().showMessage(tr("gui.lock.status_unlocked"), 5000)
        self._update_actions()
        self.lock_timer.start()
        if self.case_page is not None:
            self.case_page.focus_first_field()
        else:
            self.case_table.setFocus()

    def open_users(self) -> None:
        if self.accounts is None or self.locked:
            return
        self.users_dialog = UsersDialog(self.accounts, self)
        self.users_dialog.open()

    def _letters_button(self) -> QToolButton:
        """"Brev": the four letters of the open case, each shown before it is printed or saved."""
        menu = QMenu(self)
        self.letter_actions: dict[str, QAction] = {}
        for kind, key in LETTER_TITLES.items():
            action = menu.addAction(tr(key))
            action.triggered.connect(lambda _checked=False, kind=kind: self.open_letter(kind))
            self.letter_actions[kind] = action
        # The letter a case ends in, from the keyboard (the menu holds all four): the patient
        # letter after a decision, the referral on the referring side (_update_actions).
        patient_letter = self.letter_actions["pasient"]
        patient_letter.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.addAction(patient_letter)
        self.addAction(self.letter_actions[REFERRAL_LETTER])
        self.letters_button = QToolButton()
        self.letters_button.setText(tr("gui.letters.menu"))
        self.letters_button.setAccessibleName(tr("gui.letters.menu"))
        self.letters_button.setMenu(menu)
        self.letters_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return self.letters_button

    def open_letter(self, kind: str) -> LetterPreview | None:
        """Save the open case, render the letter and show it; printing or saving it is
        recorded (when, who, the SHA-256) and audited."""
        if self.case_page is None or self.locked or not self.keep_open_draft():
            return None
        # Letters (ReportLab) are imported on first use, not at start-up (benchmarks/README.md).
        from tsbplace.letter_commands import NoAssessment, render_letter
        from tsbplace.letters import LetterNotReady

        case = self.case_page.case
        clinic = self.clinic.details() if self.clinic is not None else ClinicDetails()
        try:
            pdf = render_letter(self.service, clinic, case, kind, author=self.user_name)
        except NoAssessment:
            QMessageBox.information(self, tr("gui.letters.not_ready_title"), tr("gui.letters.no_assessment"))
            return None
        except LetterNotReady as error:
            QMessageBox.information(self, tr("gui.letters.not_ready_title"),
                                    tr("gui.letters.not_ready", problems=" ".join(error.missing)))
            return None
        except NotForSide as error:  # the menu disables these; a stale shortcut may not
            QMessageBox.information(self, tr("gui.referring.not_for_side_title"), str(error))
            return None

        def issued(how: str, file_name: str) -> None:
            name = file_name if how == "save" else tr("gui.letters.printed_name", file=file_name)
            self.service.record_issued_document(case.id, kind, pdf, name)
            if kind == REFERRAL_LETTER and case.referring:  # the case is now "referred"
                self._on_referral_sent(case.id)

        self.letter_preview = LetterPreview(
            pdf, tr(LETTER_TITLES[kind]).rstrip(" …"), f"{case.case_number}-{kind}.pdf",
            print_service=self.print_service, ask_save_path=self.ask_save_path, on_issued=issued, parent=self)
        self.letter_preview.open()
        return self.letter_preview

    def _on_referral_sent(self, case_id: int) -> None:
        if self.case_page is not None and self.case_page.case.id == case_id:
            self.case_page.refresh_case()
            if self.case_page.case.status == REFERRED:
                self.statusBar().showMessage(tr("gui.referring.sent_status"), 8000)
        self.reload_cases(select_id=case_id)

    def open_settings(self) -> SettingsDialog | None:
        """Innstillinger (a professional lead): letterhead, threshold sets, language."""
        if self.clinic is None or self.locked:
            return None
        self.settings_dialog = SettingsDialog(self.clinic, self.service, self.settings, self)
        self.settings_dialog.accepted.connect(
            lambda: self.statusBar().showMessage(tr("gui.settings.saved"), 8000))
        self.settings_dialog.open()
        return self.settings_dialog

    def open_password(self) -> None:
        if self.accounts is None or self.locked:
            return
        self.password_dialog = PasswordDialog(self.accounts, self)
        self.password_dialog.accepted.connect(
            lambda: self.statusBar().showMessage(tr("gui.password.done"), 8000))
        self.password_dialog.open()

    def open_audit(self) -> None:
        if self.locked:
            return
        case = self.case_page.case if self.case_page is not None else None
        self.audit_view = AuditView(self.service, case.id if case else None,
                                    case.case_number if case else "", self)
        self.audit_view.open()

    def open_dashboard(self) -> DashboardDialog | None:
        """Kvalitet: the quality figures (a professional lead); a case behind a figure opens here."""
        if self.accounts is None or self.locked:
            return None
        from tsbplace.ui.dashboard import DashboardDialog  # on first use: not at start-up

        self.dashboard = DashboardDialog(self.service, self.accounts, self)
        self.dashboard.open_case.connect(lambda case_id: self.show_case(self.service.get_case(case_id)))
        self.dashboard.open()
        return self.dashboard

    def _step_domain(self, step: int) -> None:
        if self.case_page is not None:
            self.case_page.step_domain(step)

    def reload_cases(self, select_id: int | None = None) -> None:
        """Fetch the list again (after a save, off the GUI thread), keeping its place; then
        select ``select_id``. A case not among the loaded rows is opened directly."""
        self._select_after_load = select_id
        self.case_model.refresh()
        if select_id is None:
            return
        if (row := self.case_model.row_of(select_id)) is not None:
            self.case_table.selectRow(row)
        elif self.case_page is None or self.case_page.case.id != select_id:
            with contextlib.suppress(CaseNotFound):  # deleted meanwhile: nothing to open
                self.show_case(self.service.get_case(select_id))

    def _on_query_changed(self, query: CaseQuery) -> None:
        self.case_model.set_query(query)

    def _on_cases_loaded(self, first_page: bool) -> None:
        """Point the list at the open case (or the one asked for) once its rows came in."""
        self.filter_bar.show_busy(self.case_model.busy, self.case_model.total)
        self.case_table.horizontalHeader().resizeSections()  # fit the new rows' contents
        if not first_page:
            return
        target = self._select_after_load
        self._select_after_load = None
        if target is None and self.case_page is not None:
            target = self.case_page.case.id
        row = None if target is None else self.case_model.row_of(target)
        if row is None:
            self.case_table.selectionModel().clearSelection()
        elif (self.case_table.currentIndex().row() != row
              or not self.case_table.selectionModel().hasSelection()):
            self.case_table.selectRow(row)

    def _hidden_columns(self) -> list[str]:
        if self.settings is None or not self.settings.contains(HIDDEN_COLUMNS_KEY):
            return list(HIDDEN_BY_DEFAULT)
        stored = str(self.settings.value(HIDDEN_COLUMNS_KEY, ""))
        return [name for name in stored.split(",") if name in COLUMNS and name not in ALWAYS_SHOWN]

    def _column_menu(self, position: QPoint) -> None:
        """The header's menu: which columns the list shows (remembered by name)."""
        menu = QMenu(tr("gui.case_list.columns_menu"), self)
        for column in COLUMNS:
            if column in ALWAYS_SHOWN:
                continue
            action = menu.addAction(column_title(column))
            action.setCheckable(True)
            action.setChecked(not self.case_table.isColumnHidden(COLUMNS.index(column)))
            action.toggled.connect(lambda shown, column=column: self.show_column(column, shown))
        menu.popup(self.case_table.horizontalHeader().mapToGlobal(position))
        self.column_menu = menu

    def show_column(self, column: str, shown: bool) -> None:
        self.case_table.setColumnHidden(COLUMNS.index(column), not shown)
        if self.settings is not None:
            hidden = [name for name in COLUMNS if self.case_table.isColumnHidden(COLUMNS.index(name))]
            self.settings.setValue(HIDDEN_COLUMNS_KEY, ",".join(hidden))

    def _case_menu(self, position: QPoint) -> None:
        """The list's menu on a case: "Tildel meg" or "Fjern tildeling"."""
        index = self.case_table.indexAt(position)
        row = index.row() if index.isValid() else self.case_table.currentIndex().row()
        if self.accounts is None or row < 0 or self.locked:
            return
        case = self.case_model.case_at(row)
        menu = QMenu(self)
        if case.assigned_to != self.accounts.me.user_name:
            menu.addAction(tr("gui.case_list.assign_me")).triggered.connect(
                lambda _checked=False: self.assign_case(case.id, mine=True))
        if case.assigned_to is not None:
            menu.addAction(tr("gui.case_list.unassign")).triggered.connect(
                lambda _checked=False: self.assign_case(case.id, mine=False))
        menu.popup(self.case_table.viewport().mapToGlobal(position))
        self.case_menu = menu

    def assign_case(self, case_id: int, mine: bool) -> CaseSummary | None:
        """Give the case to the signed-in clinician (``mine``), or to nobody."""
        if self.accounts is None:
            return None
        try:
            case = self.service.assign_case(case_id, self.accounts.me.user_name if mine else None)
        except InvalidInput as error:
            QMessageBox.warning(self, tr("gui.case_list.assign_me"),
                                refusal_text(self.service.content, error.problems))
            return None
        text = (tr("gui.case_list.assigned_status", case=case.case_number) if mine
                else tr("gui.case_list.unassigned_status", case=case.case_number))
        self.statusBar().showMessage(text, 5000)
        self.reload_cases()
        return case

    def open_new_case(self) -> None:
        self.new_case_dialog = NewCaseDialog(self.service, self, settings=self.settings)
        self.new_case_dialog.created.connect(self._on_case_created)
        # Back to the window (and the new case's first field) when the dialog closes: a
        # platform that does not hand activation back would leave the keyboard nowhere.
        self.new_case_dialog.finished.connect(lambda _result: self.activateWindow())
        self.new_case_dialog.open()  # window-modal, but does not block the event loop

    def _on_case_created(self, case: CaseSummary) -> None:
        self.statusBar().showMessage(tr("gui.status.case_created", case=case.case_number), 5000)
        self.reload_cases(select_id=case.id)

    def _on_case_selected(self, current: object, _previous: object) -> None:
        row = self.case_table.currentIndex().row()
        if row < 0:
            return
        case = self.case_model.case_at(row)
        if self.case_page is not None and self.case_page.case.id == case.id:
            return
        self.show_case(case)

    def keep_open_draft(self) -> bool:
        """Save the open case's answers before leaving it: a draft is never thrown away.

        Returns False (and stays) if the answers cannot be saved.
        """
        self.autosave_timer.stop()
        if self.case_page is None or not self.case_page.dirty:
            return True
        return self.save_case()

    def show_case(self, case: CaseSummary) -> None:
        if not self.keep_open_draft():
            return
        if self.case_page is not None:
            self.stack.removeWidget(self.case_page)
            self.nav_area.removeWidget(self.case_page.nav_panel)
            for old in (self.case_page.nav_panel, self.case_page):
                old.hide()  # out of sight now; deleted when the event loop next runs
                old.deleteLater()
        if self.case_page is not None and self.case_page.case.id != case.id:
            self.resume_banner.hide()  # it spoke of the case that was open before
        case = self.service.open_case(case.id)  # logged: every opening of a record is
        redact_also(case.patient_name, *case.patient_name.split())  # never in the log
        self.case_page = CasePage(self.service, case)
        self.case_page.changed.connect(self.autosave_timer.start)  # restarts the pause
        self.case_page.correction_requested.connect(self.start_correction)
        self.case_page.treatment_start_requested.connect(self.record_treatment_start)
        self.case_page.assessment_signed.connect(self._on_signed)
        self.case_page.conflicted.connect(self._on_conflict)
        self.case_page.referral_preview_requested.connect(lambda: self.open_letter(REFERRAL_LETTER))
        if self.settings is not None:
            self.settings.setValue(LAST_CASE_KEY, case.id)
        self.stack.addWidget(self.case_page)
        self.nav_area.addWidget(self.case_page.nav_panel)
        self.stack.setCurrentWidget(self.case_page)
        self._update_actions()
        # Saving the previous draft reloaded the list; point it at the case now shown.
        if (row := self.case_model.row_of(case.id)) is not None:
            self.case_table.selectRow(row)
        self.case_page.focus_first_field()

    def _restore_window_state(self) -> None:
        """The window's size, place and list width as the clinician left them (no patient data)."""
        if self.settings is None:
            return
        geometry = self.settings.value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.settings.value(SPLITTER_KEY)
        if splitter is not None:
            self.work_page.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Saves at once, without waiting for the autosave pause.
        if self.keep_open_draft():
            if self.settings is not None:
                self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
                self.settings.setValue(SPLITTER_KEY, self.work_page.saveState())
                self.settings.sync()
            event.accept()
        else:
            event.ignore()

    def autosave(self) -> bool:
        """Save the open draft by itself, a pause after the last change.

        Refused answers stay on screen and are told in the status bar and the case header,
        never in a dialog; the next change tries again. A conflict takes the usual path."""
        if self._saving or self.case_page is None or not self.case_page.dirty:
            return False
        return self.save_case(quiet=True)

    def save_case(self, quiet: bool = False) -> bool:
        """Save the open case now (Ctrl+S, leaving it, closing). ``quiet``: the autosave,
        which shows refused input without a dialog and leaves the form where it is."""
        if self.case_page is None:
            return False
        self.autosave_timer.stop()
        page = self.case_page
        self._saving = True
        try:
            record = page.save()
        except InvalidInput as error:
            log.info("case %d not saved: %s", page.case.id, ", ".join(p.field for p in error.problems))
            self._show_refused(page, error, quiet)
            return False
        except (AssessmentConflict, AssessmentSigned, ReferralConflict) as error:  # typed answers stay
            log.warning("case %d not saved: %s", page.case.id, type(error).__name__)
            page.show_save_state(tr("gui.autosave.not_saved_conflict"), problem=True)
            message = str(error) if isinstance(error, ReferralConflict) else error.message()
            if self.ask_conflict_reload(self, message):
                self._reload_open_case()
            return False
        finally:
            self._saving = False
        self.reload_cases(select_id=page.case.id)
        when = record.updated_at.astimezone().strftime("%H:%M")
        saved = tr("gui.status.saved", time=when)
        page.show_save_state(saved)
        self.statusBar().showMessage(saved, 5000)
        return True

    def _show_refused(self, page: CasePage, error: InvalidInput, quiet: bool) -> None:
        fields = "; ".join(dict.fromkeys(page.field_label(p.field) for p in error.problems))
        page.show_save_state(tr("gui.autosave.not_saved", fields=fields), problem=True)
        if quiet:
            details = " ".join(f"{page.field_label(p.field)}: {p.message}" for p in error.problems)
            self.statusBar().showMessage(tr("gui.autosave.refused", problems=details))
            return
        if page.show_problems(error.problems):
            return  # shown beside the referral or decision fields: no dialog on top
        QMessageBox.warning(self, tr("gui.save.failed_title"),
                            tr("gui.save.refused", problems="\n".join(
                                f"• {page.field_label(p.field)}: {p.message}" for p in error.problems)))

    def _on_signed(self) -> None:
        """Signed from the decision page: show the signed version, read-only, and its row."""
        if self.case_page is None:
            return
        case_id = self.case_page.case.id
        self._reload_open_case(announce=False)
        self.reload_cases(select_id=case_id)
        self.statusBar().showMessage(tr("gui.status.signed"), 8000)

    def _on_conflict(self, message: str) -> None:
        if self.ask_conflict_reload(self, message):
            self._reload_open_case()

    def _reload_open_case(self, announce: bool = True) -> None:
        """Show the stored version of the open case, dropping what was typed (asked first)."""
        assert self.case_page is not None
        self.autosave_timer.stop()
        self.case_page.dirty = False
        case = self.service.get_case(self.case_page.case.id)
        self.stack.removeWidget(self.case_page)
        self.nav_area.removeWidget(self.case_page.nav_panel)
        for old in (self.case_page.nav_panel, self.case_page):
            old.hide()
            old.deleteLater()
        self.case_page = None
        self.show_case(case)
        if announce:
            self.statusBar().showMessage(tr("gui.status.reloaded"), 8000)

    def record_treatment_start(self) -> bool:
        """Ask when treatment started, record it on the case (audited) and show it."""
        if self.case_page is None or self.locked:
            return False
        case = self.case_page.case
        day = self.ask_start(self, case.received_date, case.treatment_started_on)
        if day is None:
            return False
        try:
            self.service.record_treatment_start(case.id, day)
        except InvalidInput as error:
            QMessageBox.warning(self, tr("gui.treatment_start.title"),
                                refusal_text(self.service.content, error.problems))
            return False
        self._reload_open_case(announce=False)
        self.statusBar().showMessage(tr("gui.treatment_start.done", date=day.strftime("%d.%m.%Y")), 8000)
        return True

    def start_correction(self) -> bool:
        """Ask why, then open a new draft version that corrects the signed one on screen."""
        if self.case_page is None:
            return False
        reason = self.ask_reason(self)
        if reason is None:
            return False
        try:
            self.service.start_correction(self.case_page.case.id, reason)
        except InvalidInput as error:
            QMessageBox.warning(self, tr("gui.version.correct_title"),
                                refusal_text(self.service.content, error.problems))
            return False
        except (AssessmentConflict, NotSigned) as error:  # a colleague was quicker
            QMessageBox.information(self, tr("gui.version.correct_title"), str(error))
        case_id = self.case_page.case.id
        self._reload_open_case()
        self.reload_cases(select_id=case_id)  # its status is no longer "signed"
        self.statusBar().showMessage(tr("gui.status.correction_started"), 8000)
        return True

    def save_note_pdf(self) -> Path | None:
        """Save the case, then write its vurderingsnotat where the clinician chooses, and
        record that it was issued (when, who, the SHA-256 of the file)."""
        if self.case_page is None:
            return None
        if not (self.case_page.signed or self.save_case()):  # a signed version needs no save
            return None
        case = self.case_page.case
        path = self.ask_save_path(self, tr("gui.save_pdf.file_name", case=case.case_number))
        if path is None:
            return None
        record = self.service.load_assessment(case.id)
        assert record is not None
        from tsbplace.letters import render_assessment_note  # on first use: not at start-up

        pdf = render_assessment_note(self.service.content, case, record, author=self.user_name,
                                     created=dt.datetime.now().astimezone())
        try:
            write_atomically(path, pdf)
        except WriteFailed as error:
            # The path is logged for support; file names often hold a patient's name, and
            # the log's redaction hides every name opened in this session.
            log.warning("note for case %d not written to %s: %s", case.id, path, error.reason)
            QMessageBox.warning(self, tr("gui.save_pdf.failed_title"),
                                tr("gui.save_pdf.failed", reason=error.reason))
            return None
        self.service.record_issued_document(case.id, "notat", pdf, path.name)
        self.statusBar().showMessage(tr("gui.status.pdf_saved", path=path.name), 8000)
        return path
