"""The quality figures of :mod:`tsbplace.indicators` as files a professional lead can keep:
a CSV for Excel (one row per indicator, optionally per clinician too) and a short PDF
report (title, period, the key figures with the number of cases behind each, and what
every indicator means). No patient data: counts only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from tsbplace.i18n import pick, tr
from tsbplace.indicators import Figure, IndicatorDefinition, Indicators
from tsbplace.letters.document import FONT, FONT_BOLD, INK, RULE, para, render_pdf, styles

SEPARATOR = ";"
CSV_COLUMNS = ("scope", "indicator", "label", "kind", "numerator", "denominator", "percent")
ALL = "*"  # the scope of the whole clinic's row


def share_percent(figure: Figure) -> float | None:
    """The share as a percentage (numerator of denominator), None without a denominator."""
    if figure.numerator is None or not figure.denominator:
        return None
    return 100 * figure.numerator / figure.denominator


def figure_text(figure: Figure | None) -> str:
    """A figure as read: "83 % (5 av 6)" for a share, the count for a count, "–" for nothing."""
    if figure is None or figure.numerator is None:
        return "–"
    percent = share_percent(figure)
    if percent is None:
        if figure.denominator == 0:
            return tr("indicator_report.no_cases")
        return str(figure.numerator)
    return tr("indicator_report.share", percent=f"{percent:.0f}", numerator=figure.numerator,
              denominator=figure.denominator)


def kind_text(kind: str) -> str:
    texts = {"structure": tr("indicator_report.kind.structure"),
             "process": tr("indicator_report.kind.process"), "result": tr("indicator_report.kind.result")}
    return texts.get(kind, kind)


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return tr("indicator_report.period_all")
    return tr("indicator_report.period", start=start.strftime("%d.%m.%Y") if start else "…",
              end=end.strftime("%d.%m.%Y") if end else "…")


def _labels(definitions: Sequence[IndicatorDefinition]) -> dict[str, IndicatorDefinition]:
    return {definition.id: definition for definition in definitions}


def indicator_rows(overall: Indicators, definitions: Sequence[IndicatorDefinition],
                   by_clinician: Mapping[str, Indicators] | None = None) -> list[dict[str, str]]:
    """One row per figure for the whole selection (scope ``*``), then per clinician."""
    known = _labels(definitions)
    scopes: list[tuple[str, Indicators]] = [(ALL, overall)]
    scopes += sorted((by_clinician or {}).items())
    rows = []
    for scope, indicators in scopes:
        for indicator_id, figure in indicators.figures.items():
            definition = known.get(indicator_id)
            percent = share_percent(figure)
            rows.append({
                "scope": scope, "indicator": indicator_id,
                "label": pick(definition.label) if definition else indicator_id,
                "kind": definition.kind if definition else "",
                "numerator": "" if figure.numerator is None else str(figure.numerator),
                "denominator": "" if figure.denominator is None else str(figure.denominator),
                "percent": "" if percent is None else f"{percent:.1f}",
            })
    return rows


def indicator_csv(overall: Indicators, definitions: Sequence[IndicatorDefinition],
                  by_clinician: Mapping[str, Indicators] | None = None) -> bytes:
    """:func:`indicator_rows` as CSV for Excel, like the quality CSV: UTF-8 with a byte-order
    mark, ``;`` between fields, a header row, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(indicator_rows(overall, definitions, by_clinician))
    return buffer.getvalue().encode("utf-8-sig")


def _table(rows: list[list[Flowable]], widths: Sequence[float]) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def render_indicator_report(overall: Indicators, definitions: Sequence[IndicatorDefinition], *,
                            author: str, scope: str = "", clinic: str = "",
                            created: dt.datetime | None = None) -> bytes:
    """The report as PDF bytes. ``scope`` names the clinician when the figures are one
    clinician's (empty: every clinician)."""
    s = styles()
    when = created or dt.datetime.now().astimezone()
    known = _labels(definitions)
    header = [para(tr(key), s.small, "<b>{}</b>") for key in (
        "indicator_report.column.indicator", "indicator_report.column.kind", "indicator_report.column.value")]
    figure_rows = [header]
    for indicator_id, figure in overall.figures.items():
        definition = known.get(indicator_id)
        figure_rows.append([para(pick(definition.label) if definition else indicator_id, s.body),
                            para(kind_text(definition.kind) if definition else "", s.small),
                            para(figure_text(figure), s.body)])
    story: list[Flowable] = [
        para(clinic or tr("indicator_report.kicker"), s.small),
        para(tr("indicator_report.title"), s.title),
        para(period_text(overall.filter.start, overall.filter.end), s.body),
        para(scope or tr("indicator_report.every_clinician"), s.body),
        para(tr("indicator_report.intro"), s.small),
        Spacer(1, 3 * mm),
        _table(figure_rows, (80 * mm, 28 * mm, 62 * mm)),
        para(tr("indicator_report.definitions"), s.heading),
    ]
    for definition in definitions:
        story.append(para(f"{pick(definition.label)} ({kind_text(definition.kind)})", s.body, "<b>{}</b>"))
        story.append(para(pick(definition.definition), s.body))
        if definition.source:
            story.append(para(tr("indicator_report.source", source=definition.source), s.small))
    story += [
        Spacer(1, 6 * mm),
        HRFlowable(width="100%", thickness=0.5, color=RULE),
        para(tr("indicator_report.created", when=when.strftime("%d.%m.%Y %H:%M"), author=author), s.small),
    ]
    return render_pdf(story, title=tr("indicator_report.title"), author=author,
                      footer=tr("indicator_report.footer"))
