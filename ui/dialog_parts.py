"""Pieces every TSBplace dialog shares: the primary action with Cancel beside it, and the
heading and muted introduction over the form."""

from __future__ import annotations

from collections.abc import Callable

from tsbplace.i18n import tr
from tsbplace.ui.qt import QDialogButtonBox, QLabel, QPushButton, QVBoxLayout


def action_buttons(text: str, on_accept: Callable[[], object],
                   on_reject: Callable[[], object]) -> tuple[QDialogButtonBox, QPushButton]:
    """The button row: ``text`` as the default (Enter) action, and Cancel."""
    buttons = QDialogButtonBox()
    action = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(tr("gui.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    action.setDefault(True)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(on_reject)
    return buttons, action


def close_buttons(on_close: Callable[[], object]) -> QDialogButtonBox:
    """The button row of a dialog that only shows things: Close."""
    buttons = QDialogButtonBox()
    buttons.addButton(tr("gui.dialog.close"), QDialogButtonBox.ButtonRole.RejectRole)
    buttons.rejected.connect(on_close)
    return buttons


def dialog_layout(parent: object, intro: str, heading: str | None = None) -> QVBoxLayout:
    """The dialog's outer layout with its margins, an optional heading and the intro."""
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(20, 18, 20, 16)
    if heading is not None:
        title = QLabel(heading)
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
    text = QLabel(intro)
    text.setObjectName("muted")
    text.setWordWrap(True)
    layout.addWidget(text)
    return layout
