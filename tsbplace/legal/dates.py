"""The legal and pathway dates of one referral, as pure functions over ``rules/legal.toml``.

- :func:`assessment_deadline`: the working-day deadline for assessing a referral (10, or for
  LAR 10/30 by age);
- :func:`priority`: the prioriteringsveileder's guiding right and frist for the facts, with
  the escalations that applied (the shortest frist wins) and the unknown facts that could
  still shorten it;
- :func:`latest_start`: the latest start date, the frist counted from the received date;
- :func:`pathway_dates`: the pakkeforløp's guiding dates from the dates already known;
- :func:`legal_outputs`: all of them for one referral, JSON-ready through ``to_dict()``.

Every result says ``how`` it was computed, in bokmål and English. No numbers live here: they
come from the :class:`~tsbplace.legal.model.Legal` data (default: the installed file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from tsbplace.conditions import evaluate, matched_facts, unknown_facts
from tsbplace.legal.loader import installed_legal
from tsbplace.legal.model import (
    AgeGroup,
    AppliedEscalation,
    DatedResult,
    LarDeadline,
    Legal,
    LegalOutputs,
    Pathway,
    PathwayStep,
    PriorityEntry,
    PriorityResult,
    Setting,
    Start,
    Text,
    Unit,
)
from tsbplace.legal.texts import amount, date_text, joined, listed, message, sentences
from tsbplace.legal.working_days import is_weekend, is_working_day, public_holiday, working_days_span

DAYS_PER_WEEK = 7
SettingName = Setting | Literal["outpatient", "dogn"]


def _data(legal: Legal | None) -> Legal:
    return installed_legal() if legal is None else legal


def _received(day: dt.date) -> Text:
    return message("legal.how.received", date=date_text(day))


# --- the assessment deadline --------------------------------------------------------------


def _lar_group(lar: LarDeadline, under_23: bool | None, fact: str) -> tuple[AgeGroup, Text, tuple[str, ...]]:
    """The age group's deadline; with the age unknown, the shorter one, and the fact missing."""
    if under_23 is None:
        shorter = min((lar.under_23, lar.from_23), key=lambda group: group.working_days)
        return shorter, message("legal.how.lar_age_unknown"), (fact,)
    group = lar.under_23 if under_23 else lar.from_23
    return group, message("legal.how.lar", group=group.label), ()


def _working_days_how(received: dt.date, n: int, context: Text | None) -> Text:
    span = working_days_span(received, n)
    head = message("legal.how.after", amount=amount(n, "working_days"), start=_received(received))
    parts = [head if context is None else message("legal.how.with_context", text=head, context=context)]
    if not span.start_is_working_day:
        parts.append(message("legal.how.start_not_working", date=date_text(received)))
    if (skipped := span.skipped()) is not None:
        parts.append(skipped)
    return joined(parts)


def assessment_deadline(
    received: dt.date, *, lar: bool = False, under_23: bool | None = None, legal: Legal | None = None
) -> DatedResult:
    """The last day to assess the referral: ``n`` working days after ``received``.

    For a LAR referral the deadline depends on the age; when ``under_23`` is unknown the
    shorter deadline is used and ``patient.under_23`` is listed as missing.
    """
    data = _data(legal)
    if not lar:
        rule = data.assessment
        return DatedResult(
            "assessment", rule.label, working_days_span(received, rule.working_days).end, received,
            rule.working_days, Unit.WORKING_DAYS, _working_days_how(received, rule.working_days, None),
            rule.source, rule.verify,
        )
    group, context, missing = _lar_group(data.lar, under_23, data.inputs.under_23)
    return DatedResult(
        "lar_assessment", data.lar.label, working_days_span(received, group.working_days).end, received,
        group.working_days, Unit.WORKING_DAYS, _working_days_how(received, group.working_days, context),
        data.lar.source, data.lar.verify, missing,
    )


# --- the prioriteringsveileder ------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    """One entry whose condition holds, with its escalations worked out."""

    entry: PriorityEntry
    applied: tuple[AppliedEscalation, ...]
    frist_weeks: int | None
    missing: tuple[str, ...]


def _applied(entry: PriorityEntry, facts: Mapping[str, Any]) -> tuple[AppliedEscalation, ...]:
    return tuple(
        AppliedEscalation(e.frist_weeks, e.reason, e.source, e.verify, matched_facts(e.condition, facts))
        for e in entry.escalations
        if evaluate(e.condition, facts) is True
    )


def _could_shorten(entry: PriorityEntry, facts: Mapping[str, Any], frist: int | None) -> tuple[str, ...]:
    """Unknown facts of the escalations that would give a shorter frist than ``frist``."""
    names: dict[str, None] = {}
    for escalation in entry.escalations:
        shorter = frist is None or escalation.frist_weeks < frist
        if shorter and evaluate(escalation.condition, facts) is None:
            names.update(dict.fromkeys(unknown_facts(escalation.condition, facts)))
    return tuple(names)


