"""Instruments through the case service: scored with the patient's sex and the clinic's
threshold sets, stored with version and threshold set, given to the rules as facts."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.cases import CaseService, InvalidInput, fact_context
from tsbplace.content import Content
from tsbplace.engine import facts_from_answers
from tsbplace.instruments.facts import instrument_fact_values
from tsbplace.national_id import synthetic_national_id
from tsbplace.storage import Store

PHQ9_MILD_WITH_SELF_HARM = {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 0, "q6": 1, "q7": 0,
                            "q8": 0, "q9": 1}  # 1+1+1+1+0+1+0+0+1 = 6: mild (5–9)


@pytest.fixture
def database_url(any_database_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (see tests/conftest.py)."""
    return any_database_url


def new_case(service: CaseService, national_id: str = PATIENT_ID) -> int:
    return service.create_case(PATIENT_NAME, national_id, dt.date.today()).id


def test_results_are_stored_with_version_and_threshold_set(service: CaseService) -> None:
    case_id = new_case(service)
    record = service.save_assessment(case_id, {"psykisk": {"rating": 2}},
                                     {"phq9": PHQ9_MILD_WITH_SELF_HARM})
    phq9 = record.instruments["phq9"]
    assert phq9["total"] == 6
    assert phq9["band"]["severity"] == 1 and phq9["band"]["label"]["en"].lower().startswith("mild")
    assert phq9["band_set"] == "kroenke-2001"
    assert phq9["instrument_version"] == service.content.instrument("phq9").version
    assert [flag["id"] for flag in phq9["flags"]] == ["self_harm_thoughts"]
    assert service.load_assessment(case_id) == record


def test_sex_from_the_id_number_chooses_the_audit_c_cut_off(service: CaseService) -> None:
    woman = synthetic_national_id(dt.date(1990, 3, 3), first_serial=100)
    while int(woman[8]) % 2:  # ninth digit even = registered female
        woman = synthetic_national_id(dt.date(1990, 3, 3), first_serial=int(woman[6:9]) + 1)
    case_id = new_case(service, woman)
    record = service.save_assessment(case_id, {}, {"audit_c": {"q1": 1, "q2": 1, "q3": 1}})
    result = record.instruments["audit_c"]
    assert result["total"] == 3
    assert result["sex_rule_applied"] == "female"  # women: positive from 3
    assert result["band"]["severity"] == 1


def test_clinic_threshold_set_is_used_and_recorded(store: Store, content: Content) -> None:
    service = CaseService(store, content, band_sets={"ciwa_ar": "asam-2020"})
    case_id = new_case(service)
    answers = {f"q{i}": 1 for i in range(1, 10)} | {"q10": 0}  # 9: mild in ASAM 2020, moderate in VA
    result = service.save_assessment(case_id, {}, {"ciwa_ar": answers}).instruments["ciwa_ar"]
    assert (result["band_set"], result["total"], result["band"]["severity"]) == ("asam-2020", 9, 0)


@pytest.mark.parametrize("instruments", [
    {"phq9": {"q9": 7}},
    {"phq9": {"q99": 1}},
    {"not_an_instrument": {"q1": 1}},
])
def test_invalid_instrument_answers_are_refused_and_change_nothing(
    service: CaseService, instruments: dict
) -> None:
    case_id = new_case(service)
    before = service.save_assessment(case_id, {"rus": {"rating": 1}}, {"gad7": {"q1": 2}})
    with pytest.raises(InvalidInput) as raised:
        service.save_assessment(case_id, {"rus": {"rating": 3}}, instruments)
    assert raised.value.problems[0].field.startswith("instruments.")
    assert service.load_assessment(case_id) == before


def test_an_untouched_instrument_is_not_stored(service: CaseService) -> None:
    case_id = new_case(service)
    record = service.save_assessment(case_id, {}, {"phq9": {"q1": None}, "gad7": {}})
    assert record.instruments == {}


def test_instrument_results_become_facts(service: CaseService, content: Content) -> None:
    case = service.get_case(new_case(service))
    results = service.score({"phq9": {"q9": 2}, "gad7": {f"q{i}": 3 for i in range(1, 8)}},
                            fact_context(case))
    facts = facts_from_answers(content, {}, fact_context(case),
                               instrument_fact_values(content.instruments, results))
    assert facts["instrument.phq9.flag.self_harm_thoughts"] is True  # flag even when incomplete
    assert facts["instrument.phq9.complete"] is False
    assert facts["instrument.phq9.total"] is None and facts["instrument.phq9.severity"] is None
    assert facts["instrument.gad7.total"] == 21 and facts["instrument.gad7.severity"] == 3
    assert facts["instrument.audit.total"] is None  # not filled in: unknown
    hscl = service.score({"hscl10": {f"q{i}": 2 for i in range(1, 11)}})["hscl10"]
    assert instrument_fact_values(content.instruments, {"hscl10": hscl})["instrument.hscl10.total"] == 2.0
