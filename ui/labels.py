"""Labels in the product's named styles (``pageTitle``, ``muted``, ``sectionTitle`` …, see
:mod:`tsbplace.ui.style`), wrapping by default so no text is ever clipped."""

from __future__ import annotations

from tsbplace.ui.qt import QLabel


def styled_label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    return label
