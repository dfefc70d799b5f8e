"""Small, calm charts for the quality dashboard, drawn with QPainter.

Every chart takes plain lists (labels and numbers, never core types), writes each value
as text beside its bar so nothing is read from colour alone, takes its sizes from the
widget's font (large-text settings work) and carries an accessible name and a text
summary in its tooltip for screen readers and for reading the exact numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from tsbplace.ui.qt import (
    QAbstractItemView,
    QColor,
    QHeaderView,
    QPainter,
    QPalette,
    QRect,
    QSize,
    QSizePolicy,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from tsbplace.ui.style import ACCENT, BORDER, INK, MUTED, PANEL

SERIES_COLOURS = (ACCENT, "#8fb3cc", "#7b8794")  # one muted hue, a lighter one, a grey


def number_text(value: float | None) -> str:
    """A value as the dashboard writes it: whole numbers plain, others with one decimal."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


class _Chart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setAccessibleName(title)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(PANEL))
        self.setPalette(palette)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def summary(self) -> str:  # pragma: no cover - every chart overrides it
        raise NotImplementedError

    def _refresh(self) -> None:
        text = self.summary()
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self.updateGeometry()
        self.update()

    def _line(self) -> int:
        return self.fontMetrics().height()

    def _empty(self, painter: QPainter, text: str) -> None:
        painter.setPen(QColor(MUTED))
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), text)


class BarChart(_Chart):
    """Horizontal bars: a label on the left, the bar, and the value text after it.

    ``texts`` replaces the written value of a bar (for example "83 % (5 av 6)");
    ``maximum`` fixes the scale (100 for percentages), else the largest value fills it."""

    def __init__(self, title: str, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.empty_text = empty_text
        self.labels: list[str] = []
        self.values: list[float] = []
        self.texts: list[str] = []
        self.maximum: float | None = None
        self._refresh()

    def set_data(self, labels: Sequence[str], values: Sequence[float | None],
                 texts: Sequence[str] | None = None, maximum: float | None = None) -> None:
        self.labels = [str(label) for label in labels]
        self.values = [float(value or 0) for value in values]
        self.texts = list(texts) if texts is not None else [number_text(value) for value in values]
        self.maximum = maximum
        self._refresh()

    def summary(self) -> str:
        if not self.labels:
            return f"{self.title}: {self.empty_text}" if self.empty_text else self.title
        lines = (f"{label}: {text}" for label, text in zip(self.labels, self.texts, strict=True))
        return "\n".join([f"{self.title}:", *lines])

    def _row_height(self) -> int:
        return int(self._line() * 1.7)

    def sizeHint(self) -> QSize:
        rows = max(len(self.labels), 2)
        return QSize(self._line() * 24, rows * self._row_height() + self._line())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._line() * 14, self.sizeHint().height())

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.labels:
            self._empty(painter, self.empty_text)
            return
        metrics = self.fontMetrics()
        pad = self._line() // 2
        label_width = min(max(metrics.horizontalAdvance(label) for label in self.labels) + 2 * pad,
                          self.width() // 2)
        text_width = max(metrics.horizontalAdvance(text) for text in self.texts) + pad
        bar_room = max(self.width() - label_width - text_width - 2 * pad, 10)
        top = max([*self.values, self.maximum or 0])
        row = self._row_height()
        bar_height = int(row * 0.55)
        for index, (label, value, text) in enumerate(zip(self.labels, self.values, self.texts, strict=True)):
            y = pad // 2 + index * row
            painter.setPen(QColor(INK))
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - pad)
            painter.drawText(QRect(pad, y, label_width - pad, row),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), shown)
            x = pad + label_width
            width = int(bar_room * value / top) if top > 0 else 0
            bar = QRect(x, y + (row - bar_height) // 2, max(width, 1 if value else 0), bar_height)
            painter.fillRect(QRect(x, bar.y(), bar_room, bar_height), QColor("#eef2f6"))
            painter.fillRect(bar, QColor(ACCENT))
            painter.setPen(QColor(INK))
            painter.drawText(QRect(x + max(width, 0) + pad // 2, y, text_width + pad, row),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)


class TrendChart(_Chart):
    """Vertical bars per month, one bar per series side by side, each value written above
    its bar, the month beneath and a legend on top."""

    def __init__(self, title: str, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.empty_text = empty_text
        self.months: list[str] = []
        self.series: list[tuple[str, list[float]]] = []
        self._refresh()

    def set_data(self, months: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> None:
        self.months = [str(month) for month in months]
        self.series = [(name, [float(value or 0) for value in values]) for name, values in series]
        self._refresh()

    def summary(self) -> str:
        if not self.months:
            return f"{self.title}: {self.empty_text}" if self.empty_text else self.title
        lines = [f"{self.title}:"]
        for index, month in enumerate(self.months):
            parts = [f"{name} {number_text(values[index])}" for name, values in self.series]
            lines.append(f"{month}: " + ", ".join(parts))
        return "\n".join(lines)

    def sizeHint(self) -> QSize:
        return QSize(self._line() * 30, self._line() * 13)

    def minimumSizeHint(self) -> QSize:
        return QSize(self._line() * 16, self._line() * 10)

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.months:
            self._empty(painter, self.empty_text)
            return
        metrics = self.fontMetrics()
        line = self._line()
        pad = line // 2
        # The legend: a small square and the series name, left to right.
        x = pad
        for index, (name, _values) in enumerate(self.series):
            painter.fillRect(QRect(x, pad + line // 4, line // 2, line // 2),
                             QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)]))
            x += line // 2 + pad // 2
            painter.setPen(QColor(INK))
            painter.drawText(QRect(x, pad, metrics.horizontalAdvance(name) + 2, line),
                             int(Qt.AlignmentFlag.AlignVCenter), name)
            x += metrics.horizontalAdvance(name) + line
        top_y = pad + line * 2 + line  # below the legend, room for the value over the tallest bar
        base_y = self.height() - line - pad
        height = max(base_y - top_y, 4)
        top = max((value for _name, values in self.series for value in values), default=0)
        slot = (self.width() - 2 * pad) / max(len(self.months), 1)
        bars = max(len(self.series), 1)
        bar_width = max(int(slot * 0.7 / bars), 2)
        painter.setPen(QColor(BORDER))
        painter.drawLine(pad, base_y, self.width() - pad, base_y)
        for month_index, month in enumerate(self.months):
            left = pad + month_index * slot
            group_left = int(left + (slot - bar_width * bars) / 2)
            for index, (_name, values) in enumerate(self.series):
                value = values[month_index]
                bar_height = int(height * value / top) if top > 0 else 0
                rect = QRect(group_left + index * bar_width, base_y - bar_height, bar_width - 1,
                                    bar_height)
                painter.fillRect(rect, QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)]))
                text = number_text(value)
                painter.setPen(QColor(INK))
                painter.drawText(QRect(rect.x() - line, rect.y() - line - 2, bar_width + 2 * line, line),
                                 int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom), text)
            painter.setPen(QColor(MUTED))
            shown = metrics.elidedText(month, Qt.TextElideMode.ElideRight, int(slot))
            painter.drawText(QRect(int(left), base_y + 2, int(slot), line),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), shown)


