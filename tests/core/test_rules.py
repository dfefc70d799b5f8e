"""Every rule's own test cases, from the rule data, run through the real evaluator."""

from __future__ import annotations

import pytest

from tsbplace.conditions import evaluate
from tsbplace.content import installed_content

CASES = [
    pytest.param(rule, case, id=f"{rule.id}: {case.name}")
    for rule in installed_content().ruleset.rules
    for case in rule.tests
]


@pytest.mark.parametrize(("rule", "case"), CASES)
def test_rule_case(rule, case) -> None:  # type: ignore[no-untyped-def]
    assert bool(evaluate(rule.when, case.facts)) is case.fires


def test_every_rule_has_a_firing_and_a_quiet_case() -> None:
    for rule in installed_content().ruleset.rules:
        assert {case.fires for case in rule.tests} == {True, False}, rule.id
