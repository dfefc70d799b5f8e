"""Vurderingsnotat: the internal one-page note of a case's assessment and suggestion."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from tsbplace.cases import AssessmentRecord, CaseSummary
from tsbplace.content.model import Content
from tsbplace.i18n import pick, tr
from tsbplace.letters.document import FONT, MUTED, RULE, para, render_pdf, styles
from tsbplace.national_id import format_national_id


def _facts_table(rows: list[tuple[str, str]]) -> Table:
    s = styles()
    table = Table([[para(k, s.small), para(v, s.body)] for k, v in rows],
                  colWidths=[45 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT),
        ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def render_assessment_note(
    content: Content,
    case: CaseSummary,
    record: AssessmentRecord,
    *,
    author: str,
    created: dt.datetime | None = None,
) -> bytes:
    """The vurderingsnotat of ``case`` as PDF bytes."""
    s = styles()
    when = created or dt.datetime.now().astimezone()
    suggestion = record.suggestion
    level = content.level(record.suggested_level)
    story: list[Flowable] = [
        para(tr("letter.note.kicker"), s.small),
        para(tr("letter.note.title"), s.title),
        _facts_table([
            (tr("letter.patient"), case.patient_name),
            (tr("letter.national_id"), format_national_id(case.national_id)),
            (tr("letter.case_number"), case.case_number),
            (tr("letter.received"), case.received_date.strftime("%d.%m.%Y")),
        ]),
        Spacer(1, 4 * mm),
        HRFlowable(width="100%", thickness=0.5, color=RULE),
        para(tr("letter.note.suggested"), s.heading),
        para(f"{level.code} {pick(level.name)}", s.emphasis),
        para(pick(level.summary), s.body),
        para(tr("letter.note.reasons"), s.heading),
    ]
    fired = suggestion.get("fired", [])
    if fired:
        story += [para(f"{r['rule_id']}: {pick(r['because'])}", s.body, "• {}") for r in fired]
    else:
        story.append(para(tr("letter.note.no_rule_fired"), s.body))
    blocking = suggestion.get("why_not_lower", [])
    if blocking and level.order > 0:
        lower = content.levels[level.order - 1]
        story.append(para(tr("letter.note.why_not_lower", lower=f"{lower.code} {pick(lower.name)}"),
                          s.heading))
        story += [para(tr("letter.note.blocked_by", rule=r["rule_id"], level=r["minimum_level"]),
                       s.body, "• {}") for r in blocking]
    missing = suggestion.get("missing", [])
    if missing:
        story.append(para(tr("letter.note.missing"), s.heading))
        story += [para(content.fact_label(m["fact"]), s.body, "• {}") for m in missing]
    story += [
        Spacer(1, 6 * mm),
        HRFlowable(width="100%", thickness=0.5, color=RULE),
        para(tr("letter.note.ruleset", version=record.ruleset_version,
                hash=record.ruleset_hash[:12]), s.small),
        para(tr("letter.note.created", when=when.strftime("%d.%m.%Y %H:%M"), author=author),
             s.small),
    ]
    return render_pdf(
        story,
        title=tr("letter.note.pdf_title", case=case.case_number),
        author=author,
        footer=tr("letter.note.footer", case=case.case_number),
    )
