"""Parts every letter shares: the letterhead and address window, the draft marker, the
readiness check, and the clinical lines (levels, instrument results, the engine's reasons).

Every stored or typed string goes through :func:`tsbplace.letters.document.para`, which
escapes it; the wording comes from ``resources/letters`` through :func:`letter_text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from tsbplace.cases import AssessmentRecord, CaseSummary
from tsbplace.clinic import ClinicDetails
from tsbplace.content.model import Content
from tsbplace.decisions import signing_problems
from tsbplace.i18n import pick
from tsbplace.letters.document import FONT, FONT_BOLD, MARGIN, MUTED, RULE, para, render_pdf, styles
from tsbplace.letters.texts import letter_text

# What a patient or referrer letter cannot be printed without, even as a draft: the
# decision's level and right, and with a right the frist and latest start date.
REQUIRED_FIELDS = ("decision.chosen_level", "decision.care_right", "decision.frist_weeks",
                   "decision.latest_start_date")

DRAFT_RED = HexColor("#9b1c1c")
PANEL = HexColor("#eef2f6")
CONTENT_WIDTH = 210 * mm - 2 * MARGIN  # A4 less the margins
WINDOW_WIDTH = 90 * mm  # the address window of a C5/E65 window envelope
HEAD_HEIGHT = 27 * mm  # the letterhead row: the window always starts at the same place
WINDOW_HEIGHT = 27 * mm


class LetterNotReady(ValueError):
    """The decision lacks what the letter must say; ``missing`` names each gap."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(letter_text("cli.not_ready", missing="; ".join(self.missing)))


def check_ready(content: Content, case: CaseSummary, record: AssessmentRecord) -> None:
    """Raise LetterNotReady unless the decision has a chosen level and a right (with a
    right: the frist and a valid latest start date). Uses the signing check's messages."""
    problems = signing_problems(content, record.decision, record.suggested_level, case.received_date)
    missing = [p.message for p in problems if p.field in REQUIRED_FIELDS]
    if missing:
        raise LetterNotReady(missing)


def date_text(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def sender_name(clinic: ClinicDetails | None) -> str:
    if clinic is not None and clinic.is_set:
        return clinic.name.strip()
    return letter_text("common.sender_fallback")


def place_text(clinic: ClinicDetails | None) -> str:
    """'Poliklinikk Hamar, Sykehuset Innlandet', or '' when the clinic is not set."""
    if clinic is None or not clinic.is_set:
        return ""
    return ", ".join(part.strip() for part in (clinic.unit, clinic.name) if part.strip())


def complaint_authority(clinic: ClinicDetails | None) -> str:
    if clinic is not None and clinic.complaint_authority.strip():
        return clinic.complaint_authority.strip()
    return letter_text("common.authority_fallback")


def level_text(content: Content, code: str | None) -> str:
    """'D3M Døgn med medisinsk overvåking'; the bare code if the rules no longer have it."""
    if code is None:
        return letter_text("common.not_recorded")
    try:
        return letter_text("common.level", code=code, name=pick(content.level(code).name))
    except KeyError:
        return code


def level_name(content: Content, code: str | None) -> str:
    """'Døgn med medisinsk overvåking' (no code: for the patient)."""
    if code is None:
        return letter_text("common.not_recorded")
    try:
        return pick(content.level(code).name)
    except KeyError:
        return code


def level_summary(content: Content, code: str | None) -> str:
    try:
        return pick(content.level(code).summary) if code else ""
    except KeyError:
        return ""


def code_label(codes: Sequence[Any], code_id: str | None) -> str:
    if code_id is None:
        return letter_text("common.not_recorded")
    return next((code.label() for code in codes if code.id == code_id), code_id)


def _style(name: str, parent: ParagraphStyle, **values: Any) -> ParagraphStyle:
    return ParagraphStyle(name, parent=parent, **values)


def letterhead(clinic: ClinicDetails | None, window: Sequence[str], *, case_number: str,
               created: dt.datetime) -> list[Flowable]:
    """The letterhead (the clinic's name, unit and address left; organisation number and
    phone right; a plain 'TSBplace' when the clinic is not set), then the address window
    (``window`` lines, e.g. the patient's name) with the date and case number beside it.
    Both rows have fixed heights, so the window sits at the same place on every letter."""
    s = styles()
    name_style = _style("sender", s.body, fontName=FONT_BOLD, fontSize=12.5, leading=15, spaceAfter=1)
    line_style = _style("sender_line", s.small, leading=10.5, spaceAfter=0)
    right_style = _style("sender_right", line_style, alignment=TA_RIGHT)
    window_style = _style("window", s.body, fontSize=11, leading=14, spaceAfter=0)
    left: list[Flowable] = [para(sender_name(clinic), name_style)]
    right: list[Flowable] = []
    if clinic is not None and clinic.is_set:
        left += [para(line, line_style) for line in (clinic.unit, *clinic.address_lines) if line.strip()]
        if clinic.organisation_number.strip():
            right.append(para(letter_text("common.org_number", number=clinic.organisation_number.strip()),
                              right_style))
        if clinic.phone.strip():
            right.append(para(letter_text("common.phone", phone=clinic.phone.strip()), right_style))
    meta = [para(letter_text("common.date", date=date_text(created.date())), right_style),
            para(letter_text("common.case", case=case_number), right_style)]
    rows = [[left, right], [[para(line, window_style) for line in window if line.strip()], meta]]
    table = Table(rows, colWidths=[WINDOW_WIDTH, CONTENT_WIDTH - WINDOW_WIDTH],
                  rowHeights=[HEAD_HEIGHT, WINDOW_HEIGHT], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, 0), "TOP"),
        ("VALIGN", (0, 1), (0, 1), "MIDDLE"),
        ("VALIGN", (1, 1), (1, 1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
        ("TOPPADDING", (0, 1), (-1, 1), 4),
    ]))
    return [table, Spacer(1, 3 * mm)]


