"""The dashboard's charts draw what they are given, write every value as text and say it
all again in their tooltip (the text a screen reader reads)."""

from __future__ import annotations

from tsbplace.ui.charts import BarChart, MatrixTable, TrendChart, number_text
from tsbplace.ui.qt import QColor
from tsbplace.ui.style import PANEL


def drawn(widget) -> bool:  # type: ignore[no-untyped-def]
    """Whether the widget painted anything but its background."""
    image = widget.grab().toImage()
    background = QColor(PANEL).rgb()
    return any(image.pixel(x, y) != background
               for x in range(0, image.width(), 3) for y in range(0, image.height(), 3))


def test_numbers_are_written_plainly() -> None:
    assert number_text(3.0) == "3"
    assert number_text(2.5) == "2,5"
    assert number_text(None) == "–"


def test_a_bar_chart_draws_its_bars_and_says_each_value(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = BarChart("Foreslått nivå", "Ingen saker")
    qtbot.addWidget(chart)
    chart.set_data(["P1", "P1M", "D3"], [3, 0, 1])
    chart.resize(chart.sizeHint())
    assert drawn(chart)
    assert chart.accessibleName() == "Foreslått nivå"
    assert chart.toolTip() == "Foreslått nivå:\nP1: 3\nP1M: 0\nD3: 1"
    assert chart.accessibleDescription() == chart.toolTip()


def test_a_bar_chart_takes_its_own_value_texts_and_scale(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = BarChart("Frist")
    qtbot.addWidget(chart)
    chart.set_data(["11.2026"], [75], ["75 % (3 av 4)"], maximum=100)
    assert chart.toolTip().endswith("11.2026: 75 % (3 av 4)")


def test_an_empty_chart_says_so(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = BarChart("Begrunnelser", "Ingen")
    qtbot.addWidget(chart)
    chart.resize(300, 80)
    assert drawn(chart)  # the text "Ingen"
    assert chart.toolTip() == "Begrunnelser: Ingen"


def test_the_trend_names_every_month_and_series(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = TrendChart("Per måned", "Ingen saker")
    qtbot.addWidget(chart)
    chart.set_data(["10.2026", "11.2026"], [("Mottatt", [4, 6]), ("Vurdert", [3, 5])])
    chart.resize(chart.sizeHint())
    assert drawn(chart)
    assert chart.toolTip() == "Per måned:\n10.2026: Mottatt 4, Vurdert 3\n11.2026: Mottatt 6, Vurdert 5"


def test_charts_size_themselves_from_the_font(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = BarChart("Nivå")
    qtbot.addWidget(chart)
    chart.set_data(["A", "B"], [1, 2])
    small = chart.sizeHint()
    font = chart.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    chart.setFont(font)
    assert chart.sizeHint().height() > small.height() * 1.5


def test_the_matrix_writes_each_count_and_tints_by_size(qtbot) -> None:  # type: ignore[no-untyped-def]
    table = MatrixTable("Foreslått mot valgt", "foreslått", "valgt")
    qtbot.addWidget(table)
    table.set_data(["P1", "D3"], {("P1", "P1"): 4, ("D3", "P1"): 1})
    assert table.item(0, 0).text() == "4"
    assert table.item(1, 0).text() == "1"
    assert table.item(0, 1).text() == "·"
    assert table.item(0, 0).font().bold()  # the suggestion followed
    assert table.item(0, 0).background().color().alpha() > table.item(1, 0).background().color().alpha()
    assert table.item(1, 0).toolTip() == "foreslått D3, valgt P1: 1"
    assert "D3 → P1: 1" in table.toolTip()
