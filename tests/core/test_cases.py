"""The case service on a real store: validation refuses bad input and stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.cases import CaseNotFound, CaseService, InvalidInput, fact_context
from tsbplace.content import FactContext
from tsbplace.engine import facts_from_answers
from tsbplace.national_id import synthetic_national_id
from tsbplace.storage.models import Assessment, Patient, TsbCase

TODAY = dt.date.today()


def count(service: CaseService, table: type) -> int:
    with service.store.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_create_case_stores_patient_and_case(service: CaseService) -> None:
    case = service.create_case(f"  {PATIENT_NAME} ", f"{PATIENT_ID[:6]} {PATIENT_ID[6:]}", TODAY)
    assert case.patient_name == PATIENT_NAME
    assert case.national_id == PATIENT_ID
    assert case.birth_date == dt.date(1984, 5, 17)
    assert case.case_number == f"{TODAY.year}-00001"
    assert service.get_case(case.id) == case
    assert service.list_cases() == [case]


def test_case_numbers_count_up_within_the_received_year(service: CaseService) -> None:
    other = synthetic_national_id(dt.date(1990, 2, 3))
    numbers = [
        service.create_case("A B", PATIENT_ID, dt.date(2025, 12, 30)).case_number,
        service.create_case("C D", other, dt.date(2026, 1, 2)).case_number,
        service.create_case("A B", PATIENT_ID, dt.date(2026, 1, 5)).case_number,
    ]
    assert numbers == ["2025-00001", "2026-00001", "2026-00002"]
    assert count(service, Patient) == 2


@pytest.mark.parametrize(
    ("national_id", "words"),
    [("15108695077", "Kontrollsifrene"), ("31028612345", "fødselsdato"), ("1510869", "11 siffer")],
)
def test_invalid_national_id_is_refused_and_nothing_is_stored(
    service: CaseService, national_id: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        service.create_case(PATIENT_NAME, national_id, TODAY)
    assert [p.field for p in raised.value.problems] == ["national_id"]
    assert words in raised.value.problems[0].message
    assert count(service, Patient) == 0
    assert count(service, TsbCase) == 0


def test_every_problem_is_reported_at_once(service: CaseService) -> None:
    with pytest.raises(InvalidInput) as raised:
        service.create_case(" ", "123", TODAY + dt.timedelta(days=1))
    assert [p.field for p in raised.value.problems] == ["name", "national_id", "received_date"]


def test_same_number_with_another_name_is_refused(service: CaseService) -> None:
    service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    with pytest.raises(InvalidInput, match="annet navn"):
        service.create_case("Noen Andre", PATIENT_ID, TODAY)
    assert count(service, TsbCase) == 1


def test_save_assessment_stores_answers_and_the_full_result(service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    answers = {"rus": {"main_substance": "alcohol", "withdrawal_complications": True, "rating": 2}}
    record = service.save_assessment(case.id, answers)
    assert record.suggested_level == "D3M"
    assert record.ruleset_hash == service.content.ruleset.content_hash
    assert record.suggestion["why_not_lower"][0]["rule_id"] == "RUS-WITHDRAWAL-HISTORY"
    assert service.load_assessment(case.id) == record
    assert service.get_case(case.id).suggested_level == "D3M"
    # Saving again updates the one draft rather than adding another.
    service.save_assessment(case.id, {"rus": {"rating": 1}})
    assert count(service, Assessment) == 1
    assert service.get_case(case.id).suggested_level == "P1"


@pytest.mark.parametrize("answers", [
    {"tannlege": {"rating": 1}},
    {"rus": {"favourite_colour": "blue"}},
    {"rus": {"rating": 5}},
    {"rus": {"main_substance": "chocolate"}},
    {"rus": {"injecting": "yes"}},
    {"rus": {"days_used_last_30": 31}},
    {"rus": {"rating": True}},
    {"rus": {"days_used_last_30": 2.5}},
    {"rus": {"last_overdose": "17.05.2024"}},
    {"rus": {"substances": {"alcohol": {"used": "yes"}}}},
    {"rus": {"main_substance": "opioids", "substances": {"opioids": {"used": False}}}},
    {"psykisk": {"suicide_risk_level": "extreme"}},
])
def test_invalid_answers_are_refused_and_nothing_changes(service: CaseService, answers: dict) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    service.save_assessment(case.id, {"rus": {"rating": 1}})
    with pytest.raises(InvalidInput):
        service.save_assessment(case.id, answers)
    assert service.load_assessment(case.id).answers == {"rus": {"rating": 1}}  # type: ignore[union-attr]


def test_invalid_answers_are_named_by_their_path(service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    answers = {"rus": {"substances": {"opioids": {"used": True, "route": ["sniffing"],
                                                  "injection_sites": ["neck"]}, "tea": {"used": True}}}}
    with pytest.raises(InvalidInput) as raised:
        service.save_assessment(case.id, answers)
    assert [p.field for p in raised.value.problems] == [
        "rus.substances.opioids.injection_sites", "rus.substances.tea"]
    assert raised.value.problems[1].message == "Ukjent rusmiddel."


def test_fact_context_gives_the_patient_facts(service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    context = fact_context(case, on=dt.date(2007, 5, 16))
    assert context == FactContext(birth_date=dt.date(1984, 5, 17), sex="female",
                                  assessment_date=dt.date(2007, 5, 16))
    facts = facts_from_answers(service.content, {}, context)
    assert (facts["patient.age"], facts["patient.under_23"], facts["patient.sex"]) == (22, True, "female")
    assert fact_context(case).assessment_date == dt.date.today()
    male = service.create_case("Ánde Čoavji", synthetic_national_id(dt.date(1990, 2, 3), 101), TODAY)
    assert fact_context(male).sex == "male"


def test_unknown_case_is_reported(service: CaseService) -> None:
    with pytest.raises(CaseNotFound):
        service.get_case(42)
    with pytest.raises(CaseNotFound):
        service.save_assessment(42, {"rus": {"rating": 1}})
