"""Henvisning: the structured content of a referral TO TSB, for the clinician who writes
it: what a TSB referral should hold (clinical reference §5) and what is still missing,
the patient's own wishes, instrument results, and the level TSBplace suggests and why.

On a TSB-side case it summarises a referral received (a draft until the assessment is
signed). On a case prepared on the referring side it *is* the referral: the letterhead is
the referring office's (the clinic settings), it is addressed to TSB, and it is never a
draft, since the referring side has nothing to sign; TSB decides right, frist and level."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from tsbplace.cases import AssessmentRecord, CaseSummary, ReferralRecord
from tsbplace.clinic import ClinicDetails
from tsbplace.content.model import Content
from tsbplace.letters.common import (
    CONTENT_WIDTH,
    DRAFT_RED,
    bullets,
    code_label,
    date_text,
    draft_marker,
    facts_table,
    finding_lines,
    finish_letter,
    heading,
    instrument_lines,
    letterhead,
    level_summary,
    level_text,
    output_lines,
    signature,
)
from tsbplace.letters.document import FONT, MUTED, RULE, para, styles
from tsbplace.letters.texts import letter_text
from tsbplace.national_id import format_national_id

STATUS_WIDTH = 22 * mm
ABSENT_MARKUP = "<font color=\"#9b1c1c\"><b>{}</b></font>"  # DRAFT_RED


def _contents_table(content: Content, referral: ReferralRecord) -> Table:
    """Every item a TSB referral should hold, with 'med' or 'mangler' beside it."""
    assert content.codes is not None
    s = styles()
    missing = {item.id for item in referral.missing_items}
    rows = []
    for item in content.codes.referral_items:
        absent = item.id in missing
        status = letter_text("referral.absent" if absent else "referral.present")
        rows.append([para(status, s.small, ABSENT_MARKUP if absent else "{}"), para(item.label(), s.body)])
    table = Table(rows, colWidths=[STATUS_WIDTH, CONTENT_WIDTH - STATUS_WIDTH], hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, RULE),
        ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
    ]
    for index, item in enumerate(content.codes.referral_items):
        if item.id in missing:
            commands.append(("TEXTCOLOR", (0, index), (0, index), DRAFT_RED))
    table.setStyle(TableStyle(commands))
    return table


def _wishes(content: Content, record: AssessmentRecord) -> list[Flowable]:
    assert content.codes is not None
    decision = record.decision
    not_recorded = letter_text("common.not_recorded")
    rows = [(letter_text("referral.goals"), decision.patient_goals.strip() or not_recorded),
            (letter_text("referral.preferred"),
             level_text(content, decision.patient_preferred_level) if decision.patient_preferred_level
             else not_recorded),
            (letter_text("referral.agreement"),
             code_label(content.codes.patient_agreements, decision.patient_agreement))]
    return [heading(letter_text("referral.wishes_heading")), facts_table(rows)]


def render_referral_summary(
    content: Content,
    case: CaseSummary,
    record: AssessmentRecord,
    referral: ReferralRecord,
    *,
    author: str,
    clinic: ClinicDetails | None = None,
    created: dt.datetime | None = None,
) -> bytes:
    """The Henvisning as PDF bytes. Needs no decision; an unsigned record prints UTKAST."""
    assert content.codes is not None
    s = styles()
    when = created or dt.datetime.now().astimezone()
    details = referral.details
    referring = case.referring
    rows = [(letter_text("common.patient"), case.patient_name),
            (letter_text("common.national_id"), format_national_id(case.national_id)),
            (letter_text("common.case_number"), case.case_number)]
    if not referring:  # the referring side's own start date means nothing to TSB
        rows.append((letter_text("common.received"), date_text(case.received_date)))
    if details.source:
        source = code_label(content.codes.referral_sources, details.source)
        if details.source_text.strip():
            source = f"{source} – {details.source_text.strip()}"
        rows.append((letter_text("referral.source"), source))
    if details.referrer.strip():
        rows.append((letter_text("common.referrer"), details.referrer.strip()))
    missing = [item.label() for item in referral.missing_items]
    items = content.codes.referral_items
    outputs = output_lines(record.suggestion)
    level = record.suggested_level
    story: list[Flowable] = [
        *letterhead(clinic, [letter_text("referring.recipient"), letter_text("referring.recipient_unit")]
                    if referring else [case.patient_name], case_number=case.case_number, created=when),
        *([] if referring else draft_marker(record)),
        para(letter_text("referral.kicker"), s.small),
        para(letter_text("referral.title"), s.title),
        facts_table(rows),
        heading(letter_text("referral.reason_heading")),
        para(details.reason.strip() or letter_text("common.not_recorded"), s.body),
        # The wishes are recorded with a decision, which the referring side never makes.
        *([] if referring else _wishes(content, record)),
        heading(letter_text("referral.contents_heading")),
        para(letter_text("referral.contents_intro"), s.body),
        para(letter_text("referral.missing_count", missing=len(missing), total=len(items))
             if missing else letter_text("referral.missing_none"), s.body, "<b>{}</b>"),
        _contents_table(content, referral),
        KeepTogether([heading(letter_text("referral.instruments_heading")),
                      *bullets(instrument_lines(content, record.instruments)
                               or [letter_text("clinical.instruments_none")])]),
        KeepTogether([heading(letter_text("referral.suggestion_heading")),
                      para(level_text(content, level), s.emphasis),
                      para(level_summary(content, level), s.body)]),
        KeepTogether([heading(letter_text("referral.reasons_heading")),
                      *bullets(finding_lines(record.suggestion) or [letter_text("clinical.no_findings")]),
                      *([para(letter_text("referrer.other_assessments", outputs=" · ".join(outputs)), s.body)]
                        if outputs else [])]),
        para(letter_text("referring.disclaimer" if referring else "referral.disclaimer"), s.small),
        Spacer(1, 4 * mm),
        KeepTogether(signature(author, clinic)),
    ]
    return finish_letter(story, title=letter_text("referral.pdf_title", case=case.case_number),
                         footer_key="referral.footer", case=case, record=record, clinic=clinic,
                         author=author, final=referring)
