"""Loading and validating the clinical content; broken files are refused by file and key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tsbplace.content import Content, ContentError, load_content
from tsbplace.package_data import rules_root


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(Path(str(rules_root())), target,
                    ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


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
