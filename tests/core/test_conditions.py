"""The condition language: three-valued logic, fact collection, static checks."""

from __future__ import annotations

import pytest

from tsbplace.conditions import (
    condition_facts,
    condition_problems,
    evaluate,
    matched_facts,
    undecided_facts,
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


HIGH = [{"fact": f"{domain}.rating", "op": ">=", "value": 3} for domain in ("rus", "psykisk", "bolig")]
TWO_OF_THREE = {"at_least": 2, "of": HIGH}


@pytest.mark.parametrize(("ratings", "expected"), [
    ((3, 4, None), True),     # two true already: the unknown cannot matter
    ((3, 4, 0), True),
    ((3, 1, 0), False),       # one true, none unknown
    ((3, 1, None), None),     # one true and one unknown: could still reach two
    ((1, None, None), None),
    ((1, 0, None), False),    # true + unknown = 1 < 2: can never be reached
    ((None, None, None), None),
])
def test_at_least_counts_three_valued(ratings: tuple[int | None, ...], expected: bool | None) -> None:
    facts = dict(zip(("rus.rating", "psykisk.rating", "bolig.rating"), ratings, strict=True))
    assert evaluate(TWO_OF_THREE, facts) is expected


def test_at_least_one_is_any_and_at_least_all_is_all() -> None:
    for facts in ({"rus.rating": 3}, {"rus.rating": 1, "psykisk.rating": 1, "bolig.rating": 1}, {},
                  {"rus.rating": 3, "psykisk.rating": 3, "bolig.rating": None}):
        assert evaluate({"at_least": 1, "of": HIGH}, facts) is evaluate({"any": HIGH}, facts)
        assert evaluate({"at_least": 3, "of": HIGH}, facts) is evaluate({"all": HIGH}, facts)


def test_a_count_names_only_its_true_parts_as_evidence() -> None:
    facts = {"rus.rating": 3, "psykisk.rating": 1, "bolig.rating": 4}
    assert matched_facts(TWO_OF_THREE, facts) == {"rus.rating": 3, "bolig.rating": 4}
    assert condition_facts(TWO_OF_THREE) == {"rus.rating", "psykisk.rating", "bolig.rating"}


def test_undecided_facts_are_only_those_that_could_still_decide() -> None:
    assert undecided_facts(TWO_OF_THREE, {"rus.rating": 3}) == ["bolig.rating", "psykisk.rating"]
    assert undecided_facts(TWO_OF_THREE, {"rus.rating": 3, "psykisk.rating": 3}) == []  # decided
    either = {"all": [RATING_3, {"any": [ALCOHOL, {"fact": "a.b", "op": "==", "value": True}]}]}
    # the `any` is already true: only the rating is still open
    assert undecided_facts(either, {"rus.main_substance": "ghb"}) == ["rus.rating"]
    assert unknown_facts(either, {"rus.main_substance": "ghb"}) == ["a.b", "rus.rating"]


def test_a_count_that_can_never_be_reached_is_refused() -> None:
    problems = list(condition_problems({"not": {"at_least": 4, "of": HIGH}}, {f["fact"] for f in HIGH}))
    assert problems == [(("not", "at_least"),
                         "at_least 4 is more than the 3 conditions in `of`: it could never be true")]
    nested = {"at_least": 1, "of": [{"fact": "x.y", "op": "==", "value": 1}]}
    assert list(condition_problems(nested, set())) == [(("of", 0, "fact"), "unknown fact 'x.y'")]
