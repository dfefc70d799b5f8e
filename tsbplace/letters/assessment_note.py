"""Vurderingsnotat: the internal note of a case's assessment and suggestion.

Built from the *stored* record (``Suggestion.to_dict()``), which carries the texts of its
rules, outputs and flags, so an old note reads the same after the rules change. A record
stored before outputs and flags existed simply has none to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from tsbplace.cases import AssessmentRecord, CaseSummary
from tsbplace.content.model import Content, Level
from tsbplace.decisions import Decision
from tsbplace.i18n import pick, tr
from tsbplace.letters.common import code_label, date_text, level_text
from tsbplace.letters.document import FONT, MUTED, RULE, para, render_pdf, styles
from tsbplace.letters.referrer_letter import difference_reason
from tsbplace.letters.texts import letter_text
from tsbplace.national_id import format_national_id

Record = Mapping[str, Any]


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


def _bullets(lines: Iterable[str]) -> list[Flowable]:
    return [para(line, styles().body, "• {}") for line in lines]


def _fact_label(content: Content, fact: str) -> str:
    return content.fact_label(fact) if fact in content.facts else fact


def _domain_title(content: Content, domain_id: str) -> str:
    try:
        return pick(content.domain(domain_id).title)
    except KeyError:
        return domain_id


def _outputs(suggestion: Record) -> list[Flowable]:
    """The separate outputs, two to a row: label, value, label, value."""
    outputs = suggestion.get("outputs", [])
    if not outputs:
        return []
    s = styles()
    unset = tr("letter.note.output_unset")
    cells = [(para(pick(o["label"]), s.small),
              para(pick(o["value_label"]) if o.get("value_label") else unset, s.body))
             for o in outputs]
    if len(cells) % 2:
        cells.append((para("", s.small), para("", s.body)))
    rows = [[*cells[i], *cells[i + 1]] for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[34 * mm, 51 * mm, 34 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return [para(tr("letter.note.outputs"), s.heading), table]


def _flags(suggestion: Record) -> list[Flowable]:
    flags = suggestion.get("flags", [])
    if not flags:
        return []
    lines = (tr("letter.note.flag", label=pick(f["label"]), action=pick(f["action"])) for f in flags)
    return [para(tr("letter.note.flags"), styles().heading), *_bullets(lines)]


def _setting_text(content: Content, sets: Record) -> str:
    """'Avrusning: I døgnenhet' for ``{output, value}``; the ids if the rules no longer have them."""
    try:
        output = content.output(sets["output"])
        return f"{pick(output.label)}: {pick(output.value_label(sets['value']))}"
    except KeyError:
        return f"{sets['output']}: {sets['value']}"


def _effects(content: Content, rule: Record, suggestion: Record) -> str:
    """'minst D3M, Avrusning: I døgnenhet': what one fired rule led to."""
    flag_labels = {f["flag"]: pick(f["label"]) for f in suggestion.get("flags", [])}
    parts = []
    if rule.get("minimum_level"):
        parts.append(tr("letter.note.effect_level", level=rule["minimum_level"]))
    if rule.get("sets"):
        parts.append(_setting_text(content, rule["sets"]))
    parts += [tr("letter.note.effect_flag", flag=flag_labels.get(f, f)) for f in rule.get("flags", [])]
    return ", ".join(parts)


def _reasons(content: Content, suggestion: Record) -> list[Flowable]:
    fired = suggestion.get("fired", [])
    story: list[Flowable] = [para(tr("letter.note.reasons"), styles().heading)]
    if not fired:
        return [*story, para(tr("letter.note.no_rule_fired"), styles().body)]
    return story + _bullets(tr("letter.note.reason", rule=r["rule_id"],
                               effects=_effects(content, r, suggestion), because=pick(r["because"]))
                            for r in fired)


def _why_not_lower(content: Content, suggestion: Record, level: Level) -> list[Flowable]:
    blocking = suggestion.get("why_not_lower", [])
    if not blocking or level.order == 0:
        return []
    lower = content.levels[level.order - 1]
    lines = (tr("letter.note.blocked_by", rule=r["rule_id"], level=r["minimum_level"]) for r in blocking)
    title = tr("letter.note.why_not_lower", lower=f"{lower.code} {pick(lower.name)}")
    return [para(title, styles().heading), *_bullets(lines)]


def _domain_minimums(content: Content, suggestion: Record) -> list[Flowable]:
    minimums = suggestion.get("domain_minimums", [])
    if not minimums:
        return []
    text = " · ".join(tr("letter.note.domain_minimum", domain=_domain_title(content, m["domain"]),
                         level=m["level"], rules=", ".join(m["rule_ids"])) for m in minimums)
    return [para(tr("letter.note.domain_minimums"), styles().heading), para(text, styles().body)]


def _missing(content: Content, suggestion: Record) -> list[Flowable]:
    """Facts that could raise the level, one line each; those that could change only an
    output or a flag, in one sentence."""
    missing = suggestion.get("missing", [])
    if not missing:
        return []
    raising = [m for m in missing if m.get("could_raise_to")]
    others = [m for m in missing if not m.get("could_raise_to")]
    story: list[Flowable] = [para(tr("letter.note.missing"), styles().heading)]
    story += _bullets(tr("letter.note.missing_level", fact=_fact_label(content, m["fact"]),
                         level=m["could_raise_to"]) for m in raising)
    if others:
        facts = "; ".join(_fact_label(content, m["fact"]) for m in others)
        story.append(para(tr("letter.note.missing_other", facts=facts), styles().small))
    return story


def _decision(content: Content, record: AssessmentRecord) -> list[Flowable]:
    """The clinician's decision: chosen level (and the local service, if named) and why it
    differs, right and frist, and the patient's goals, preferred level and agreement
    (blank fields say 'Ikke registrert')."""
    assert content.codes is not None
    codes = content.codes
    decision = record.decision
    not_recorded = letter_text("common.not_recorded")
    rows = [(letter_text("note.chosen"), level_text(content, decision.chosen_level)
             if decision.chosen_level else letter_text("note.chosen_missing"))]
    if decision == Decision():  # nothing decided yet: one line, not a column of blanks
        return [para(letter_text("note.decision_heading"), styles().heading),
                para(letter_text("note.chosen_missing"), styles().body)]
    if decision.chosen_service.strip():
        rows.append((letter_text("service.note"), decision.chosen_service.strip()))
    if decision.chosen_level and decision.chosen_level != record.suggested_level:
        rows.append((letter_text("note.differs"), difference_reason(content, record) or not_recorded))
    rows.append((letter_text("note.right"), code_label(codes.care_rights, decision.care_right)))
    if decision.care_right == "rett":
        frist = not_recorded
        if decision.frist_weeks is not None and decision.latest_start_date is not None:
            frist = letter_text("note.frist_value", weeks=decision.frist_weeks,
                                date=date_text(decision.latest_start_date))
        rows.append((letter_text("note.frist"), frist))
    rows += [
        (letter_text("note.goals"), decision.patient_goals.strip() or not_recorded),
        (letter_text("note.preferred"), level_text(content, decision.patient_preferred_level)
         if decision.patient_preferred_level else not_recorded),
        (letter_text("note.agreement"), code_label(codes.patient_agreements, decision.patient_agreement)),
    ]
    return [para(letter_text("note.decision_heading"), styles().heading), _facts_table(rows)]


def _status(record: AssessmentRecord) -> list[Flowable]:
    """Signer and time, or 'Utkast – ikke signert'; the revision; a correction's reason."""
    if record.signed and record.signed_at is not None:
        status = letter_text("note.signed", user=record.signed_by or "",
                             when=record.signed_at.astimezone().strftime("%d.%m.%Y %H:%M"))
    else:
        status = letter_text("note.draft")
    line = f"{letter_text('note.status')}: {status} · {letter_text('note.revision')} {record.revision}"
    story: list[Flowable] = [Spacer(1, 2 * mm), para(line, styles().body, "<b>{}</b>")]
    if record.correction_reason.strip():
        story.append(para(letter_text("note.correction", reason=record.correction_reason.strip()),
                          styles().small))
    return story


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
        *_status(record),
        Spacer(1, 4 * mm),
        HRFlowable(width="100%", thickness=0.5, color=RULE),
        para(tr("letter.note.suggested"), s.heading),
        para(f"{level.code} {pick(level.name)}", s.emphasis),
        para(pick(level.summary), s.body),
        # The referring side decides nothing: TSB does, after the referral.
        *([para(letter_text("referring.note"), s.body)] if case.referring else _decision(content, record)),
        *_outputs(suggestion),
        *_flags(suggestion),
        *_reasons(content, suggestion),
        *_why_not_lower(content, suggestion, level),
        *_domain_minimums(content, suggestion),
        *_missing(content, suggestion),
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
