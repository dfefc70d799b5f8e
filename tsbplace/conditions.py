"""The rule condition language: a small, closed set of operators over named facts.

A condition is plain data (from TOML): ``{fact, op, value}`` or ``{all: [...]}``,
``{any: [...]}``, ``{not: ...}``. Evaluation is three-valued (Kleene logic): a
comparison on a fact that is not known yet is ``None`` ("unknown"), never a silent
False, so the engine can say which missing facts could change its suggestion.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

Truth = bool | None  # None = unknown
Facts = Mapping[str, Any]  # a missing key or a None value is an unknown fact

_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
ORDERING_OPS = frozenset({"<", "<=", ">", ">="})


def evaluate(condition: Mapping[str, Any], facts: Facts) -> Truth:
    """True, False, or None when the answer depends on an unknown fact."""
    if "all" in condition:
        results = [evaluate(part, facts) for part in condition["all"]]
        if False in results:
            return False
        return None if None in results else True
    if "any" in condition:
        results = [evaluate(part, facts) for part in condition["any"]]
        if True in results:
            return True
        return None if None in results else False
    if "not" in condition:
        inner = evaluate(condition["not"], facts)
        return None if inner is None else not inner
    value = facts.get(condition["fact"])
    if value is None:
        return None
    if condition["op"] == "in":
        return value in condition["value"]
    return _COMPARE[condition["op"]](value, condition["value"])


def condition_facts(condition: Mapping[str, Any]) -> set[str]:
    """Every fact name a condition reads."""
    if "all" in condition or "any" in condition:
        parts: Sequence[Mapping[str, Any]] = condition.get("all") or condition["any"]
        return set().union(*(condition_facts(part) for part in parts))
    if "not" in condition:
        return condition_facts(condition["not"])
    return {condition["fact"]}


def matched_facts(condition: Mapping[str, Any], facts: Facts) -> dict[str, Any]:
    """The known facts a condition read, with their values: the evidence for a fired rule."""
    return {name: facts[name] for name in sorted(condition_facts(condition)) if facts.get(name) is not None}


def unknown_facts(condition: Mapping[str, Any], facts: Facts) -> list[str]:
    """The facts a condition reads that are not known yet."""
    return sorted(name for name in condition_facts(condition) if facts.get(name) is None)


def condition_problems(
    condition: Mapping[str, Any], known_facts: set[str], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Static checks the JSON Schema cannot make: unknown fact names, ordering on text."""
    for key in ("all", "any"):
        if key in condition:
            for index, part in enumerate(condition[key]):
                yield from condition_problems(part, known_facts, (*path, key, index))
            return
    if "not" in condition:
        yield from condition_problems(condition["not"], known_facts, (*path, "not"))
        return
    if condition["fact"] not in known_facts:
        yield (*path, "fact"), f"unknown fact {condition['fact']!r}"
    if condition["op"] in ORDERING_OPS and not isinstance(condition["value"], int | float):
        yield (*path, "value"), f"operator {condition['op']!r} needs a number"
