"""The fact catalogue: names and types, the facts table in docs/facts.md, and facts from
outside the content (the extension point for instrument results)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.core.rules_folder import copy_rules
from tsbplace.content import Content, ContentError, FactContext, FactSpec, FactType, load_content
from tsbplace.content.facts import FactValueError
from tsbplace.content.facts_table import GENERATE_COMMAND, markdown_table
from tsbplace.engine import assess, facts_from_answers

ROOT = Path(__file__).resolve().parents[2]
CIWA_BAND = FactSpec(
    name="instrument.ciwa_ar.band", domain="instrument",
    domain_title={"nb": "Kartlegging", "en": "Instruments"},
    type=FactType.CHOICE, label={"nb": "CIWA-Ar, nivå", "en": "CIWA-Ar, band"},
    description={"nb": "Nivå etter CIWA-Ar.", "en": "Band from CIWA-Ar."}, derivation="score() of ciwa_ar",
    values=("mild", "moderate", "severe"),
)


class CiwaProvider:
    """A stand-in for the instrument facts the lead will add: declares, then computes."""

    def fact_specs(self) -> Iterable[FactSpec]:
        return [CIWA_BAND]

    def fact_values(self, answers: Mapping[str, Mapping[str, Any]],
                    context: FactContext | None) -> Mapping[str, Any]:
        return {"instrument.ciwa_ar.band": answers.get("instrument", {}).get("ciwa_band")}


def test_docs_facts_md_matches_the_content(content: Content) -> None:
    written = (ROOT / "docs" / "facts.md").read_text(encoding="utf-8")
    assert written == markdown_table(content.facts), (
        f"docs/facts.md is out of date with the content; regenerate it with:  {GENERATE_COMMAND}")


def test_every_item_and_rating_gives_a_fact_and_every_fact_is_computed(content: Content) -> None:
    names = set(content.fact_names())
    for domain in content.domains:
        assert domain.rating_fact in names
        for item in domain.items:
            if item.block is None:
                assert f"{domain.id}.{item.id}" in names
            else:
                assert {f"{domain.id}.{item.id}.{s.id}.used" for s in item.block.substances} <= names
    facts = facts_from_answers(content, {})
    assert list(facts) == list(content.fact_names())
    assert len(names) == len(content.fact_names())


def test_specs_say_type_values_unit_and_how_the_value_is_found(content: Content) -> None:
    days = content.facts.spec("rus.days_used_last_30")
    assert (days.type, days.minimum, days.maximum) == (FactType.INT, 0, 30)
    assert days.unit == {"nb": "dager", "en": "days"}
    assert days.derivation == "answer to item `rus.days_used_last_30`"
    units = content.facts.spec("rus.alcohol_units_per_day")
    assert units.type is FactType.FLOAT and units.unit == {"nb": "alkoholenheter per dag",
                                                          "en": "alcohol units per day"}
    assert content.facts.spec("rus.main_substance").values[:2] == ("alcohol", "opioids")
    assert content.facts.spec("patient.under_23").source.startswith("Prioriteringsveileder")
    assert all(spec.description["nb"] and spec.description["en"] for spec in content.facts.specs())


def test_fact_labels_name_the_group_and_the_fact(content: Content) -> None:
    assert content.fact_label("patient.age") == "Pasient: Alder"
    assert content.fact_label("rus.substances.alcohol.units_per_day", "en") == (
        "Substance use and withdrawal: Alcohol – Alcohol units per drinking day")
    assert content.fact_label("bolig.homeless") == "Bolig: Uten bolig"


@pytest.mark.parametrize(("fact", "value", "legal"), [
    ("rus.rating", 4, True), ("rus.rating", 5, False), ("rus.rating", True, False),
    ("rus.injecting", True, True), ("rus.injecting", 1, False),
    ("rus.alcohol_units_per_day", 7.5, True), ("rus.days_used_last_30", 7.5, False),
    ("rus.main_substance", "ghb", True), ("rus.main_substance", "tea", False),
    ("rus.last_overdose", "2024-02-29", True), ("rus.last_overdose", "2023-02-29", False),
    ("rus.note", "fritt", True), ("patient.age", None, True),
])
def test_spec_accepts_only_legal_values(content: Content, fact: str, value: object, legal: bool) -> None:
    assert content.facts.spec(fact).accepts(value) is legal


def test_answers_refused_by_the_content_count_as_unknown(content: Content) -> None:
    facts = facts_from_answers(content, {"rus": {"main_substance": "chocolate", "rating": 9,
                                                 "substances": {"alcohol": {"used": "yes"}}}})
    assert facts["rus.main_substance"] is None and facts["rus.rating"] is None
    assert facts["rus.substances.alcohol.used"] is None


def test_conditions_are_checked_against_fact_types(content: Content) -> None:
    problems = dict(content.facts.condition_problems({"all": [
        {"fact": "rus.main_substance", "op": ">", "value": 2},
        {"fact": "rus.main_substance", "op": "in", "value": ["alcohol", "alchohol"]},
        {"fact": "rus.injecting", "op": "==", "value": "yes"},
        {"fact": "rus.rating", "op": ">=", "value": 3},
    ]}))
    assert set(problems) == {("all", 0, "op"), ("all", 1, "value", 1), ("all", 2, "value")}
    counted = dict(content.facts.condition_problems({"at_least": 1, "of": [
        {"fact": "bolig.housing_status", "op": "==", "value": "homless"}]}))
    assert set(counted) == {("of", 0, "value")}


# --- facts from outside the content -----------------------------------------------------

def test_extra_specs_take_values_from_the_caller(content: Content) -> None:
    catalogue = content.facts.with_specs([CIWA_BAND])
    assert catalogue.compute({})["instrument.ciwa_ar.band"] is None
    values = catalogue.compute({}, extra={"instrument.ciwa_ar.band": "severe"})
    assert values["instrument.ciwa_ar.band"] == "severe"
    assert catalogue.label("instrument.ciwa_ar.band") == "Kartlegging: CIWA-Ar, nivå"
    with pytest.raises(FactValueError):
        catalogue.compute({}, extra={"instrument.ciwa_ar.band": "extreme"})
    with pytest.raises(FactValueError):
        catalogue.compute({}, extra={"instrument.not_an_instrument.total": 12})
    with pytest.raises(FactValueError):  # content facts come from answers only
        catalogue.compute({}, extra={"rus.rating": 3})
    with pytest.raises(ValueError, match="defined twice"):
        catalogue.with_specs([CIWA_BAND])


def test_a_provider_computes_its_facts_with_the_rest(content: Content) -> None:
    catalogue = content.facts.with_provider(CiwaProvider())
    values = catalogue.compute({"instrument": {"ciwa_band": "moderate"}, "rus": {"rating": 2}})
    assert values["instrument.ciwa_ar.band"] == "moderate" and values["rus.rating"] == 2
    assert "instrument.ciwa_ar.band" not in content.facts  # the original is unchanged


def test_rules_may_read_provider_facts_when_the_loader_knows_the_provider(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    copy_rules(rules)
    ruleset = rules / "ruleset.toml"
    ruleset.write_text(ruleset.read_text(encoding="utf-8") + '''
[[rule]]
id = "RUS-CIWA-SEVERE"
minimum_level = "D3M"
when = { fact = "instrument.ciwa_ar.band", op = "==", value = "severe" }
because.nb = "Alvorlig abstinens etter CIWA-Ar."
because.en = "Severe withdrawal by CIWA-Ar."
source = "test only"
test = [
  { name = "severe fires", facts = { "instrument.ciwa_ar.band" = "severe" }, fires = true },
  { name = "mild does not fire", facts = { "instrument.ciwa_ar.band" = "mild" }, fires = false },
]
''', encoding="utf-8")
    index = len(load_content().ruleset.rules)  # the appended rule
    expected = rf"rule\[{index}\].when.fact: unknown fact 'instrument.ciwa_ar.band'"
    with pytest.raises(ContentError, match=expected):
        load_content(rules)
    loaded = load_content(rules, fact_providers=[CiwaProvider()])
    facts = facts_from_answers(loaded, {"instrument": {"ciwa_band": "severe"}})
    assert assess(loaded, facts).level == "D3M"


def test_a_provider_may_not_take_a_content_fact_name(tmp_path: Path) -> None:
    class Clashing(CiwaProvider):
        def fact_specs(self) -> Iterable[FactSpec]:
            return [replace(CIWA_BAND, name="rus.rating")]

    with pytest.raises(ContentError, match=r"fact provider Clashing: fact 'rus\.rating' is defined twice"):
        load_content(fact_providers=[Clashing()])
