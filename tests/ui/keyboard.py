"""Typing like a person, letters outside ASCII included.

QTest.keyClicks only knows ASCII and aborts the process on Ø or Ŋ, so other letters are
sent as key events carrying their text, which is what a keyboard layout or input
method delivers to the widget.
"""

from __future__ import annotations

from PySide6.QtTest import QTest

from tsbplace.ui.qt import Qt, QWidget


def type_text(widget: QWidget, text: str) -> None:
    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Press, widget, Qt.Key.Key_unknown, char,
                               Qt.KeyboardModifier.NoModifier)
            QTest.sendKeyEvent(QTest.KeyAction.Release, widget, Qt.Key.Key_unknown, char,
                               Qt.KeyboardModifier.NoModifier)
