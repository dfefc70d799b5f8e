"""The rule engine: the lowest responsible level of care, with its reasons.

Pure and deterministic: the same content and facts always give the same
:class:`Suggestion`. Hit policy "highest-minimum": each fired rule names the lowest
level it can accept; the suggestion is the highest of these, so no finding is ever
averaged away (clinical reference §4.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tsbplace.conditions import evaluate, matched_facts, unknown_facts
from tsbplace.content.facts import Answers, FactContext
from tsbplace.content.model import Content, Rule, Text

__all__ = ["Answers", "FactContext", "FiredRule", "MissingFact", "Suggestion", "assess",
           "facts_from_answers", "unanswered_required"]


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    minimum_level: str
    because: Text
    source: str
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class MissingFact:
    """A fact not known yet that could raise the suggestion, and the rules that read it."""

    fact: str
    could_raise_to: str
    rule_ids: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    level: str
    fired: tuple[FiredRule, ...]
    why_not_lower: tuple[FiredRule, ...]
    missing: tuple[MissingFact, ...]
    ruleset_id: str
    ruleset_version: str
    ruleset_hash: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the whole result, stored with the assessment."""
        def fired(rules: tuple[FiredRule, ...]) -> list[dict[str, Any]]:
            return [
                {"rule_id": r.rule_id, "minimum_level": r.minimum_level,
                 "because": dict(r.because), "source": r.source, "facts": dict(r.facts)}
                for r in rules
            ]

        return {
            "level": self.level,
            "fired": fired(self.fired),
            "why_not_lower": fired(self.why_not_lower),
            "missing": [
                {"fact": m.fact, "could_raise_to": m.could_raise_to, "rule_ids": list(m.rule_ids)}
                for m in self.missing
            ],
            "ruleset": {"id": self.ruleset_id, "version": self.ruleset_version,
                        "hash": self.ruleset_hash},
        }


def facts_from_answers(content: Content, answers: Answers, context: FactContext | None = None,
                       extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every fact of the content's catalogue (``content.facts``), ``None`` where unknown.

    ``context`` gives the patient facts (age, sex); ``extra`` gives values of facts declared
    from outside the content (see :mod:`tsbplace.content.facts`).
    """
    return content.facts.compute(answers, context, extra)


def _fired(rule: Rule, facts: Mapping[str, Any]) -> FiredRule:
    return FiredRule(rule.id, rule.minimum_level, rule.because, rule.source,
                     matched_facts(rule.when, facts))


def assess(content: Content, facts: Mapping[str, Any]) -> Suggestion:
    """Suggest the lowest responsible level for ``facts`` and explain it."""
    ruleset = content.ruleset

    def order(code: str) -> int:
        return content.level(code).order

    fired: list[FiredRule] = []
    undecided: list[Rule] = []
    for rule in ruleset.rules:
        truth = evaluate(rule.when, facts)
        if truth:
            fired.append(_fired(rule, facts))
        elif truth is None:
            undecided.append(rule)

    level = max((f.minimum_level for f in fired), key=order, default=ruleset.baseline_level)
    level = max(level, ruleset.baseline_level, key=order)
    why_not_lower = tuple(f for f in fired if f.minimum_level == level)

    missing: dict[str, tuple[str, list[str]]] = {}
    for rule in undecided:
        if order(rule.minimum_level) <= order(level):
            continue  # knowing these facts could not raise the level
        for fact in unknown_facts(rule.when, facts):
            highest, rule_ids = missing.get(fact, (rule.minimum_level, []))
            rule_ids.append(rule.id)
            missing[fact] = (max(highest, rule.minimum_level, key=order), rule_ids)

    return Suggestion(
        level=level,
        fired=tuple(sorted(fired, key=lambda f: -order(f.minimum_level))),
        why_not_lower=why_not_lower,
        missing=tuple(
            MissingFact(fact, highest, tuple(ids)) for fact, (highest, ids) in sorted(missing.items())
        ),
        ruleset_id=ruleset.id,
        ruleset_version=ruleset.version,
        ruleset_hash=ruleset.content_hash,
    )


def unanswered_required(content: Content, answers: Answers) -> list[tuple[str, str]]:
    """(domain id, item id) of required items and ratings not yet answered fully enough to sign."""
    return [(domain.id, key) for domain in content.domains
            for key in domain.unanswered_required(answers.get(domain.id, {}))]
