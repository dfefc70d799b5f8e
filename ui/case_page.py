"""One open case: who it is, the ten domains with their forms, and the live suggestion.

The domain list (``nav_panel``, which the main window shows under the case list, so the
form keeps its width) shows one page at a time; Ctrl+PgDown / Ctrl+PgUp go to the next
and previous. Every page is built once when the case opens. Each edit scores the
instruments and asks the engine again, through the case service, with every domain's
answers and the patient's facts.
"""

from __future__ import annotations

from tsbplace.cases import AssessmentRecord, CaseService, CaseSummary, InvalidInput, fact_context
from tsbplace.i18n import tr
from tsbplace.instruments import InstrumentResult
from tsbplace.national_id import format_national_id
from tsbplace.ui.domain_nav import DomainNav
from tsbplace.ui.domain_page import DomainPage, InstrumentAnswers
from tsbplace.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tsbplace.ui.suggestion_panel import SuggestionPanel

Answers = dict[str, dict[str, object]]


def _scrolling(page: DomainPage) -> QScrollArea:
    card = QFrame()
    card.setObjectName("card")
    card_layout = QVBoxLayout(card)
    card_layout.setContentsMargins(18, 14, 18, 14)
    card_layout.addWidget(page)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    # Long help and anchor texts wrap to the width; a sideways scroll bar appears only if
    # the window is made narrower than the form's narrowest layout, so nothing is cut off.
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    scroll.setWidget(card)
    return scroll


