"""The fact catalogue: every named, typed value the rule engine can read.

A fact is ``<domain>.<name>``: one per item (``rus.main_substance``), one per domain rating
(``rus.rating``), one per substance and scalar detail of a substances item
(``rus.substances.alcohol.units_per_day``), and the derived facts of ``rules/facts.toml``
(``patient.under_23``, ``rus.injecting``; see :mod:`tsbplace.content.derived_facts`).
Unanswered means unknown: a fact is ``None`` until something gives it a value, never a
default. An answer the content does not accept also counts as unknown here (saving it is
refused by the case service).

Facts from outside the content (for example instrument scores) come in through
:meth:`FactCatalogue.with_provider` (a :class:`FactProvider` declares its specs and computes
its values) or :meth:`FactCatalogue.with_specs` plus ``compute(..., extra=...)``.
``load_content(fact_providers=...)`` adds providers before the rules are checked, so rules
may read their facts. Every value from outside is checked against its spec.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from tsbplace.conditions import ORDERING_OPS, is_comparison, parts
from tsbplace.content.model import Domain, Item, ItemType, Substance, SubstanceField, Text, parse_iso_date
from tsbplace.i18n import pick

Answers = Mapping[str, Mapping[str, Any]]  # {domain id: {item id or "rating": value}}
ConditionPath = tuple[str | int, ...]


class FactType(StrEnum):
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    TEXT = "text"
    CHOICE = "choice"
    DATE = "date"  # an ISO "YYYY-MM-DD" string, so facts stay plain JSON


ITEM_FACT_TYPES: Mapping[ItemType, FactType] = {
    ItemType.CHOICE: FactType.CHOICE,
    ItemType.YESNO: FactType.BOOL,
    ItemType.DATE: FactType.DATE,
    ItemType.TEXT: FactType.TEXT,
}


@dataclass(frozen=True)
class FactSpec:
    """What one fact is: its name and group, type, allowed values, and how it is found."""

    name: str
    domain: str  # the first part of the name: an intake domain or a group such as "patient"
    domain_title: Text
    type: FactType
    label: Text
    description: Text
    derivation: str  # how the value is found, for the facts table (docs/facts.md)
    values: tuple[str, ...] = ()  # choice: the allowed values
    unit: Text | None = None
    minimum: float | None = None
    maximum: float | None = None
    source: str = ""

    def accepts(self, value: object) -> bool:
        """Whether ``value`` is a legal value of this fact (``None``, unknown, always is)."""
        if value is None:
            return True
        match self.type:
            case FactType.BOOL:
                return isinstance(value, bool)
            case FactType.INT | FactType.FLOAT:
                allowed: tuple[type, ...] = (int,) if self.type is FactType.INT else (int, float)
                return (isinstance(value, allowed) and not isinstance(value, bool)
                        and (self.minimum is None or value >= self.minimum)  # type: ignore[operator]
                        and (self.maximum is None or value <= self.maximum))  # type: ignore[operator]
            case FactType.TEXT:
                return isinstance(value, str)
            case FactType.CHOICE:
                return isinstance(value, str) and value in self.values
            case FactType.DATE:
                return parse_iso_date(value) is not None


@dataclass(frozen=True)
class FactContext:
    """What the caller knows about the patient and the assessment, beside the answers."""

    birth_date: dt.date | None = None
    sex: str | None = None  # "female" or "male", as registered
    assessment_date: dt.date | None = None


@dataclass(frozen=True)
class FactInputs:
    """What a derivation may read: the answers, the context, the facts computed before it,
    and the values given from outside (providers and ``extra``)."""

    answers: Answers
    context: FactContext | None
    known: Mapping[str, Any]
    provided: Mapping[str, Any]
    # Cleaned substances answers by (domain, item): a block answer feeds dozens of facts,
    # and cleaning it once per compute instead of per fact is most of the engine's speed.
    _substances: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)

    def substances(self, domain_id: str, item: Item) -> dict[str, dict[str, Any]]:
        """The legal part of a substances item's answer (see ``SubstanceBlock.clean``)."""
        key = (domain_id, item.id)
        if key not in self._substances:
            assert item.block is not None
            self._substances[key] = item.block.clean(self.answers.get(domain_id, {}).get(item.id))
        return self._substances[key]


