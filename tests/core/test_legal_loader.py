"""rules/legal.toml: the installed data is complete and sourced, marks what must be verified,
reads only known facts, and a broken file is refused whole, naming the file and the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tsbplace.content import Content, ContentError
from tsbplace.legal import Setting, installed_legal, load_legal
from tsbplace.legal.model import Start
from tsbplace.package_data import rules_root

ORIGINAL = Path(str(rules_root())) / "legal.toml"


def test_installed_data_loads_once_and_is_versioned() -> None:
    legal = installed_legal()
    assert legal is installed_legal()
    assert legal.version.count(".") == 2 and len(legal.content_hash) == 64
    assert (legal.inputs.under_23, legal.inputs.pregnant) == ("patient.under_23", "somatikk.pregnant")


def test_the_numbers_of_the_clinical_reference() -> None:
    legal = installed_legal()
    assert legal.assessment.working_days == 10 and not legal.assessment.verify
    lar = legal.lar
    assert (lar.under_23.working_days, lar.from_23.working_days, lar.verify) == (10, 30, True)
    assert legal.latest_start.verify
    table = {e.id: (e.right, e.frist_weeks, [x.frist_weeks for x in e.escalations]) for e in legal.priority}
    assert table == {
        "alcohol_dependence": (True, 6, [2, 4]),
        "opioid_dependence": (True, 12, [4, 2, 4]),
        "pathological_gambling": (True, 12, [4]),
        "cannabis_dependence": (None, None, []),
        "stimulant_dependence": (None, None, []),
        "benzodiazepine_dependence": (None, None, []),
        "harmful_use": (None, None, []),
        "co_occurring": (None, None, []),
    }
    days = {(p.id, s.id): (s.days[Setting.OUTPATIENT], s.days[Setting.DOGN])
            for p in (legal.ordinary, legal.pregnant) for s in p.steps}
    assert days == {
        ("ordinary", "clinical_decision"): (21, 7), ("ordinary", "after_avrusning"): (3, 0),
        ("ordinary", "first_evaluation"): (7, 7), ("ordinary", "next_evaluation"): (56, 42),
        ("pregnant", "clinical_decision"): (7, 7), ("pregnant", "after_avrusning"): (0, 0),
        ("pregnant", "first_evaluation"): (14, 7), ("pregnant", "next_evaluation"): (42, 42),
    }
    assert legal.pregnant.step("clinical_decision").days_min == {Setting.DOGN: 3}
    assert [step.starts_at for step in legal.ordinary.steps] == list(Start)


def test_every_value_has_a_source_and_empty_values_say_verify() -> None:
    legal = installed_legal()
    for entry in legal.priority:
        assert len(entry.source) > 20 and all(len(e.source) > 20 for e in entry.escalations), entry.id
        assert entry.filled or entry.verify, entry.id
    for pathway in (legal.ordinary, legal.pregnant):
        assert pathway.source.startswith("Helsedirektoratet")


def test_conditions_read_the_agreed_facts() -> None:
    legal = installed_legal()
    assert legal.entry("alcohol_dependence").condition == {"fact": "rus.main_substance", "op": "==",
                                                           "value": "alcohol"}
    read = {e.condition["fact"] for entry in legal.priority for e in entry.escalations}
    assert read == {"rus.substances.alcohol.units_per_day", "patient.under_23", "rus.injecting",
                    "rus.groin_or_neck_injection"}
    assert legal.entry("pathological_gambling").condition == {
        "fact": "rus.gambling_main_problem", "op": "==", "value": True}


def test_a_plain_set_of_fact_names_is_enough(content: Content, tmp_path: Path) -> None:
    shutil.copy(ORIGINAL, tmp_path / "legal.toml")
    assert load_legal(tmp_path, facts=content.facts.names()) == installed_legal()
    with pytest.raises(ContentError, match=r"unknown fact 'rus\.main_substance'"):
        load_legal(tmp_path, facts={"patient.under_23", "somatikk.pregnant"})


BROKEN = [
    pytest.param(
        'working_days = 10\nlabel.nb = "Frist', 'working_days = "ti"\nlabel.nb = "Frist',
        "legal.toml: assessment.working_days: 'ti' is not of type 'integer'",
        id="text for a number"),
    pytest.param(
        'source = "Pasient- og brukerrettighetsloven § 2-2 første ledd', 'kilde = "Pasient',
        "legal.toml: assessment: 'source' is a required property",
        id="a number without its source"),
    pytest.param(
        'op = ">", value = 20 }\nfrist_weeks = 2', 'op = ">", value = 20 }\nfrist_weeks = 7',
        "legal.toml: priority[0].escalation[0].frist_weeks: must be shorter than the entry's frist (6 weeks)",
        id="an escalation that does not shorten"),
    pytest.param(
        'fact = "rus.substances.alcohol.units_per_day"', 'fact = "rus.substances.alcohol.units_a_day"',
        "legal.toml: priority[0].escalation[0].condition.fact: "
        "unknown fact 'rus.substances.alcohol.units_a_day'",
        id="an unknown fact"),
    pytest.param(
        'value = "alcohol" }', 'value = "alkohol" }',
        "legal.toml: priority[0].condition.value: 'alkohol' is never a value of 'rus.main_substance'",
        id="a value the fact never has"),
    pytest.param(
        'value = "alcohol" }\nright = true\n', 'value = "alcohol" }\n',
        "legal.toml: priority[0].right: may be left empty only when the entry says verify = true",
        id="an empty right without verify"),
    pytest.param(
        'id = "opioid_dependence"', 'id = "alcohol_dependence"',
        "legal.toml: priority[1].id: duplicate entry id 'alcohol_dependence'",
        id="a duplicate id"),
    pytest.param(
        'under_23 = "patient.under_23"', 'under_23 = "patient.age"',
        "legal.toml: inputs.under_23: 'patient.age' must be a yes/no fact",
        id="an input of the wrong type"),
    pytest.param(
        "dogn_days_min = 3", "dogn_days_min = 9",
        "legal.toml: pathway.pregnant.step[0].dogn_days_min: must not exceed dogn_days",
        id="a range upside down"),
    pytest.param(
        'id = "next_evaluation"\nstarts_at = "last_evaluation"\nlabel.nb = "Neste evaluering"\n'
        'label.en = "Next evaluation"\noutpatient_days = 42',
        'id = "later_evaluation"\nstarts_at = "last_evaluation"\nlabel.nb = "Neste evaluering"\n'
        'label.en = "Next evaluation"\noutpatient_days = 42',
        "legal.toml: pathway.pregnant.step: must have the same steps as ordinary",
        id="steps that differ"),
    pytest.param(
        'starts_at = "avrusning_end"', 'starts_at = "admission"',
        "legal.toml: pathway.ordinary.step[1].starts_at: 'admission' is not one of",
        id="an unknown start"),
    pytest.param(
        'schema = "legal/1"', 'schema = "legal/1',
        "legal.toml: not valid TOML",
        id="not TOML"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN)
def test_a_broken_file_is_refused_naming_file_and_key(
    content: Content, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    text = ORIGINAL.read_text(encoding="utf-8")
    assert old in text, "the test no longer matches rules/legal.toml"
    (tmp_path / "legal.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_legal(tmp_path, facts=content.facts)
    assert any(str(problem).startswith(expected) for problem in caught.value.problems), caught.value


def test_every_problem_is_listed_at_once(content: Content, tmp_path: Path) -> None:
    text = ORIGINAL.read_text(encoding="utf-8")
    text = text.replace('value = "alcohol" }', 'value = "alkohol" }').replace(
        'id = "opioid_dependence"', 'id = "alcohol_dependence"')
    (tmp_path / "legal.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_legal(tmp_path, facts=content.facts)
    keys = [problem.key for problem in caught.value.problems]
    assert keys == ["priority[0].condition.value", "priority[1].id"]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"^legal.toml: file not found$"):
        load_legal(tmp_path, facts=())
