"""Typed, immutable view of the clinical content in ``rules/``.

The loader builds these from validated TOML; everything downstream (engine, GUI,
letters) reads them and never the raw files. Answers are plain JSON values: ``str`` for
a choice, ``bool`` for yes/no, ``int`` (or ``float`` with ``decimals``) for a number,
``"YYYY-MM-DD"`` for a date, ``str`` for text, and for a substances item one object per
substance, ``{"alcohol": {"used": true, "units_per_day": 12}, ...}``. ``None`` or a left-out
key always means "not answered".

The rule set's types live in :mod:`tsbplace.content.ruleset` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tsbplace.content.ruleset import Flag as Flag
from tsbplace.content.ruleset import HitPolicy as HitPolicy
from tsbplace.content.ruleset import Output as Output
from tsbplace.content.ruleset import OutputSetting as OutputSetting
from tsbplace.content.ruleset import OutputValue as OutputValue
from tsbplace.content.ruleset import Rule as Rule
from tsbplace.content.ruleset import Ruleset as Ruleset
from tsbplace.content.ruleset import RuleTest as RuleTest
from tsbplace.content.ruleset import Scalar as Scalar
from tsbplace.content.ruleset import Text as Text
from tsbplace.i18n import pick

if TYPE_CHECKING:
    from tsbplace.content.codes import CodeLists
    from tsbplace.content.facts import FactCatalogue
    from tsbplace.instruments.model import Instrument
    from tsbplace.legal.model import Legal


USED = "used"  # the yes/no field every substances item asks first
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ItemType(StrEnum):
    CHOICE = "choice"
    CHOICES = "choices"  # several options at once; only inside a substances item
    YESNO = "yesno"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    SUBSTANCES = "substances"


class ProblemCode(StrEnum):
    """Why an answer was refused; the case service turns each into a translated message."""

    UNKNOWN_ITEM = "unknown_item"
    BAD_RATING = "bad_rating"
    BAD_VALUE = "bad_value"
    FUTURE_DATE = "future_date"
    UNKNOWN_SUBSTANCE = "unknown_substance"
    UNKNOWN_FIELD = "unknown_field"
    DETAIL_WITHOUT_USE = "detail_without_use"
    NOT_RELEVANT = "not_relevant"
    NOT_MARKED_USED = "not_marked_used"


@dataclass(frozen=True)
class AnswerProblem:
    """One refused answer: ``path`` inside the domain (``("substances", "alcohol", "used")``)."""

    path: tuple[str, ...]
    code: ProblemCode


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


def parse_iso_date(value: object) -> dt.date | None:
    """The date of a ``"YYYY-MM-DD"`` answer, or None if ``value`` is not one."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True, kw_only=True)
class ValueRules:
    """What one answer may be; shared by items and the fields of a substances item."""

    unit: Text | None = None
    minimum: float | None = None
    maximum: float | None = None
    decimals: bool = False
    options: tuple[Option, ...] = ()
    earliest: dt.date | None = None
    latest: dt.date | None = None
    not_in_future: bool = False

    def option_values(self) -> frozenset[str]:
        return frozenset(option.value for option in self.options)


def _number_ok(rules: ValueRules, value: object) -> bool:
    allowed: tuple[type, ...] = (int, float) if rules.decimals else (int,)
    return (
        isinstance(value, allowed)
        and not isinstance(value, bool)
        and rules.minimum is not None
        and rules.maximum is not None
        and rules.minimum <= value <= rules.maximum  # type: ignore[operator]
    )


def _date_problem(rules: ValueRules, value: object, today: dt.date) -> ProblemCode | None:
    day = parse_iso_date(value)
    if day is None or (rules.earliest and day < rules.earliest) or (rules.latest and day > rules.latest):
        return ProblemCode.BAD_VALUE
    if rules.not_in_future and day > today:
        return ProblemCode.FUTURE_DATE
    return None


