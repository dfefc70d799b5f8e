"""The quiet style stays readable: text colours meet WCAG AA contrast (4.5:1) on the
backgrounds they are drawn on, disabled (signed, read-only) text included."""

from __future__ import annotations

import pytest

from tsbplace.ui.qt import QApplication, QColor, QPalette
from tsbplace.ui.style import MUTED, PANEL, PROBLEM, SURFACE, WARNING, apply_style

AA = 4.5


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_known_values() -> None:
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("ink", [MUTED, WARNING, PROBLEM])
@pytest.mark.parametrize("background", [PANEL, SURFACE])
def test_named_text_colours_are_readable(ink: str, background: str) -> None:
    assert contrast(QColor(ink), QColor(background)) >= AA


@pytest.mark.parametrize("role", [QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                                  QPalette.ColorRole.ButtonText])
def test_disabled_text_of_a_signed_version_is_readable(qapp: QApplication, role: QPalette.ColorRole) -> None:
    previous = qapp.palette(), qapp.styleSheet()
    try:
        apply_style(qapp)
        palette = qapp.palette()
        disabled = palette.color(QPalette.ColorGroup.Disabled, role)
        for background in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
            assert contrast(disabled, palette.color(QPalette.ColorGroup.Disabled, background)) >= AA
    finally:
        qapp.setPalette(previous[0])
        qapp.setStyleSheet(previous[1])