def draft_marker(record: AssessmentRecord) -> list[Flowable]:
    """A red boxed 'UTKAST – ikke signert' line on a draft; nothing on a signed record."""
    if record.signed:
        return []
    style = _style("draft", styles().body, fontName=FONT_BOLD, textColor=DRAFT_RED, spaceAfter=0)
    box = Table([[para(letter_text("common.draft_banner"), style)]], colWidths=[CONTENT_WIDTH])
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT),
        ("BOX", (0, 0), (-1, -1), 1, DRAFT_RED),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return [box, Spacer(1, 4 * mm)]


def watermark(record: AssessmentRecord) -> str:
    return "" if record.signed else letter_text("common.watermark")


def finish_letter(story: list[Flowable], *, title: str, footer_key: str, case: CaseSummary,
                  record: AssessmentRecord, clinic: ClinicDetails | None, author: str,
                  final: bool = False) -> bytes:
    """The PDF of a letter to someone outside: its title, the footer naming the sender and
    the case, and "UTKAST" across every page of a draft (``final``: a letter that is never
    signed first, such as the referral written on the referring side)."""
    return render_pdf(story, title=title, author=author, watermark="" if final else watermark(record),
                      footer=letter_text(footer_key, sender=sender_name(clinic), case=case.case_number))


def panel(flowables: list[Flowable]) -> Table:
    """The decisive lines in a light box, so the reader finds them first."""
    box = Table([[flowables]], colWidths=[CONTENT_WIDTH])
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, -1), PANEL),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return box


def facts_table(rows: Sequence[tuple[str, str]], label_width: float = 42 * mm) -> Table:
    """Label / value rows, labels muted; both escaped."""
    s = styles()
    table = Table([[para(k, s.small), para(v, s.body)] for k, v in rows],
                  colWidths=[label_width, CONTENT_WIDTH - label_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def bullets(lines: Iterable[str]) -> list[Flowable]:
    style = _style("bullet", styles().body, leftIndent=10, bulletIndent=0, spaceAfter=2,
                   bulletFontName=FONT)
    return [para(line, style, "<bullet>•</bullet>{}") for line in lines]


def heading(text: str) -> Flowable:
    return para(text, styles().heading)


def instrument_lines(content: Content, instruments: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """'AUDIT: 22 (sone IV: mulig avhengighet)' for each scored instrument."""
    lines = []
    for instrument_id, result in instruments.items():
        try:
            name = content.instrument(instrument_id).short_name
        except KeyError:
            name = instrument_id
        if not result.get("complete", True):
            lines.append(letter_text("clinical.instrument_incomplete", name=name,
                                     missing=len(result.get("missing_items", ()))))
            continue
        total = str(result.get("total", "")).replace(".", ",")
        band = result.get("band")
        if band and band.get("label"):
            lines.append(letter_text("clinical.instrument", name=name, total=total, band=pick(band["label"])))
        else:
            lines.append(letter_text("clinical.instrument_no_band", name=name, total=total))
    return lines


def finding_lines(suggestion: Mapping[str, Any]) -> list[str]:
    """The engine's reasons (the 'because' of each fired rule), each once."""
    seen: list[str] = []
    for rule in suggestion.get("fired", []):
        text = pick(rule["because"])
        if text not in seen:
            seen.append(text)
    return seen


def output_lines(suggestion: Mapping[str, Any]) -> list[str]:
    """'Avrusning: I døgnenhet' for each separate output the rules set."""
    return [letter_text("clinical.output", label=pick(o["label"]), value=pick(o["value_label"]))
            for o in suggestion.get("outputs", []) if o.get("value_label")]


def signature(author: str, clinic: ClinicDetails | None) -> list[Flowable]:
    s = styles()
    lines = [para(letter_text("common.regards"), s.body), Spacer(1, 6 * mm), para(author, s.body)]
    place = place_text(clinic)
    if place:
        lines.append(para(place, s.small))
    return lines


