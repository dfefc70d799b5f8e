"""Typed, immutable view of the clinical content in ``rules/``.

The loader builds these from validated TOML; everything downstream (engine, GUI,
letters) reads them and never the raw files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tsbplace.i18n import pick

Text = Mapping[str, str]
Scalar = str | int | float | bool


class ItemType(StrEnum):
    CHOICE = "choice"
    YESNO = "yesno"
    NUMBER = "number"
    TEXT = "text"


@dataclass(frozen=True)
class Level:
    code: str
    order: int
    name: Text
    summary: Text
    available: bool = True

    def label(self, language: str | None = None) -> str:
        return f"{self.code} {pick(self.name, language)}"


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class Item:
    id: str
    type: ItemType
    required: bool
    label: Text
    help: Text | None = None
    unit: Text | None = None
    minimum: float | None = None
    maximum: float | None = None
    options: tuple[Option, ...] = ()

    def accepts(self, value: object) -> bool:
        """Whether ``value`` is a legal answer (``None`` means unanswered and is legal)."""
        if value is None:
            return True
        match self.type:
            case ItemType.CHOICE:
                return value in {option.value for option in self.options}
            case ItemType.YESNO:
                return isinstance(value, bool)
            case ItemType.NUMBER:
                return (
                    isinstance(value, int | float)
                    and not isinstance(value, bool)
                    and self.minimum is not None
                    and self.maximum is not None
                    and self.minimum <= value <= self.maximum
                )
            case ItemType.TEXT:
                return isinstance(value, str)


@dataclass(frozen=True)
class RatingAnchor:
    value: int
    text: Text


@dataclass(frozen=True)
class Domain:
    id: str
    title: Text
    help: Text
    source: str
    items: tuple[Item, ...]
    rating_label: Text
    anchors: tuple[RatingAnchor, ...]

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"domain {self.id!r} has no item {item_id!r}")

    @property
    def rating_fact(self) -> str:
        return f"{self.id}.rating"

    def fact_names(self) -> tuple[str, ...]:
        """The facts this domain gives the engine: one per item plus the rating."""
        return (*(f"{self.id}.{item.id}" for item in self.items), self.rating_fact)


@dataclass(frozen=True)
class RuleTest:
    name: str
    facts: Mapping[str, Scalar]
    fires: bool


@dataclass(frozen=True)
class Rule:
    id: str
    minimum_level: str
    when: Mapping[str, Any]
    because: Text
    source: str
    tests: tuple[RuleTest, ...]


@dataclass(frozen=True)
class Ruleset:
    id: str
    version: str
    baseline_level: str
    rules: tuple[Rule, ...]
    content_hash: str


@dataclass(frozen=True)
class Content:
    """Everything loaded from ``rules/``, validated and cross-checked."""

    levels: tuple[Level, ...]
    domains: tuple[Domain, ...]
    ruleset: Ruleset
    _levels_by_code: Mapping[str, Level] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_levels_by_code", {lvl.code: lvl for lvl in self.levels})

    def level(self, code: str) -> Level:
        return self._levels_by_code[code]

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(f"no domain {domain_id!r}")

    def fact_names(self) -> tuple[str, ...]:
        return tuple(name for domain in self.domains for name in domain.fact_names())

    def fact_label(self, fact: str, language: str | None = None) -> str:
        """How a person reads a fact: 'Rus og abstinens: Hovedrusmiddel' for 'rus.main_substance'."""
        domain_id, key = fact.split(".", 1)
        domain = self.domain(domain_id)
        label = domain.rating_label if key == "rating" else domain.item(key).label
        return f"{pick(domain.title, language)}: {pick(label, language)}"
