"""Typed, immutable view of ``rules/legal.toml`` and the results computed from it.

The loader builds the data classes from validated TOML; :mod:`tsbplace.legal.dates` reads
them and never the raw file. Every result carries ``how`` (bokmål and English text saying
how it was computed), its ``source`` and ``verify`` (the value must be checked against its
source before it is relied on), and ``to_dict()`` for JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

Text = Mapping[str, str]
Condition = Mapping[str, Any]


class Setting(StrEnum):
    """Where the patient is treated: the pakkeforløp times differ."""

    OUTPATIENT = "outpatient"
    DOGN = "dogn"


class Start(StrEnum):
    """The event a pakkeforløp step counts from; also the keyword of :func:`pathway_dates`."""

    FIRST_APPOINTMENT = "first_appointment"
    AVRUSNING_END = "avrusning_end"
    DECISION = "decision"
    LAST_EVALUATION = "last_evaluation"


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    WEEKS = "weeks"


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else dict(text)


# --- the data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """The fact names read besides the table conditions."""

    under_23: str
    pregnant: str


@dataclass(frozen=True)
class Deadline:
    """A deadline in working days, such as the 10 working days to assess a referral."""

    working_days: int
    label: Text
    source: str
    verify: bool = False


@dataclass(frozen=True)
class AgeGroup:
    working_days: int
    label: Text


@dataclass(frozen=True)
class LarDeadline:
    label: Text
    under_23: AgeGroup
    from_23: AgeGroup
    source: str
    verify: bool = False


@dataclass(frozen=True)
class LatestStartRule:
    label: Text
    counts_from: Text
    source: str
    verify: bool = False


@dataclass(frozen=True)
class Escalation:
    """A written escalation: when ``condition`` holds, the frist is at most ``frist_weeks``."""

    condition: Condition
    frist_weeks: int
    reason: Text
    source: str
    verify: bool = False


@dataclass(frozen=True)
class PriorityEntry:
    """One condition of the prioriteringsveileder. ``right`` and ``frist_weeks`` are ``None``
    when the guide's value is not filled in; ``condition`` is ``None`` when no fact can
    recognise the condition yet (it is then never matched)."""

    id: str
    name: Text
    condition: Condition | None
    right: bool | None
    frist_weeks: int | None
    escalations: tuple[Escalation, ...]
    source: str
    verify: bool = False
    note: Text | None = None

    @property
    def filled(self) -> bool:
        return self.right is not None and self.frist_weeks is not None


@dataclass(frozen=True)
class PathwayStep:
    id: str
    starts_at: Start
    label: Text
    days: Mapping[Setting, int]
    days_min: Mapping[Setting, int]


@dataclass(frozen=True)
class Pathway:
    id: str
    name: Text
    source: str
    steps: tuple[PathwayStep, ...]
    valid_from: dt.date | None = None
    verify: bool = False

    def step(self, step_id: str) -> PathwayStep:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


@dataclass(frozen=True)
class Legal:
    version: str
    inputs: Inputs
    assessment: Deadline
    lar: LarDeadline
    latest_start: LatestStartRule
    priority: tuple[PriorityEntry, ...]
    ordinary: Pathway
    pregnant: Pathway
    content_hash: str

    def entry(self, entry_id: str) -> PriorityEntry:
        for entry in self.priority:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)


# --- the results --------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedResult:
    """A date computed from a start date: ``amount`` ``unit`` after ``start``."""

    id: str
    label: Text
    date: dt.date
    start: dt.date
    amount: int
    unit: Unit
    how: Text
    source: str
    verify: bool = False
    missing: tuple[str, ...] = ()  # unknown facts that could change the date

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": _text(self.label),
            "date": self.date.isoformat(),
            "start": self.start.isoformat(),
            "amount": self.amount,
            "unit": self.unit.value,
            "how": _text(self.how),
            "source": self.source,
            "verify": self.verify,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class AppliedEscalation:
    frist_weeks: int
    reason: Text
    source: str
    verify: bool
    matched: Mapping[str, Any]  # the facts that made it apply, with their values

    def to_dict(self) -> dict[str, Any]:
        return {
            "frist_weeks": self.frist_weeks,
            "reason": _text(self.reason),
            "source": self.source,
            "verify": self.verify,
            "matched": dict(self.matched),
        }


@dataclass(frozen=True)
class PriorityResult:
    """The guiding right and frist for the facts: the matching entry, the escalations that
    applied (the shortest frist wins), and the unknown facts that could still shorten it."""

    entry_id: str | None
    name: Text | None
    right: bool | None
    frist_weeks: int | None
    base_frist_weeks: int | None
    applied: tuple[AppliedEscalation, ...]
    filled: bool
    source: str | None
    verify: bool
    missing: tuple[str, ...]
    also_matching: tuple[str, ...]
    how: Text
    note: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "name": _text(self.name),
            "right": self.right,
            "frist_weeks": self.frist_weeks,
            "base_frist_weeks": self.base_frist_weeks,
            "applied": [escalation.to_dict() for escalation in self.applied],
            "filled": self.filled,
            "source": self.source,
            "verify": self.verify,
            "missing": list(self.missing),
            "also_matching": list(self.also_matching),
            "how": _text(self.how),
            "note": _text(self.note),
        }


@dataclass(frozen=True)
class LegalOutputs:
    """Everything dated for one referral, with the version and hash of the data used."""

    assessment: DatedResult
    priority: PriorityResult
    latest_start: DatedResult | None
    pathway: tuple[DatedResult, ...]
    legal_version: str
    legal_hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "assessment": self.assessment.to_dict(),
            "priority": self.priority.to_dict(),
            "latest_start": None if self.latest_start is None else self.latest_start.to_dict(),
            "pathway": [result.to_dict() for result in self.pathway],
            "legal_version": self.legal_version,
            "legal_hash": self.legal_hash,
        }
