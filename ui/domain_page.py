"""One intake domain as a form, built from the domain's content (no clinical logic here).

The items first, each as the plain widget for its type (the substances item as its own
editor across the full width); then the domain's standardised instruments, folded; last
the 0–4 rating with every anchor text beside its choice, so the clinician rates against
written anchors, not memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tsbplace.content.model import Domain, Item, ItemType
from tsbplace.i18n import pick, tr
from tsbplace.instruments import Instrument, InstrumentResult
from tsbplace.ui.field_editors import Field, field_for
from tsbplace.ui.instrument_section import InstrumentSection
from tsbplace.ui.labels import styled_label
from tsbplace.ui.qt import (
    QButtonGroup,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tsbplace.ui.substances_editor import SubstancesField

UNANSWERED = -1  # rating button id meaning "not rated yet"
InstrumentAnswers = dict[str, dict[str, int]]


class DomainPage(QWidget):
    """Items, instruments and rating of one domain; emits ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, domain: Domain, instruments: Sequence[Instrument] = (),
                 band_sets: Mapping[str, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.domain = domain
        self.fields: dict[str, Field] = {}
        self.instruments: dict[str, InstrumentSection] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(styled_label(pick(domain.title), "pageTitle"))
        layout.addWidget(styled_label(pick(domain.help), "muted"))
        layout.addSpacing(8)
        layout.addLayout(self._item_form())
        if instruments:
            layout.addSpacing(12)
            layout.addWidget(self._instrument_box(instruments, band_sets or {}))
        layout.addSpacing(12)
        layout.addWidget(self._rating_box())
        layout.addWidget(styled_label(tr("gui.domain.required_note"), "muted"))
        layout.addStretch(1)

    def _item_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for item in self.domain.items:
            field = self._field(item)
            self.fields[item.id] = field
            field.on_change(self._emit_changed)
            label = pick(item.label) + (" *" if item.required else "")
            if item.type is ItemType.SUBSTANCES:
                form.addRow(self._block_heading(item, label))
                form.addRow(field.widget)
            else:
                form.addRow(label, field.widget)
        return form

    @staticmethod
    def _field(item: Item) -> Field:
        if item.block is not None:
            field: Field = SubstancesField(item.block)
            field.widget.setAccessibleName(pick(item.label))
            return field
        return field_for(item)

    @staticmethod
    def _block_heading(item: Item, label: str) -> QWidget:
        heading = QWidget()
        layout = QVBoxLayout(heading)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(styled_label(label, "sectionTitle"))
        if item.help:
            layout.addWidget(styled_label(pick(item.help), "muted"))
        return heading

    def _instrument_box(self, instruments: Sequence[Instrument],
                        band_sets: Mapping[str, str]) -> QFrame:
        box = QFrame()
        box.setObjectName("instruments")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(styled_label(tr("gui.instrument.heading"), "sectionTitle"))
        layout.addWidget(styled_label(tr("gui.instrument.intro"), "muted"))
        layout.addSpacing(6)
        for instrument in instruments:
            section = InstrumentSection(instrument, band_sets.get(instrument.id))
            section.changed.connect(self.changed)
            layout.addWidget(section)
            self.instruments[instrument.id] = section
        width = max(section.header.sizeHint().width() for section in self.instruments.values())
        for section in self.instruments.values():
            section.align_title(width)
        return box

    def _rating_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("card")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(14, 12, 14, 12)
        heading = QLabel(pick(self.domain.rating_label) + " *")
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.rating_group = QButtonGroup(self)
        self.rating_group.setExclusive(True)
        for anchor in self.domain.anchors:
            row = QHBoxLayout()
            button = QRadioButton(str(anchor.value))
            text = pick(anchor.text)
            button.setAccessibleName(tr("gui.domain.rating_accessible", value=anchor.value,
                                        text=text))
            label = QLabel(text)
            label.setWordWrap(True)
            label.setBuddy(button)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(label, 1)
            layout.addLayout(row)
            self.rating_group.addButton(button, anchor.value)
        self.rating_group.idToggled.connect(self._on_rating)
        return box

    def _emit_changed(self) -> None:
        self.changed.emit()

    def _on_rating(self, _id: int, on: bool) -> None:
        if on:
            self.changed.emit()

    def first_input(self) -> QWidget | None:
        first = next(iter(self.fields.values()), None)
        return None if first is None else first.widget

    def answers(self) -> dict[str, Any]:
        """The answers on screen; unanswered items are left out (unknown, not a default)."""
        values = {key: field.value() for key, field in self.fields.items()}
        rating = self.rating_group.checkedId()
        values["rating"] = None if rating == UNANSWERED else rating
        return {key: value for key, value in values.items() if value is not None}

    def set_answers(self, answers: Mapping[str, Any]) -> None:
        self.blockSignals(True)
        try:
            for key, field in self.fields.items():
                field.set_value(answers.get(key))
            self._set_rating(answers.get("rating"))
        finally:
            self.blockSignals(False)

    def _set_rating(self, rating: object) -> None:
        if isinstance(rating, int) and self.rating_group.button(rating) is not None:
            self.rating_group.button(rating).setChecked(True)
            return
        self.rating_group.setExclusive(False)
        for button in self.rating_group.buttons():
            button.setChecked(False)
        self.rating_group.setExclusive(True)

    def instrument_answers(self) -> InstrumentAnswers:
        """``{instrument id: {item id: value}}`` for the instruments with any answer."""
        return {key: answers for key, section in self.instruments.items()
                if (answers := section.answers())}

    def set_instrument_answers(self, answers: Mapping[str, Mapping[str, object]]) -> None:
        self.blockSignals(True)
        try:
            for key, section in self.instruments.items():
                section.set_answers(answers.get(key, {}))
        finally:
            self.blockSignals(False)

    def show_instrument_results(self, results: Mapping[str, InstrumentResult]) -> None:
        for key, section in self.instruments.items():
            section.show_result(results.get(key))
