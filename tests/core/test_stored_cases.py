"""Reading every stored case back as engine input, in batches, without names or ID numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.conftest import PATIENT_NAME
from tsbplace.assessment import CaseInput
from tsbplace.cases import CaseService
from tsbplace.national_id import synthetic_national_id
from tsbplace.stored_cases import StoredCase, count_stored_cases, iter_stored_cases

RECEIVED = dt.date(2026, 3, 2)


def test_every_case_comes_back_in_order_across_batches(service: CaseService) -> None:
    numbers = []
    for day in range(1, 6):
        case = service.create_case(f"{PATIENT_NAME} {day}", synthetic_national_id(dt.date(1990, 2, day)),
                                   RECEIVED)
        numbers.append(case.case_number)
        if day % 2:
            service.save_assessment(case.id, {"rus": {"rating": day % 5}},
                                    {"phq9": {"q1": 1, "q9": 0}})
    read = list(iter_stored_cases(service.store, batch_size=2, today=dt.date(2026, 11, 1)))
    assert [stored.case_number for stored in read] == numbers
    assert count_stored_cases(service.store) == 5
    first, second = read[0].case, read[1].case
    assert first.answers == {"rus": {"rating": 1}}
    assert first.instruments == {"phq9": {"q1": 1, "q9": 0}}
    assert read[0].band_sets == {"phq9": "kroenke-2001"}
    assert first.assessment_date == dt.date.today()  # the day it was saved
    assert (first.birth_date, first.received) == (dt.date(1990, 2, 1), RECEIVED)
    assert second.answers == {} and second.instruments == {}
    assert second.assessment_date == dt.date(2026, 11, 1)  # not assessed: as of today


def test_a_stored_case_holds_no_name_or_identity_number(service: CaseService) -> None:
    number = synthetic_national_id(dt.date(1985, 7, 7))
    service.create_case(PATIENT_NAME, number, RECEIVED)
    (stored,) = iter_stored_cases(service.store)
    fields = {f.name for kind in (StoredCase, CaseInput) for f in dataclasses.fields(kind)}
    assert not fields & {"name", "patient_name", "national_id"}
    assert PATIENT_NAME not in repr(stored) and number not in repr(stored)
    assert stored.case.sex == "F"
