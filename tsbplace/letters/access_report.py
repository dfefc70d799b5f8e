"""The access report a patient may be given: who has worked on their cases in TSBplace,
what they did and when (Normen, factsheet 15), built from the audit log."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from tsbplace.access_report import ACTION_TEXTS, AccessReport
from tsbplace.content.model import Content
from tsbplace.i18n import tr
from tsbplace.letters.document import FONT, FONT_BOLD, INK, MUTED, RULE, para, render_pdf, styles
from tsbplace.national_id import format_national_id


def _rows(report: AccessReport) -> list[list[Flowable]]:
    s = styles()
    header = [para(tr(key), s.small, "<b>{}</b>") for key in (
        "access_report.column.when", "access_report.column.who", "access_report.column.what",
        "access_report.column.case")]
    rows = [header]
    for line in report.entries:
        what = tr(ACTION_TEXTS[line.action])
        if line.times > 1:
            what = tr("access_report.times", what=what, times=line.times)
        rows.append([
            para(line.first_at.astimezone().strftime("%d.%m.%Y %H:%M"), s.small),
            para(f"{line.display_name} ({line.user_name})", s.small),
            para(what, s.small),
            para(line.case_number, s.small),
        ])
    return rows


def _table(report: AccessReport) -> Table:
    table = Table(_rows(report), colWidths=[32 * mm, 50 * mm, 62 * mm, 26 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def render_access_report(content: Content, report: AccessReport, *, author: str,
                         created: dt.datetime | None = None) -> bytes:
    """The report as PDF bytes."""
    s = styles()
    when = created or dt.datetime.now().astimezone()
    story: list[Flowable] = [
        para(tr("access_report.kicker"), s.small),
        para(tr("access_report.title"), s.title),
        para(tr("access_report.patient", name=report.patient_name,
                national_id=format_national_id(report.national_id)), s.body),
        para(tr("access_report.intro"), s.body),
        Spacer(1, 3 * mm),
        _table(report) if report.entries else para(tr("access_report.empty"), s.body),
        Spacer(1, 6 * mm),
        HRFlowable(width="100%", thickness=0.5, color=RULE),
        para(tr("access_report.rights"), s.small),
        para(tr("access_report.created", when=when.strftime("%d.%m.%Y %H:%M"), author=author), s.small),
    ]
    return render_pdf(story, title=tr("access_report.pdf_title"), author=author,
                      footer=tr("access_report.footer"))
