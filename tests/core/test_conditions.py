"""The condition language: three-valued logic, fact collection, static checks."""

from __future__ import annotations

import pytest

from tsbplace.conditions import (
    condition_facts,
    condition_problems,
    evaluate,
    matched_facts,
    unknown_facts,
)

RATING_3 = {"fact": "rus.rating", "op": ">=", "value": 3}
ALCOHOL = {"fact": "rus.main_substance", "op": "in", "value": ["alcohol", "ghb"]}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [({"rus.rating": 3}, True), ({"rus.rating": 2}, False), ({}, None), ({"rus.rating": None}, None)],
)
def test_comparison_is_unknown_without_the_fact(facts: dict, expected: bool | None) -> None:
    assert evaluate(RATING_3, facts) is expected


@pytest.mark.parametrize("op,value,fact,expected", [
    ("==", 2, 2, True), ("!=", 2, 2, False), ("<", 3, 2, True), ("<=", 2, 2, True),
    (">", 2, 2, False), (">=", 2, 3, True),
])
def test_every_comparison_operator(op: str, value: int, fact: int, expected: bool) -> None:
    assert evaluate({"fact": "a.b", "op": op, "value": value}, {"a.b": fact}) is expected


def test_membership() -> None:
    assert evaluate(ALCOHOL, {"rus.main_substance": "ghb"}) is True
    assert evaluate(ALCOHOL, {"rus.main_substance": "cannabis"}) is False


@pytest.mark.parametrize(
    ("facts", "all_expected", "any_expected"),
    [
        ({"rus.rating": 3, "rus.main_substance": "alcohol"}, True, True),
        ({"rus.rating": 1, "rus.main_substance": "alcohol"}, False, True),
        ({"rus.rating": 1, "rus.main_substance": "cannabis"}, False, False),
        ({"rus.main_substance": "alcohol"}, None, True),     # unknown AND true = unknown
        ({"rus.main_substance": "cannabis"}, False, None),   # unknown AND false = false
        ({}, None, None),
    ],
)
def test_all_and_any_follow_kleene_logic(facts: dict, all_expected: bool | None,
                                         any_expected: bool | None) -> None:
    assert evaluate({"all": [RATING_3, ALCOHOL]}, facts) is all_expected
    assert evaluate({"any": [RATING_3, ALCOHOL]}, facts) is any_expected


def test_not_keeps_unknown_unknown() -> None:
    assert evaluate({"not": RATING_3}, {"rus.rating": 1}) is True
    assert evaluate({"not": RATING_3}, {}) is None


def test_facts_read_matched_and_unknown() -> None:
    condition = {"any": [RATING_3, {"not": ALCOHOL}]}
    assert condition_facts(condition) == {"rus.rating", "rus.main_substance"}
    facts = {"rus.rating": 4}
    assert matched_facts(condition, facts) == {"rus.rating": 4}
    assert unknown_facts(condition, facts) == ["rus.main_substance"]


def test_static_checks_name_the_path() -> None:
    condition = {"all": [RATING_3, {"not": {"fact": "x.y", "op": ">", "value": "high"}}]}
    problems = list(condition_problems(condition, {"rus.rating"}))
    assert problems == [
        (("all", 1, "not", "fact"), "unknown fact 'x.y'"),
        (("all", 1, "not", "value"), "operator '>' needs a number"),
    ]