Derive = Callable[[FactInputs], Any]


@dataclass(frozen=True)
class CatalogueEntry:
    spec: FactSpec
    derive: Derive
    external: bool = False  # the value comes from a provider or ``extra``


class FactProvider(Protocol):
    """Facts from outside the domains (e.g. instrument scores), declared and computed together."""

    def fact_specs(self) -> Iterable[FactSpec]: ...

    def fact_values(self, answers: Answers, context: FactContext | None) -> Mapping[str, Any]: ...


class FactValueError(ValueError):
    """A value given from outside the content is not declared, or not legal for its spec."""


def _provided(name: str) -> Derive:
    return lambda inputs: inputs.provided.get(name)


class FactCatalogue:
    """Every fact, in the order it is computed (a derived fact reads only facts before it)."""

    def __init__(self, entries: Iterable[CatalogueEntry] = (),
                 providers: Iterable[FactProvider] = ()) -> None:
        self._entries = tuple(entries)
        self._providers = tuple(providers)
        self._by_name: dict[str, CatalogueEntry] = {}
        for entry in self._entries:
            if entry.spec.name in self._by_name:
                raise ValueError(f"fact {entry.spec.name!r} is defined twice")
            self._by_name[entry.spec.name] = entry

    def names(self) -> tuple[str, ...]:
        return tuple(entry.spec.name for entry in self._entries)

    def specs(self) -> tuple[FactSpec, ...]:
        return tuple(entry.spec for entry in self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __len__(self) -> int:
        return len(self._entries)

    def spec(self, name: str) -> FactSpec:
        return self._by_name[name].spec

    def label(self, name: str, language: str | None = None) -> str:
        """'Rus og abstinens: Hovedrusmiddel': the group's title, then the fact's label."""
        spec = self.spec(name)
        return f"{pick(spec.domain_title, language)}: {pick(spec.label, language)}"

    def with_entries(self, entries: Iterable[CatalogueEntry], *, replace: bool = False) -> FactCatalogue:
        """A new catalogue with ``entries`` added at the end; with ``replace``, an entry may
        take over an existing name (the old one is dropped)."""
        added = tuple(entries)
        names = {entry.spec.name for entry in added}
        kept = [e for e in self._entries if not (replace and e.spec.name in names)]
        return FactCatalogue((*kept, *added), self._providers)

    def with_specs(self, specs: Iterable[FactSpec]) -> FactCatalogue:
        """A new catalogue with facts whose values the caller passes to ``compute(extra=...)``."""
        return self.with_entries(CatalogueEntry(s, _provided(s.name), external=True) for s in specs)

    def with_provider(self, provider: FactProvider) -> FactCatalogue:
        """A new catalogue with the provider's facts, computed by it on every ``compute``."""
        specs = tuple(provider.fact_specs())
        entries = (CatalogueEntry(s, _provided(s.name), external=True) for s in specs)
        extended = self.with_entries(entries)
        return FactCatalogue(extended._entries, (*self._providers, provider))

    def compute(self, answers: Answers, context: FactContext | None = None,
                extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every fact's value for these answers; ``None`` where unknown.

        Raises :class:`FactValueError` if a provider or ``extra`` gives an undeclared fact or
        an illegal value.
        """
        provided: dict[str, Any] = {}
        for provider in self._providers:
            provided.update(provider.fact_values(answers, context))
        provided.update(extra or {})
        for name, value in provided.items():
            entry = self._by_name.get(name)
            if entry is None or not entry.external:
                raise FactValueError(f"{name!r} is not a fact given from outside the content")
            if not entry.spec.accepts(value):
                raise FactValueError(f"{value!r} is not a legal value of {name!r} ({entry.spec.type})")
        known: dict[str, Any] = {}
        inputs = FactInputs(answers, context, known, provided)
        for entry in self._entries:
            known[entry.spec.name] = entry.derive(inputs)
        return known

    def condition_problems(self, condition: Mapping[str, Any],
                           path: ConditionPath = ()) -> Iterator[tuple[ConditionPath, str]]:
        """Comparisons a fact's type cannot satisfy: ordering on a non-number, or a value the
        fact can never have (a misspelt choice, a number out of range, text for a yes/no).
        Unknown fact names are left to :func:`tsbplace.conditions.condition_problems`."""
        if not is_comparison(condition):
            for where, part in parts(condition):
                yield from self.condition_problems(part, (*path, *where))
            return
        entry = self._by_name.get(condition["fact"])
        if entry is None:
            return
        spec, op = entry.spec, condition["op"]
        if op in ORDERING_OPS:
            if spec.type not in (FactType.INT, FactType.FLOAT):
                yield (*path, "op"), f"operator {op!r} needs a number, but {spec.name!r} is {spec.type}"
            return
        values = condition["value"] if op == "in" else [condition["value"]]
        for index, value in enumerate(values):
            if not spec.accepts(value):
                where = (*path, "value", index) if op == "in" else (*path, "value")
                yield where, f"{value!r} is never a value of {spec.name!r} ({spec.type})"


# --- facts from the answers of one domain -------------------------------------------------

def _item_answer(domain_id: str, item: Item) -> Derive:
    def derive(inputs: FactInputs) -> Any:
        value = inputs.answers.get(domain_id, {}).get(item.id)
        return value if item.accepts(value) else None
    return derive


def _rating_answer(domain: Domain) -> Derive:
    def derive(inputs: FactInputs) -> Any:
        value = inputs.answers.get(domain.id, {}).get("rating")
        return value if domain.accepts_rating(value) else None
    return derive


def _substance_answer(domain_id: str, item: Item, substance: Substance, field_id: str) -> Derive:
    assert item.block is not None

    def derive(inputs: FactInputs) -> Any:
        return inputs.substances(domain_id, item).get(substance.id, {}).get(field_id)
    return derive


def _value_type(question: Item | SubstanceField) -> FactType:
    if question.type is ItemType.NUMBER:
        return FactType.FLOAT if question.decimals else FactType.INT
    return ITEM_FACT_TYPES[question.type]


def _described(label: Text, help_text: Text | None) -> Text:
    """'Hovedrusmiddel: Det rusmiddelet som ...': the label, then the help if there is one."""
    return label if help_text is None else {lang: f"{label[lang]}: {help_text[lang]}" for lang in label}


def _joined(*texts: Text) -> Text:
    return {lang: " – ".join(text[lang] for text in texts) for lang in texts[0]}


def _item_entries(domain: Domain, item: Item) -> Iterator[CatalogueEntry]:
    name = f"{domain.id}.{item.id}"
    if item.block is None:
        spec = FactSpec(
            name=name, domain=domain.id, domain_title=domain.title, type=_value_type(item),
            label=item.label, description=_described(item.label, item.help),
            derivation=f"answer to item `{name}`", values=tuple(o.value for o in item.options),
            unit=item.unit, minimum=item.minimum, maximum=item.maximum,
        )
        yield CatalogueEntry(spec, _item_answer(domain.id, item))
        return
    for substance in item.block.substances:
        for question in substance.fields:
            if question.type is ItemType.CHOICES:
                continue  # several values at once: read through derived facts (rus.injecting)
            spec = FactSpec(
                name=f"{name}.{substance.id}.{question.id}", domain=domain.id,
                domain_title=domain.title, type=_value_type(question),
                label=_joined(substance.label, question.label),
                description=_joined(item.label, substance.label, question.label),
                derivation=(f"answer `{question.id}` for `{substance.id}` in item `{name}`"
                            + ("" if question.id == "used" else "; unknown unless used is yes")),
                values=tuple(o.value for o in question.options), unit=question.unit,
                minimum=question.minimum, maximum=question.maximum,
            )
            yield CatalogueEntry(spec, _substance_answer(domain.id, item, substance, question.id))


def domain_entries(domain: Domain) -> list[CatalogueEntry]:
    """The facts one domain gives: its items' answers, then its rating."""
    entries = [entry for item in domain.items for entry in _item_entries(domain, item)]
    rating = FactSpec(
        name=domain.rating_fact, domain=domain.id, domain_title=domain.title, type=FactType.INT,
        label=domain.rating_label, description=domain.rating_label,
        derivation=f"the clinician's 0–4 rating of domain `{domain.id}`",
        minimum=min(a.value for a in domain.anchors), maximum=max(a.value for a in domain.anchors),
    )
    return [*entries, CatalogueEntry(rating, _rating_answer(domain))]
