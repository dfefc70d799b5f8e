"""The referral (Henvisning): where it came from, who sent it and why, and the completeness
checklist of what a TSB referral should contain (clinical reference §5).

The checklist and its items come from ``rules/codes.toml``; what the referral lacks is the
core's ``missing_items`` for the ticked boxes, shown live, so a weak referral is seen
before it is rejected. The case service checks the values when the case page saves.
"""

from __future__ import annotations

from collections.abc import Iterable

from tsbplace.cases import FieldProblem
from tsbplace.content.codes import Code
from tsbplace.content.model import Content
from tsbplace.i18n import tr
from tsbplace.referrals import ReferralDetails, ReferralRecord, missing_items
from tsbplace.ui.domain_nav import Progress
from tsbplace.ui.inputs import ComboBox
from tsbplace.ui.labels import styled_label
from tsbplace.ui.qt import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMouseEvent,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


class _CheckText(QLabel):
    """A check box's text that wraps to the page's width; a click on it ticks the box."""

    def __init__(self, text: str, check: QCheckBox) -> None:
        super().__init__(text)
        self.check = check
        self.setWordWrap(True)
        self.setBuddy(check)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.check.isEnabled():
            self.check.toggle()
            self.check.setFocus(Qt.FocusReason.MouseFocusReason)


def _check_row(check: QCheckBox, text: str) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    row.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(_CheckText(text, check), 1)
    return row


class ProblemSlot(QWidget):
    """An input with the line under it that says what the core refused about it."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.problem)
        self.setFocusProxy(field)

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(bool(message))


def text_box(name: str, height: int = 72) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the form
    box.setFixedHeight(height)
    box.setAccessibleName(name)
    return box


def code_combo(codes: Iterable[Code], name: str) -> ComboBox:
    """"— Velg —" (None), then each code's name, with its id as data."""
    combo = ComboBox()
    combo.addItem(tr("gui.domain.choose"), None)
    for code in codes:
        combo.addItem(code.label(), code.id)
    combo.fit_options()
    combo.setAccessibleName(name)
    return combo


def select_data(combo: ComboBox, value: object) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)


def set_form_label(form: QFormLayout, field: QWidget, text: str) -> None:
    label = form.labelForField(field)
    if isinstance(label, QLabel):
        label.setText(text)


