"""Typed, immutable view of the rule set (``rules/ruleset.toml``) and of the separate
outputs and flags the rules set (``rules/outputs.toml``).

The loader builds these from validated TOML (:mod:`tsbplace.content.ruleset_checks` checks
what the schemas cannot); the engine (:mod:`tsbplace.engine`) reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

Text = Mapping[str, str]
Scalar = str | int | float | bool


@dataclass(frozen=True)
class RuleTest:
    name: str
    facts: Mapping[str, Scalar]
    fires: bool


@dataclass(frozen=True)
class OutputSetting:
    """``sets = { output, value }``: the value a rule gives one separate output."""

    output: str
    value: str


@dataclass(frozen=True)
class Rule:
    """A finding (``when``) and its effects: a minimum level, a value of one separate output,
    flags, or more than one of these (the schema asks for at least one)."""

    id: str
    minimum_level: str | None
    when: Mapping[str, Any]
    because: Text
    source: str
    tests: tuple[RuleTest, ...]
    sets: OutputSetting | None = None
    flags: tuple[str, ...] = ()


class HitPolicy(StrEnum):
    """How the values that fired rules give one output combine (rules/outputs.toml)."""

    HIGHEST = "highest"    # values listed least to most; the highest set value wins
    PRIORITY = "priority"  # the first value in ``priority`` that a rule sets wins


@dataclass(frozen=True)
class OutputValue:
    value: str
    label: Text


@dataclass(frozen=True)
class Output:
    """One separate output beside the level (withdrawal management, LAR, ROP, integration)."""

    id: str
    label: Text
    values: tuple[OutputValue, ...]
    hit_policy: HitPolicy
    source: str
    default: str | None = None  # None: unset (not applicable) until a rule sets a value
    priority: tuple[str, ...] = ()  # HitPolicy.PRIORITY only: the winning value first
    help: Text | None = None

    def value_ids(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.values)

    def value_label(self, value: str) -> Text:
        for option in self.values:
            if option.value == value:
                return option.label
        raise KeyError(f"output {self.id!r} has no value {value!r}")

    def rank(self, value: str) -> int:
        """How strongly ``value`` wins: higher wins, by the output's hit policy."""
        ordered = self.value_ids() if self.hit_policy is HitPolicy.HIGHEST else self.priority[::-1]
        return ordered.index(value)


@dataclass(frozen=True)
class Flag:
    """A finding that calls for an action whatever the level, and the action suggested."""

    id: str
    label: Text
    action: Text
    source: str


@dataclass(frozen=True)
class Ruleset:
    id: str
    version: str
    baseline_level: str
    rules: tuple[Rule, ...]
    content_hash: str
