"""Synthetic answers built from the content itself: a legal value for every item type, a
complete answer set for a domain, and a value of the wrong type for every item."""

from __future__ import annotations

from typing import Any

from tsbplace.content.model import Domain, Item, ItemType, SubstanceBlock, SubstanceField, ValueRules

PAST_DATE = "2024-02-29"


def _number(rules: ValueRules) -> int | float:
    assert rules.minimum is not None and rules.maximum is not None
    middle = (rules.minimum + rules.maximum) / 2
    return middle if rules.decimals else int(middle)


def legal_value(question: Item | SubstanceField) -> Any:
    """One legal answer for a question that is not a substances item."""
    match question.type:
        case ItemType.CHOICE:
            return question.options[-1].value
        case ItemType.CHOICES:
            return [option.value for option in question.options]
        case ItemType.YESNO:
            return True
        case ItemType.NUMBER:
            return _number(question)
        case ItemType.DATE:
            return PAST_DATE
        case ItemType.TEXT:
            return "Syntetisk svar: Áile bor i Kárášjohka."
    raise AssertionError(question.type)


def every_substance_used(block: SubstanceBlock) -> dict[str, dict[str, Any]]:
    """Every substance used, with every detail it asks answered (routes include injecting)."""
    return {s.id: {f.id: legal_value(f) for f in s.fields} for s in block.substances}


def complete_answers(domain: Domain) -> dict[str, Any]:
    """Every item and the rating answered with a legal value; a choice tied to a substances
    item names one of the substances marked as used."""
    answers: dict[str, Any] = {}
    for item in domain.items:
        if item.block is not None:
            answers[item.id] = every_substance_used(item.block)
        else:
            answers[item.id] = legal_value(item)
    answers["rating"] = domain.anchors[-1].value
    return answers


def wrong_value(item: Item) -> Any:
    """A value of the wrong type (or shape) for ``item``."""
    match item.type:
        case ItemType.CHOICE:
            return 3
        case ItemType.YESNO:
            return "ja"
        case ItemType.NUMBER:
            return "12"
        case ItemType.DATE:
            return "17.05.2024"
        case ItemType.TEXT:
            return 42
        case ItemType.SUBSTANCES:
            return ["alcohol"]
    raise AssertionError(item.type)
