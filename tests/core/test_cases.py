"""The case service on a real store: validation refuses bad input and stores nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.cases import AssessmentConflict, CaseNotFound, CaseService, InvalidInput, fact_context
from tsbplace.content import Content, FactContext
from tsbplace.engine import facts_from_answers
from tsbplace.i18n import set_language
from tsbplace.national_id import synthetic_national_id
from tsbplace.storage import Store
from tsbplace.storage.models import Assessment, Patient, TsbCase

TODAY = dt.date.today()


@pytest.fixture
def database_url(any_database_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (see tests/conftest.py)."""
    return any_database_url


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


# Optimistic locking: two clinicians, two program instances, one assessment.

@pytest.fixture
def second_service(database_url: str, content: Content, tmp_path: Path) -> Iterator[CaseService]:
    """Another program instance on the same database: its own Store.open and CaseService."""
    other = Store.open(database_url, backup_dir=tmp_path / "backups")
    yield CaseService(other, content)
    other.close()


def test_a_new_draft_starts_at_version_1_and_each_save_adds_one(service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    first = service.save_assessment(case.id, {"rus": {"rating": 1}}, expected_version=0)
    assert first.version == 1
    second = service.save_assessment(case.id, {"rus": {"rating": 2}}, expected_version=1)
    assert second.version == 2
    assert service.load_assessment(case.id) == second


def test_second_save_of_the_same_version_is_refused_and_writes_nothing(
    service: CaseService, second_service: CaseService
) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    service.save_assessment(case.id, {"rus": {"rating": 1}})
    loaded_a = service.load_assessment(case.id)
    loaded_b = second_service.load_assessment(case.id)
    assert loaded_a is not None and loaded_b is not None and loaded_a.version == loaded_b.version == 1

    saved_a = service.save_assessment(case.id, {"rus": {"rating": 3}},
                                      expected_version=loaded_a.version)
    with pytest.raises(AssessmentConflict) as raised:
        second_service.save_assessment(case.id, {"rus": {"rating": 0, "main_substance": "alcohol"}},
                                       expected_version=loaded_b.version)

    assert raised.value.version == 2 and raised.value.saved_at == saved_a.updated_at
    when = saved_a.updated_at.astimezone().strftime("%H:%M")
    assert f"kl. {when}" in str(raised.value)
    assert second_service.load_assessment(case.id) == saved_a  # A's data intact, B's not written
    assert service.load_assessment(case.id) == saved_a
    assert count(service, Assessment) == 1


def test_conflict_message_in_english(service: CaseService, second_service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    service.save_assessment(case.id, {"rus": {"rating": 1}}, expected_version=0)
    with pytest.raises(AssessmentConflict) as raised:
        second_service.save_assessment(case.id, {"rus": {"rating": 2}}, expected_version=0)
    set_language("en")
    message = raised.value.message()
    assert "Someone else saved this assessment at" in message and "still on screen" in message
    assert "Reload" in message


def test_only_one_of_many_concurrent_saves_of_one_version_wins(
    database_url: str, content: Content, tmp_path: Path
) -> None:
    """Real concurrency: each thread its own store (connection pool), all starting from
    version 1; the ``UPDATE ... WHERE version = 1`` lets exactly one through."""
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers need a server database; SQLite serialises writers")
    stores = [Store.open(database_url, backup_dir=tmp_path / "backups") for _ in range(6)]
    try:
        services = [CaseService(store, content) for store in stores]
        case = services[0].create_case(PATIENT_NAME, PATIENT_ID, TODAY)
        services[0].save_assessment(case.id, {"rus": {"rating": 0}})

        def save(index: int) -> int | None:
            try:
                return services[index].save_assessment(
                    case.id, {"rus": {"rating": index % 5}}, expected_version=1).version
            except AssessmentConflict:
                return None

        with ThreadPoolExecutor(len(services)) as pool:
            outcomes = list(pool.map(save, range(len(services))))
        assert sorted(outcomes, key=str) == [2] + [None] * (len(services) - 1)
        stored = services[0].load_assessment(case.id)
        assert stored is not None and stored.version == 2
        winner = outcomes.index(2)
        assert stored.answers == {"rus": {"rating": winner % 5}}
    finally:
        for store in stores:
            store.close()


@pytest.mark.parametrize("answers", [{"rus": {"rating": [0]}}, {"rus": {"rating": {"a": 1}}},
                                     {"rus": {"rating": 1.5}}])
def test_a_rating_of_the_wrong_shape_is_refused_not_a_crash(service: CaseService, answers: dict) -> None:  # type: ignore[type-arg]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, TODAY)
    with pytest.raises(InvalidInput) as raised:
        service.save_assessment(case.id, answers)
    assert [problem.field for problem in raised.value.problems] == ["rus.rating"]