def _choices_ok(rules: ValueRules, value: object) -> bool:
    # The type check comes before set(): a list holding lists is refused, not a TypeError.
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(v, str) and v in rules.option_values() for v in value)
        and len(set(value)) == len(value)
    )


def value_problem(
    kind: ItemType, rules: ValueRules, value: object, today: dt.date | None = None
) -> ProblemCode | None:
    """Why ``value`` is not a legal single answer of type ``kind``, or None if it is.

    ``None`` (unanswered) is always legal. Substances answers are checked by
    :class:`SubstanceBlock`, not here.
    """
    if value is None:
        return None
    match kind:
        case ItemType.CHOICE:
            ok = isinstance(value, str) and value in rules.option_values()
        case ItemType.CHOICES:
            ok = _choices_ok(rules, value)
        case ItemType.YESNO:
            ok = isinstance(value, bool)
        case ItemType.NUMBER:
            ok = _number_ok(rules, value)
        case ItemType.DATE:
            return _date_problem(rules, value, today or dt.date.today())
        case ItemType.TEXT:
            ok = isinstance(value, str)
        case ItemType.SUBSTANCES:
            ok = False
    return None if ok else ProblemCode.BAD_VALUE


@dataclass(frozen=True)
class FieldCondition:
    """``relevant_if``: a field is asked only when ``field``'s answer includes ``includes``."""

    field: str
    includes: str


@dataclass(frozen=True)
class SubstanceField(ValueRules):
    """One question asked about a substance (used, amount, route, last use, ...)."""

    id: str
    type: ItemType
    label: Text
    help: Text | None = None
    required: bool = False
    relevant_if: FieldCondition | None = None

    def relevant(self, answer: Mapping[str, Any]) -> bool | None:
        """Whether this field applies given the other answers for the substance (None: unknown)."""
        if self.relevant_if is None:
            return True
        other = answer.get(self.relevant_if.field)
        if other is None:
            return None
        chosen = other if isinstance(other, list | tuple) else [other]
        return self.relevant_if.includes in chosen


@dataclass(frozen=True)
class Substance:
    id: str
    label: Text
    fields: tuple[SubstanceField, ...]  # asked for this substance, in order; ``used`` first
    amount_field: str | None = None

    def field(self, field_id: str) -> SubstanceField:
        for candidate in self.fields:
            if candidate.id == field_id:
                return candidate
        raise KeyError(f"substance {self.id!r} has no field {field_id!r}")

    def has_field(self, field_id: str) -> bool:
        return any(candidate.id == field_id for candidate in self.fields)


