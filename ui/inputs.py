"""Input widgets that suit a long, scrolling form.

A turn of the mouse wheel over a field the clinician is not working in scrolls the page;
it never changes an answer by accident. Numbers are written the way the language writes
them (a decimal comma in bokmål), without trailing zeros.
"""

from __future__ import annotations

from tsbplace.i18n import current_language
from tsbplace.ui.qt import QComboBox, QDoubleSpinBox, QLocale, QSpinBox, Qt, QWheelEvent, QWidget

DECIMAL_PLACES = 2  # enough for 0,25 g per day; the core accepts any float in range
COMBO_MIN_CHARS = 14  # a combo box is never narrower than this many characters
COMBO_MAX_CHARS = 60  # nor wider, so the form still fits beside the suggestion panel


def number_locale() -> QLocale:
    """How numbers are written in the current language (decimal comma in bokmål)."""
    if current_language() == "nb":
        locale = QLocale(QLocale.Language.NorwegianBokmal, QLocale.Country.Norway)
    else:
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)  # 1000, not 1 000
    return locale


def _wheel_only_with_focus(widget: QWidget) -> None:
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class ComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _wheel_only_with_focus(self)
        # Sized by fit_options(), within limits, so the form never forces sideways
        # scrolling; the open list always shows every option in full.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(COMBO_MIN_CHARS)

    def fit_options(self) -> None:
        """Wide enough for the longest option (within limits): a chosen answer is read in
        full, and a form row with a long option puts the box under its label instead."""
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(self.itemText(index))
                       for index in range(self.count())), default=0)
        frame = self.minimumSizeHint().width() - metrics.horizontalAdvance("x" * COMBO_MIN_CHARS)
        limit = metrics.averageCharWidth() * COMBO_MAX_CHARS
        self.setMinimumWidth(max(self.minimumSizeHint().width(), min(longest, limit) + frame))

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the scroll area beneath scrolls the page


class SpinBox(QSpinBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _wheel_only_with_focus(self)
        self.setLocale(number_locale())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class DecimalSpinBox(QDoubleSpinBox):
    """A decimal number shown as short as it is: 12,5 rather than 12,50."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _wheel_only_with_focus(self)
        self.setLocale(number_locale())
        self.setDecimals(DECIMAL_PLACES)

    def textFromValue(self, value: float) -> str:
        text = self.locale().toString(value, "f", self.decimals())
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return text

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
