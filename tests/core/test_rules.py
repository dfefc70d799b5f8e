"""Every rule's own test cases, from the rule data, run through the real evaluator; and
what every rule set must hold: cases for each rule, effects that exist, the hospital level
only from a rating of 4 in withdrawal, somatic or mental health, and never compulsory care."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tsbplace.conditions import evaluate
from tsbplace.content import ContentError, installed_content, load_content
from tsbplace.content.ruleset import Rule

RULES = installed_content().ruleset.rules
CASES = [pytest.param(rule, case, id=f"{rule.id}: {case.name}") for rule in RULES for case in rule.tests]
MEDICAL_RATINGS = {"rus.rating", "somatikk.rating", "psykisk.rating"}  # withdrawal, somatic, mental
COMPULSORY = re.compile(r"tvang|compulsor|involuntar|§+\s*10-[234]\b|\b10-[234]\b", re.IGNORECASE)


@pytest.mark.parametrize(("rule", "case"), CASES)
def test_rule_case(rule: Rule, case: Any) -> None:
    assert bool(evaluate(rule.when, case.facts)) is case.fires


def test_every_rule_has_a_firing_and_a_quiet_case() -> None:
    for rule in RULES:
        assert {case.fires for case in rule.tests} == {True, False}, rule.id


def _without_tests_of_first_rule(text: str) -> str:
    start = text.index("[[rule]]")
    begin = text.index("test = [", start)
    end = text.index("]\n", text.index("fires = false", begin)) + 2
    return text[:begin] + text[end:]


def test_a_rule_without_cases_is_refused(rules_copy: Path) -> None:
    ruleset = rules_copy / "ruleset.toml"
    ruleset.write_text(_without_tests_of_first_rule(ruleset.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentError, match=r"ruleset.toml: rule\[0\]: 'test' is a required property"):
        load_content(rules_copy)


def test_a_rule_with_only_firing_cases_is_refused(rules_copy: Path) -> None:
    ruleset = rules_copy / "ruleset.toml"
    text = ruleset.read_text(encoding="utf-8").replace(
        '{ name = "no risk does not fire", facts = { "rus.rating" = 0 }, fires = false }',
        '{ name = "a second firing case", facts = { "rus.rating" = 2 }, fires = true }')
    ruleset.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=r"rule\[0\].test: needs at least one case that fires and one"):
        load_content(rules_copy)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('sets = { output = "withdrawal", value = "dogn" }\nwhen = { all',
     'sets = { output = "withdrawl", value = "dogn" }\nwhen = { all',
     r"rule\[2\].sets.output: unknown output"),
    ('sets = { output = "withdrawal", value = "dogn" }\nwhen = { all',
     'sets = { output = "withdrawal", value = "døgn" }\nwhen = { all', r"rule\[2\].sets.value"),
    ('flags = ["naloxone"]', 'flags = ["nalokson"]', r"rule\[\d+\].flags\[0\]: unknown flag 'nalokson'"),
    ('minimum_level = "P1"\n', "", r"rule\[0\]: .* is not valid under any of the given schemas|rule\[0\]"),
    ('{ at_least = 3, of = [', '{ at_least = 9, of = [', r"when.at_least: at_least 9 is more than the 8"),
    ('{ at_least = 3, of = [', '{ at_least = 0, of = [', r"when.at_least: 0 is less than the minimum of 1"),
])
def test_rule_effects_and_counts_are_checked(rules_copy: Path, old: str, new: str, expected: str) -> None:
    ruleset = rules_copy / "ruleset.toml"
    text = ruleset.read_text(encoding="utf-8")
    assert old in text
    ruleset.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError, match=expected):
        load_content(rules_copy)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('default = "none"\nvalues', 'default = "nothing"\nvalues', r"outputs.toml: output\[0\].default"),
    ('priority = ["psykisk_helsevern", "tsb", "either"]', 'priority = ["psykisk_helsevern", "tsb"]',
     r"outputs.toml: output\[2\].priority: must list every value"),
    ('hit_policy = "priority"\npriority = ["psykisk_helsevern", "tsb", "either"]\n',
     'hit_policy = "priority"\n',
     r"outputs.toml: output\[2\]: 'priority' is a required property"),
    ('id = "ecg"', 'id = "naloxone"', r"outputs.toml: flag: flag id 'naloxone' is used twice"),
])
def test_outputs_file_is_checked(rules_copy: Path, old: str, new: str, expected: str) -> None:
    outputs = rules_copy / "outputs.toml"
    text = outputs.read_text(encoding="utf-8")
    assert old in text
    outputs.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError, match=expected):
        load_content(rules_copy)


def _needs_a_medical_four(condition: Mapping[str, Any]) -> bool:
    """Whether a condition can only be true with a rating of 4 in withdrawal, somatic or
    mental health (clinical reference §4 principle 3)."""
    if "all" in condition:
        return any(_needs_a_medical_four(part) for part in condition["all"])
    if "any" in condition:
        return all(_needs_a_medical_four(part) for part in condition["any"])
    if "fact" not in condition or condition["fact"] not in MEDICAL_RATINGS:
        return False
    return (condition["op"], condition["value"]) in {("==", 4), (">=", 4), (">", 3)}


def test_hospital_level_needs_a_four_in_withdrawal_somatic_or_mental_health() -> None:
    hospital = installed_content().levels[-1].code
    rules = [rule for rule in RULES if rule.minimum_level == hospital]
    assert rules, "no rule reaches the hospital level"
    assert [rule.id for rule in rules if not _needs_a_medical_four(rule.when)] == []


def test_compulsory_care_is_never_a_level_an_output_value_or_an_effect() -> None:
    content = installed_content()
    named: list[str] = []
    for level in content.levels:
        named += [level.code, *level.name.values(), *level.summary.values()]
    for output in content.outputs:
        named += [output.id, *output.label.values()]
        for option in output.values:
            named += [option.value, *option.label.values()]
    for flag in content.flags:
        named += [flag.id, *flag.label.values(), *flag.action.values()]
    assert [text for text in named if COMPULSORY.search(text)] == []
    for rule in RULES:
        effects = [rule.minimum_level or "", *rule.flags]
        if rule.sets is not None:
            effects += [rule.sets.output, rule.sets.value]
        assert not any(COMPULSORY.search(effect) for effect in effects), rule.id
        assert not COMPULSORY.search(" ".join(rule.because.values())), rule.id


def test_the_compulsory_check_would_catch_it() -> None:
    assert COMPULSORY.search("Tvangsinnleggelse etter hol. § 10-2")
    assert COMPULSORY.search("Compulsory admission")
    assert not COMPULSORY.search("Pasient- og brukerrettighetsloven § 2-5")


def test_every_rule_has_an_effect_and_every_effect_exists() -> None:
    content = installed_content()
    for rule in RULES:
        assert rule.minimum_level or rule.sets or rule.flags, rule.id
        if rule.minimum_level:
            content.level(rule.minimum_level)
        if rule.sets:
            assert rule.sets.value in content.output(rule.sets.output).value_ids()
        for flag in rule.flags:
            content.flag(flag)


def test_every_output_value_and_flag_can_be_reached_by_a_rule() -> None:
    content = installed_content()
    set_values = {(rule.sets.output, rule.sets.value) for rule in RULES if rule.sets}
    for output in content.outputs:
        for value in output.value_ids():
            assert value == output.default or (output.id, value) in set_values, (output.id, value)
    raised = {flag for rule in RULES for flag in rule.flags}
    assert [flag.id for flag in content.flags if flag.id not in raised] == []


def test_hash_changes_with_a_rule_effect_and_with_an_output(rules_copy: Path) -> None:
    original = load_content(rules_copy).ruleset.content_hash
    ruleset = rules_copy / "ruleset.toml"
    ruleset.write_text(ruleset.read_text(encoding="utf-8").replace(
        'flags = ["naloxone"]', 'flags = ["naloxone", "safety_plan"]', 1), encoding="utf-8")
    with_flag = load_content(rules_copy).ruleset.content_hash
    assert with_flag != original
    outputs = rules_copy / "outputs.toml"
    outputs.write_text(outputs.read_text(encoding="utf-8").replace(
        'label.nb = "Ikke behov"', 'label.nb = "Ingen avrusning"', 1), encoding="utf-8")
    assert load_content(rules_copy).ruleset.content_hash not in {original, with_flag}
