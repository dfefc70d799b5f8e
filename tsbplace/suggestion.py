"""What the rule engine returns: the suggested level and its whole explanation.

Frozen and plain, so services can hand it to the GUI, the letters and the store;
:meth:`Suggestion.to_dict` is the JSON stored with an assessment. Texts (a rule's reason,
an output's label, a flag's action) are copied in, so a stored result still reads the
same after the rules change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tsbplace.content.ruleset import OutputSetting, Text


@dataclass(frozen=True)
class FiredRule:
    """A rule whose condition is true, its effects, and the facts that made it true."""

    rule_id: str
    minimum_level: str | None  # None: the rule sets an output or raises flags only
    because: Text
    source: str
    facts: Mapping[str, Any]
    sets: OutputSetting | None = None
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id, "minimum_level": self.minimum_level,
            "sets": None if self.sets is None else {"output": self.sets.output, "value": self.sets.value},
            "flags": list(self.flags), "because": dict(self.because), "source": self.source,
            "facts": dict(self.facts),
        }


@dataclass(frozen=True)
class MissingFact:
    """A fact not known yet whose value could change the result, and the rules that read it.

    ``could_raise_to`` is the highest level it could lead to (None if it cannot change the
    level); ``outputs`` the output values it could lead to; ``flags`` the flags it could raise.
    """

    fact: str
    could_raise_to: str | None
    rule_ids: tuple[str, ...]
    outputs: tuple[tuple[str, str], ...] = ()  # (output id, value)
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "could_raise_to": self.could_raise_to,
                "rule_ids": list(self.rule_ids), "outputs": dict(self.outputs),
                "flags": list(self.flags)}


@dataclass(frozen=True)
class DomainMinimum:
    """The lowest level one intake domain's findings accept, and the rules that say so."""

    domain: str
    level: str
    rule_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "level": self.level, "rule_ids": list(self.rule_ids)}


@dataclass(frozen=True)
class OutputResult:
    """One separate output's value (None: unset, not applicable) and the rules behind it."""

    output: str
    label: Text
    value: str | None
    value_label: Text | None
    rule_ids: tuple[str, ...]  # empty when the value is the output's default

    @property
    def is_default(self) -> bool:
        return not self.rule_ids

    def to_dict(self) -> dict[str, Any]:
        return {"output": self.output, "label": dict(self.label), "value": self.value,
                "value_label": None if self.value_label is None else dict(self.value_label),
                "rule_ids": list(self.rule_ids)}


@dataclass(frozen=True)
class RaisedFlag:
    """A flag raised by at least one fired rule, with the action it suggests."""

    flag: str
    label: Text
    action: Text
    source: str
    rule_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"flag": self.flag, "label": dict(self.label), "action": dict(self.action),
                "source": self.source, "rule_ids": list(self.rule_ids)}


@dataclass(frozen=True)
class Suggestion:
    """The engine's result: the level, why (and why not lower), each domain's minimum, the
    separate outputs, the flags, the missing facts, and the rule set that gave it."""

    level: str
    fired: tuple[FiredRule, ...]  # level rules, highest minimum first, then the others
    why_not_lower: tuple[FiredRule, ...]  # the level rules whose minimum is the level itself
    missing: tuple[MissingFact, ...]  # those that could change the level first
    ruleset_id: str
    ruleset_version: str
    ruleset_hash: str
    domain_minimums: tuple[DomainMinimum, ...] = ()  # in screen order; domains with a finding
    outputs: tuple[OutputResult, ...] = ()  # in the order of rules/outputs.toml
    flags: tuple[RaisedFlag, ...] = ()  # in the order of rules/outputs.toml

    def output(self, output_id: str) -> OutputResult:
        for result in self.outputs:
            if result.output == output_id:
                return result
        raise KeyError(f"no output {output_id!r}")

    def flag_ids(self) -> tuple[str, ...]:
        return tuple(flag.flag for flag in self.flags)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the whole result, stored with the assessment."""
        return {
            "level": self.level,
            "fired": [rule.to_dict() for rule in self.fired],
            "why_not_lower": [rule.to_dict() for rule in self.why_not_lower],
            "domain_minimums": [minimum.to_dict() for minimum in self.domain_minimums],
            "outputs": [output.to_dict() for output in self.outputs],
            "flags": [flag.to_dict() for flag in self.flags],
            "missing": [fact.to_dict() for fact in self.missing],
            "ruleset": {"id": self.ruleset_id, "version": self.ruleset_version,
                        "hash": self.ruleset_hash},
        }
