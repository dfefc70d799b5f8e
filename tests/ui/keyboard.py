"""Typing like a person, letters outside ASCII included; moving by Tab and arrow keys; a
printer that only keeps what it was given.

QTest.keyClicks only knows ASCII and aborts the process on Ø or Ŋ, so other letters are
sent as key events carrying their text, which is what a keyboard layout or input
method delivers to the widget.
"""

from __future__ import annotations

from PySide6.QtTest import QTest

from tsbplace.ui.qt import QApplication, QComboBox, Qt, QWidget

CTRL = Qt.KeyboardModifier.ControlModifier


class StubPrinter:
    def __init__(self) -> None:
        self.printed: list[bytes] = []

    def print_pdf(self, parent: QWidget, pdf: bytes, title: str) -> bool:
        self.printed.append(pdf)
        return True


def focused(window: QWidget) -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def tab_to(qtbot, window: QWidget, target: QWidget, limit: int = 400) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until ``target`` has the focus (the keyboard's way to a field)."""
    for _ in range(limit):
        if focused(window) is target:
            return
        qtbot.keyClick(focused(window), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target!r}")


def choose(qtbot, combo: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Arrow down a focused combo box to the option ``text``."""
    for _ in range(combo.count() + 1):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"no option {text!r}")


def type_text(widget: QWidget, text: str) -> None:
    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Press, widget, Qt.Key.Key_unknown, char,
                               Qt.KeyboardModifier.NoModifier)
            QTest.sendKeyEvent(QTest.KeyAction.Release, widget, Qt.Key.Key_unknown, char,
                               Qt.KeyboardModifier.NoModifier)


def fill_referral_and_rus(qtbot, window: QWidget, page) -> None:  # type: ignore[no-untyped-def]
    """From the first domain, by keyboard only: the referral (Fastlege, the referrer, three
    contents ticked), then the rus domain (alcohol, earlier withdrawal seizures), saved."""
    qtbot.keyClick(focused(window), Qt.Key.Key_PageUp, CTRL)  # Ctrl+PgUp: Henvisning
    referral = page.referral_page
    tab_to(qtbot, window, referral.source)
    choose(qtbot, referral.source, "Fastlege")
    tab_to(qtbot, window, referral.referrer)
    type_text(referral.referrer, "Dr. Berg, Sentrum legekontor")
    for item in ("substances", "withdrawal", "housing"):
        tab_to(qtbot, window, referral.checks[item])
        qtbot.keyClick(referral.checks[item], Qt.Key.Key_Space)
    qtbot.keyClick(focused(window), Qt.Key.Key_PageDown, CTRL)
    rus = page.pages["rus"]
    main = rus.fields["main_substance"].widget
    tab_to(qtbot, window, main)
    assert isinstance(main, QComboBox)
    choose(qtbot, main, main.itemText(main.findData("alcohol")))
    seizures = rus.fields["withdrawal_complications"].widget
    tab_to(qtbot, window, seizures)
    assert isinstance(seizures, QComboBox)
    choose(qtbot, seizures, "Ja")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)  # saved at once (autosave would too)


def window_after_one_click(qtbot, workspace, printer: StubPrinter):  # type: ignore[no-untyped-def]
    """The real main window of ``workspace``, shown and active after the one mouse click
    the click-throughs allow; everything after it is keyboard."""
    from tsbplace.ui.main_window import MainWindow

    window = MainWindow(workspace.cases, user_name=workspace.me.display_name, accounts=workspace.accounts,
                        clinic=workspace.clinic, print_service=printer)
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.case_table.viewport(), Qt.MouseButton.LeftButton)  # the one click
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window
