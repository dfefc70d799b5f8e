"""The live suggestion beside the form: the level, where the clinic offers it (its own
services, when it has listed any), the separate outputs and flags under it, then the
reasons, why not lower, each domain's minimum and what is missing.

Everything below the title scrolls, so a long explanation is never cut off; the rule-set
line stays at the bottom.
"""

from __future__ import annotations

from collections.abc import Iterable

from tsbplace.content.model import Content
from tsbplace.engine import FiredRule, MissingFact, OutputResult, RaisedFlag, Suggestion
from tsbplace.i18n import pick, tr
from tsbplace.legal.model import LegalOutputs, PriorityResult
from tsbplace.local_services import LocalService, local_options
from tsbplace.ui.labels import styled_label
from tsbplace.ui.qt import QFrame, QGridLayout, QScrollArea, Qt, QVBoxLayout, QWidget


class SuggestionPanel(QFrame):
    def __init__(self, content: Content, local_services: Iterable[LocalService] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.local_services = tuple(local_services)  # the clinic's own services (Innstillinger)
        self.setObjectName("card")
        self.setMinimumWidth(280)
        self.setMaximumWidth(380)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 8, 14)
        self.level_code = styled_label("", "levelCode", wrap=False)
        self.level_name = styled_label("", "levelName")
        self.level_summary = styled_label("", "muted")
        self.local_line = styled_label("", "")  # where the level is offered here
        self.local_warning = styled_label("", "warning")  # or that it is not
        self.local_line.hide()
        self.local_warning.hide()
        self.details = QVBoxLayout()
        self.details.setSpacing(4)
        self.footer = styled_label("", "muted")
        layout.addWidget(styled_label(tr("gui.suggestion.title"), "sectionTitle"))
        layout.addWidget(self._scrolling_body(), 1)
        layout.addWidget(self.footer)

    def _scrolling_body(self) -> QScrollArea:
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 8, 0)
        column.addWidget(self.level_code)
        column.addWidget(self.level_name)
        column.addWidget(self.level_summary)
        column.addWidget(self.local_line)
        column.addWidget(self.local_warning)
        column.addLayout(self.details)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        body.setAutoFillBackground(False)  # the card's white shows through
        scroll.viewport().setAutoFillBackground(False)
        return scroll

    def show_suggestion(self, suggestion: Suggestion, deadlines: LegalOutputs | None = None) -> None:
        level = self.content.level(suggestion.level)
        self.level_code.setText(level.code)
        self.level_name.setText(pick(level.name))
        self.level_summary.setText(pick(level.summary))
        self._local(level.code)
        self._clear_details()
        self._outputs(suggestion.outputs, suggestion.fired)
        if deadlines is not None:
            self._deadlines(deadlines)
        self._flags(suggestion.flags)
        self._section(tr("gui.suggestion.reasons"),
                      [tr("gui.suggestion.reason", effects=self._effects(f), because=pick(f.because))
                       for f in suggestion.fired] or [tr("gui.suggestion.no_rule")])
        if suggestion.why_not_lower and level.order > 0:
            lower = self.content.levels[level.order - 1]
            self._section(tr("gui.suggestion.why_not_lower", lower=lower.code),
                          [tr("gui.suggestion.blocked_by", rule=f.rule_id, level=f.minimum_level)
                           for f in suggestion.why_not_lower])
        if suggestion.domain_minimums:
            self._section(tr("gui.suggestion.domain_minimums"),
                          [tr("gui.suggestion.domain_minimum", level=m.level,
                              domain=pick(self.content.domain(m.domain).title))
                           for m in suggestion.domain_minimums], name="muted")
        self._missing(suggestion.missing)
        self.footer.setText(tr("gui.suggestion.ruleset", version=suggestion.ruleset_version,
                               hash=suggestion.ruleset_hash[:8]))

    def _local(self, level: str) -> None:
        """'Lokalt: …' in plain text, or in the warning colour that the level is not offered
        here, with the nearest higher local option (never a lower one) and a referral
        elsewhere to consider. Nothing for a clinic that has listed no services, nor for
        the baseline level (municipal follow-up) when no service is listed there."""
        options = local_options(self.content, self.local_services, level)
        self.local_line.setVisible(options.applies and options.available)
        self.local_warning.setVisible(options.applies and not options.available)
        if not options.applies:
            return
        if options.available:
            self.local_line.setText(tr("gui.local.available",
                                       services=", ".join(s.name for s in options.services)))
            self.local_line.setToolTip("\n".join(f"{s.name}: {s.note}" for s in options.services if s.note))
            return
        parts = [tr("gui.local.unavailable")]
        if options.nearest_level is not None:
            parts.append(tr("gui.local.nearest", level=options.nearest_level,
                            services=", ".join(s.name for s in options.nearest)))
        parts.append(tr("gui.local.refer"))
        self.local_warning.setText(" ".join(parts))

    def _clear_details(self) -> None:
        while self.details.count():
            item = self.details.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.hide()  # out of sight now; deleted when the event loop next runs
                widget.deleteLater()

    def _outputs(self, outputs: tuple[OutputResult, ...], fired: tuple[FiredRule, ...]) -> None:
        """One row per output, label and value; a value no rule set (a default) is muted, and
        the value's tooltip gives the reasons behind it."""
        if not outputs:
            return
        because = {f.rule_id: pick(f.because) for f in fired}
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        for row, output in enumerate(outputs):
            text = pick(output.value_label) if output.value_label else tr("gui.suggestion.output_unset")
            value = styled_label(text, "muted" if output.is_default else "")
            value.setToolTip("\n".join(because[rule_id] for rule_id in output.rule_ids if rule_id in because))
            label = styled_label(pick(output.label), "muted")
            for cell in (label, value):
                cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
        self.details.addSpacing(10)
        self.details.addWidget(grid_widget)

    def _flags(self, flags: tuple[RaisedFlag, ...]) -> None:
        """Each flag's name in the warning colour, its suggested action under it in plain text."""
        if not flags:
            return
        self._section(tr("gui.suggestion.flags"), [])
        for flag in flags:
            self.details.addWidget(styled_label(tr("gui.suggestion.flag", label=pick(flag.label)), "warning"))
            action = styled_label(pick(flag.action))
            action.setIndent(14)
            self.details.addWidget(action)
            self.details.addSpacing(2)

    def _effects(self, rule: FiredRule) -> str:
        """'D3M · Avrusning: I døgnenhet · ⚠ Overdosefare': what one fired rule led to."""
        parts = [rule.minimum_level] if rule.minimum_level else []
        if rule.sets is not None:
            output = self.content.output(rule.sets.output)
            parts.append(f"{pick(output.label)}: {pick(output.value_label(rule.sets.value))}")
        parts += [tr("gui.suggestion.effect_flag", flag=pick(self.content.flag(f).label)) for f in rule.flags]
        return " · ".join(parts)

    def _missing(self, missing: tuple[MissingFact, ...]) -> None:
        """Facts that could raise the level, one line each; the rest, which could change only
        an output or a flag, in one muted line each after them."""
        if not missing:
            return
        lines = []
        names = []
        for fact in missing:
            label = self.content.fact_label(fact.fact)
            if fact.could_raise_to is not None:
                lines.append(tr("gui.suggestion.missing_item", fact=label, level=fact.could_raise_to))
            else:
                names.append(tr("gui.suggestion.missing_other", fact=label, what=self._changes(fact)))
        self._section(tr("gui.suggestion.missing"), lines, name="warning")
        for line in names:
            self.details.addWidget(styled_label(f"• {line}", "muted"))

    def _changes(self, fact: MissingFact) -> str:
        changed = [pick(self.content.output(output_id).label) for output_id, _ in fact.outputs]
        changed += [tr("gui.suggestion.effect_flag", flag=pick(self.content.flag(f).label))
                    for f in fact.flags]
        return ", ".join(changed)

    def _deadlines(self, legal: LegalOutputs) -> None:
        """Dates first, each with how it was computed in its tooltip; then right and frist."""
        self.details.addSpacing(10)
        self.details.addWidget(styled_label(tr("gui.deadlines.title"), "sectionTitle"))
        for dated in (legal.assessment, legal.latest_start):
            if dated is None:
                continue
            line = tr("gui.deadlines.dated", label=pick(dated.label),
                      date=dated.date.strftime("%d.%m.%Y"))
            label = styled_label(line + (" " + tr("gui.deadlines.verify") if dated.verify else ""))
            label.setToolTip(pick(dated.how))
            self.details.addWidget(label)
        priority = legal.priority
        label = styled_label(self._priority_text(priority), "muted")
        label.setToolTip(pick(priority.how))
        self.details.addWidget(label)

    @staticmethod
    def _priority_text(priority: PriorityResult) -> str:
        if priority.name is None:
            return tr("gui.deadlines.no_condition")
        if not priority.filled or priority.right is None:
            return tr("gui.deadlines.not_filled", name=pick(priority.name))
        right = tr("gui.deadlines.right_yes") if priority.right else tr("gui.deadlines.right_no")
        text = tr("gui.deadlines.priority", name=pick(priority.name), right=right)
        if priority.frist_weeks is not None:
            text += " " + tr("gui.deadlines.frist", weeks=priority.frist_weeks)
        return text

    def _section(self, title: str, lines: list[str], name: str = "") -> None:
        self.details.addSpacing(10)
        self.details.addWidget(styled_label(title, "sectionTitle"))
        for line in lines:
            self.details.addWidget(styled_label(f"• {line}", name))
