"""One widget per answer type, read and written as the plain value the core takes.

``field_for(spec)`` builds the editor for an item or a substance field from the content
(no clinical logic here): a combo box for a choice or yes/no, a spin box for a number
(decimals when the content allows them), a text box, a date field, check boxes for
several choices. ``None`` always means unanswered; nothing is ever filled in by default.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from tsbplace.content.model import Item, ItemType, SubstanceField
from tsbplace.i18n import pick, tr
from tsbplace.ui.choices_field import ChoicesField
from tsbplace.ui.date_field import DateField
from tsbplace.ui.inputs import ComboBox, DecimalSpinBox, SpinBox
from tsbplace.ui.qt import QPlainTextEdit, QWidget

Spec = Item | SubstanceField
UNANSWERED = "—"  # what an empty number shows


class Field(ABC):
    """Reads and writes one answer's widget as a plain Python value (None = unanswered)."""

    widget: QWidget

    @abstractmethod
    def value(self) -> Any: ...

    @abstractmethod
    def set_value(self, value: Any) -> None: ...

    @abstractmethod
    def on_change(self, slot: Callable[[], object]) -> None:
        """Call ``slot`` after every edit."""


class ChoiceField(Field):
    """A choice or yes/no: "— Velg —" first, then the options (Ja/Nei for yes/no)."""

    def __init__(self, spec: Spec) -> None:
        self.widget = self.combo = ComboBox()
        self.combo.addItem(tr("gui.domain.choose"), None)
        if spec.type is ItemType.YESNO:
            self.combo.addItem(tr("gui.yes"), True)
            self.combo.addItem(tr("gui.no"), False)
        for option in spec.options:
            self.combo.addItem(pick(option.label), option.value)
        self.combo.fit_options()

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = 0 if value is None else self.combo.findData(value)
        self.combo.setCurrentIndex(max(0, index))

    def on_change(self, slot: Callable[[], object]) -> None:
        self.combo.currentIndexChanged.connect(slot)


class NumberField(Field):
    """Whole numbers, or decimals when the content says so; one step below the minimum
    stands for "not answered" and shows as a dash."""

    def __init__(self, spec: Spec) -> None:
        assert spec.minimum is not None and spec.maximum is not None
        self.spin: SpinBox | DecimalSpinBox
        if spec.decimals:
            self.spin = DecimalSpinBox()
            self.spin.setRange(spec.minimum - 1, spec.maximum)
        else:
            self.spin = SpinBox()
            self.spin.setRange(int(spec.minimum) - 1, int(spec.maximum))
        self.widget = self.spin
        self.spin.setSpecialValueText(UNANSWERED)
        if spec.unit is not None:
            self.spin.setSuffix(f" {pick(spec.unit)}")
        # Never narrower than its widest value with the unit: a squeezed form would cut
        # "12,5 alkoholenheter per dag" short (the page scrolls sideways instead).
        self.spin.setMinimumWidth(self.spin.sizeHint().width())
        self.set_value(None)

    def value(self) -> Any:
        if self.spin.value() == self.spin.minimum():
            return None
        if isinstance(self.spin, DecimalSpinBox):
            return round(self.spin.value(), self.spin.decimals())
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        if isinstance(self.spin, DecimalSpinBox):
            self.spin.setValue(self.spin.minimum() if value is None else float(value))
        else:
            self.spin.setValue(self.spin.minimum() if value is None else int(value))

    def on_change(self, slot: Callable[[], object]) -> None:
        self.spin.valueChanged.connect(slot)


class TextField(Field):
    def __init__(self, spec: Spec) -> None:
        self.widget = self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the form
        self.text.setFixedHeight(72)

    def value(self) -> Any:
        return self.text.toPlainText().strip() or None

    def set_value(self, value: Any) -> None:
        self.text.setPlainText(value or "")

    def on_change(self, slot: Callable[[], object]) -> None:
        self.text.textChanged.connect(slot)


class WidgetField(Field):
    """A widget of our own that already reads and writes plain values (date, choices)."""

    def __init__(self, widget: DateField | ChoicesField) -> None:
        self.widget = self.own = widget

    def value(self) -> Any:
        return self.own.value()

    def set_value(self, value: Any) -> None:
        self.own.set_value(value)

    def on_change(self, slot: Callable[[], object]) -> None:
        self.own.changed.connect(slot)


def field_for(spec: Spec, name: str | None = None) -> Field:
    """The editor for one item or substance field; ``name`` is what a screen reader says
    (default: the label)."""
    field: Field
    match spec.type:
        case ItemType.CHOICE | ItemType.YESNO:
            field = ChoiceField(spec)
        case ItemType.NUMBER:
            field = NumberField(spec)
        case ItemType.DATE:
            field = WidgetField(DateField(spec))
        case ItemType.CHOICES:
            field = WidgetField(ChoicesField(spec.options, columns=4 if len(spec.options) > 4 else 2))
        case ItemType.TEXT:
            field = TextField(spec)
        case ItemType.SUBSTANCES:
            raise ValueError("a substances item has its own editor (SubstancesEditor)")
    field.widget.setAccessibleName(name or pick(spec.label))
    if spec.help:
        field.widget.setToolTip(pick(spec.help))
    return field
