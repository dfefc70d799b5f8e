"""Loading and validating the clinical content; broken files are refused by file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.core.rules_folder import edit
from tsbplace.content import Content, ContentError, load_content


def test_installed_content_is_valid(content: Content) -> None:
    assert [level.code for level in content.levels] == ["K0", "P1", "P1M", "P2", "D3", "D3M", "A4"]
    assert [level.order for level in content.levels] == list(range(7))
    rus = content.domain("rus")
    assert rus.item("main_substance").options[0].value == "alcohol"
    assert [a.value for a in rus.anchors] == [0, 1, 2, 3, 4]
    assert re.fullmatch(r"[0-9a-f]{64}", content.ruleset.content_hash)


def test_every_rule_and_domain_names_a_source(content: Content) -> None:
    assert all(len(rule.source) > 10 for rule in content.ruleset.rules)
    assert all(len(domain.source) > 10 for domain in content.domains)


def test_every_visible_text_has_both_languages(content: Content) -> None:
    texts = [level.name for level in content.levels] + [r.because for r in content.ruleset.rules]
    for domain in content.domains:
        texts += [domain.title, domain.help, domain.rating_label]
        texts += [item.label for item in domain.items]
        texts += [anchor.text for anchor in domain.anchors]
    assert all(set(text) == {"nb", "en"} for text in texts)


def test_fact_labels_read_as_domain_and_question(content: Content) -> None:
    assert content.fact_label("rus.main_substance") == "Rus og abstinens: Hovedrusmiddel"
    assert content.fact_label("rus.rating", "en").startswith("Substance use and withdrawal: ")


BROKEN = [
    # (file, old text, new text, expected file and key in the message)
    ("ruleset.toml", 'op = ">=", value = 3', 'op = "≥", value = 3', "ruleset.toml: rule[1].when.op"),
    ("ruleset.toml", 'minimum_level = "P1M"', 'minimum_level = "P9"', "ruleset.toml: rule[1].minimum_level"),
    ("ruleset.toml", 'fact = "rus.rating", op = "==", value = 4',
     'fact = "rus.ratings", op = "==", value = 4', "ruleset.toml: rule[3].when.fact"),
    ("ruleset.toml", 'baseline_level = "K0"', 'baseline_level = "X1"', "ruleset.toml: baseline_level"),
    ("ruleset.toml", '{ name = "no risk does not fire", facts = { "rus.rating" = 0 }, fires = false }',
     '{ name = "no risk fires too", facts = { "rus.rating" = 0 }, fires = true }',
     "ruleset.toml: rule[0].test"),
    ("levels.toml", 'name.en = "Outpatient treatment in TSB"\n', "", "levels.toml: level[1].name"),
    ("domains/rus.toml", 'id = "injecting"', 'id = "main_substance"', "domains/rus.toml: item"),
    ("domains/rus.toml", "{ value = 4,", "{ value = 3,", "domains/rus.toml: rating.anchors"),
    ("domains/rus.toml", 'type = "yesno"', 'type = "boolean"', "domains/rus.toml: item[1].type"),
    ("domains/rus.toml", "maximum = 30", "maximum = -1", "domains/rus.toml: item[3].minimum"),
    ("domains/rus.toml", 'title.nb = "Rus og abstinens"', 'title.nb = "Rus og abstinens',
     "domains/rus.toml: not valid TOML"),
    # the substances block
    ("domains/rus.toml", 'omit = ["route", "injection_sites"]', 'omit = ["route", "injection_site"]',
     "domains/rus.toml: item[5].substance[0].omit[1]"),
    ("domains/rus.toml", 'omit = ["route", "injection_sites"]', 'omit = ["used"]',
     "domains/rus.toml: item[5].substance[0].omit[0]"),
    ("domains/rus.toml", 'omit = ["route", "injection_sites"]', 'omit = ["route"]',
     "domains/rus.toml: item[5].substance[0].omit"),
    ("domains/rus.toml", 'id = "years_used"\n', 'id = "years_used"\nrounding = true\n',
     "domains/rus.toml: item[5].field[4]"),
    ("domains/rus.toml", 'includes = "injecting"', 'includes = "inject"',
     "domains/rus.toml: item[5].field[3].relevant_if.includes"),
    ("domains/rus.toml", 'id = "used"\ntype = "yesno"', 'id = "use"\ntype = "yesno"',
     "domains/rus.toml: item[5].field"),
    ("domains/rus.toml", 'id = "cannabis"\nlabel.nb = "Cannabis"', 'id = "opioids"\nlabel.nb = "Cannabis"',
     "domains/rus.toml: item[5].substance"),
    ("domains/rus.toml", "minimum = 0, maximum = 100, decimals = true }",
     "minimum = 200, maximum = 100, decimals = true }",
     "domains/rus.toml: item[5].substance[0].amount.minimum"),
    ("domains/rus.toml", 'type = "substances"\n', 'type = "substances"\nminimum = 1\n',
     "domains/rus.toml: item[5].minimum"),
    # the main substance must be one of the substances
    ("domains/rus.toml", '{ value = "ghb", label.nb', '{ value = "gbh", label.nb',
     "domains/rus.toml: item[0].options[5].value"),
    ("domains/rus.toml", 'substance_of = "substances"', 'substance_of = "note"',
     "domains/rus.toml: item[0].substance_of"),
    # guideline areas
    ("guideline_areas.toml", 'id = "omfang"', 'id = "rus"', "guideline_areas.toml: area"),
    ("domains/rus.toml", 'covers = ["rus", "omfang"]', 'covers = ["rus", "omfagn"]',
     "domains/rus.toml: item[1].covers[1]"),
    ("domains/psykisk.toml", "required = true\nanchors", "required = false\nanchors",
     "guideline_areas.toml: area[5].always_assess"),
    # dates and types
    ("domains/rus.toml", "not_in_future = true", 'earliest = "2020-01-01"\nlatest = "2019-12-31"',
     "domains/rus.toml: item[5].field[5].earliest"),
    ("domains/rus.toml", "not_in_future = true", 'latest = "2019-02-30"',
     "domains/rus.toml: item[5].field[5].latest"),
    ("domains/rus.toml", 'id = "withdrawal_now"\ntype = "choice"',
     'id = "withdrawal_now"\ntype = "choice"\nnot_in_future = true',
     "domains/rus.toml: item[9].not_in_future"),
    ("domains/bolig.toml", 'id = "safe_at_home"', 'id = "rating"', "domains/bolig.toml: item[2].id"),
    # derived facts
    ("facts.toml", 'fact = "rus.overdoses"', 'fact = "rus.overdose"', "facts.toml: fact[8].derive.when.fact"),
    ("facts.toml", 'name = "rus.poly_substance"\ntype = "bool"', 'name = "rus.poly_substance"\ntype = "int"',
     "facts.toml: fact[9].type"),
    ("facts.toml", 'name = "bolig.homeless"', 'name = "bolig.housing_status"', "facts.toml: fact[12].name"),
    ("facts.toml", 'name = "patient.over_50"', 'name = "pasient.over_50"', "facts.toml: fact[3].name"),
    ("facts.toml", 'values = ["groin", "neck"]', 'values = ["groin", "nek"]',
     "facts.toml: fact[6].derive.values[1]"),
    ("facts.toml", 'fact = "rus.withdrawal_complications"', 'fact = "bolig.homeless"',
     "facts.toml: fact[7].derive.fact"),
    ("facts.toml", 'value = ["suspected", "diagnosed"]', 'value = ["suspected", "confirmed"]',
     "facts.toml: fact[10].derive.when.value[1]"),
    ("facts.toml", 'kind = "age"', 'kind = "birthday"', "facts.toml: fact[0].derive"),
    # rules read facts by their types
    ("ruleset.toml", '"alcohol", "benzodiazepines", "ghb"]', '"alcohol", "benzodiazepin", "ghb"]',
     "ruleset.toml: rule[2].when.all[1].value[1]"),
    ("ruleset.toml", 'op = "in", value = ["alcohol", "benzodiazepines", "ghb"] }', 'op = ">=", value = 2 }',
     "ruleset.toml: rule[2].when.all[1].op"),
    ("ruleset.toml", 'facts = { "rus.rating" = 0 }', 'facts = { "rus.rating" = "none" }',
     "ruleset.toml: rule[0].test[1].facts.rus.rating"),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN,
                         ids=[b[3].split(": ", 1)[1] for b in BROKEN])
def test_broken_content_is_refused_naming_file_and_key(
    rules_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(rules_copy / file, old, new)
    with pytest.raises(ContentError) as raised:
        load_content(rules_copy)
    assert any(str(problem).startswith(expected) for problem in raised.value.problems), (
        f"expected a problem at {expected!r}, got:\n{raised.value}"
    )


def test_missing_ruleset_file_is_refused(rules_copy: Path) -> None:
    (rules_copy / "ruleset.toml").unlink()
    with pytest.raises(ContentError, match=r"ruleset.toml: cannot be read"):
        load_content(rules_copy)


def test_hash_changes_with_a_rule_but_not_with_a_comment(rules_copy: Path) -> None:
    original = load_content(rules_copy).ruleset.content_hash
    edit(rules_copy / "ruleset.toml", "# TSBplace's level rules.", "# TSBplace's level rules (edited).")
    assert load_content(rules_copy).ruleset.content_hash == original
    edit(rules_copy / "ruleset.toml", 'op = ">=", value = 3', 'op = ">=", value = 2')
    edit(rules_copy / "ruleset.toml", '"rus.rating" = 2 }, fires = false',
         '"rus.rating" = 1 }, fires = false')
    changed = load_content(rules_copy).ruleset.content_hash
    assert changed != original


def test_code_lists_hold_the_referral_and_decision_codes(content: Content) -> None:
    codes = content.codes
    assert codes is not None
    assert [c.id for c in codes.referral_sources] == [
        "fastlege", "nav", "kommunal", "dps", "somatikk", "selvhenvist", "annet"]
    assert [c.id for c in codes.care_rights] == ["rett", "ikke_rett"]
    assert [c.id for c in codes.decision_reasons if c.requires_text] == ["annet"]
    assert all(len(c.source) > 10 for c in codes.referral_items + codes.decision_reasons + codes.care_rights)
    assert all(c.name["nb"] and c.name["en"] for c in codes.referral_items)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('id = "nav"', 'id = "fastlege"', "codes.toml: referral_source: code 'fastlege' is used twice"),
    ('id = "ventetid"\nname.nb = "Ventetid eller kapasitet"\nname.en = "Waiting time or capacity"\n'
     'source = "Clinical reference §7"', 'id = "ventetid"\nname.nb = "Ventetid eller kapasitet"\n'
     'name.en = "Waiting time or capacity"',
     "codes.toml: decision_reason[2]: 'source' is a required property"),
])
def test_broken_code_lists_are_refused(rules_copy: Path, old: str, new: str, expected: str) -> None:
    edit(rules_copy / "codes.toml", old, new)
    with pytest.raises(ContentError) as raised:
        load_content(rules_copy)
    assert expected in str(raised.value)
