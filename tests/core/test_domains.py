"""The intake domains as content: one contract over every domain, the guideline areas they
cover, and the substances block of ``rus``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.core.domain_answers import PAST_DATE, complete_answers, legal_value, wrong_value
from tsbplace.cases import answer_problems
from tsbplace.content import Content, installed_content
from tsbplace.content.model import ItemType, ProblemCode, SubstanceBlock
from tsbplace.engine import facts_from_answers, unanswered_required

DOMAINS = [domain.id for domain in installed_content().domains]
GUIDELINE_AREAS = [  # the 18 areas of the national guideline, in its order (clinical reference §3)
    "Rus", "Omfang", "Medikamenter", "Aktuell tilstand", "Funksjon", "Psykisk helse",
    "Suicidvurdering", "Somatikk", "Tannhelse", "Arbeid", "Økonomi", "Bosituasjon", "Nettverk",
    "Familie/barn", "Kriminalitet/vold", "Sosialfaglig", "Epikrise", "Tidligere epikrise",
]


def domain_facts(content: Content, domain_id: str, answers: dict[str, Any]) -> dict[str, Any]:
    facts = facts_from_answers(content, {domain_id: answers})
    return {name: value for name, value in facts.items() if content.facts.spec(name).domain == domain_id}


def assert_typed(content: Content, facts: dict[str, Any]) -> None:
    wrong = {name: value for name, value in facts.items() if not content.facts.spec(name).accepts(value)}
    assert wrong == {}, "facts of the wrong type"


# --- the ten screens --------------------------------------------------------------------

def test_ten_screens_in_order_with_rus_first(content: Content) -> None:
    assert DOMAINS == ["rus", "somatikk", "psykisk", "bolig", "okonomi", "arbeid", "nettverk",
                       "kriminalitet", "motivasjon", "forlop"]
    # The thin-path GUI and its click-through test tab through these first, in this order.
    assert [item.id for item in content.domain("rus").items[:5]] == [
        "main_substance", "injecting", "withdrawal_complications", "days_used_last_30", "note"]


def test_items_the_rules_will_need_exist(content: Content) -> None:
    needed = {
        "rus": ["main_substance", "injecting", "withdrawal_complications", "substances", "overdoses",
                "last_overdose", "opioid_agonist_treatment"],
        "somatikk": ["pregnant", "serious_illness", "hepatitis_c", "hiv", "wounds_or_abscess",
                     "dental_health", "medicines", "allergies", "driving_licence", "ecg_last_year"],
        "psykisk": ["acute_psychosis", "suicidal_thoughts", "suicidal_plans", "suicide_attempts",
                    "self_harm", "serious_disorder", "suicide_risk_level"],
        "bolig": ["housing_status", "risk_of_losing_housing"],
        "okonomi": ["nav_contact", "income_source", "debt"],
        "arbeid": ["occupation", "daily_activity", "risk_of_losing_work_or_school"],
        "nettverk": ["minor_children", "minor_children_count", "children_cared_for_by",
                     "child_welfare_contact_needed"],
        "kriminalitet": ["violence_victim", "violence_perpetrator", "pending_cases"],
        "motivasjon": ["readiness", "own_goals", "resources", "wants_help_with", "preferred_treatment",
                       "preferred_place", "interpreter_needed", "language", "gender_separated_treatment"],
        "forlop": ["earlier_tsb_treatment", "current_discharge_summary", "earlier_discharge_summaries",
                   "individual_plan", "coordinator", "responsibility_group"],
    }
    missing = [f"{d}.{i}" for d, items in needed.items() for i in items
               if i not in {item.id for item in content.domain(d).items}]
    assert missing == []
    assert [o.value for o in content.domain("bolig").item("housing_status").options] == [
        "stable", "unstable", "homeless"]


def test_mental_and_somatic_health_are_always_assessed(content: Content) -> None:
    for domain_id in ("psykisk", "somatikk"):
        domain = content.domain(domain_id)
        assert domain.rating_required
        assert (domain_id, "rating") in unanswered_required(content, {})
    assert {a.id for a in content.areas if a.always_assess} == {"psykisk_helse", "somatikk"}


@pytest.mark.parametrize("domain_id", DOMAINS)
def test_every_domain_has_help_source_anchors_and_both_languages(content: Content, domain_id: str) -> None:
    domain = content.domain(domain_id)
    assert len(domain.source) > 20
    assert [a.value for a in domain.anchors] == [0, 1, 2, 3, 4]
    texts = [domain.title, domain.help, domain.rating_label, *(a.text for a in domain.anchors)]
    for item in domain.items:
        texts += [item.label, *(t for t in (item.help, item.unit) if t), *(o.label for o in item.options)]
        if item.block is not None:
            for question in item.block.fields:
                texts += [question.label, *(o.label for o in question.options)]
            texts += [s.label for s in item.block.substances]
    assert all(set(text) == {"nb", "en"} and all(text.values()) for text in texts)
    assert any(item.required for item in domain.items)
    assert len({a.text["nb"] for a in domain.anchors}) == 5


# --- the contract over every domain -----------------------------------------------------

@pytest.mark.parametrize("domain_id", DOMAINS)
def test_empty_answers_give_every_fact_unknown(content: Content, domain_id: str) -> None:
    facts = domain_facts(content, domain_id, {})
    assert facts and set(facts.values()) == {None}


@pytest.mark.parametrize("domain_id", DOMAINS)
def test_partial_answers_give_typed_facts_or_unknown(content: Content, domain_id: str) -> None:
    domain = content.domain(domain_id)
    every_other = dict(list(complete_answers(domain).items())[::2])
    facts = domain_facts(content, domain_id, every_other)
    assert_typed(content, facts)
    answered = [key for key in every_other if key != "rating" and domain.item(key).block is None]
    assert all(facts[f"{domain_id}.{item_id}"] is not None for item_id in answered)
    unanswered = [i.id for i in domain.items if i.id not in every_other and i.block is None]
    assert all(facts[f"{domain_id}.{item_id}"] is None for item_id in unanswered)


@pytest.mark.parametrize("domain_id", DOMAINS)
def test_complete_answers_are_accepted_and_give_typed_facts(content: Content, domain_id: str) -> None:
    answers = complete_answers(content.domain(domain_id))
    assert answer_problems(content, {domain_id: answers}) == []
    assert [gap for gap in unanswered_required(content, {domain_id: answers}) if gap[0] == domain_id] == []
    facts = domain_facts(content, domain_id, answers)
    assert_typed(content, facts)
    assert facts[f"{domain_id}.rating"] == 4
    plain_items = [i.id for i in content.domain(domain_id).items if i.block is None]
    assert all(facts[f"{domain_id}.{item_id}"] is not None for item_id in plain_items)


@pytest.mark.parametrize("domain_id", DOMAINS)
def test_wrong_types_are_refused_item_by_item(content: Content, domain_id: str) -> None:
    for item in content.domain(domain_id).items:
        problems = answer_problems(content, {domain_id: {item.id: wrong_value(item)}})
        assert [p.field for p in problems] == [f"{domain_id}.{item.id}"], item.id
        facts = facts_from_answers(content, {domain_id: {item.id: wrong_value(item)}})
        assert facts.get(f"{domain_id}.{item.id}") is None  # a refused answer is unknown


@pytest.mark.parametrize("domain_id", DOMAINS)
def test_number_and_rating_bounds_are_kept(content: Content, domain_id: str) -> None:
    domain = content.domain(domain_id)
    assert answer_problems(content, {domain_id: {"rating": 5}})
    assert answer_problems(content, {domain_id: {"rating": True}})
    for item in domain.items:
        if item.type is ItemType.NUMBER:
            assert item.maximum is not None
            assert answer_problems(content, {domain_id: {item.id: item.maximum + 1}}), item.id
            assert not answer_problems(content, {domain_id: {item.id: int(item.maximum)}}), item.id


# --- the guideline's 18 areas -----------------------------------------------------------

def test_every_guideline_area_is_covered_by_items(content: Content) -> None:
    mapping = {area.id: [f"{d.id}.{i.id}" for d, i in content.items_covering(area.id)]
               for area in content.areas}
    table = "\n".join(f"  {area:20} {', '.join(items) or '-- NOT COVERED --'}"
                      for area, items in mapping.items())
    assert [area.name["nb"] for area in content.areas] == GUIDELINE_AREAS, table
    assert all(mapping.values()), f"guideline areas and the items covering them:\n{table}"


def test_items_name_only_known_areas(content: Content) -> None:
    known = {area.id for area in content.areas}
    unknown = {f"{d.id}.{i.id}": a for d in content.domains for i in d.items for a in i.covers
               if a not in known}
    assert unknown == {}


# --- the substances block ---------------------------------------------------------------

def block(content: Content) -> SubstanceBlock:
    found = content.domain("rus").item("substances").block
    assert found is not None
    return found


def rus_problems(content: Content, answers: dict[str, Any]) -> list[tuple[str, ProblemCode]]:
    return [(".".join(p.path), p.code) for p in content.domain("rus").answer_problems(
        answers, today=dt.date(2026, 1, 15))]


def test_substances_and_their_questions_come_from_the_content(content: Content) -> None:
    substances = block(content)
    assert [s.id for s in substances.substances] == [
        "alcohol", "opioids", "cannabis", "benzodiazepines", "stimulants", "ghb", "other"]
    assert [f.id for f in substances.substance("alcohol").fields] == [
        "used", "units_per_day", "days_last_30", "years_used", "last_use"]
    assert [f.id for f in substances.substance("opioids").fields] == [
        "used", "grams_per_day", "days_last_30", "route", "injection_sites", "years_used", "last_use"]
    main = content.domain("rus").item("main_substance")
    assert main.substance_of == "substances"
    assert [o.value for o in main.options] == [s.id for s in substances.substances]


def test_a_full_substances_answer_is_plain_json_and_accepted(content: Content) -> None:
    answer = {
        "alcohol": {"used": True, "units_per_day": 12.5, "days_last_30": 20, "years_used": 15,
                    "last_use": "2026-01-14"},
        "opioids": {"used": True, "grams_per_day": 0.5, "days_last_30": 30,
                    "route": ["smoking", "injecting"], "injection_sites": ["arms", "groin"]},
        "cannabis": {"used": False},
        "ghb": {"used": None},
    }
    assert rus_problems(content, {"substances": answer, "main_substance": "opioids"}) == []
    assert rus_problems(content, {"substances": {}}) == []


@pytest.mark.parametrize(("answer", "expected"), [
    ({"tea": {"used": True}}, [("substances.tea", ProblemCode.UNKNOWN_SUBSTANCE)]),
    ({"alcohol": {"used": True, "route": ["oral"]}},
     [("substances.alcohol.route", ProblemCode.UNKNOWN_FIELD)]),
    ({"alcohol": {"used": False, "units_per_day": 4}},
     [("substances.alcohol.units_per_day", ProblemCode.DETAIL_WITHOUT_USE)]),
    ({"opioids": {"used": True, "route": ["smoking"], "injection_sites": ["neck"]}},
     [("substances.opioids.injection_sites", ProblemCode.NOT_RELEVANT)]),
    ({"opioids": {"used": True, "route": []}}, [("substances.opioids.route", ProblemCode.BAD_VALUE)]),
    ({"opioids": {"used": True, "route": ["oral", "oral"]}},
     [("substances.opioids.route", ProblemCode.BAD_VALUE)]),
    ({"opioids": {"used": True, "route": ["rectal"]}}, [("substances.opioids.route", ProblemCode.BAD_VALUE)]),
    ({"opioids": {"used": True, "route": "smoking"}}, [("substances.opioids.route", ProblemCode.BAD_VALUE)]),
    ({"alcohol": {"used": True, "last_use": "2026-01-16"}},
     [("substances.alcohol.last_use", ProblemCode.FUTURE_DATE)]),
    ({"alcohol": {"used": True, "last_use": "2026-02-30"}},
     [("substances.alcohol.last_use", ProblemCode.BAD_VALUE)]),
    ({"alcohol": {"used": True, "days_last_30": 2.5}},
     [("substances.alcohol.days_last_30", ProblemCode.BAD_VALUE)]),
    ({"alcohol": {"used": True, "units_per_day": 101}},
     [("substances.alcohol.units_per_day", ProblemCode.BAD_VALUE)]),
    ({"alcohol": {"used": 1}}, [("substances.alcohol.used", ProblemCode.BAD_VALUE)]),
    ({"alcohol": True}, [("substances.alcohol", ProblemCode.BAD_VALUE)]),
    ("alcohol", [("substances", ProblemCode.BAD_VALUE)]),
])
def test_substance_answers_that_are_refused(content: Content, answer: Any,
                                            expected: list[tuple[str, ProblemCode]]) -> None:
    assert rus_problems(content, {"substances": answer}) == expected


def test_the_main_substance_must_be_one_marked_used(content: Content) -> None:
    unused = {"main_substance": "opioids", "substances": {"opioids": {"used": False}}}
    assert rus_problems(content, unused) == [("main_substance", ProblemCode.NOT_MARKED_USED)]
    not_yet_known = {"main_substance": "opioids", "substances": {"alcohol": {"used": True}}}
    assert rus_problems(content, not_yet_known) == []
    used = {"main_substance": "opioids", "substances": {"opioids": {"used": True}}}
    assert rus_problems(content, used) == []


def test_the_service_names_the_path_and_says_what_is_wrong(content: Content) -> None:
    answers = {"rus": {"substances": {"alcohol": {"used": False, "units_per_day": 4}},
                       "last_overdose": "2999-01-01"}}
    problems = {p.field: p.message for p in answer_problems(content, answers)}
    assert problems == {
        "rus.substances.alcohol.units_per_day": "Rusmiddelet er merket som ikke brukt; fjern opplysningene "
                                                "om bruken eller endre svaret.",
        "rus.last_overdose": "Datoen kan ikke ligge fram i tid.",
    }


def test_legal_values_of_every_question_type_are_accepted(content: Content) -> None:
    for domain in content.domains:
        for item in domain.items:
            if item.block is None:
                assert item.accepts(legal_value(item)), f"{domain.id}.{item.id}"
    assert PAST_DATE == "2024-02-29"  # a leap day: a real date
