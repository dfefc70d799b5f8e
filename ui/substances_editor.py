"""The substances item: one line per substance with "used" (— / Ja / Nei) and, below it
when used, that substance's own questions, all as declared in the content.

A question that applies only given another answer (injection sites only when the route
includes injecting) is shown only then, as ``SubstanceField.relevant`` says. The answer
has the shape the core takes: ``{"alcohol": {"used": true, "units_per_day": 12.5},
"opioids": {"used": false}}``; unanswered questions and hidden details are left out,
never filled with defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tsbplace.content.model import USED, Substance, SubstanceBlock, SubstanceField
from tsbplace.i18n import pick, tr
from tsbplace.ui.field_editors import Field, field_for
from tsbplace.ui.qt import QFormLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget, Signal

REQUIRED_MARK = " *"
COLUMN_SPACING = 16
NAME_WIDTH_LIMIT = 24  # characters; a longer substance name wraps onto two lines


def _label(field: SubstanceField) -> str:
    return pick(field.label) + (REQUIRED_MARK if field.required else "")


class SubstanceEntry(QWidget):
    """One substance: its name and "used" on one line, its own questions below when used."""

    def __init__(self, substance: Substance, changed: Callable[[], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.substance = substance
        name = pick(substance.label)
        self.name = QLabel(name)
        self.name.setObjectName("substanceName")
        self.name.setWordWrap(True)
        self.used = field_for(substance.field(USED), f"{name}: {pick(substance.field(USED).label)}")
        self.name.setBuddy(self.used.widget)
        self.details = QFrame()
        self.details.setObjectName("substanceDetails")
        self.form = QFormLayout(self.details)
        self.form.setContentsMargins(12, 2, 0, 6)
        self.form.setVerticalSpacing(6)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, Field] = {}
        for spec in substance.fields:
            if spec.id == USED:
                continue
            field = field_for(spec, f"{name}: {pick(spec.label)}")
            self.form.addRow(_label(spec), field.widget)
            field.on_change(self.refresh)
            field.on_change(changed)
            self.fields[spec.id] = field
        self.used.on_change(self.refresh)
        self.used.on_change(changed)

        line = QHBoxLayout()
        line.setSpacing(COLUMN_SPACING)
        line.addWidget(self.name)
        line.addWidget(self.used.widget)
        line.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(line)
        layout.addWidget(self.details)
        self.refresh()

    def labels(self) -> list[QWidget]:
        return [label for field in self.fields.values()
                if (label := self.form.labelForField(field.widget)) is not None]

    def _given(self) -> dict[str, Any]:
        return {key: field.value() for key, field in self.fields.items()}

    def refresh(self) -> None:
        """Show the details only for a used substance, and each question only when it applies."""
        self.details.setVisible(self.used.value() is True)
        given = self._given()
        for key, field in self.fields.items():
            relevant = self.substance.field(key).relevant(given) is True
            self.form.setRowVisible(field.widget, relevant)

    def value(self) -> dict[str, Any] | None:
        used = self.used.value()
        if used is None:
            return None
        if used is not True:
            return {USED: used}
        given = self._given()
        details = {key: value for key, value in given.items()
                   if value is not None and self.substance.field(key).relevant(given) is True}
        return {USED: True} | details

    def set_value(self, value: Any) -> None:
        given = value if isinstance(value, dict) else {}
        self.used.set_value(given.get(USED))
        for key, field in self.fields.items():
            field.set_value(given.get(key))
        self.refresh()


class SubstancesEditor(QWidget):
    changed = Signal()

    def __init__(self, block: SubstanceBlock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: dict[str, SubstanceEntry] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        headings: list[QWidget] = [QLabel(tr("gui.substances.substance"))]
        if block.substances:
            headings.append(QLabel(_label(block.substances[0].field(USED))))
        heading_line = QHBoxLayout()
        heading_line.setSpacing(COLUMN_SPACING)
        for heading in headings:
            heading.setObjectName("columnTitle")
            heading_line.addWidget(heading)
        heading_line.addStretch(1)
        layout.addLayout(heading_line)
        for substance in block.substances:
            entry = SubstanceEntry(substance, lambda: self.changed.emit())
            layout.addWidget(entry)
            self.entries[substance.id] = entry
        self._align(headings[0])

    def _align(self, heading: QWidget) -> None:
        """One width for the names and one for the question labels, so the answers line up
        down the block (a long name wraps)."""
        names: list[QWidget] = [heading, *(entry.name for entry in self.entries.values())]
        name_width = min(NAME_WIDTH_LIMIT * self.fontMetrics().averageCharWidth(),
                         max(label.sizeHint().width() for label in names))
        for label in names:
            label.setFixedWidth(name_width)
        labels = [label for entry in self.entries.values() for label in entry.labels()]
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    def value(self) -> dict[str, dict[str, Any]] | None:
        answer = {key: value for key, entry in self.entries.items()
                  if (value := entry.value()) is not None}
        return answer or None

    def set_value(self, value: Any) -> None:
        given = value if isinstance(value, dict) else {}
        for key, entry in self.entries.items():
            entry.set_value(given.get(key))


class SubstancesField(Field):
    def __init__(self, block: SubstanceBlock) -> None:
        self.widget = self.editor = SubstancesEditor(block)

    def value(self) -> Any:
        return self.editor.value()

    def set_value(self, value: Any) -> None:
        self.editor.set_value(value)

    def on_change(self, slot: Callable[[], object]) -> None:
        self.editor.changed.connect(slot)
