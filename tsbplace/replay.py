"""Replay stored cases against a candidate rule set: which suggestions would change, and why.

Every case is assessed twice from its stored input, with the installed content and with
the candidate (:func:`tsbplace.assessment.evaluate_case`), so the comparison isolates the
rule change. A case changes when its level, the rules that fire (or their minimum
levels), a separate output's value, the flags raised or a domain's minimum level differ;
the missing facts and the texts of the reasons are not compared. Results stream case by
case; the summary counts as it goes, so memory does not grow with the number of
unchanged cases. Reports name case numbers only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tsbplace.assessment import evaluate_case
from tsbplace.cases import InvalidInput
from tsbplace.content.model import Content
from tsbplace.engine import Suggestion
from tsbplace.progress import NO_PROGRESS, Progress
from tsbplace.stored_cases import StoredCase


@dataclass(frozen=True)
class ValueChange:
    """One named thing whose value differs: a rule's minimum level, an output's value, a
    domain's minimum level (None: not set)."""

    name: str
    before: str | None
    after: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class CaseChange:
    case_number: str
    level_before: str | None
    level_after: str | None
    fired_only_before: tuple[str, ...] = ()
    fired_only_after: tuple[str, ...] = ()
    minimum_changed: tuple[ValueChange, ...] = ()  # rules firing both times, by rule id
    outputs_changed: tuple[ValueChange, ...] = ()  # by output id
    flags_only_before: tuple[str, ...] = ()
    flags_only_after: tuple[str, ...] = ()
    domains_changed: tuple[ValueChange, ...] = ()  # each domain's minimum level, by domain id
    failed_before: tuple[str, ...] = ()  # why the installed rules could not assess it
    failed_after: tuple[str, ...] = ()  # why the candidate could not

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_number": self.case_number,
            "level_before": self.level_before,
            "level_after": self.level_after,
            "fired_only_before": list(self.fired_only_before),
            "fired_only_after": list(self.fired_only_after),
            "minimum_changed": [change.to_dict() for change in self.minimum_changed],
            "outputs_changed": [change.to_dict() for change in self.outputs_changed],
            "flags_only_before": list(self.flags_only_before),
            "flags_only_after": list(self.flags_only_after),
            "domains_changed": [change.to_dict() for change in self.domains_changed],
            "failed_before": list(self.failed_before),
            "failed_after": list(self.failed_after),
        }


@dataclass
class ReplaySummary:
    total: int = 0
    changed: int = 0
    failed: int = 0  # could not be assessed with one of the rule sets (counted as changed too)
    levels_before: Counter[str] = field(default_factory=Counter)
    levels_after: Counter[str] = field(default_factory=Counter)

    @property
    def unchanged(self) -> int:
        return self.total - self.changed

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "changed": self.changed, "unchanged": self.unchanged,
                "failed": self.failed, "levels_before": dict(self.levels_before),
                "levels_after": dict(self.levels_after)}


def _changed(before: Mapping[str, str | None], after: Mapping[str, str | None],
             only_both: bool = False) -> tuple[ValueChange, ...]:
    names = [name for name in before if name in after] if only_both else list(
        dict.fromkeys([*before, *after]))
    return tuple(ValueChange(name, before.get(name), after.get(name))
                 for name in names if before.get(name) != after.get(name))


