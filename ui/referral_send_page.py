"""Henvisning til TSB: the last page of a case prepared on the referring side (a GP's office
or a municipal service), where a TSB case has its decision.

It sums up what the referral will say: the level TSBplace suggests and its main reasons,
which of the contents a TSB referral should hold are still missing (the referral page's
checklist), and a reminder that TSB decides the right, the frist and the level. Its one
action, "Forhåndsvis henvisning …", sends ``preview_requested``; the main window shows the
referral letter, and printing or saving it marks the case as referred.
"""

from __future__ import annotations

from collections.abc import Sequence

from tsbplace.content.codes import Code
from tsbplace.content.model import Content
from tsbplace.engine import Suggestion
from tsbplace.i18n import pick, tr
from tsbplace.ui.domain_nav import Progress
from tsbplace.ui.labels import styled_label
from tsbplace.ui.qt import QFrame, QHBoxLayout, QPushButton, Qt, QVBoxLayout, QWidget, Signal

MAX_REASONS = 3  # the page is a summary: the letter lists every reason


class ReferralSendPage(QWidget):
    """The referring side's last page; ``preview_requested`` asks for the referral letter."""

    preview_requested = Signal()

    def __init__(self, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.missing_count = 0
        self.sent = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(styled_label(tr("gui.referring.title"), "pageTitle"))
        layout.addWidget(styled_label(tr("gui.referring.intro"), "muted"))
        layout.addSpacing(10)

        layout.addWidget(styled_label(tr("gui.referring.suggestion_heading"), "sectionTitle"))
        self.level = styled_label("", "levelName")
        self.level.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reasons = styled_label("", "")
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.level)
        layout.addWidget(self.reasons)
        layout.addSpacing(10)

        layout.addWidget(styled_label(tr("gui.referring.contents_heading"), "sectionTitle"))
        self.missing = styled_label("", "warning")
        self.missing.setAccessibleName(tr("gui.referring.contents_heading"))
        self.missing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.missing)
        layout.addSpacing(10)

        # TSB, not the referrer, decides: said on the page the referral leaves from.
        reminder = QFrame()
        reminder.setObjectName("versionNote")
        reminder_layout = QVBoxLayout(reminder)
        reminder_layout.setContentsMargins(12, 8, 12, 8)
        reminder_layout.addWidget(styled_label(tr("gui.referring.reminder")))
        layout.addWidget(reminder)
        layout.addSpacing(12)

        self.sent_label = styled_label(tr("gui.referring.sent"), "good")
        self.sent_label.hide()
        layout.addWidget(self.sent_label)
        row = QHBoxLayout()
        self.preview_button = QPushButton(tr("gui.referring.preview"))
        self.preview_button.setObjectName("primary")
        self.preview_button.setAccessibleName(tr("gui.referring.preview_name"))
        self.preview_button.setToolTip(tr("gui.referring.preview_hint"))
        self.preview_button.clicked.connect(self.preview_requested)
        row.addWidget(self.preview_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(styled_label(tr("gui.referring.preview_hint"), "small"))
        layout.addStretch(1)
        self.show_missing(())

    def first_input(self) -> QWidget:
        return self.preview_button

    def show_suggestion(self, suggestion: Suggestion) -> None:
        """The suggested level and its first reasons (each rule's 'because', once)."""
        try:
            name = pick(self.content.level(suggestion.level).name)
        except KeyError:  # a level the rules no longer have: the bare code
            name = ""
        self.level.setText(tr("gui.referring.level", code=suggestion.level, name=name).strip(" –"))
        reasons: list[str] = []
        for rule in suggestion.fired:
            if (text := pick(rule.because)) not in reasons:
                reasons.append(text)
        if not reasons:
            self.reasons.setText(tr("gui.referring.no_reasons"))
            return
        lines = "\n".join(f"• {text}" for text in reasons[:MAX_REASONS])
        if len(reasons) > MAX_REASONS:
            lines += "\n" + tr("gui.referring.more_reasons", count=len(reasons) - MAX_REASONS)
        self.reasons.setText(lines)

    def show_missing(self, missing: Sequence[Code]) -> None:
        """What a TSB referral should hold and this one still lacks (the referral's checklist)."""
        self.missing_count = len(missing)
        if missing:
            items = "\n".join(f"• {code.label()}" for code in missing)
            self.missing.setText(tr("gui.referring.missing", count=len(missing), items=items))
            self.missing.setObjectName("warning")
        else:
            self.missing.setText(tr("gui.referring.complete"))
            self.missing.setObjectName("good")
        self.missing.style().unpolish(self.missing)
        self.missing.style().polish(self.missing)

    def set_sent(self, sent: bool) -> None:
        """The referral letter has left the program (the case is "referred")."""
        self.sent = sent
        self.sent_label.setVisible(sent)

    def progress(self) -> tuple[Progress, str]:
        """The list's mark: sent ✓, ready to send ✓, or ◐ with how many points are missing."""
        if self.sent:
            return Progress.DONE, tr("gui.referring.nav_sent")
        if self.missing_count == 0:
            return Progress.DONE, tr("gui.referring.nav_ready")
        return Progress.STARTED, tr("gui.referring.nav_missing", missing=self.missing_count)
