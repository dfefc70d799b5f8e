"""One open case: who it is, the referral, the ten domains with their forms, the decision,
and the live suggestion.

The list (``nav_panel``, which the main window shows under the case list, so the form
keeps its width) has the referral first, then the domains, then the decision, and shows
one page at a time; Ctrl+PgDown / Ctrl+PgUp go to the next and previous. Every page is
built once when the case opens. Each edit scores the instruments and asks the engine
again, through the case service, with every domain's answers and the patient's facts;
the decision page follows the suggestion and the legal outputs.

Saving (``save``) stores the answers, and the referral and the decision when they changed,
each against the version it was loaded at. Signer on the decision page saves and signs
(``sign``) and then sends ``assessment_signed``.

A case prepared on the referring side (``case.referring``) has no decision page: its last
entry is "Henvisning til TSB" (:class:`ReferralSendPage`), whose preview button sends
``referral_preview_requested``; the header's tag says which side the case is on.
"""

from __future__ import annotations

from collections.abc import Iterable

from tsbplace.assessment_versions import AssessmentConflict, AssessmentSigned
from tsbplace.case_sides import REFERRED
from tsbplace.cases import (
    AssessmentRecord,
    CaseService,
    CaseSummary,
    FieldProblem,
    InvalidInput,
    ReferralConflict,
    fact_context,
)
from tsbplace.i18n import tr
from tsbplace.instruments import InstrumentResult
from tsbplace.national_id import format_national_id
from tsbplace.referrals import missing_items
from tsbplace.ui.decision_page import DecisionPage
from tsbplace.ui.domain_nav import DomainNav
from tsbplace.ui.domain_page import DomainPage, InstrumentAnswers
from tsbplace.ui.problem_text import domain_of
from tsbplace.ui.problem_text import field_label as content_field_label
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
from tsbplace.ui.referral_page import ReferralPage
from tsbplace.ui.referral_send_page import ReferralSendPage
from tsbplace.ui.suggestion_panel import SuggestionPanel

Answers = dict[str, dict[str, object]]
RIGHT_TO_CARE = "rett"  # codes.toml care_right: a decision with a right has a frist to meet
REFERRAL = "referral"  # the list entries before and after the domains
DECISION = "decision"
SEND = "send"  # the last entry of a case prepared on the referring side: "Henvisning til TSB"


