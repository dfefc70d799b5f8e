"""One intake domain as a form, built from the domain's content (no clinical logic here).

Each item becomes the plain widget for its type; the 0–4 rating shows every anchor
text beside its choice, so the clinician rates against written anchors, not memory.
"""

from __future__ import annotations

from typing import Any

from tsbplace.content.model import Domain, Item, ItemType
from tsbplace.i18n import pick, tr
from tsbplace.ui.qt import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

UNANSWERED = -1  # rating button id meaning "not rated yet"


class _Field:
    """Reads and writes one item's widget as a plain Python value (None = unanswered)."""

    def __init__(self, item: Item, widget: QWidget) -> None:
        self.item = item
        self.widget = widget

    def value(self) -> Any:
        w = self.widget
        match self.item.type:
            case ItemType.CHOICE | ItemType.YESNO:
                assert isinstance(w, QComboBox)
                return w.currentData()
            case ItemType.NUMBER:
                assert isinstance(w, QSpinBox)
                return None if w.value() == w.minimum() else w.value()
            case ItemType.TEXT:
                assert isinstance(w, QPlainTextEdit)
                return w.toPlainText().strip() or None

    def set_value(self, value: Any) -> None:
        w = self.widget
        match self.item.type:
            case ItemType.CHOICE | ItemType.YESNO:
                assert isinstance(w, QComboBox)
                w.setCurrentIndex(max(0, w.findData(value)) if value is not None else 0)
            case ItemType.NUMBER:
                assert isinstance(w, QSpinBox)
                w.setValue(w.minimum() if value is None else int(value))
            case ItemType.TEXT:
                assert isinstance(w, QPlainTextEdit)
                w.setPlainText(value or "")


def _widget_for(item: Item) -> QWidget:
    label = pick(item.label)
    widget: QWidget
    if item.type in (ItemType.CHOICE, ItemType.YESNO):
        combo = QComboBox()
        # Size to a short text, not the longest option, so the form never forces
        # sideways scrolling; the open list still shows every option in full.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        combo.addItem(tr("gui.domain.choose"), None)
        if item.type is ItemType.YESNO:
            combo.addItem(tr("gui.yes"), True)
            combo.addItem(tr("gui.no"), False)
        for option in item.options:
            combo.addItem(pick(option.label), option.value)
        widget = combo
    elif item.type is ItemType.NUMBER:
        spin = QSpinBox()
        assert item.minimum is not None and item.maximum is not None and item.unit is not None
        # One below the minimum stands for "not answered" and shows as a dash.
        spin.setRange(int(item.minimum) - 1, int(item.maximum))
        spin.setSpecialValueText("—")
        spin.setSuffix(f" {pick(item.unit)}")
        spin.setValue(spin.minimum())
        widget = spin
    else:
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the form
        text.setFixedHeight(72)
        widget = text
    widget.setAccessibleName(label)
    if item.help:
        widget.setToolTip(pick(item.help))
    return widget


class DomainPage(QWidget):
    """Items and rating of one domain; emits ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, domain: Domain, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.domain = domain
        self.fields: dict[str, _Field] = {}

        title = QLabel(pick(domain.title))
        title.setObjectName("pageTitle")
        help_text = QLabel(pick(domain.help))
        help_text.setObjectName("muted")
        help_text.setWordWrap(True)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for item in domain.items:
            widget = _widget_for(item)
            self.fields[item.id] = _Field(item, widget)
            marker = " *" if item.required else ""
            form.addRow(pick(item.label) + marker, widget)
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self.changed)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self.changed)
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(self.changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(title)
        layout.addWidget(help_text)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(self._rating_box())
        required_note = QLabel(tr("gui.domain.required_note"))
        required_note.setObjectName("muted")
        layout.addWidget(required_note)
        layout.addStretch(1)

    def _rating_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("card")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(14, 12, 14, 12)
        heading = QLabel(pick(self.domain.rating_label) + " *")
        heading.setObjectName("sectionTitle")
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
        self.rating_group.idToggled.connect(lambda _id, on: on and self.changed.emit())
        return box

    def answers(self) -> dict[str, Any]:
        """The answers on screen; unanswered items are left out (unknown, not a default)."""
        values = {key: field.value() for key, field in self.fields.items()}
        rating = self.rating_group.checkedId()
        values["rating"] = None if rating == UNANSWERED else rating
        return {key: value for key, value in values.items() if value is not None}

    def set_answers(self, answers: dict[str, Any]) -> None:
        self.blockSignals(True)
        try:
            for key, field in self.fields.items():
                field.set_value(answers.get(key))
            rating = answers.get("rating")
            if rating is None:
                self.rating_group.setExclusive(False)
                for button in self.rating_group.buttons():
                    button.setChecked(False)
                self.rating_group.setExclusive(True)
            else:
                self.rating_group.button(int(rating)).setChecked(True)
        finally:
            self.blockSignals(False)
