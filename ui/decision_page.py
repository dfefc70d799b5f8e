"""The decision (Beslutning): the suggested level beside the chosen one, why they differ, the
right to care with its frist and latest start date, the patient's goals, preferred level
and agreement, and the individual plan, coordinator and ansvarsgruppe (clinical reference
§5 and §7). Signer (Ctrl+Enter) asks the case page to save and sign.

When the clinic has listed its own services, "Tjeneste / sted" offers the active ones at
the chosen level; the decision keeps the service's name as it was when decided, so a name
since renamed or removed is still shown.

The chosen level shows the suggestion until the clinician picks one (stored as "not
chosen" until then; signing takes what is on screen). With a right, the frist and the
latest start date are filled in from the legal outputs until the clinician changes them.
What is missing before signing is the core's answer (``signing_problems``), shown beside
the fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from tsbplace.cases import FieldProblem, InvalidInput
from tsbplace.content.model import Content, ValueRules, parse_iso_date
from tsbplace.decisions import MAX_FRIST_WEEKS, Decision, signing_problems
from tsbplace.i18n import tr
from tsbplace.legal.dates import latest_start
from tsbplace.legal.model import LegalOutputs
from tsbplace.local_services import LocalService, local_options
from tsbplace.ui.date_field import DateField
from tsbplace.ui.domain_nav import Progress
from tsbplace.ui.inputs import ComboBox, SpinBox
from tsbplace.ui.labels import styled_label
from tsbplace.ui.qt import (
    QAction,
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tsbplace.ui.referral_page import ProblemSlot, code_combo, select_data, set_form_label, text_box

RIGHT = "rett"  # the care_right code that has a frist and a latest start (as the core reads it)
NO_FRIST = 0  # the spin box's "not given"


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    # Labels above their fields: the level and code names are long, and one column reads
    # the same all the way down beside the suggestion panel.
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
    form.setVerticalSpacing(8)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class DecisionPage(QWidget):
    """``changed`` on every edit; ``sign_requested`` on Signer or Ctrl+Enter."""

    changed = Signal()
    sign_requested = Signal()

    def __init__(self, content: Content, received_date: dt.date,
                 local_services: Sequence[LocalService] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert content.codes is not None, "load_content always loads codes.toml or raises"
        self.content = content
        self.local_services = tuple(s for s in local_services if s.active)
        self.codes = content.codes
        self.received_date = received_date
        self.suggested: str | None = None
        self.legal: LegalOutputs | None = None
        self.signed = False
        self._loading = False
        self._chosen_follows = True  # the chosen level shows the suggestion until one is picked
        self._frist_auto = True  # the frist (and the date) come from the legal outputs until edited
        self._start_auto = True

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(styled_label(tr("gui.decision.title"), "pageTitle"))
        layout.addWidget(styled_label(tr("gui.decision.help"), "muted"))
        layout.addSpacing(8)
        layout.addLayout(self._level_form())
        layout.addSpacing(12)
        layout.addWidget(styled_label(tr("gui.decision.right_section"), "sectionTitle"))
        layout.addLayout(self._right_form())
        layout.addSpacing(12)
        layout.addWidget(styled_label(tr("gui.decision.patient_section"), "sectionTitle"))
        layout.addLayout(self._patient_form())
        layout.addSpacing(12)
        layout.addWidget(styled_label(tr("gui.decision.coordination_section"), "sectionTitle"))
        layout.addLayout(self._coordination_form())
        layout.addSpacing(14)
        self.problems = styled_label("", "problem")
        self.problems.hide()
        layout.addWidget(self.problems)
        layout.addLayout(self._sign_row())
        layout.addStretch(1)

        self.slots = {"chosen_level": self.chosen_slot, "reason": self.reason_slot,
                      "reason_text": self.reason_text_slot, "care_right": self.right_slot,
                      "frist_weeks": self.frist_slot, "latest_start_date": self.start_slot,
                      "patient_goals": self.goals_slot, "patient_preferred_level": self.preferred_slot,
                      "patient_agreement": self.agreement_slot, "ip_status": self.ip_slot,
                      "coordinator": self.coordinator_slot, "care_group": self.care_group_slot,
                      "chosen_service": self.service_slot}
        self._fill_services("")
        self._update_required()

    # --- building -------------------------------------------------------------------------

    def _level_form(self) -> QFormLayout:
        self.level_form = form = _form()
        self.suggested_label = styled_label(tr("gui.decision.no_suggestion"), "levelName")
        self.suggested_label.setAccessibleName(tr("gui.decision.suggested"))
        self.chosen = ComboBox()
        for level in self.content.levels:
            self.chosen.addItem(level.label(), level.code)
        self.chosen.fit_options()
        self.chosen.setAccessibleName(tr("gui.decision.chosen_name"))
        self.chosen.currentIndexChanged.connect(self._on_chosen)
        self.reason = code_combo(self.codes.decision_reasons, tr("gui.decision.reason_name"))
        self.reason.currentIndexChanged.connect(self._on_reason)
        self.reason_text = text_box(tr("gui.decision.reason_text_name"))
        self.reason_text.textChanged.connect(self._edited)
        self.service_box = ComboBox()
        self.service_box.setAccessibleName(tr("gui.chosen_service.name"))
        self.service_box.currentIndexChanged.connect(self._edited)
        self.service_note = styled_label(tr("gui.chosen_service.unavailable"), "muted")
        service_column = QWidget()
        column = QVBoxLayout(service_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.service_box)
        column.addWidget(self.service_note)
        service_column.setFocusProxy(self.service_box)
        self.chosen_slot = ProblemSlot(self.chosen)
        self.service_slot = ProblemSlot(service_column)
        self.reason_slot = ProblemSlot(self.reason)
        self.reason_text_slot = ProblemSlot(self.reason_text)
        form.addRow(tr("gui.decision.suggested"), self.suggested_label)
        form.addRow(tr("gui.decision.chosen"), self.chosen_slot)
        form.addRow(tr("gui.chosen_service.label"), self.service_slot)
        form.addRow(tr("gui.decision.reason"), self.reason_slot)
        form.addRow(tr("gui.decision.reason_text"), self.reason_text_slot)
        return form

    def _right_form(self) -> QFormLayout:
        self.right_form = form = _form()
        radios = QWidget()
        column = QVBoxLayout(radios)
        column.setContentsMargins(0, 0, 0, 0)
        self.right_group = QButtonGroup(self)
        self.right_buttons: dict[str, QRadioButton] = {}
        for index, code in enumerate(self.codes.care_rights):
            button = QRadioButton(code.label())
            button.setAccessibleName(code.label())
            self.right_group.addButton(button, index)
            self.right_buttons[code.id] = button
            column.addWidget(button)
        self.guide = styled_label("", "muted")
        column.addWidget(self.guide)
        first = next(iter(self.right_buttons.values()), None)
        if first is not None:
            radios.setFocusProxy(first)
        self.right_group.idToggled.connect(self._on_right)
        self.frist = SpinBox()
        self.frist.setRange(NO_FRIST, MAX_FRIST_WEEKS)
        self.frist.setSpecialValueText("—")
        self.frist.setSuffix(tr("gui.decision.weeks_suffix"))
        self.frist.setAccessibleName(tr("gui.decision.frist_name"))
        self.frist.setMaximumWidth(self.frist.sizeHint().width() + 40)
        self.frist.valueChanged.connect(self._on_frist)
        self.start = DateField(ValueRules())
        self.start.setAccessibleName(tr("gui.decision.start_name"))
        self.start.changed.connect(self._on_start)
        self.prefill_note = styled_label("", "muted")
        self.right_slot = ProblemSlot(radios)
        self.frist_slot = ProblemSlot(self.frist)
        self.start_slot = ProblemSlot(self.start)
        form.addRow(tr("gui.decision.right") + " *", self.right_slot)
        form.addRow(tr("gui.decision.frist") + " *", self.frist_slot)
        form.addRow(tr("gui.decision.start") + " *", self.start_slot)
        form.addRow(self.prefill_note)
        return form

    def _patient_form(self) -> QFormLayout:
        form = _form()
        self.goals = text_box(tr("gui.decision.goals_name"), 84)
        self.goals.textChanged.connect(self._edited)
        self.preferred = ComboBox()
        self.preferred.addItem(tr("gui.domain.choose"), None)
        for level in self.content.levels:
            self.preferred.addItem(level.label(), level.code)
        self.preferred.fit_options()
        self.preferred.setAccessibleName(tr("gui.decision.preferred_name"))
        self.preferred.currentIndexChanged.connect(self._edited)
        self.agreement = code_combo(self.codes.patient_agreements, tr("gui.decision.agreement_name"))
        self.agreement.currentIndexChanged.connect(self._edited)
        self.goals_slot = ProblemSlot(self.goals)
        self.preferred_slot = ProblemSlot(self.preferred)
        self.agreement_slot = ProblemSlot(self.agreement)
        form.addRow(tr("gui.decision.goals"), self.goals_slot)
        form.addRow(tr("gui.decision.preferred"), self.preferred_slot)
        form.addRow(tr("gui.decision.agreement") + " *", self.agreement_slot)
        return form

    def _coordination_form(self) -> QFormLayout:
        form = _form()
        self.ip = code_combo(self.codes.ip_statuses, tr("gui.decision.ip_name"))
        self.ip.currentIndexChanged.connect(self._edited)
        self.coordinator = QLineEdit()
        self.coordinator.setAccessibleName(tr("gui.decision.coordinator_name"))
        self.coordinator.setPlaceholderText(tr("gui.decision.coordinator_placeholder"))
        self.coordinator.textChanged.connect(self._edited)
        self.care_group = code_combo(self.codes.care_groups, tr("gui.decision.care_group_name"))
        self.care_group.currentIndexChanged.connect(self._edited)
        self.ip_slot = ProblemSlot(self.ip)
        self.coordinator_slot = ProblemSlot(self.coordinator)
        self.care_group_slot = ProblemSlot(self.care_group)
        form.addRow(tr("gui.decision.ip"), self.ip_slot)
        form.addRow(tr("gui.decision.coordinator"), self.coordinator_slot)
        form.addRow(tr("gui.decision.care_group"), self.care_group_slot)
        return form

    def _sign_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.sign_button = QPushButton(tr("gui.decision.sign"))
        self.sign_button.setObjectName("primary")
        self.sign_button.setAccessibleName(tr("gui.decision.sign_name"))
        self.sign_button.setToolTip(tr("gui.decision.sign_hint"))
        self.sign_button.clicked.connect(self.sign_requested)
        self.sign_hint = styled_label(tr("gui.decision.sign_hint"), "small")
        row.addWidget(self.sign_button)
        row.addWidget(self.sign_hint, 1)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(self._sign_shortcut)
            self.addAction(action)
        return row

    def first_input(self) -> QWidget:
        return self.chosen

    # --- values ---------------------------------------------------------------------------

    def right(self) -> str | None:
        return next((code for code, button in self.right_buttons.items() if button.isChecked()), None)

    def decision(self, for_signing: bool = False) -> Decision:
        """What is on screen. The chosen level is None while it only shows the suggestion,
        unless ``for_signing``. A latest start that is not a date is refused (InvalidInput)."""
        with_right = self.right() == RIGHT
        typed = self.start.value() if with_right else None
        start = None if typed is None else parse_iso_date(typed)
        if typed is not None and start is None:
            raise InvalidInput([FieldProblem("decision.latest_start_date", tr("gui.date.invalid"))])
        follows = self._chosen_follows and not for_signing
        return Decision(
            chosen_level=None if follows else self.chosen.currentData(),
            reason=self.reason.currentData(), reason_text=self.reason_text.toPlainText(),
            care_right=self.right(),
            frist_weeks=(self.frist.value() or None) if with_right else None,
            latest_start_date=start,
            patient_goals=self.goals.toPlainText(),
            patient_preferred_level=self.preferred.currentData(),
            patient_agreement=self.agreement.currentData(),
            ip_status=self.ip.currentData(), coordinator=self.coordinator.text(),
            care_group=self.care_group.currentData(), chosen_service=self.service_box.currentData() or "")

    def set_decision(self, decision: Decision) -> None:
        """Show a stored decision; sends no ``changed``."""
        self._loading = True
        try:
            self._chosen_follows = decision.chosen_level is None
            select_data(self.chosen, decision.chosen_level or self.suggested)
            select_data(self.reason, decision.reason)
            self.reason_text.setPlainText(decision.reason_text)
            self.right_group.setExclusive(False)
            for code, button in self.right_buttons.items():
                button.setChecked(code == decision.care_right)
            self.right_group.setExclusive(True)
            self.frist.setValue(decision.frist_weeks or NO_FRIST)
            self.start.set_value(None if decision.latest_start_date is None
                                 else decision.latest_start_date.isoformat())
            self._frist_auto = decision.frist_weeks is None
            self._start_auto = decision.latest_start_date is None
            self.goals.setPlainText(decision.patient_goals)
            select_data(self.preferred, decision.patient_preferred_level)
            select_data(self.agreement, decision.patient_agreement)
            select_data(self.ip, decision.ip_status)
            self.coordinator.setText(decision.coordinator)
            select_data(self.care_group, decision.care_group)
            self._fill_services(decision.chosen_service, stored=True)
        finally:
            self._loading = False
        self._update_required()

    def set_signed(self, signed: bool) -> None:
        self.signed = signed
        self.sign_button.setVisible(not signed)
        self.sign_hint.setVisible(not signed)
        self._update_required()

    def show_suggestion(self, level: str, legal: LegalOutputs) -> bool:
        """The live suggestion and legal outputs; True if a stored value on screen followed
        them (a prefilled frist or latest start; the chosen level is stored as "not chosen"
        while it follows the suggestion)."""
        self.suggested, self.legal = level, legal
        self.suggested_label.setText(self.content.level(level).label())
        self.guide.setText(self._guide_text(legal))
        if self.signed:  # what was signed stays as it was
            return False
        service = self.service_box.currentData()
        if self._chosen_follows and self.chosen.currentData() != level:
            self._loading = True
            try:
                select_data(self.chosen, level)
            finally:
                self._loading = False
        followed = self._prefill() or self.service_box.currentData() != service  # dropped with the level
        self._update_required()
        return followed

    def progress(self) -> tuple[Progress, str]:
        """✓ ready to sign (the core finds nothing missing), ◐ started, ○ nothing entered."""
        if self.signed:
            return Progress.DONE, tr("gui.decision.nav_signed")
        try:
            decision = self.decision(for_signing=True)
        except InvalidInput:
            return Progress.STARTED, tr("gui.decision.nav_started", missing=1)
        if self._chosen_follows and decision == Decision(chosen_level=decision.chosen_level):
            return Progress.EMPTY, tr("gui.decision.nav_empty")
        problems = signing_problems(self.content, decision, self.suggested or "", self.received_date)
        if not problems:
            return Progress.DONE, tr("gui.decision.nav_done")
        return Progress.STARTED, tr("gui.decision.nav_started", missing=len(problems))

    # --- edits ----------------------------------------------------------------------------

    def _edited(self) -> None:
        if self._loading:
            return
        for slot in self.slots.values():
            slot.show_problem("")
        self.problems.hide()
        self.changed.emit()

    def _on_chosen(self) -> None:
        if not self._loading:
            self._chosen_follows = False
        self._fill_services(self.service_box.currentData() or "")
        self._update_required()
        self._edited()

    def _on_reason(self) -> None:
        self._update_required()
        self._edited()

    def _on_right(self, _id: int, on: bool) -> None:
        if not on or self._loading:
            self._update_required()
            return
        self._prefill()
        self._update_required()
        self._edited()

    def _on_frist(self) -> None:
        if self._loading:
            return
        self._frist_auto = self.frist.value() == NO_FRIST
        if self._start_auto and self.frist.value() != NO_FRIST and self.content.legal is not None:
            day = latest_start(self.received_date, self.frist.value(), legal=self.content.legal).date
            self._set_quietly(lambda: self.start.set_value(day.isoformat()))
        self._edited()

    def _on_start(self) -> None:
        if self._loading:
            return
        self._start_auto = self.start.value() is None
        self._edited()

    def _fill_services(self, keep: str, stored: bool = False) -> None:
        """"Ikke valgt" and the active services at the chosen level. ``keep`` stays chosen
        if it is one of them, if it is ``stored`` (what was decided is shown as it was), or
        if the clinic's list no longer has it (renamed, removed, from another clinic); a
        service the clinic has at another level is dropped when the level changes."""
        level = self.chosen.currentData()
        names = [s.name for s in self.local_services if s.level == level]
        known = {s.name for s in self.local_services}
        loading, self._loading = self._loading, True  # filling the list is no edit
        try:
            self.service_box.clear()
            self.service_box.addItem(tr("gui.chosen_service.none"), "")
            for name in names:
                self.service_box.addItem(name, name)
            if keep and keep not in names and (stored or keep not in known):
                self.service_box.addItem(keep, keep)
            self.service_box.setCurrentIndex(max(0, self.service_box.findData(keep)))
            self.service_box.fit_options()
        finally:
            self._loading = loading
        self.level_form.setRowVisible(self.service_slot, bool(self.local_services) or bool(keep))
        options = local_options(self.content, self.local_services, level) if level else None
        self.service_note.setVisible(options is not None and options.applies and not options.available)

    def _set_quietly(self, change: Callable[[], object]) -> None:
        self._loading = True
        try:
            change()
        finally:
            self._loading = False

    def _prefill(self) -> bool:
        """With a right, the guiding frist and latest start where the clinician has not
        written their own; True if anything changed."""
        if self.right() != RIGHT or self.legal is None:
            return False
        changed = False
        weeks = self.legal.priority.frist_weeks
        if self._frist_auto and weeks is not None and self.frist.value() != weeks:
            self._set_quietly(lambda: self.frist.setValue(weeks))
            changed = True
        start = self.legal.latest_start
        if self._start_auto and start is not None:
            value = start.date.isoformat()
            if self.start.value() != value:
                self._set_quietly(lambda: self.start.set_value(value))
                changed = True
        return changed

    def _update_required(self) -> None:
        """Required marks that depend on other answers; the frist rows only with a right."""
        differs = self.suggested is not None and self.chosen.currentData() != self.suggested
        reason = self.reason.currentData()
        code = None if reason is None else self.codes.find(self.codes.decision_reasons, reason)
        needs_text = differs and code is not None and code.requires_text
        set_form_label(self.level_form, self.reason_slot,
                       tr("gui.decision.reason") + (" *" if differs else ""))
        set_form_label(self.level_form, self.reason_text_slot,
                       tr("gui.decision.reason_text") + (" *" if needs_text else ""))
        with_right = self.right() == RIGHT
        for slot in (self.frist_slot, self.start_slot):
            self.right_form.setRowVisible(slot, with_right)
        self.right_form.setRowVisible(self.prefill_note, with_right and not self.signed)
        self.prefill_note.setText(self._prefill_text())

    def _guide_text(self, legal: LegalOutputs) -> str:
        priority = legal.priority
        if priority.right is None:
            return tr("gui.decision.guide_none")
        right = tr("gui.deadlines.right_yes") if priority.right else tr("gui.deadlines.right_no")
        if priority.frist_weeks is None:
            return tr("gui.decision.guide_right", right=right)
        return tr("gui.decision.guide", right=right, weeks=priority.frist_weeks)

    def _prefill_text(self) -> str:
        if self.legal is None or self.legal.latest_start is None or self.legal.priority.frist_weeks is None:
            return tr("gui.decision.prefill_none")
        return tr("gui.decision.prefill", weeks=self.legal.priority.frist_weeks,
                  date=self.legal.latest_start.date.strftime("%d.%m.%Y"))

    def _sign_shortcut(self) -> None:
        if self.isEnabled() and not self.signed:
            self.sign_requested.emit()

    # --- problems -------------------------------------------------------------------------

    def show_problems(self, problems: Iterable[FieldProblem],
                      label_of: Callable[[str], str] | None = None) -> list[FieldProblem]:
        """Each ``decision.*`` problem under its field, all of ``problems`` in plain words
        above Signer (``label_of`` names a path), focus on the first field; return mine."""
        problems = list(problems)
        for slot in self.slots.values():
            slot.show_problem("")
        order = list(self.slots)
        mine = sorted((p for p in problems if p.field.startswith("decision.")),
                      key=lambda p: order.index(key) if (key := p.field.split(".")[1]) in order else 99)
        for problem in mine:
            slot = self.slots.get(problem.field.split(".")[1])
            if slot is not None:
                slot.show_problem(problem.message)
        name = label_of or self.field_label
        lines = "\n".join(f"• {name(p.field) or p.field}: {p.message}" for p in problems)
        self.problems.setText(tr("gui.decision.not_signable", problems=lines))
        self.problems.setVisible(bool(problems))
        if mine and (slot := self.slots.get(mine[0].field.split(".")[1])) is not None:
            slot.setFocus(Qt.FocusReason.OtherFocusReason)
        return mine

    def field_label(self, path: str) -> str | None:
        """The label a person reads for a ``decision.*`` path (None: not a decision field)."""
        if not path.startswith("decision."):
            return None
        names = {"chosen_level": tr("gui.decision.chosen_name"), "reason": tr("gui.decision.reason_name"),
                 "reason_text": tr("gui.decision.reason_text_name"),
                 "care_right": tr("gui.decision.right_name"), "frist_weeks": tr("gui.decision.frist_name"),
                 "latest_start_date": tr("gui.decision.start_name"),
                 "patient_goals": tr("gui.decision.goals_name"),
                 "patient_preferred_level": tr("gui.decision.preferred_name"),
                 "patient_agreement": tr("gui.decision.agreement_name"),
                 "ip_status": tr("gui.decision.ip_name"),
                 "coordinator": tr("gui.decision.coordinator_name"),
                 "care_group": tr("gui.decision.care_group_name"),
                 "chosen_service": tr("gui.chosen_service.name")}
        title = tr("gui.decision.title")
        key = path.split(".")[1]
        return f"{title}: {names[key]}" if key in names else title