def _match(entry: PriorityEntry, facts: Mapping[str, Any]) -> _Match:
    applied = _applied(entry, facts)
    frist = entry.frist_weeks
    if frist is not None:  # the loader allows escalations only on an entry with a frist
        frist = min([frist, *(escalation.frist_weeks for escalation in applied)])
    return _Match(entry, applied, frist, _could_shorten(entry, facts, frist))


def _entry_parts(match: _Match) -> list[Text]:
    entry, base, shortest = match.entry, match.entry.frist_weeks, match.frist_weeks
    if entry.right is None or base is None or shortest is None:  # not filled in
        return [message("legal.priority.not_filled", name=entry.name)]
    right = message("legal.priority.right_yes" if entry.right else "legal.priority.right_no")
    parts = [message("legal.priority.entry", name=entry.name, right=right,
                     frist=amount(base, "weeks"))]
    if match.applied:
        items = [message("legal.priority.escalation", frist=amount(a.frist_weeks, "weeks"), reason=a.reason)
                 for a in match.applied]
        parts.append(message("legal.priority.shorter", items=listed(items), frist=amount(shortest, "weeks")))
    return parts


def _how(match: _Match, others: Sequence[PriorityEntry], verify: bool) -> Text:
    parts = _entry_parts(match)
    if match.missing:
        parts.append(message("legal.priority.could_shorten", facts=", ".join(match.missing)))
    if others:
        parts.append(message("legal.priority.also", names=listed([other.name for other in others])))
    if verify:
        parts.append(message("legal.priority.verify"))
    return joined(parts)


def _result(match: _Match, others: Sequence[PriorityEntry]) -> PriorityResult:
    entry = match.entry
    verify = entry.verify or any(applied.verify for applied in match.applied)
    return PriorityResult(
        entry_id=entry.id,
        name=entry.name,
        right=entry.right,
        frist_weeks=match.frist_weeks if entry.filled else None,
        base_frist_weeks=entry.frist_weeks,
        applied=match.applied,
        filled=entry.filled,
        source=entry.source,
        verify=verify,
        missing=match.missing,
        also_matching=tuple(other.id for other in others),
        how=_how(match, others, verify),
        note=entry.note,
    )


def _no_match(legal: Legal, facts: Mapping[str, Any]) -> PriorityResult:
    """No entry holds: say which unknown facts could still make one hold."""
    names: dict[str, None] = {}
    for entry in legal.priority:
        if entry.condition is not None and evaluate(entry.condition, facts) is None:
            names.update(dict.fromkeys(unknown_facts(entry.condition, facts)))
    missing = tuple(names)
    how = (message("legal.priority.not_yet", facts=", ".join(missing)) if missing
           else message("legal.priority.no_entry"))
    return PriorityResult(
        entry_id=None, name=None, right=None, frist_weeks=None, base_frist_weeks=None, applied=(),
        filled=False, source=None, verify=False, missing=missing, also_matching=(), how=joined([how]),
    )


def _rank(match: _Match) -> tuple[bool, int]:
    """Shortest frist first; entries not filled in after those that are."""
    return (match.frist_weeks is None or not match.entry.filled, match.frist_weeks or 0)


def priority(facts: Mapping[str, Any], legal: Legal) -> PriorityResult:
    """The guiding right and frist of the prioriteringsveileder for these facts.

    Entries whose condition holds are worked out with their escalations (each escalation
    that holds may shorten the frist; the shortest wins). When several entries hold, the one
    with the shortest frist is the result and the others are listed in ``also_matching``.
    An unknown fact never shortens the frist; it is listed in ``missing`` when it could.
    """
    matches = [_match(entry, facts) for entry in legal.priority
               if entry.condition is not None and evaluate(entry.condition, facts) is True]
    if not matches:
        return _no_match(legal, facts)
    chosen = min(matches, key=_rank)  # min keeps table order among equals
    return _result(chosen, [match.entry for match in matches if match is not chosen])


# --- the latest start date ----------------------------------------------------------------


def _not_working_day_note(day: dt.date) -> Text | None:
    if is_working_day(day):
        return None
    holiday = public_holiday(day)
    why = message("legal.how.weekend") if holiday is None or is_weekend(day) else holiday.name
    return message("legal.how.not_working_day", why=why)


def latest_start(received: dt.date, frist_weeks: int, *, legal: Legal | None = None) -> DatedResult:
    """The latest start of health care: ``frist_weeks`` weeks after the received date.

    The date is not moved when it falls on a weekend or holiday; ``how`` says so.
    """
    rule = _data(legal).latest_start
    days = frist_weeks * DAYS_PER_WEEK
    date = received + dt.timedelta(days=days)
    weeks = message("legal.how.weeks_as_days", weeks=amount(frist_weeks, "weeks"), days=amount(days, "days"))
    parts = [message("legal.how.after", amount=weeks, start=_received(received))]
    if (note := _not_working_day_note(date)) is not None:
        parts.append(note)
    return DatedResult("latest_start", rule.label, date, received, frist_weeks, Unit.WEEKS,
                       sentences(joined(parts), rule.counts_from), rule.source, rule.verify)


