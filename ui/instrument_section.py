"""One standardised instrument inside a domain page: a fold-out form and its live result.

Collapsed by default; the header button opens it (Space, Enter or →; ← closes). Each
item is a combo box of its permitted values ("0 – ikke i det hele tatt"). The result
line under the header stays visible when folded: total and band, or how many items are
still unanswered; flags (PHQ-9 item 9) show in a warning box with what to do. The
result always comes from the core (``CaseService.score``): this module only shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tsbplace.i18n import current_language, pick, tr
from tsbplace.instruments import Instrument, InstrumentResult
from tsbplace.instruments.model import Score
from tsbplace.instruments.scoring import exact_json
from tsbplace.ui.inputs import ComboBox
from tsbplace.ui.labels import styled_label
from tsbplace.ui.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QMouseEvent,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)


def format_score(value: Score) -> str:
    """A total as written: 14, or a mean as its exact decimal (1,9 in bokmål)."""
    text = str(exact_json(value))
    return text.replace(".", ",") if current_language() == "nb" else text


@dataclass(frozen=True)
class ResultText:
    """What the result line says; built from the core's result, nothing computed here."""

    summary: str
    band_set: str
    source: str
    flags: tuple[str, ...]


def result_text(instrument: Instrument, result: InstrumentResult | None,
                band_set_id: str | None = None) -> ResultText:
    """The lines for ``result`` (None: not started, shown with ``band_set_id``'s set)."""
    band_set = instrument.band_set(band_set_id if result is None else result.band_set_id)
    set_text = tr("gui.instrument.band_set", id=band_set.id, label=pick(band_set.label))
    source = band_set.source + (f"\n{pick(band_set.note)}" if band_set.note else "")
    if result is None:
        return ResultText(tr("gui.instrument.not_started"), set_text, source, ())
    parts = []
    if result.total is None:
        parts.append(tr("gui.instrument.incomplete", missing=len(result.missing_items)))
    else:
        low, high = instrument.score_range
        parts.append(tr("gui.instrument.total", total=format_score(result.total),
                        low=format_score(low), high=format_score(high)))
        if result.band is not None:
            parts.append(pick(result.band.label))
        elif result.band_needs_sex:
            parts.append(tr("gui.instrument.needs_sex"))
    if result.sex_rule_applied is not None:
        parts.append(tr("gui.instrument.sex_rule", rule=tr(f"sex.{result.sex_rule_applied}")))
    parts.append(tr("gui.instrument.band_set_short", id=band_set.id))
    flags = tuple(tr("gui.instrument.flag", flag=pick(flag.label), action=pick(flag.action))
                  for flag in result.flags)
    return ResultText(" · ".join(parts), set_text, source, flags)