class CasePage(QWidget):
    """Shows one case; ``changed`` fires when the answers on screen differ from the saved ones."""

    changed = Signal()
    correction_requested = Signal()  # the clinician asks to correct the signed version

    def __init__(self, service: CaseService, case: CaseSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.case = case
        self.dirty = False
        # The assessment version on screen (0: none saved yet), passed back on save so a
        # save over someone else's newer one is refused (AssessmentConflict).
        self.version = 0
        content = service.content

        self.nav = DomainNav(content.domains)
        self.nav_panel = self._nav_panel()
        self.stack = QStackedWidget()
        self.pages: dict[str, DomainPage] = {}
        for domain in content.domains:
            page = DomainPage(domain, [content.instrument(i) for i in domain.instruments],
                              service.band_sets)
            self.pages[domain.id] = page
            self.stack.addWidget(_scrolling(page))
        self.suggestion_panel = SuggestionPanel(content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        saved = service.load_assessment(case.id)
        self.signed = saved is not None and saved.signed
        layout.addWidget(self._header())
        if (version_note := self._version_note(saved)) is not None:
            layout.addSpacing(6)
            layout.addWidget(version_note)
        layout.addSpacing(8)
        layout.addLayout(self._body(), 1)

        self._restore(saved)
        for page in self.pages.values():
            page.setEnabled(not self.signed)  # signed: read, browse, never change
        for domain_id, page in self.pages.items():
            page.changed.connect(lambda d=domain_id: self._on_change(d))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self._refresh()

    def _header(self) -> QWidget:
        header = QWidget()
        layout = QVBoxLayout(header)
        layout.setContentsMargins(0, 0, 0, 0)
        name = QLabel(self.case.patient_name)
        name.setObjectName("pageTitle")
        details = QLabel(tr("gui.case.details", national_id=format_national_id(self.case.national_id),
                            case_number=self.case.case_number,
                            received=self.case.received_date.strftime("%d.%m.%Y")))
        details.setObjectName("muted")
        title_row = QHBoxLayout()
        title_row.addWidget(name, 1)
        # Whether the draft is stored: "Lagret kl. 10:42", or why it is not (in amber).
        self.save_state = QLabel()
        self.save_state.setObjectName("small")
        self.save_state.setWordWrap(True)
        self.save_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.save_state.hide()
        title_row.addWidget(self.save_state)
        layout.addLayout(title_row)
        layout.addWidget(details)
        return header

    def _version_note(self, saved: AssessmentRecord | None) -> QWidget | None:
        """Over a signed version: who signed it and when, and the way to correct it. Over
        a correction's draft: which version it corrects and why. Else nothing."""
        if saved is None or not (saved.signed or saved.revision > 1):
            return None
        note = QFrame()
        note.setObjectName("versionNote")
        layout = QHBoxLayout(note)
        layout.setContentsMargins(12, 8, 8, 8)
        if saved.signed:
            assert saved.signed_at is not None
            local = saved.signed_at.astimezone()
            text = tr("gui.version.signed", revision=saved.revision, user=saved.signed_by or "",
                      date=local.strftime("%d.%m.%Y"), time=local.strftime("%H:%M"))
        else:
            text = tr("gui.version.correction", revision=saved.revision, reason=saved.correction_reason)
        self.version_label = QLabel(text)
        self.version_label.setWordWrap(True)
        layout.addWidget(self.version_label, 1)
        if saved.signed:
            self.correct_button = QPushButton(tr("gui.version.correct"))
            self.correct_button.setAccessibleName(tr("gui.version.correct"))
            self.correct_button.clicked.connect(self.correction_requested)
            layout.addWidget(self.correct_button, 0, Qt.AlignmentFlag.AlignTop)
        return note

    def show_save_state(self, text: str, problem: bool = False) -> None:
        """The small marker in the header: saved (muted) or not saved (amber)."""
        self.save_state.setObjectName("warning" if problem else "small")
        self.save_state.style().unpolish(self.save_state)
        self.save_state.style().polish(self.save_state)
        self.save_state.setText(text)
        self.save_state.setToolTip(text)
        self.save_state.show()

    def _body(self) -> QHBoxLayout:
        body = QHBoxLayout()
        body.setSpacing(14)
        body.addWidget(self.stack, 3)
        body.addWidget(self.suggestion_panel, 2)
        return body

    def _nav_panel(self) -> QWidget:
        """The domain list with its title and shortcut hint, for the main window to place."""
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        title = QLabel(tr("gui.nav.title"))
        title.setObjectName("sectionTitle")
        hint = QLabel(tr("gui.nav.hint"))
        hint.setObjectName("small")
        hint.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(self.nav)
        layout.addWidget(hint)
        return panel

    def _restore(self, saved: AssessmentRecord | None) -> None:
        if saved is None:
            return
        self.version = saved.version
        instruments = {key: result.get("answers", {}) for key, result in saved.instruments.items()}
        for domain_id, page in self.pages.items():
            page.set_answers(dict(saved.answers.get(domain_id, {})))
            page.set_instrument_answers(instruments)

    @property
    def domain_page(self) -> DomainPage:
        """The domain page on screen."""
        return self.pages[self.nav.domains[self.nav.currentRow()].id]

    def show_domain(self, domain_id: str, focus_form: bool = False) -> None:
        self.nav.setCurrentRow(self.nav.row_of(domain_id))
        if focus_form:
            self.focus_first_field()

    def step_domain(self, step: int) -> None:
        """The next (+1) or previous (-1) domain; focus stays in the list if it was there."""
        row = self.nav.currentRow() + step
        if 0 <= row < self.nav.count():
            self.nav.setCurrentRow(row)
            if not self.nav.hasFocus():
                self.focus_first_field()

    def focus_first_field(self) -> None:
        if self.signed:  # nothing to type into: the correction button, else the domain list
            getattr(self, "correct_button", self.nav).setFocus(Qt.FocusReason.TabFocusReason)
            return
        first = self.domain_page.first_input()
        (first or self.domain_page).setFocus(Qt.FocusReason.TabFocusReason)

    def answers(self) -> Answers:
        """Every domain's answers; domains with none are left out."""
        return {domain_id: answers for domain_id, page in self.pages.items()
                if (answers := page.answers())}

    def instrument_answers(self) -> InstrumentAnswers:
        merged: InstrumentAnswers = {}
        for page in self.pages.values():
            merged.update(page.instrument_answers())
        return merged

    def _on_change(self, domain_id: str) -> None:
        self.dirty = True
        self.nav.set_progress(domain_id, self.pages[domain_id].answers())
        self._refresh(update_nav=False)
        self.changed.emit()

    def _refresh(self, update_nav: bool = True) -> None:
        context = fact_context(self.case)
        instruments = self.instrument_answers()
        try:
            results: dict[str, InstrumentResult] = self.service.score(instruments, context)
        except InvalidInput:
            results, instruments = {}, {}  # a form value the core refuses: saving says which
        for page in self.pages.values():
            page.show_instrument_results(results)
            if update_nav:
                self.nav.set_progress(page.domain.id, page.answers())
        evaluation = self.service.evaluate(self.answers(), context, instruments)
        self.suggestion_panel.show_suggestion(
            evaluation.suggestion, self.service.deadlines(self.case, evaluation.facts))

    def save(self) -> AssessmentRecord:
        """Save what is on screen. On AssessmentConflict nothing changes here: the answers
        stay on screen and the page stays dirty."""
        record = self.service.save_assessment(self.case.id, self.answers(),
                                              self.instrument_answers(),
                                              expected_version=self.version)
        self.version = record.version
        self.case = self.service.get_case(self.case.id)
        self.dirty = False
        return record
