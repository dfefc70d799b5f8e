"""Svar til henviser: the decision for the referrer, with a short clinical summary
(suggested vs chosen level and why, the engine's main findings, instrument results) and
what the referrer or the municipality should do now."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from tsbplace.cases import AssessmentRecord, CaseSummary, ReferralRecord
from tsbplace.clinic import ClinicDetails
from tsbplace.content.codes import CodeLists
from tsbplace.content.model import Content
from tsbplace.letters.common import (
    bullets,
    check_ready,
    code_label,
    date_text,
    draft_marker,
    facts_table,
    finding_lines,
    finish_letter,
    heading,
    instrument_lines,
    letterhead,
    level_text,
    output_lines,
    place_text,
    signature,
)
from tsbplace.letters.document import para, styles
from tsbplace.letters.texts import letter_text
from tsbplace.national_id import format_national_id


def _codes(content: Content) -> CodeLists:
    assert content.codes is not None
    return content.codes


def _decision(content: Content, record: AssessmentRecord, clinic: ClinicDetails | None) -> list[Flowable]:
    s = styles()
    decision = record.decision
    story: list[Flowable] = [heading(letter_text("referrer.decision_heading"))]
    if decision.care_right == "rett":
        assert decision.latest_start_date is not None  # check_ready
        story += [para(letter_text("referrer.right"), s.emphasis),
                  para(letter_text("referrer.frist", weeks=decision.frist_weeks,
                                   date=date_text(decision.latest_start_date)), s.body)]
    else:
        story.append(para(letter_text("referrer.no_right"), s.emphasis))
    chosen = level_text(content, decision.chosen_level)
    story.append(para(letter_text("referrer.level", level=chosen), s.body))
    place = place_text(clinic)
    if place and decision.care_right == "rett":
        story.append(para(letter_text("referrer.place", place=place), s.body))
    return story


def difference_reason(content: Content, record: AssessmentRecord) -> str:
    """'Klinisk skjønn – <the clinician's text>', or '' when no reason is recorded."""
    decision = record.decision
    if not decision.reason:
        return ""
    reason = code_label(_codes(content).decision_reasons, decision.reason)
    if decision.reason_text.strip():
        reason = f"{reason} – {decision.reason_text.strip()}"
    return reason


def difference_lines(content: Content, record: AssessmentRecord) -> list[str]:
    """Suggested vs chosen level, and the reason (code and text) when they differ."""
    decision = record.decision
    if decision.chosen_level == record.suggested_level:
        return [letter_text("referrer.suggested_same", level=level_text(content, record.suggested_level))]
    lines = [letter_text("referrer.suggested_differs", suggested=level_text(content, record.suggested_level),
                         chosen=level_text(content, decision.chosen_level))]
    reason = difference_reason(content, record)
    if reason:
        lines.append(letter_text("referrer.differs_reason", reason=reason))
    return lines


def _summary(content: Content, record: AssessmentRecord) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [heading(letter_text("referrer.summary_heading"))]
    story += [para(line, s.body) for line in difference_lines(content, record)]
    if record.decision.patient_goals.strip():
        story.append(para(letter_text("referrer.goals", goals=record.decision.patient_goals.strip()), s.body))
    findings = bullets(finding_lines(record.suggestion) or [letter_text("clinical.no_findings")])
    outputs = output_lines(record.suggestion)
    if outputs:
        findings.append(para(letter_text("referrer.other_assessments", outputs=" · ".join(outputs)), s.body))
    story.append(KeepTogether([heading(letter_text("referrer.findings_heading")), *findings]))
    instruments = instrument_lines(content, record.instruments)
    if instruments:
        story.append(KeepTogether([heading(letter_text("referrer.instruments_heading")),
                                   *bullets(instruments)]))
    return story


def render_referrer_letter(
    content: Content,
    case: CaseSummary,
    record: AssessmentRecord,
    *,
    author: str,
    clinic: ClinicDetails | None = None,
    referral: ReferralRecord | None = None,
    created: dt.datetime | None = None,
) -> bytes:
    """Svar til henviser as PDF bytes; the address window holds the referrer (as recorded
    with the referral). Raises LetterNotReady like :func:`render_patient_letter`."""
    check_ready(content, case, record)
    s = styles()
    when = created or dt.datetime.now().astimezone()
    referrer = referral.details.referrer.strip() if referral is not None else ""
    rows = [(letter_text("common.patient"), case.patient_name),
            (letter_text("common.national_id"), format_national_id(case.national_id)),
            (letter_text("common.case_number"), case.case_number),
            (letter_text("common.received"), date_text(case.received_date))]
    if referrer:
        rows.append((letter_text("common.referrer"), referrer))
    next_text = "referrer.next_right" if record.decision.care_right == "rett" else "referrer.next_no_right"
    story: list[Flowable] = [
        *letterhead(clinic, [referrer or letter_text("referrer.window_fallback")],
                    case_number=case.case_number, created=when),
        *draft_marker(record),
        para(letter_text("referrer.title"), s.title),
        facts_table(rows),
        *_decision(content, record, clinic),
        *_summary(content, record),
        KeepTogether([heading(letter_text("referrer.next_heading")), para(letter_text(next_text), s.body),
                      para(letter_text("referrer.informed"), s.body)]),
        Spacer(1, 4 * mm),
        KeepTogether(signature(author, clinic)),
    ]
    return finish_letter(story, title=letter_text("referrer.pdf_title", case=case.case_number),
                         footer_key="referrer.footer", case=case, record=record, clinic=clinic,
                         author=author)