@dataclass(frozen=True)
class SubstanceBlock:
    """The substances item: per substance, ``used`` and the details asked when it is used."""

    fields: tuple[SubstanceField, ...]  # the shared fields, as declared
    substances: tuple[Substance, ...]

    def substance(self, substance_id: str) -> Substance:
        for candidate in self.substances:
            if candidate.id == substance_id:
                return candidate
        raise KeyError(f"no substance {substance_id!r}")

    def clean(self, value: object) -> dict[str, dict[str, Any]]:
        """The legal part of an answer: unknown or illegal entries dropped, and nothing but
        ``used`` kept for a substance not marked as used."""
        cleaned: dict[str, dict[str, Any]] = {}
        if not isinstance(value, Mapping):
            return cleaned
        for substance in self.substances:
            given = value.get(substance.id)
            if not isinstance(given, Mapping):
                continue
            kept = {
                f.id: given[f.id] for f in substance.fields
                if given.get(f.id) is not None and value_problem(f.type, f, given[f.id]) is None
            }
            if kept.get(USED) is not True:
                kept = {USED: kept[USED]} if USED in kept else {}
            cleaned[substance.id] = kept
        return cleaned

    def problems(self, value: object, today: dt.date | None = None) -> list[AnswerProblem]:
        """Every refused part of an answer, with its path ``(substance, field)``."""
        if value is None:
            return []
        if not isinstance(value, Mapping):
            return [AnswerProblem((), ProblemCode.BAD_VALUE)]
        found = []
        for substance_id, given in value.items():
            try:
                substance = self.substance(substance_id)
            except KeyError:
                found.append(AnswerProblem((str(substance_id),), ProblemCode.UNKNOWN_SUBSTANCE))
                continue
            found += self._substance_problems(substance, given, today)
        return found

    @staticmethod
    def _substance_problems(
        substance: Substance, given: object, today: dt.date | None
    ) -> list[AnswerProblem]:
        if given is None:
            return []
        if not isinstance(given, Mapping):
            return [AnswerProblem((substance.id,), ProblemCode.BAD_VALUE)]
        found = []
        for field_id, value in given.items():
            path = (substance.id, str(field_id))
            if not substance.has_field(field_id):
                found.append(AnswerProblem(path, ProblemCode.UNKNOWN_FIELD))
                continue
            question = substance.field(field_id)
            if value is None:
                continue
            if (code := value_problem(question.type, question, value, today)) is not None:
                found.append(AnswerProblem(path, code))
            elif field_id != USED and given.get(USED) is False:
                found.append(AnswerProblem(path, ProblemCode.DETAIL_WITHOUT_USE))
            elif question.relevant(given) is False:
                found.append(AnswerProblem(path, ProblemCode.NOT_RELEVANT))
        return found

    def unanswered(self, value: object) -> list[tuple[str, str]]:
        """(substance, field) still needed before signing: ``used`` for every substance, and
        every required field that applies to a substance marked as used."""
        cleaned = self.clean(value)
        gaps = []
        for substance in self.substances:
            given = cleaned.get(substance.id, {})
            if given.get(USED) is None:
                gaps.append((substance.id, USED))
            if given.get(USED) is not True:
                continue
            gaps += [
                (substance.id, f.id) for f in substance.fields
                if f.required and f.id != USED and given.get(f.id) is None and f.relevant(given) is not False
            ]
        return gaps


@dataclass(frozen=True)
class Item(ValueRules):
    id: str
    type: ItemType
    required: bool
    label: Text
    help: Text | None = None
    covers: tuple[str, ...] = ()  # guideline area ids
    substance_of: str | None = None  # choice: a substances item whose used ones are allowed
    block: SubstanceBlock | None = None  # substances: what is asked per substance

    def value_problems(self, value: object, today: dt.date | None = None) -> list[AnswerProblem]:
        """Why ``value`` is not a legal answer of this item (empty if it is)."""
        if self.block is not None:
            return [AnswerProblem((self.id, *p.path), p.code) for p in self.block.problems(value, today)]
        code = value_problem(self.type, self, value, today)
        return [] if code is None else [AnswerProblem((self.id,), code)]

    def accepts(self, value: object) -> bool:
        """Whether ``value`` is a legal answer (``None`` means unanswered and is legal)."""
        return not self.value_problems(value)

    def is_answered(self, value: object) -> bool:
        """Whether the item is answered fully enough to sign (a substances item: every
        substance's ``used`` and the required details of the used ones)."""
        if value is None or not self.accepts(value):
            return False
        return self.block is None or not self.block.unanswered(value)


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
    rating_required: bool = True
    instruments: tuple[str, ...] = ()  # ids of the instruments filled in on this screen

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"domain {self.id!r} has no item {item_id!r}")

    @property
    def rating_fact(self) -> str:
        return f"{self.id}.rating"

    def accepts_rating(self, value: object) -> bool:
        """Whether ``value`` is one of the anchors' values (``True`` is not a 1)."""
        return (isinstance(value, int) and not isinstance(value, bool)
                and value in {anchor.value for anchor in self.anchors})

    def answer_problems(self, given: Mapping[str, Any], today: dt.date | None = None) -> list[AnswerProblem]:
        """Every answer of this domain the content refuses, item by item, then across items."""
        found: list[AnswerProblem] = []
        for key, value in given.items():
            if key == "rating":
                if value is not None and not self.accepts_rating(value):
                    found.append(AnswerProblem(("rating",), ProblemCode.BAD_RATING))
                continue
            try:
                item = self.item(key)
            except KeyError:
                found.append(AnswerProblem((str(key),), ProblemCode.UNKNOWN_ITEM))
                continue
            found += item.value_problems(value, today)
        return found + list(self._substance_of_problems(given))

    def _substance_of_problems(self, given: Mapping[str, Any]) -> Iterator[AnswerProblem]:
        """A choice tied to a substances item must name a substance not marked as unused."""
        for item in self.items:
            chosen = given.get(item.id)
            if item.substance_of is None or chosen is None or not item.accepts(chosen):
                continue
            block = self.item(item.substance_of).block
            assert block is not None  # the loader checked substance_of
            if block.clean(given.get(item.substance_of)).get(chosen, {}).get(USED) is False:
                yield AnswerProblem((item.id,), ProblemCode.NOT_MARKED_USED)

    def unanswered_required(self, given: Mapping[str, Any]) -> list[str]:
        """Ids of required items (and ``rating``) not yet answered fully enough to sign."""
        gaps = [item.id for item in self.items if item.required and not item.is_answered(given.get(item.id))]
        if self.rating_required and given.get("rating") is None:
            gaps.append("rating")
        return gaps