def _scrolling(page: QWidget) -> QScrollArea:
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
    """Shows one case; ``changed`` fires when what is on screen differs from what is saved."""

    changed = Signal()
    correction_requested = Signal()  # the clinician asks to correct the signed version
    assessment_signed = Signal()  # signed from the decision page: reload the case to show it
    treatment_start_requested = Signal()  # "Registrer oppstart": the day treatment started
    conflicted = Signal(str)  # signing met someone else's newer save (the message says whose)
    referral_preview_requested = Signal()  # referring side: show the referral letter

    def __init__(self, service: CaseService, case: CaseSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.case = case
        self.dirty = False
        # The assessment version on screen (0: none saved yet), passed back on save so a
        # save over someone else's newer one is refused (AssessmentConflict).
        self.version = 0
        content = service.content
        self.referral_version = 0  # the referral's, passed back the same way (ReferralConflict)
        self.referral_dirty = False  # the referral, or the decision, differs from the saved one
        self.decision_dirty = False
        self._opened = False  # until the first refresh: what follows the suggestion is no edit

        # A referral prepared on the referring side ends in the referral letter, not a
        # decision: TSB decides, so its last entry is "Henvisning til TSB".
        self.last_id = SEND if case.referring else DECISION
        last_title = tr("gui.referring.title") if case.referring else tr("gui.decision.title")
        self.nav = DomainNav(content.domains, first=(REFERRAL, tr("gui.referral.title")),
                             last=(self.last_id, last_title))
        self.nav_panel = self._nav_panel()
        self.stack = QStackedWidget()
        self.referral_page = ReferralPage(content)
        self.stack.addWidget(_scrolling(self.referral_page))
        self.pages: dict[str, DomainPage] = {}
        for domain in content.domains:
            page = DomainPage(domain, [content.instrument(i) for i in domain.instruments],
                              service.band_sets)
            self.pages[domain.id] = page
            self.stack.addWidget(_scrolling(page))
        self.decision_page: DecisionPage | None = None
        self.send_page: ReferralSendPage | None = None
        self.last_page: QWidget
        if case.referring:
            self.last_page = self.send_page = ReferralSendPage(content)
        else:
            self.last_page = self.decision_page = DecisionPage(content, case.received_date,
                                                               service.local_services)
        self.stack.addWidget(_scrolling(self.last_page))
        self.suggestion_panel = SuggestionPanel(content, service.local_services)

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
        for widget in (self.referral_page, *self.pages.values(), self.last_page):
            widget.setEnabled(not self.signed)  # signed: read, browse, never change
        for domain_id, page in self.pages.items():
            page.changed.connect(lambda d=domain_id: self._on_change(d))
        self.referral_page.changed.connect(self._on_referral_change)
        if self.decision_page is not None:
            self.decision_page.set_signed(self.signed)
            self.decision_page.changed.connect(self._on_decision_change)
            self.decision_page.sign_requested.connect(self._sign_requested)
        if self.send_page is not None:
            self.send_page.set_sent(case.status == REFERRED)
            self.send_page.preview_requested.connect(self.referral_preview_requested)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(self.nav.row_of(content.domains[0].id))  # the first domain
        self._refresh()
        self._opened = True

    def _header(self) -> QWidget:
        header = QWidget()
        layout = QVBoxLayout(header)
        layout.setContentsMargins(0, 0, 0, 0)
        name = QLabel(self.case.patient_name)
        name.setObjectName("pageTitle")
        values = {"national_id": format_national_id(self.case.national_id),
                  "case_number": self.case.case_number,
                  "received": self.case.received_date.strftime("%d.%m.%Y")}
        # The referring side did not receive the referral: its date is when the work began.
        details = QLabel(tr("gui.referring.details", **values) if self.case.referring
                         else tr("gui.case.details", **values))
        details.setObjectName("muted")
        title_row = QHBoxLayout()
        title_row.addWidget(name)
        # Always in sight: which mode the clinician works in (a referral we write, or TSB's).
        referring = self.case.referring
        self.side_tag = QLabel(tr("gui.referring.tag") if referring else tr("gui.referring.tag_tsb"))
        self.side_tag.setObjectName("sideTag")
        self.side_tag.setToolTip(tr("gui.referring.tag_tip") if referring
                                 else tr("gui.referring.tag_tsb_tip"))
        title_row.addWidget(self.side_tag, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
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
        if saved.signed and saved.decision.care_right == RIGHT_TO_CARE:
            # After a decision with a right to care: when treatment started ("frist met").
            started = self.case.treatment_started_on
            self.start_label = QLabel(tr("gui.treatment_start.started", date=started.strftime("%d.%m.%Y"))
                                      if started is not None else tr("gui.treatment_start.not_started"))
            self.start_label.setObjectName("muted")
            self.start_button = QPushButton(tr("gui.treatment_start.record"))
            self.start_button.setAccessibleName(tr("gui.treatment_start.record"))
            self.start_button.clicked.connect(self.treatment_start_requested)
            layout.addWidget(self.start_label, 0, Qt.AlignmentFlag.AlignTop)
            layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignTop)
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
        referral = self.service.load_referral(self.case.id)
        self.referral_version = referral.version
        self.referral_page.set_record(referral)
        if saved is None:
            return
        self.version = saved.version
        if self.decision_page is not None:
            self.decision_page.set_decision(saved.decision)
        instruments = {key: result.get("answers", {}) for key, result in saved.instruments.items()}
        for domain_id, page in self.pages.items():
            page.set_answers(dict(saved.answers.get(domain_id, {})))
            page.set_instrument_answers(instruments)

    @property
    def current_id(self) -> str:
        """The entry on screen: ``REFERRAL``, a domain id, or ``DECISION`` (``SEND`` on the
        referring side)."""
        return self.nav.entry_id(self.nav.currentRow())

    @property
    def domain_page(self) -> DomainPage:
        """The domain page on screen (the referral or the decision is not one)."""
        return self.pages[self.current_id]

    def show_domain(self, domain_id: str, focus_form: bool = False) -> None:
        """Show a domain, or the referral (``REFERRAL``) or the decision (``DECISION``)."""
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
        page: QWidget = {REFERRAL: self.referral_page, self.last_id: self.last_page}.get(
            self.current_id) or self.domain_page
        first = page.first_input()  # type: ignore[attr-defined]
        (first or page).setFocus(Qt.FocusReason.TabFocusReason)

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

    def _on_referral_change(self) -> None:
        self.dirty = self.referral_dirty = True
        self._show_marks()
        self.changed.emit()

    def _on_decision_change(self) -> None:
        self.dirty = self.decision_dirty = True
        self._show_marks()
        self.changed.emit()

    def _show_marks(self) -> None:
        self.nav.set_mark(REFERRAL, *self.referral_page.progress())
        if self.decision_page is not None:
            self.nav.set_mark(DECISION, *self.decision_page.progress())
        if self.send_page is not None:  # what the referral still lacks, as the checklist says
            present = self.referral_page.details().present_items
            self.send_page.show_missing(missing_items(self.service.content, present))
            self.nav.set_mark(SEND, *self.send_page.progress())

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
        legal = self.service.deadlines(self.case, evaluation.facts)
        # TSB's deadlines count from when TSB receives the referral: not the referrer's to show.
        self.suggestion_panel.show_suggestion(evaluation.suggestion, None if self.case.referring else legal)
        if self.send_page is not None:
            self.send_page.show_suggestion(evaluation.suggestion)
        if self.decision_page is None:  # the referring side has no decision to follow it
            self._show_marks()
            return
        # The chosen level, frist and latest start follow until the clinician sets them;
        # that is an edit of the decision only once the case is open (not while loading).
        followed = self.decision_page.show_suggestion(evaluation.suggestion.level, legal)
        if followed and self._opened and not self.signed:
            self.decision_dirty = True
        self._show_marks()

    def save(self, for_signing: bool = False) -> AssessmentRecord:
        """Save what is on screen: the answers, then the referral and the decision if they
        changed (``for_signing``: the decision always, with the chosen level on screen).
        Raises InvalidInput, AssessmentConflict or ReferralConflict; then what is on screen
        stays and the page stays dirty (a part saved before the error is not saved again)."""
        save_decision = (self.decision_dirty or for_signing) and self.decision_page is not None
        decision = self.decision_page.decision(for_signing) if self.decision_page and save_decision else None
        referral = self.referral_page.details() if self.referral_dirty else None
        record = self.service.save_assessment(self.case.id, self.answers(),
                                              self.instrument_answers(),
                                              expected_version=self.version)
        self.version = record.version
        if referral is not None:
            saved = self.service.save_referral(self.case.id, referral,
                                               expected_version=self.referral_version)
            self.referral_version = saved.version
            self.referral_dirty = False
        if decision is not None:
            record = self.service.save_decision(self.case.id, decision, expected_version=self.version)
            self.version = record.version
            self.decision_dirty = False
        self._opened = False  # until the first refresh: what follows the suggestion is no edit
        self.case = self.service.get_case(self.case.id)
        self.dirty = False
        return record

    def sign(self) -> AssessmentRecord:
        """Save what is on screen and sign it. Raises as ``save`` does, and InvalidInput with
        every gap when the decision is not complete."""
        self.save(for_signing=True)
        record = self.service.sign_assessment(self.case.id, expected_version=self.version)
        self.version = record.version
        self.case = self.service.get_case(self.case.id)
        return record

    def _sign_requested(self) -> None:
        """Signer: gaps are shown beside their fields; a conflict goes to the main window."""
        try:
            self.sign()
        except InvalidInput as error:
            self.show_problems(error.problems, signing=True)
            return
        except (AssessmentConflict, AssessmentSigned) as error:
            self.show_save_state(tr("gui.autosave.not_saved_conflict"), problem=True)
            self.conflicted.emit(error.message())
            return
        except ReferralConflict as error:
            self.show_save_state(tr("gui.autosave.not_saved_conflict"), problem=True)
            self.conflicted.emit(str(error))
            return
        # Read-only at once; the main window reloads the case to show the signed version.
        self.signed = True
        for widget in (self.referral_page, *self.pages.values(), self.last_page):
            widget.setEnabled(False)
        assert self.decision_page is not None, "only the decision page asks to sign"
        self.decision_page.set_signed(True)
        self._show_marks()
        self.assessment_signed.emit()

    def refresh_case(self) -> None:
        """Read the case row again (its status changes when its referral letter is issued)."""
        self.case = self.service.get_case(self.case.id)
        if self.send_page is not None:
            self.send_page.set_sent(self.case.status == REFERRED)
        self._show_marks()

    def field_label(self, path: str) -> str:
        """The label a person reads for a problem's path, referral and decision included."""
        decision = self.decision_page.field_label(path) if self.decision_page is not None else None
        return (self.referral_page.field_label(path) or decision
                or content_field_label(self.service.content, path))

    def show_problems(self, problems: Iterable[FieldProblem], signing: bool = False) -> bool:
        """Show refused referral or decision values beside their fields, on their page, with
        the focus on the first; else go to the first domain with a problem. ``signing``:
        list every problem above Signer too. True if a referral or decision problem was shown."""
        problems = list(problems)
        decision = [p for p in problems if p.field.startswith("decision.")]
        referral = [p for p in problems if p.field.startswith("referral.")]
        self.referral_page.show_problems(referral, focus=False)
        if (decision or signing) and self.decision_page is not None:
            self.show_domain(DECISION)
            self.decision_page.show_problems(problems if signing else decision, self.field_label)
        elif referral:
            self.show_domain(REFERRAL)
            self.referral_page.show_problems(referral)
        elif (domain_id := domain_of(self.service.content, problems)) is not None:
            self.show_domain(domain_id)
        return bool(decision or referral)