# --- the pakkeforløp ----------------------------------------------------------------------


def _step_how(pathway: Pathway, step: PathwayStep, setting: Setting, start: dt.date,
              pregnant: bool | None) -> Text:
    days = step.days[setting]
    since = message(f"legal.start.{step.starts_at.value}", date=date_text(start))
    head = (message("legal.how.same_day", start=since) if days == 0
            else message("legal.how.after", amount=amount(days, "days"), start=since))
    parts = [head, message("legal.how.pathway", pathway=pathway.name,
                           setting=message(f"legal.setting.{setting.value}"))]
    if setting in step.days_min:
        parts.append(message("legal.how.range", low=step.days_min[setting], high=days))
    if pregnant is None:
        parts.append(message("legal.how.pregnant_unknown"))
    if pathway.valid_from is not None and start < pathway.valid_from:
        parts.append(message("legal.how.before_valid", date=date_text(pathway.valid_from)))
    return joined(parts)


def _step_result(pathway: Pathway, step: PathwayStep, setting: Setting, start: dt.date,
                 pregnant: bool | None, missing: tuple[str, ...]) -> DatedResult:
    days = step.days[setting]
    return DatedResult(
        step.id, step.label, start + dt.timedelta(days=days), start, days, Unit.DAYS,
        _step_how(pathway, step, setting, start, pregnant), pathway.source, pathway.verify, missing,
    )


def pathway_dates(
    *,
    setting: SettingName,
    pregnant: bool | None,
    first_appointment: dt.date | None = None,
    decision: dt.date | None = None,
    avrusning_end: dt.date | None = None,
    last_evaluation: dt.date | None = None,
    legal: Legal | None = None,
) -> list[DatedResult]:
    """The pakkeforløp's guiding dates, one per step whose start date is known, in the
    pathway's order. Pregnant patients follow *Gravide og rusmidler*; when ``pregnant`` is
    unknown the ordinary pathway is used and the pregnancy fact is listed as missing."""
    data = _data(legal)
    chosen = Setting(setting)
    pathway = data.pregnant if pregnant else data.ordinary
    starts = {
        Start.FIRST_APPOINTMENT: first_appointment,
        Start.AVRUSNING_END: avrusning_end,
        Start.DECISION: decision,
        Start.LAST_EVALUATION: last_evaluation,
    }
    missing = (data.inputs.pregnant,) if pregnant is None else ()
    return [
        _step_result(pathway, step, chosen, start, pregnant, missing)
        for step in pathway.steps
        if (start := starts[step.starts_at]) is not None
    ]


# --- everything for one referral ----------------------------------------------------------


def _known_bool(facts: Mapping[str, Any], name: str) -> bool | None:
    value = facts.get(name)
    return value if isinstance(value, bool) else None


def legal_outputs(
    facts: Mapping[str, Any],
    received: dt.date,
    legal: Legal,
    *,
    lar: bool = False,
    setting: SettingName | None = None,
    first_appointment: dt.date | None = None,
    decision: dt.date | None = None,
    avrusning_end: dt.date | None = None,
    last_evaluation: dt.date | None = None,
) -> LegalOutputs:
    """The assessment deadline, the guiding right and frist, the latest start date and the
    pakkeforløp dates for one referral. Age and pregnancy are read from the facts named in
    ``legal.inputs``; pathway dates need ``setting``."""
    appointments = (first_appointment, decision, avrusning_end, last_evaluation)
    if setting is None and any(day is not None for day in appointments):
        raise ValueError("pathway dates need a setting: 'outpatient' or 'dogn'")
    found = priority(facts, legal)
    start = None
    if found.frist_weeks is not None:
        start = latest_start(received, found.frist_weeks, legal=legal)
        start = replace(start, verify=start.verify or found.verify)
    pathway: list[DatedResult] = []
    if setting is not None:
        pathway = pathway_dates(
            setting=setting, pregnant=_known_bool(facts, legal.inputs.pregnant),
            first_appointment=first_appointment, decision=decision,
            avrusning_end=avrusning_end, last_evaluation=last_evaluation, legal=legal,
        )
    return LegalOutputs(
        assessment=assessment_deadline(received, lar=lar, under_23=_known_bool(facts, legal.inputs.under_23),
                                       legal=legal),
        priority=found,
        latest_start=start,
        pathway=tuple(pathway),
        legal_version=legal.version,
        legal_hash=legal.content_hash,
    )
