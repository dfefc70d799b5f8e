"""The live suggestion beside the form: level, reasons, why not lower, what is missing."""

from __future__ import annotations

from tsbplace.content.model import Content
from tsbplace.engine import Suggestion
from tsbplace.i18n import pick, tr
from tsbplace.ui.labels import styled_label
from tsbplace.ui.qt import QFrame, QVBoxLayout, QWidget


class SuggestionPanel(QFrame):
    def __init__(self, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.setObjectName("card")
        self.setMinimumWidth(280)
        self.setMaximumWidth(380)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 14, 16, 14)
        self.level_code = styled_label("", "levelCode", wrap=False)
        self.level_name = styled_label("", "levelName")
        self.level_summary = styled_label("", "muted")
        self.details = QVBoxLayout()
        self.details.setSpacing(4)
        self.footer = styled_label("", "muted")
        self._layout.addWidget(styled_label(tr("gui.suggestion.title"), "sectionTitle"))
        self._layout.addWidget(self.level_code)
        self._layout.addWidget(self.level_name)
        self._layout.addWidget(self.level_summary)
        self._layout.addLayout(self.details)
        self._layout.addStretch(1)
        self._layout.addWidget(self.footer)

    def show_suggestion(self, suggestion: Suggestion) -> None:
        level = self.content.level(suggestion.level)
        self.level_code.setText(level.code)
        self.level_name.setText(pick(level.name))
        self.level_summary.setText(pick(level.summary))
        while self.details.count():
            item = self.details.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.hide()  # out of sight now; deleted when the event loop next runs
                widget.deleteLater()
        self._section(tr("gui.suggestion.reasons"),
                      [f"{f.minimum_level}: {pick(f.because)}" for f in suggestion.fired]
                      or [tr("gui.suggestion.no_rule")])
        if suggestion.why_not_lower and level.order > 0:
            lower = self.content.levels[level.order - 1]
            self._section(tr("gui.suggestion.why_not_lower", lower=lower.code),
                          [tr("gui.suggestion.blocked_by", rule=f.rule_id, level=f.minimum_level)
                           for f in suggestion.why_not_lower])
        if suggestion.missing:
            self._section(tr("gui.suggestion.missing"),
                          [tr("gui.suggestion.missing_item", fact=self.content.fact_label(m.fact),
                              level=m.could_raise_to) for m in suggestion.missing],
                          name="warning")
        self.footer.setText(tr("gui.suggestion.ruleset", version=suggestion.ruleset_version,
                               hash=suggestion.ruleset_hash[:8]))

    def _section(self, title: str, lines: list[str], name: str = "") -> None:
        self.details.addSpacing(10)
        self.details.addWidget(styled_label(title, "sectionTitle"))
        for line in lines:
            self.details.addWidget(styled_label(f"• {line}", name))