@dataclass(frozen=True)
class GuidelineArea:
    """One of the areas the national guideline asks TSB to map (rules/guideline_areas.toml)."""

    id: str
    name: Text
    always_assess: bool = False


@dataclass(frozen=True)
class Content:
    """Everything loaded from ``rules/``, validated and cross-checked."""

    levels: tuple[Level, ...]
    domains: tuple[Domain, ...]
    ruleset: Ruleset
    areas: tuple[GuidelineArea, ...]
    facts: FactCatalogue  # every fact the engine can read (tsbplace.facts)
    instruments: tuple[Instrument, ...] = ()
    legal: Legal | None = None  # rules/legal.toml: deadlines, frist table, pakkeforløp
    outputs: tuple[Output, ...] = ()
    flags: tuple[Flag, ...] = ()
    codes: CodeLists | None = None  # rules/codes.toml: referral and decision code lists
    _levels_by_code: Mapping[str, Level] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_levels_by_code", {lvl.code: lvl for lvl in self.levels})

    def level(self, code: str) -> Level:
        return self._levels_by_code[code]

    def output(self, output_id: str) -> Output:
        for output in self.outputs:
            if output.id == output_id:
                return output
        raise KeyError(f"no output {output_id!r}")

    def flag(self, flag_id: str) -> Flag:
        for flag in self.flags:
            if flag.id == flag_id:
                return flag
        raise KeyError(f"no flag {flag_id!r}")

    def fact_domain(self, fact: str) -> str | None:
        """The intake domain a fact belongs to: its own domain, or for an instrument's fact the
        domain whose screen holds the instrument; None for patient facts."""
        group = self.facts.spec(fact).domain if fact in self.facts else fact.split(".")[0]
        if any(domain.id == group for domain in self.domains):
            return group
        parts = fact.split(".")
        if len(parts) > 1:
            for domain in self.domains:
                if parts[1] in domain.instruments:
                    return domain.id
        return None

    def instrument(self, instrument_id: str) -> Instrument:
        for instrument in self.instruments:
            if instrument.id == instrument_id:
                return instrument
        raise KeyError(f"no instrument {instrument_id!r}")

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(f"no domain {domain_id!r}")

    def area(self, area_id: str) -> GuidelineArea:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(f"no guideline area {area_id!r}")

    def items_covering(self, area_id: str) -> tuple[tuple[Domain, Item], ...]:
        """The items that cover one guideline area, in screen order."""
        return tuple((d, i) for d in self.domains for i in d.items if area_id in i.covers)

    def fact_names(self) -> tuple[str, ...]:
        return self.facts.names()

    def fact_label(self, fact: str, language: str | None = None) -> str:
        """How a person reads a fact: 'Rus og abstinens: Hovedrusmiddel' for 'rus.main_substance'."""
        return self.facts.label(fact, language)