def _only(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    others = set(second)
    return tuple(item for item in first if item not in others)


def compare(case_number: str, before: Suggestion, after: Suggestion) -> CaseChange | None:
    """How the candidate's suggestion differs from the installed one's, or None if it does not."""
    old = {rule.rule_id: rule.minimum_level for rule in before.fired}
    new = {rule.rule_id: rule.minimum_level for rule in after.fired}
    change = CaseChange(
        case_number, before.level, after.level,
        fired_only_before=_only(old, new),
        fired_only_after=_only(new, old),
        minimum_changed=_changed(old, new, only_both=True),
        outputs_changed=_changed({o.output: o.value for o in before.outputs},
                                 {o.output: o.value for o in after.outputs}),
        flags_only_before=_only(before.flag_ids(), after.flag_ids()),
        flags_only_after=_only(after.flag_ids(), before.flag_ids()),
        domains_changed=_changed({m.domain: m.level for m in before.domain_minimums},
                                 {m.domain: m.level for m in after.domain_minimums}),
    )
    same = before.level == after.level and change == CaseChange(case_number, before.level, after.level)
    return None if same else change


def known_band_sets(content: Content, band_sets: Mapping[str, str]) -> dict[str, str]:
    """The stored threshold sets that ``content`` still has (others fall back to the default)."""
    have = {(i.id, band_set.id) for i in content.instruments for band_set in i.band_sets}
    return {key: value for key, value in band_sets.items() if (key, value) in have}


def _suggest(content: Content, stored: StoredCase) -> Suggestion | tuple[str, ...]:
    """The suggestion, or the problems that kept this content from assessing the case."""
    try:
        return evaluate_case(content, stored.case, known_band_sets(content, stored.band_sets)).suggestion
    except InvalidInput as error:
        return tuple(f"{problem.field}: {problem.message}" for problem in error.problems)


class Replay:
    """Re-assess cases with the installed content and a candidate; tally as it goes."""

    def __init__(self, installed: Content, candidate: Content) -> None:
        self.installed = installed
        self.candidate = candidate
        self.summary = ReplaySummary()

    def changes(self, cases: Iterable[StoredCase]) -> Iterator[CaseChange]:
        """The change of every case whose suggestion would differ, in the order given."""
        for stored in cases:
            change = self.replay_one(stored)
            if change is not None:
                yield change

    def replay_one(self, stored: StoredCase) -> CaseChange | None:
        before = _suggest(self.installed, stored)
        after = _suggest(self.candidate, stored)
        summary = self.summary
        summary.total += 1
        if isinstance(before, Suggestion):
            summary.levels_before[before.level] += 1
        if isinstance(after, Suggestion):
            summary.levels_after[after.level] += 1
        if isinstance(before, Suggestion) and isinstance(after, Suggestion):
            change = compare(stored.case_number, before, after)
        else:
            summary.failed += 1
            change = CaseChange(
                stored.case_number,
                before.level if isinstance(before, Suggestion) else None,
                after.level if isinstance(after, Suggestion) else None,
                failed_before=() if isinstance(before, Suggestion) else before,
                failed_after=() if isinstance(after, Suggestion) else after,
            )
        if change is not None:
            summary.changed += 1
        return change


@dataclass(frozen=True)
class WhatIf:
    """A candidate rule set tried on every stored case: the tally, and the changed cases
    (the first ``shown`` of them; ``summary.changed`` counts them all)."""

    summary: ReplaySummary
    changes: tuple[CaseChange, ...]
    shown_limit: int

    @property
    def more_changes(self) -> int:
        return max(0, self.summary.changed - len(self.changes))


def what_if(installed: Content, candidate: Content, cases: Iterable[StoredCase], total: int,
            progress: Progress = NO_PROGRESS, shown_limit: int = 1000) -> WhatIf:
    """Replay ``cases`` (``total`` of them) with both rule sets, reporting progress; keeps at
    most ``shown_limit`` changed cases in memory, so 100,000 cases need no more. Reads
    only; a cancel (:class:`~tsbplace.progress.Cancelled`) leaves nothing behind."""
    replay = Replay(installed, candidate)
    kept: list[CaseChange] = []
    for done, stored in enumerate(cases, start=1):
        change = replay.replay_one(stored)
        if change is not None and len(kept) < shown_limit:
            kept.append(change)
        if done % 50 == 0 or done == total:
            progress.report(done, total)
    progress.check()
    return WhatIf(replay.summary, tuple(kept), shown_limit)
