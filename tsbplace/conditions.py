"""The rule condition language: a small, closed set of operators over named facts.

A condition is plain data (from TOML): ``{fact, op, value}`` or ``{all: [...]}``,
``{any: [...]}``, ``{not: ...}`` and the count ``{at_least: n, of: [...]}``. Evaluation is
three-valued (Kleene logic): a comparison on a fact that is not known yet is ``None``
("unknown"), never a silent False, so the engine can say which missing facts could change
its suggestion. ``at_least`` is true when at least ``n`` parts are true, false when even
every unknown part turning true could not reach ``n``, and unknown otherwise.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

Truth = bool | None  # None = unknown
Facts = Mapping[str, Any]  # a missing key or a None value is an unknown fact
Condition = Mapping[str, Any]
Path = tuple[str | int, ...]

_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
ORDERING_OPS = frozenset({"<", "<=", ">", ">="})
COMBINING_KEYS = ("all", "any", "of")  # the keys whose value is a list of conditions


def parts(condition: Condition) -> Iterator[tuple[Path, Condition]]:
    """The direct sub-conditions of ``condition`` with their key paths (none for a comparison)."""
    for key in COMBINING_KEYS:
        if key in condition:
            for index, part in enumerate(condition[key]):
                yield (key, index), part
            return
    if "not" in condition:
        yield ("not",), condition["not"]


def is_comparison(condition: Condition) -> bool:
    return "fact" in condition


def _count(results: Sequence[Truth], needed: int) -> Truth:
    true = results.count(True)
    if true >= needed:
        return True
    return False if true + results.count(None) < needed else None


def evaluate(condition: Condition, facts: Facts) -> Truth:
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
    if "of" in condition:
        return _count([evaluate(part, facts) for part in condition["of"]], condition["at_least"])
    if "not" in condition:
        inner = evaluate(condition["not"], facts)
        return None if inner is None else not inner
    value = facts.get(condition["fact"])
    if value is None:
        return None
    if condition["op"] == "in":
        return value in condition["value"]
    return _COMPARE[condition["op"]](value, condition["value"])


def condition_facts(condition: Condition) -> set[str]:
    """Every fact name a condition reads."""
    if is_comparison(condition):
        return {condition["fact"]}
    return set().union(*(condition_facts(part) for _, part in parts(condition)))


def _evidence(condition: Condition, facts: Facts) -> set[str]:
    """The known facts that settle the condition's value: for a true ``any`` or ``at_least``
    only the true parts count, for a false ``all`` only the false parts, and so on."""
    if is_comparison(condition):
        return {condition["fact"]} if facts.get(condition["fact"]) is not None else set()
    truth = evaluate(condition, facts)
    deciding = [part for _, part in parts(condition)
                if "not" in condition or evaluate(part, facts) is truth]
    return set().union(*(_evidence(part, facts) for part in deciding))


def matched_facts(condition: Condition, facts: Facts) -> dict[str, Any]:
    """The known facts behind a condition's value, with their values: the evidence for a
    fired rule (a true ``any`` names only the parts that were true)."""
    return {name: facts[name] for name in sorted(_evidence(condition, facts))}


def unknown_facts(condition: Condition, facts: Facts) -> list[str]:
    """The facts a condition reads that are not known yet."""
    return sorted(name for name in condition_facts(condition) if facts.get(name) is None)


def undecided_facts(condition: Condition, facts: Facts) -> list[str]:
    """The unknown facts whose values could still change a condition that is unknown; empty
    when the condition is already true or false (an unknown part that cannot matter is left
    out)."""
    if evaluate(condition, facts) is not None:
        return []
    if is_comparison(condition):
        return [condition["fact"]]
    return sorted(set().union(*(undecided_facts(part, facts) for _, part in parts(condition))))


def condition_problems(
    condition: Condition, known_facts: set[str], path: Path = ()
) -> Iterator[tuple[Path, str]]:
    """Static checks the JSON Schema cannot make: unknown fact names, ordering on text, a
    count that can never be reached."""
    if not is_comparison(condition):
        if "of" in condition and condition["at_least"] > len(condition["of"]):
            yield ((*path, "at_least"),
                   f"at_least {condition['at_least']} is more than the {len(condition['of'])} "
                   "conditions in `of`: it could never be true")
        for where, part in parts(condition):
            yield from condition_problems(part, known_facts, (*path, *where))
        return
    if condition["fact"] not in known_facts:
        yield (*path, "fact"), f"unknown fact {condition['fact']!r}"
    if condition["op"] in ORDERING_OPS and not isinstance(condition["value"], int | float):
        yield (*path, "value"), f"operator {condition['op']!r} needs a number"