class MatrixTable(QTableWidget):
    """Suggested levels down, chosen levels across, the count in each cell with a light
    tint that grows with it; the agreeing cells (same level) in bold."""

    def __init__(self, title: str, suggested_title: str, chosen_title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.suggested_title, self.chosen_title = title, suggested_title, chosen_title
        self.setAccessibleName(title)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.counts: dict[tuple[str, str], int] = {}
        self.levels: list[str] = []

    def set_data(self, levels: Sequence[str], counts: dict[tuple[str, str], int]) -> None:
        self.levels = list(levels)
        self.counts = dict(counts)
        self.clear()
        self.setRowCount(len(self.levels))
        self.setColumnCount(len(self.levels))
        self.setHorizontalHeaderLabels(self.levels)
        self.setVerticalHeaderLabels(self.levels)
        top = max(self.counts.values(), default=0)
        for row, suggested in enumerate(self.levels):
            for column, chosen in enumerate(self.levels):
                count = self.counts.get((suggested, chosen), 0)
                item = QTableWidgetItem(str(count) if count else "·")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setData(Qt.ItemDataRole.UserRole, (suggested, chosen))
                item.setToolTip(f"{self.suggested_title} {suggested}, {self.chosen_title} {chosen}: {count}")
                if count and top:
                    tint = QColor(ACCENT)
                    tint.setAlpha(int(30 + 120 * count / top))
                    item.setBackground(tint)
                if row == column:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if not count:
                    item.setForeground(QColor(MUTED))
                self.setItem(row, column, item)
        self.resizeRowsToContents()
        self.resizeColumnsToContents()
        rows = sum(self.rowHeight(row) for row in range(self.rowCount()))
        self.setFixedHeight(rows + self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth() + 2)
        summary = self.summary()
        self.setToolTip(summary)
        self.setAccessibleDescription(summary)

    def summary(self) -> str:
        lines = [f"{self.title} ({self.suggested_title} → {self.chosen_title}):"]
        for (suggested, chosen), count in sorted(self.counts.items()):
            if count:
                lines.append(f"{suggested} → {chosen}: {count}")
        return "\n".join(lines)