class Disclosure(QToolButton):
    """A header that folds a section open and shut, from the keyboard as well."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disclosure")
        self.setText(text)
        self.setCheckable(True)
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setArrowType(Qt.ArrowType.RightArrow)
        self.toggled.connect(self._on_toggled)

    def _on_toggled(self, on: bool) -> None:
        self.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.toggle()
        elif key == Qt.Key.Key_Right:
            self.setChecked(True)
        elif key == Qt.Key.Key_Left:
            self.setChecked(False)
        else:
            super().keyPressEvent(event)


class TitleLabel(QLabel):
    """The words beside the header button; a click on them folds too."""

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


def describe(instrument: Instrument) -> str:
    """The title without its leading short name ("depresjonssymptomer" for PHQ-9)."""
    title = pick(instrument.title)
    rest = title.removeprefix(instrument.short_name)
    return rest.lstrip(" –-:") if rest != title else title


def _select(combo: ComboBox, value: object) -> None:
    """Show ``value`` (None: "— Velg —"); a value the box does not offer shows as unanswered."""
    combo.setCurrentIndex(0 if value is None else max(0, combo.findData(value)))


class InstrumentSection(QFrame):
    """``answers()`` gives the answered items only (``{"q1": 2}``); ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, instrument: Instrument, band_set_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.instrument = instrument
        self.band_set_id = band_set_id  # the clinic's threshold set (None: the default)
        self.setObjectName("instrumentSection")
        self.header = Disclosure(instrument.short_name)
        self.header.setAccessibleName(tr("gui.instrument.accessible", title=pick(instrument.title)))
        self.header_column = QWidget()  # as wide as the widest header of the page
        self.summary = styled_label("", "resultLine")
        self.flags = styled_label("", "flag")
        self.flags.hide()
        self.body = QWidget()
        self.body.hide()
        self.header.toggled.connect(self._on_toggled)
        self.band_set = styled_label("", "small")
        # The form is built when first opened: most instruments stay folded, and a case
        # opens faster without them. Until then the answers are kept here.
        self._combos: dict[str, ComboBox] | None = None
        self._pending: dict[str, int] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        layout.addLayout(self._heading())
        layout.addWidget(self.summary)
        layout.addWidget(self.flags)
        layout.addWidget(self.body)
        self.show_result(None)

    def _heading(self) -> QHBoxLayout:
        """The header button, then the title's words (a click on them folds too)."""
        column = QHBoxLayout(self.header_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.header, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        title = TitleLabel(describe(self.instrument))
        title.setObjectName("instrumentTitle")
        title.setWordWrap(True)
        title.clicked.connect(self.header.toggle)
        heading = QHBoxLayout()
        heading.setSpacing(8)
        heading.addWidget(self.header_column, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(title, 1)
        return heading

    @property
    def combos(self) -> dict[str, ComboBox]:
        """The item boxes by item id (building the form if it is not built yet)."""
        return self._form()

    def _form(self) -> dict[str, ComboBox]:
        if self._combos is None:
            self._combos = {}
            self._build_body()
            # Built late, the boxes would come last in the Tab order: put them after the header.
            previous: QWidget = self.header
            for combo in self._combos.values():
                QWidget.setTabOrder(previous, combo)
                previous = combo
        return self._combos

    def _on_toggled(self, expanded: bool) -> None:
        if expanded:
            self._form()
        self.body.setVisible(expanded)

    def _item_grid(self, combos: dict[str, ComboBox]) -> QGridLayout:
        """One row per item: its number and label (wrapping), then its values; the boxes
        line up in one column whatever the label length."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        for row, item in enumerate(self.instrument.items):
            combo = ComboBox()
            combo.addItem(tr("gui.domain.choose"), None)
            for entry in item.values:
                combo.addItem(f"{entry.value} – {pick(entry.label)}", entry.value)
            combo.fit_options()
            combo.setAccessibleName(tr("gui.instrument.item_accessible",
                                       instrument=self.instrument.short_name, number=row + 1,
                                       label=pick(item.label)))
            _select(combo, self._pending.get(item.id))
            combo.currentIndexChanged.connect(self.changed)
            label = styled_label(f"{row + 1}. {pick(item.label)}", "")
            label.setBuddy(combo)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            combos[item.id] = combo
        grid.setColumnStretch(0, 1)
        return grid

    def _build_body(self) -> None:
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(22, 4, 0, 4)
        layout.setSpacing(8)
        if self.instrument.timeframe:
            layout.addWidget(styled_label(tr("gui.instrument.timeframe",
                                       timeframe=pick(self.instrument.timeframe)), "muted"))
        layout.addWidget(styled_label(pick(self.instrument.item_text), "small"))
        assert self._combos is not None
        layout.addLayout(self._item_grid(self._combos))
        layout.addWidget(self.band_set)

    def align_title(self, width: int) -> None:
        """Start the title ``width`` pixels in, so the titles of a page line up."""
        self.header_column.setFixedWidth(width)

    def set_expanded(self, expanded: bool) -> None:
        self.header.setChecked(expanded)

    def is_expanded(self) -> bool:
        return self.header.isChecked()

    def answers(self) -> dict[str, int]:
        if self._combos is None:
            return dict(self._pending)
        return {item_id: value for item_id, combo in self._combos.items()
                if (value := combo.currentData()) is not None}

    def set_answers(self, answers: Mapping[str, object]) -> None:
        if self._combos is None:
            known = self.instrument.item_ids()
            given = {key: value for key, value in answers.items()
                     if key in known and isinstance(value, int)}
            if given != self._pending:
                self._pending = given
                self.changed.emit()
            return
        for item_id, combo in self._combos.items():
            _select(combo, answers.get(item_id))

    def show_result(self, result: InstrumentResult | None) -> None:
        text = result_text(self.instrument, result, self.band_set_id)
        self.summary.setText(text.summary)
        self.summary.setToolTip(f"{text.band_set}\n{text.source}")
        self.band_set.setText(f"{text.band_set}. {text.source}")
        self.flags.setText("\n".join(text.flags))
        self.flags.setVisible(bool(text.flags))
