"""Vurderingsbrev til pasienten: the decision in plain Norwegian (clinical reference §5).

With a right: the right, the latest start date and frist, the level and place (the
clinic's own service when the decision names one), what happens while waiting.
Without: that plainly, and where else to get help. Always: the right to a renewed
assessment (§ 2-3), and how and by when to complain (§§ 7-1, 7-2;
the deadline is data in ``resources/letters/nb.toml``). Free choice of provider is told
with a right. Contact: the clinic's phone, when it is set.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from tsbplace.cases import AssessmentRecord, CaseSummary, ReferralRecord
from tsbplace.clinic import ClinicDetails
from tsbplace.content.model import Content
from tsbplace.letters.common import (
    check_ready,
    complaint_authority,
    date_text,
    draft_marker,
    finish_letter,
    heading,
    letterhead,
    level_name,
    level_summary,
    panel,
    place_text,
    signature,
)
from tsbplace.letters.document import para, styles
from tsbplace.letters.texts import complaint_deadline, letter_text


def _section(title: str, *texts: str | tuple[str, str]) -> Flowable:
    """A heading and its paragraphs, kept on one page; a ``(text, markup)`` pair is emphasised."""
    s = styles()
    lines = [(text, "{}") if isinstance(text, str) else text for text in texts]
    return KeepTogether([heading(title), *(para(text, s.body, markup) for text, markup in lines if text)])


def _right(content: Content, record: AssessmentRecord, clinic: ClinicDetails | None) -> list[Flowable]:
    s = styles()
    decision = record.decision
    assert decision.latest_start_date is not None  # check_ready
    boxed: list[Flowable] = [
        heading(letter_text("patient.right_heading")),
        para(letter_text("patient.right_text"), s.body),
        para(letter_text("patient.right_start", date=date_text(decision.latest_start_date)), s.emphasis),
        para(letter_text("patient.right_frist", weeks=decision.frist_weeks), s.body),
        para(letter_text("patient.right_level", level=level_name(content, decision.chosen_level),
                         summary=level_summary(content, decision.chosen_level)).strip(), s.body),
    ]
    place = place_text(clinic)
    if decision.chosen_service.strip():  # the clinic's own service names the place more exactly
        boxed.append(para(letter_text("service.patient", service=decision.chosen_service.strip()), s.body))
    elif place:
        boxed.append(para(letter_text("patient.right_place", place=place), s.body))
    story: list[Flowable] = [panel(boxed)]
    story.append(_section(letter_text("patient.waiting_heading"), letter_text("patient.waiting_call"),
                          letter_text("patient.waiting_worse"), letter_text("patient.waiting_late")))
    story.append(_section(letter_text("patient.choice_heading"), letter_text("patient.choice_text")))
    return story


def _no_right(content: Content, record: AssessmentRecord) -> list[Flowable]:
    s = styles()
    boxed: list[Flowable] = [
        heading(letter_text("patient.no_right_heading")),
        para(letter_text("patient.no_right_text"), s.body),
    ]
    if record.decision.chosen_level:
        boxed.append(para(letter_text("patient.no_right_level",
                                      level=level_name(content, record.decision.chosen_level)), s.body))
    story: list[Flowable] = [panel(boxed)]
    story.append(_section(letter_text("patient.other_help_heading"), letter_text("patient.other_help_text")))
    return story


def render_patient_letter(
    content: Content,
    case: CaseSummary,
    record: AssessmentRecord,
    *,
    author: str,
    clinic: ClinicDetails | None = None,
    referral: ReferralRecord | None = None,
    created: dt.datetime | None = None,
) -> bytes:
    """The vurderingsbrev to the patient as PDF bytes. Raises LetterNotReady when the
    decision lacks a chosen level or right (with a right: frist and latest start date).
    A draft prints with an UTKAST marker; a signed record without."""
    check_ready(content, case, record)
    s = styles()
    when = created or dt.datetime.now().astimezone()
    deadline = complaint_deadline()
    phone = clinic.phone.strip() if clinic is not None else ""
    referrer = referral.details.referrer.strip() if referral is not None else ""
    story: list[Flowable] = [
        *letterhead(clinic, [case.patient_name], case_number=case.case_number, created=when),
        *draft_marker(record),
        para(letter_text("patient.title"), s.title),
        para(letter_text("patient.intro", received=date_text(case.received_date)), s.body),
        *(_right(content, record, clinic) if record.decision.care_right == "rett"
          else _no_right(content, record)),
        _section(letter_text("patient.renewed_heading"), letter_text("patient.renewed_text")),
        _section(letter_text("patient.complaint_heading"),
                 letter_text("patient.complaint_text", authority=complaint_authority(clinic)),
                 (letter_text("patient.complaint_deadline", weeks=deadline.weeks), "<b>{}</b>"),
                 letter_text("patient.complaint_how", case=case.case_number)),
        _section(letter_text("patient.contact_heading"),
                 letter_text("patient.contact_phone", phone=phone, case=case.case_number) if phone
                 else letter_text("patient.contact_no_phone", case=case.case_number)),
        Spacer(1, 4 * mm),
        KeepTogether(signature(author, clinic)),
        Spacer(1, 4 * mm),
        para(letter_text("patient.copy", referrer=referrer) if referrer
             else letter_text("patient.copy_unknown"), s.small),
    ]
    return finish_letter(story, title=letter_text("patient.pdf_title", case=case.case_number),
                         footer_key="patient.footer", case=case, record=record, clinic=clinic,
                         author=author)
