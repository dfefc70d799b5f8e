"""Every derived fact of rules/facts.toml, by hand-written cases: what it is for clear
answers, and unknown (None) when the answers cannot settle it."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import pytest

from tsbplace.content import Content, FactContext
from tsbplace.content.derived_facts import condition_text, kleene_any
from tsbplace.engine import facts_from_answers
from tsbplace.package_data import rules_root

INJECTED = {"used": True, "route": ["injecting"]}
SMOKED = {"used": True, "route": ["smoking"]}
SUBSTANCES = ("alcohol", "opioids", "cannabis", "benzodiazepines", "stimulants", "ghb", "other")
NONE_USED = {substance: {"used": False} for substance in SUBSTANCES}


def fact(content: Content, name: str, answers: dict[str, Any] | None = None,
         context: FactContext | None = None) -> Any:
    return facts_from_answers(content, answers or {}, context)[name]


def rus(**answers: Any) -> dict[str, Any]:
    return {"rus": answers}


def aged(born: dt.date, on: dt.date) -> FactContext:
    return FactContext(birth_date=born, sex="female", assessment_date=on)


# (fact, answers, context, expected): every derived fact has cases here (checked below)
CASES: list[tuple[str, dict[str, Any], FactContext | None, Any]] = [
    # patient.age: whole years at the assessment date
    ("patient.age", {}, aged(dt.date(2000, 5, 17), dt.date(2023, 5, 16)), 22),
    ("patient.age", {}, aged(dt.date(2000, 5, 17), dt.date(2023, 5, 17)), 23),
    ("patient.age", {}, aged(dt.date(2004, 2, 29), dt.date(2023, 2, 28)), 18),
    ("patient.age", {}, aged(dt.date(2004, 2, 29), dt.date(2023, 3, 1)), 19),
    ("patient.age", {}, None, None),
    ("patient.age", {}, FactContext(birth_date=dt.date(2000, 1, 1)), None),
    ("patient.age", {}, aged(dt.date(2030, 1, 1), dt.date(2026, 1, 1)), None),
    # patient.under_23: 22 at assessment is under; the 23rd birthday exactly is not
    ("patient.under_23", {}, aged(dt.date(2000, 5, 17), dt.date(2023, 5, 16)), True),
    ("patient.under_23", {}, aged(dt.date(2000, 5, 17), dt.date(2023, 5, 17)), False),
    ("patient.under_23", {}, None, None),
    # patient.over_50: 50 is not over 50; 51 is
    ("patient.over_50", {}, aged(dt.date(1970, 1, 1), dt.date(2020, 12, 31)), False),
    ("patient.over_50", {}, aged(dt.date(1970, 1, 1), dt.date(2021, 1, 1)), True),
    ("patient.over_50", {}, FactContext(sex="male"), None),
    # patient.sex: only the values the catalogue allows
    ("patient.sex", {}, FactContext(sex="male"), "male"),
    ("patient.sex", {}, FactContext(sex="F"), None),
    ("patient.sex", {}, None, None),
    # rus.alcohol_units_per_day: the amount in the substances block, only when used
    ("rus.alcohol_units_per_day", rus(substances={"alcohol": {"used": True, "units_per_day": 24}}), None, 24),
    ("rus.alcohol_units_per_day", rus(substances={"alcohol": {"used": True}}), None, None),
    ("rus.alcohol_units_per_day", rus(substances={"alcohol": {"used": False}}), None, None),
    ("rus.alcohol_units_per_day", {}, None, None),
    # rus.injecting: the item, or any substance injected; the item's no decides otherwise
    ("rus.injecting", rus(injecting=True), None, True),
    ("rus.injecting", rus(injecting=False), None, False),
    ("rus.injecting", {}, None, None),
    ("rus.injecting", rus(substances={"opioids": {"used": True, "route": ["smoking", "injecting"]}}),
     None, True),
    ("rus.injecting", rus(injecting=False, substances={"opioids": INJECTED}), None, True),
    ("rus.injecting", rus(substances=NONE_USED), None, False),
    ("rus.injecting", rus(substances={**NONE_USED, "opioids": SMOKED}), None, False),
    ("rus.injecting", rus(substances={**NONE_USED, "opioids": {"used": True}}), None, None),
    ("rus.injecting", rus(substances={"opioids": SMOKED}), None, None),
    # rus.groin_or_neck_injection: any injected substance with groin or neck among the sites
    ("rus.groin_or_neck_injection",
     rus(substances={"opioids": {**INJECTED, "injection_sites": ["arms", "groin"]}}), None, True),
    ("rus.groin_or_neck_injection",
     rus(substances={"stimulants": {"used": True, "route": ["injecting"], "injection_sites": ["neck"]}}),
     None, True),
    ("rus.groin_or_neck_injection",
     rus(substances={**NONE_USED, "opioids": {**INJECTED, "injection_sites": ["arms"]}}), None, False),
    ("rus.groin_or_neck_injection",
     rus(substances={**NONE_USED, "opioids": INJECTED}), None, None),
    ("rus.groin_or_neck_injection", rus(substances={**NONE_USED, "opioids": SMOKED}), None, False),
    ("rus.groin_or_neck_injection", rus(injecting=True), None, None),
    ("rus.groin_or_neck_injection", {}, None, None),
    # rus.withdrawal_seizure_history: the item, under the name the rules read
    ("rus.withdrawal_seizure_history", rus(withdrawal_complications=True), None, True),
    ("rus.withdrawal_seizure_history", rus(withdrawal_complications=False), None, False),
    ("rus.withdrawal_seizure_history", {}, None, None),
    # rus.overdose_history: at least one overdose
    ("rus.overdose_history", rus(overdoses=2), None, True),
    ("rus.overdose_history", rus(overdoses=0), None, False),
    ("rus.overdose_history", rus(last_overdose="2024-03-01"), None, None),
    # rus.poly_substance: two or more used; unknown while the unanswered could still make two
    ("rus.poly_substance", rus(substances={"alcohol": {"used": True}, "cannabis": {"used": True}}),
     None, True),
    ("rus.poly_substance", rus(substances={**NONE_USED, "alcohol": {"used": True}}), None, False),
    ("rus.poly_substance", rus(substances={"alcohol": {"used": True}}), None, None),
    ("rus.poly_substance", rus(substances=NONE_USED), None, False),
    ("rus.poly_substance", {}, None, None),
    # psykisk.serious_mental_disorder: diagnosed or suspected
    ("psykisk.serious_mental_disorder", {"psykisk": {"serious_disorder": "suspected"}}, None, True),
    ("psykisk.serious_mental_disorder", {"psykisk": {"serious_disorder": "diagnosed"}}, None, True),
    ("psykisk.serious_mental_disorder", {"psykisk": {"serious_disorder": "no"}}, None, False),
    ("psykisk.serious_mental_disorder", {}, None, None),
    # psykisk.suicide_risk: concrete plans, or a judged risk above low
    ("psykisk.suicide_risk", {"psykisk": {"suicidal_plans": True}}, None, True),
    ("psykisk.suicide_risk", {"psykisk": {"suicide_risk_level": "high"}}, None, True),
    ("psykisk.suicide_risk", {"psykisk": {"suicidal_plans": False, "suicide_risk_level": "low"}},
     None, False),
    ("psykisk.suicide_risk", {"psykisk": {"suicidal_plans": False}}, None, None),
    # bolig.homeless
    ("bolig.homeless", {"bolig": {"housing_status": "homeless"}}, None, True),
    ("bolig.homeless", {"bolig": {"housing_status": "unstable"}}, None, False),
    ("bolig.homeless", {}, None, None),
    # rus.withdrawal_severe: judged severe now (the instruments: test_withdrawal_facts_read_the_instruments)
    ("rus.withdrawal_severe", rus(withdrawal_now="severe"), None, True),
    ("rus.withdrawal_severe", rus(withdrawal_now="moderate"), None, None),  # CIWA-Ar/COWS unknown
    ("rus.withdrawal_severe", {}, None, None),
    # rus.withdrawal_need: moderate or severe now, or the referral asks for it
    ("rus.withdrawal_need", rus(withdrawal_now="moderate"), None, True),
    ("rus.withdrawal_need", rus(withdrawal_now="mild", withdrawal_management_requested=True), None, True),
    ("rus.withdrawal_need", rus(withdrawal_now="mild", withdrawal_management_requested=False), None, None),
    ("rus.withdrawal_need", {}, None, None),
]


@pytest.mark.parametrize(("name", "answers", "context", "expected"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_derived_fact(content: Content, name: str, answers: dict[str, Any],
                      context: FactContext | None, expected: Any) -> None:
    assert fact(content, name, answers, context) == expected
    assert type(fact(content, name, answers, context)) is type(expected)  # True is not 1


def test_every_derived_fact_has_hand_written_cases() -> None:
    with (rules_root() / "facts.toml").open("rb") as handle:
        derived = {entry["name"] for entry in tomllib.load(handle)["fact"]}
    tested = {case[0] for case in CASES}
    assert derived - tested == set(), "derived facts without a case in CASES"
    for name in derived:
        values = {repr(case[3]) for case in CASES if case[0] == name}
        assert "None" in values and len(values) >= 2, f"{name}: needs a known and an unknown case"


def test_the_facts_the_rules_name_exist_with_their_types(content: Content) -> None:
    expected = {
        "patient.age": "int", "patient.under_23": "bool", "patient.over_50": "bool", "patient.sex": "choice",
        "rus.main_substance": "choice", "rus.alcohol_units_per_day": "float", "rus.injecting": "bool",
        "rus.groin_or_neck_injection": "bool", "rus.withdrawal_seizure_history": "bool",
        "rus.withdrawal_complications": "bool", "rus.overdose_history": "bool", "rus.poly_substance": "bool",
        "somatikk.pregnant": "bool", "psykisk.acute_psychosis": "bool", "psykisk.suicide_risk": "bool",
        "nettverk.minor_children": "bool", "bolig.housing_status": "choice", "bolig.homeless": "bool",
        "rus.rating": "int",
    }
    assert {name: content.facts.spec(name).type.value for name in expected} == expected


def test_item_facts_named_like_derived_ones_are_plain_answers(content: Content) -> None:
    answers = {"somatikk": {"pregnant": True}, "psykisk": {"acute_psychosis": False},
               "nettverk": {"minor_children": True}, "bolig": {"housing_status": "stable"},
               "rus": {"main_substance": "ghb"}}
    facts = facts_from_answers(content, answers)
    names = ("somatikk.pregnant", "psykisk.acute_psychosis", "nettverk.minor_children",
             "bolig.housing_status", "rus.main_substance")
    assert [facts[name] for name in names] == [True, False, True, "stable", "ghb"]


def test_kleene_any_and_condition_text() -> None:
    assert kleene_any([False, None, True]) is True
    assert kleene_any([False, None]) is None
    assert kleene_any([]) is False
    when = {"any": [{"fact": "a.b", "op": "==", "value": True},
                    {"not": {"fact": "a.c", "op": "in", "value": ["x", "ø"]}}]}
    assert condition_text(when) == '(`a.b` == true or not `a.c` in ["x", "ø"])'


@pytest.mark.parametrize(("now", "instruments", "severe", "need"), [
    ("none", {"instrument.ciwa_ar.severity": 2, "instrument.cows.severity": 0}, True, True),
    ("none", {"instrument.ciwa_ar.severity": 1, "instrument.cows.severity": 0}, False, True),
    ("none", {"instrument.ciwa_ar.severity": 0, "instrument.cows.severity": 3}, True, True),
    ("mild", {"instrument.ciwa_ar.severity": 0, "instrument.cows.severity": 1}, False, None),
    ("none", {"instrument.ciwa_ar.severity": 0, "instrument.cows.severity": 0}, False, None),
])
def test_withdrawal_facts_read_the_instruments(content: Content, now: str, instruments: dict[str, int],
                                               severe: bool, need: bool | None) -> None:
    facts = facts_from_answers(content, rus(withdrawal_now=now), extra=instruments)
    assert facts["rus.withdrawal_severe"] is severe
    assert facts["rus.withdrawal_need"] is need  # unknown while the referral's request is unknown
    answered = facts_from_answers(content, rus(withdrawal_now=now, withdrawal_management_requested=False),
                                  extra=instruments)
    assert answered["rus.withdrawal_need"] is bool(need)


def test_condition_text_of_a_count() -> None:
    when = {"at_least": 2, "of": [{"fact": "a.b", "op": ">=", "value": 3},
                                  {"fact": "a.c", "op": "==", "value": True}]}
    assert condition_text(when) == "at least 2 of (`a.b` >= 3; `a.c` == true)"
