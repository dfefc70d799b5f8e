"""Derived facts: the closed set of ways ``rules/facts.toml`` may compute a fact.

Each entry names a ``derive.kind``; the numbers and values it needs (an age limit, the
injection sites that count) stay in the TOML file, so no clinical number lives here:

- ``age``: whole years from the context's birth date to its assessment date;
- ``context``: a value the caller passes in :class:`~tsbplace.content.facts.FactContext`;
- ``condition``: true, false or unknown by the rule language, over facts defined earlier;
- ``same_as``: another fact's value under a plainer name;
- ``any_substance``: whether any substance of a substances item has one of some values in a
  field (route ``injecting``); a yes/no ``answer_item`` also counts, and its "no" decides
  unless a substance says otherwise;
- ``used_count_at_least``: whether at least ``count`` substances are marked as used.

Every kind is three-valued: when the answers cannot settle it, the fact is ``None``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from tsbplace.conditions import condition_problems, evaluate
from tsbplace.content.facts import (
    CatalogueEntry,
    ConditionPath,
    Derive,
    FactCatalogue,
    FactInputs,
    FactSpec,
    FactType,
)
from tsbplace.content.model import USED, Domain, Item, ItemType, Substance, Text

Problem = tuple[ConditionPath, str]
CONTEXT_FIELDS: Mapping[str, FactType] = {"sex": FactType.CHOICE}


def _find_item(ref: str, domains: Sequence[Domain]) -> tuple[Domain, Item] | None:
    """``"rus.substances"`` → the domain and item it names, or None."""
    parts = ref.split(".")
    if len(parts) != 2:
        return None
    for domain in domains:
        if domain.id == parts[0]:
            return next(((domain, i) for i in domain.items if i.id == parts[1]), None)
    return None


def kleene_any(results: Iterable[bool | None]) -> bool | None:
    """True if any is true, else unknown if any is unknown, else false."""
    collected = list(results)
    if True in collected:
        return True
    return None if None in collected else False


def _age(inputs: FactInputs) -> int | None:
    context = inputs.context
    if context is None or context.birth_date is None or context.assessment_date is None:
        return None
    born, on = context.birth_date, context.assessment_date
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return years if years >= 0 else None


def _context(field: str, values: tuple[str, ...]) -> Derive:
    def derive(inputs: FactInputs) -> Any:
        value = getattr(inputs.context, field, None)
        return value if value in values else None
    return derive


def _substance_has(substance: Substance, given: Mapping[str, Any], field: str,
                   values: frozenset[str]) -> bool | None:
    used = given.get(USED)
    if used is not True:
        return None if used is None else False
    if not substance.has_field(field):
        return False
    relevant = substance.field(field).relevant(given)
    if relevant is not True:
        return relevant
    value = given.get(field)
    if value is None:
        return None
    chosen = value if isinstance(value, list | tuple) else [value]
    return bool(values.intersection(chosen))


def _any_substance(domain: Domain, item: Item, field: str, values: frozenset[str],
                   answer_item: Item | None) -> Derive:
    block = item.block
    assert block is not None

    def derive(inputs: FactInputs) -> Any:
        given = inputs.answers.get(domain.id, {})
        cleaned = inputs.substances(domain.id, item)
        found = kleene_any(_substance_has(s, cleaned.get(s.id, {}), field, values)
                           for s in block.substances)
        if answer_item is None:
            return found
        direct = given.get(answer_item.id)
        if direct is True or found is True:
            return True
        return False if direct is False and answer_item.accepts(direct) else found
    return derive


def _used_count_at_least(domain: Domain, item: Item, count: int) -> Derive:
    block = item.block
    assert block is not None

    def derive(inputs: FactInputs) -> Any:
        cleaned = inputs.substances(domain.id, item)
        used = [cleaned.get(s.id, {}).get(USED) for s in block.substances]
        if used.count(True) >= count:
            return True
        return False if used.count(True) + used.count(None) < count else None
    return derive


def condition_text(condition: Mapping[str, Any]) -> str:
    """A condition as one line of text, for the facts table."""
    for key, joiner in (("all", " and "), ("any", " or ")):
        if key in condition:
            return "(" + joiner.join(condition_text(part) for part in condition[key]) + ")"
    if "of" in condition:
        listed = "; ".join(condition_text(part) for part in condition["of"])
        return f"at least {condition['at_least']} of ({listed})"
    if "not" in condition:
        return f"not {condition_text(condition['not'])}"
    return f"`{condition['fact']}` {condition['op']} {json.dumps(condition['value'], ensure_ascii=False)}"


# --- static checks ----------------------------------------------------------------------

def _block_item(data: Mapping[str, Any], domains: Sequence[Domain]) -> tuple[Domain, Item] | None:
    found = _find_item(data["item"], domains)
    return found if found is not None and found[1].block is not None else None


def _any_substance_problems(derive: Mapping[str, Any], domains: Sequence[Domain]) -> list[Problem]:
    found = _block_item(derive, domains)
    if found is None:
        return [(("derive", "item"), f"{derive['item']!r} is not a substances item")]
    domain, item = found
    assert item.block is not None
    question = next((f for f in item.block.fields if f.id == derive["field"]), None)
    if question is None or question.type not in (ItemType.CHOICE, ItemType.CHOICES):
        return [(("derive", "field"), f"{derive['field']!r} is not a choice field of {derive['item']!r}")]
    problems: list[Problem] = [
        (("derive", "values", index), f"{value!r} is not an option of {derive['field']!r}")
        for index, value in enumerate(derive["values"]) if value not in question.option_values()
    ]
    if "answer_item" in derive:
        answer = _find_item(derive["answer_item"], domains)
        if answer is None or answer[0] is not domain or answer[1].type is not ItemType.YESNO:
            problems.append((("derive", "answer_item"),
                             f"{derive['answer_item']!r} is not a yes/no item of domain {domain.id!r}"))
    return problems


def _used_count_problems(derive: Mapping[str, Any], domains: Sequence[Domain]) -> list[Problem]:
    found = _block_item(derive, domains)
    if found is None:
        return [(("derive", "item"), f"{derive['item']!r} is not a substances item")]
    assert found[1].block is not None
    if derive["count"] > len(found[1].block.substances):
        return [(("derive", "count"), "is more than the number of substances")]
    return []


def _condition_problems(derive: Mapping[str, Any], catalogue: FactCatalogue) -> list[Problem]:
    names = set(catalogue.names())
    found = [(("derive", "when", *path), message)
             for path, message in condition_problems(derive["when"], names)]
    found += [(("derive", "when", *path), message)
              for path, message in catalogue.condition_problems(derive["when"])]
    return found


def _same_as_problems(data: Mapping[str, Any], catalogue: FactCatalogue) -> list[Problem]:
    source = data["derive"]["fact"]
    if source not in catalogue:
        return [(("derive", "fact"), f"unknown fact {source!r} (or defined after this one)")]
    spec = catalogue.spec(source)
    if "values" in data and tuple(data["values"]) != spec.values:
        return [(("values",), f"must equal the values of {source!r}: {list(spec.values)}")]
    return []


def _expected_type(data: Mapping[str, Any], catalogue: FactCatalogue) -> FactType | None:
    derive = data["derive"]
    match derive["kind"]:
        case "age":
            return FactType.INT
        case "context":
            return CONTEXT_FIELDS[derive["field"]]
        case "same_as":
            return catalogue.spec(derive["fact"]).type if derive["fact"] in catalogue else None
        case _:
            return FactType.BOOL


def derived_fact_problems(data: Mapping[str, Any], catalogue: FactCatalogue,
                          domains: Sequence[Domain], titles: Mapping[str, Text]) -> list[Problem]:
    """What is wrong with one ``[[fact]]`` entry, given the facts defined before it."""
    derive, name = data["derive"], data["name"]
    problems: list[Problem] = []
    if name.split(".")[0] not in titles:
        problems.append((("name",), f"{name.split('.')[0]!r} is neither a domain nor a [[group]]"))
    if name in catalogue and derive.get("answer_item") != name:
        problems.append((("name",), f"fact {name!r} is already defined"))
    checks: Mapping[str, Callable[[], list[Problem]]] = {
        "condition": lambda: _condition_problems(derive, catalogue),
        "same_as": lambda: _same_as_problems(data, catalogue),
        "any_substance": lambda: _any_substance_problems(derive, domains),
        "used_count_at_least": lambda: _used_count_problems(derive, domains),
    }
    problems += checks[derive["kind"]]() if derive["kind"] in checks else []
    expected = _expected_type(data, catalogue)
    if expected is not None and data["type"] != expected:
        problems.append((("type",), f"a {derive['kind']!r} fact has type {expected.value!r}"))
    return problems


# --- building ---------------------------------------------------------------------------

def _derivation(data: Mapping[str, Any]) -> str:
    """How the value is found, in one line for the facts table."""
    derive = data["derive"]
    match derive["kind"]:
        case "age":
            return "whole years from the context's birth date to its assessment date"
        case "context":
            return f"the context's `{derive['field']}`"
        case "condition":
            return condition_text(derive["when"])
        case "same_as":
            return f"same as `{derive['fact']}`"
        case "any_substance":
            text = (f"any substance in `{derive['item']}` with `{derive['field']}` in "
                    f"{json.dumps(derive['values'])}")
            if "answer_item" in derive:
                text += (f"; or item `{derive['answer_item']}` answered yes (answered no: false"
                         " unless a substance says otherwise)")
            return text
        case _:
            return f"at least {derive['count']} substances in `{derive['item']}` marked used"


def _derive_function(data: Mapping[str, Any], domains: Sequence[Domain]) -> Derive:
    derive = data["derive"]
    match derive["kind"]:
        case "age":
            return _age
        case "context":
            return _context(derive["field"], tuple(data.get("values", ())))
        case "condition":
            when = derive["when"]
            return lambda inputs: evaluate(when, inputs.known)
        case "same_as":
            source = derive["fact"]
            return lambda inputs: inputs.known.get(source)
        case "any_substance":
            found = _block_item(derive, domains)
            assert found is not None
            answer = _find_item(derive["answer_item"], domains) if "answer_item" in derive else None
            return _any_substance(*found, derive["field"], frozenset(derive["values"]),
                                  answer[1] if answer else None)
        case _:
            found = _block_item(derive, domains)
            assert found is not None
            return _used_count_at_least(*found, derive["count"])


def derived_fact_entry(data: Mapping[str, Any], catalogue: FactCatalogue,
                       domains: Sequence[Domain], titles: Mapping[str, Text]) -> CatalogueEntry:
    """The catalogue entry of one valid ``[[fact]]`` (check it with
    :func:`derived_fact_problems` first)."""
    source = catalogue.spec(data["derive"]["fact"]) if data["derive"]["kind"] == "same_as" else None
    prefix = data["name"].split(".")[0]
    spec = FactSpec(
        name=data["name"], domain=prefix, domain_title=titles[prefix], type=FactType(data["type"]),
        label=data["label"], description=data["description"],
        derivation=_derivation(data),
        values=tuple(data.get("values", source.values if source else ())),
        unit=data.get("unit", source.unit if source else None),
        minimum=data.get("minimum", source.minimum if source else None),
        maximum=data.get("maximum", source.maximum if source else None),
        source=data["source"],
    )
    return CatalogueEntry(spec, _derive_function(data, domains))


def replaces_item_fact(data: Mapping[str, Any]) -> bool:
    """Whether this derived fact refines the plain fact of its own ``answer_item``."""
    return bool(data["derive"].get("answer_item") == data["name"])
