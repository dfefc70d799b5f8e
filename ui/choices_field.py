"""Several options at once (a route, injection sites): one check box per option.

Nothing ticked means unanswered (``None``), never an empty list. Ticked options come
back in the content's own order, so the same answer always looks the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from tsbplace.content.model import Option
from tsbplace.i18n import pick
from tsbplace.ui.qt import QCheckBox, QGridLayout, QWidget, Signal


class ChoicesField(QWidget):
    changed = Signal()

    def __init__(self, options: Sequence[Option], columns: int = 3,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(16)
        layout.setVerticalSpacing(4)
        for index, option in enumerate(options):
            box = QCheckBox(pick(option.label))
            box.toggled.connect(self.changed)
            layout.addWidget(box, index // columns, index % columns)
            self.boxes[option.value] = box
        layout.setColumnStretch(columns, 1)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        for box in self.boxes.values():
            box.setAccessibleName(f"{name}: {box.text()}")

    def value(self) -> list[str] | None:
        chosen = [value for value, box in self.boxes.items() if box.isChecked()]
        return chosen or None

    def set_value(self, value: object) -> None:
        chosen = set(value) if isinstance(value, list | tuple) else set()
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)