class ReferralPage(QWidget):
    """Source, referrer, reason and checklist; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert content.codes is not None, "load_content always loads codes.toml or raises"
        self.content = content
        self.codes = content.codes
        self._loading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(styled_label(tr("gui.referral.title"), "pageTitle"))
        layout.addWidget(styled_label(tr("gui.referral.help"), "muted"))
        layout.addSpacing(8)
        layout.addLayout(self._form())
        layout.addSpacing(12)
        layout.addWidget(styled_label(tr("gui.referral.checklist"), "sectionTitle"))
        layout.addWidget(styled_label(tr("gui.referral.checklist_help"), "muted"))
        self.checks: dict[str, QCheckBox] = {}
        for item in self.codes.referral_items:
            check = QCheckBox()
            check.setAccessibleName(item.label())
            check.toggled.connect(self._on_checklist)
            self.checks[item.id] = check
            layout.addLayout(_check_row(check, item.label()))
        layout.addSpacing(8)
        self.missing = styled_label("", "warning")
        self.missing.setAccessibleName(tr("gui.referral.missing_name"))
        self.missing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.missing)
        layout.addStretch(1)
        self._show_missing(missing_items(content, ()))
        self._on_source()

    def _form(self) -> QFormLayout:
        self.form = form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.source = code_combo(self.codes.referral_sources, tr("gui.referral.source_name"))
        self.source.currentIndexChanged.connect(self._on_source)
        self.source_text = QLineEdit()
        self.source_text.setAccessibleName(tr("gui.referral.source_text_name"))
        self.source_text.textChanged.connect(self._edited)
        self.referrer = QLineEdit()
        self.referrer.setAccessibleName(tr("gui.referral.referrer_name"))
        self.referrer.setPlaceholderText(tr("gui.referral.referrer_placeholder"))
        self.referrer.textChanged.connect(self._edited)
        self.reason = text_box(tr("gui.referral.reason_name"), 96)
        self.reason.textChanged.connect(self._edited)
        self.slots = {"source": ProblemSlot(self.source), "source_text": ProblemSlot(self.source_text),
                      "referrer": ProblemSlot(self.referrer), "reason": ProblemSlot(self.reason)}
        form.addRow(tr("gui.referral.source"), self.slots["source"])
        form.addRow(tr("gui.referral.source_text"), self.slots["source_text"])
        form.addRow(tr("gui.referral.referrer"), self.slots["referrer"])
        form.addRow(tr("gui.referral.reason"), self.slots["reason"])
        return form

    def first_input(self) -> QWidget:
        return self.source

    # --- values ---------------------------------------------------------------------------

    def _source_code(self) -> Code | None:
        source = self.source.currentData()
        return None if source is None else self.codes.find(self.codes.referral_sources, source)

    def details(self) -> ReferralDetails:
        """What is on screen; the explanation only for a source that asks for one."""
        source = self._source_code()
        needs_text = source is not None and source.requires_text
        return ReferralDetails(
            source=self.source.currentData(),
            source_text=self.source_text.text() if needs_text else "",
            referrer=self.referrer.text(), reason=self.reason.toPlainText(),
            present_items=tuple(key for key, check in self.checks.items() if check.isChecked()))

    def set_record(self, record: ReferralRecord) -> None:
        """Show a stored referral; sends no ``changed``."""
        self._loading = True
        try:
            details = record.details
            select_data(self.source, details.source)
            self.source_text.setText(details.source_text)
            self.referrer.setText(details.referrer)
            self.reason.setPlainText(details.reason)
            for key, check in self.checks.items():
                check.setChecked(key in details.present_items)
        finally:
            self._loading = False
        self._on_source(emit=False)
        self._show_missing(record.missing_items)

    def progress(self) -> tuple[Progress, str]:
        """✓ every checklist item is there, ◐ some, ○ none; with the text the list shows."""
        present = sum(check.isChecked() for check in self.checks.values())
        if present == 0:
            return Progress.EMPTY, tr("gui.referral.nav_empty")
        if present == len(self.checks):
            return Progress.DONE, tr("gui.referral.nav_done")
        return Progress.STARTED, tr("gui.referral.nav_started", missing=len(self.checks) - present)

    # --- edits ----------------------------------------------------------------------------

    def _on_source(self, _index: int = 0, emit: bool = True) -> None:
        source = self._source_code()
        needs_text = source is not None and source.requires_text
        self.form.setRowVisible(self.slots["source_text"], needs_text)
        if needs_text:
            set_form_label(self.form, self.slots["source_text"], tr("gui.referral.source_text") + " *")
        if emit:
            self._edited()

    def _on_checklist(self) -> None:
        self._show_missing(missing_items(self.content, self.details().present_items))
        self._edited()

    def _edited(self) -> None:
        if self._loading:
            return
        for slot in self.slots.values():
            slot.show_problem("")
        self.changed.emit()

    def _show_missing(self, missing: tuple[Code, ...]) -> None:
        if missing:
            lines = "\n".join(f"• {code.label()}" for code in missing)
            self.missing.setText(tr("gui.referral.missing", count=len(missing), items=lines))
            self.missing.setObjectName("warning")
        else:
            self.missing.setText(tr("gui.referral.complete"))
            self.missing.setObjectName("good")
        self.missing.style().unpolish(self.missing)
        self.missing.style().polish(self.missing)

    def show_problems(self, problems: Iterable[FieldProblem], focus: bool = True) -> list[FieldProblem]:
        """Show each ``referral.*`` problem under its field and (``focus``) focus the first;
        return them."""
        mine = [p for p in problems if p.field.startswith("referral.")]
        for slot in self.slots.values():
            slot.show_problem("")
        first: QWidget | None = None
        for problem in mine:
            key = problem.field.split(".")[1]
            slot = self.slots.get(key)
            target: QWidget | None = slot
            if slot is not None:
                slot.show_problem(problem.message)
            elif key == "present_items":
                target = next(iter(self.checks.values()), None)
            first = first or target
        if focus and first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return mine

    def field_label(self, path: str) -> str | None:
        """The label a person reads for a ``referral.*`` path (None: not a referral field)."""
        if not path.startswith("referral."):
            return None
        key = path.split(".")[1]
        names = {"source": tr("gui.referral.source_name"), "source_text": tr("gui.referral.source_text_name"),
                 "referrer": tr("gui.referral.referrer_name"), "reason": tr("gui.referral.reason_name"),
                 "present_items": tr("gui.referral.checklist")}
        title = tr("gui.referral.title")
        return f"{title}: {names[key]}" if key in names else title
