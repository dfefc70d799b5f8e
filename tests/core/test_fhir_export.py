"""The FHIR R4 export of one case: structure checked against the fhir.resources R4B models
(structurally R4 for Patient, Questionnaire, QuestionnaireResponse, Observation, Bundle)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from stdnum.no import fodselsnummer

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.cases import CaseService, Decision
from tsbplace.fhir_export import (
    D_NUMMER_SYSTEM,
    FODSELSNUMMER_SYSTEM,
    INSTRUMENT_SYSTEM,
    LOINC_SYSTEM,
    LOINC_TOTALS,
    QUESTIONNAIRE_URL,
    fhir_bundle,
    identifier_system,
)

bundle_model = pytest.importorskip("fhir.resources.R4B.bundle")

EXPORTED = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
RUS = {"main_substance": "alcohol", "withdrawal_complications": True, "rating": 2, "note": "Fritekst",
       "substances": {"alcohol": {"used": True, "days_last_30": 20, "units_per_day": 12.5},
                      "opioids": {"used": False}}}
INSTRUMENTS = {
    "audit": {f"q{i}": 2 for i in range(1, 9)} | {"q9": 2, "q10": 4},  # total 22
    "phq9": {f"q{i}": 1 for i in range(1, 10)},  # total 9
    "hscl10": {f"q{i}": 2 for i in range(1, 11)},  # mean 2
    "dudit": {"q1": 1},  # started, not complete: no total, no Observation
}
DECISION = Decision(chosen_level="D3M", care_right="rett", frist_weeks=6,
                    latest_start_date=dt.date(2027, 1, 4), patient_agreement="enig")


def d_nummer(birth_date: dt.date) -> str:
    """A D-nummer with valid check digits: the day plus 40."""
    for serial in range(100, 500):
        base = f"{birth_date.day + 40:02d}{birth_date:%m}{birth_date.year % 100:02d}{serial:03d}"
        first = fodselsnummer.calc_check_digit1(base)
        second = fodselsnummer.calc_check_digit2(base + first)
        if len(first) == 1 and len(second) == 1:
            return base + first + second
    raise AssertionError("no serial")


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


def validate(bundle: dict[str, Any]) -> None:
    model = bundle_model.Bundle
    if hasattr(model, "model_validate"):
        model.model_validate(bundle)
    else:  # fhir.resources 7 (pydantic 1)
        model.parse_obj(bundle)


def references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner
            else:
                yield from references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from references(inner)


@pytest.fixture
def corrected_case(service: CaseService) -> int:
    """A case signed once and then reopened for correction: two versions."""
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date(2026, 11, 16))
    service.save_assessment(case.id, {"rus": RUS}, INSTRUMENTS)
    service.save_decision(case.id, DECISION)
    service.sign_assessment(case.id)
    service.start_correction(case.id, "Feil frist")
    return case.id


def test_the_bundle_validates_against_the_r4_models(service: CaseService, corrected_case: int) -> None:
    bundle = fhir_bundle(service, corrected_case, exported_at=EXPORTED)
    validate(bundle)
    json.dumps(bundle)  # plain JSON values only
    assert bundle["type"] == "collection"
    assert bundle["timestamp"] == "2026-11-20T12:00:00+00:00"


def test_one_patient_one_questionnaire_one_response_per_version(service: CaseService,
                                                                corrected_case: int) -> None:
    bundle = fhir_bundle(service, corrected_case, exported_at=EXPORTED)
    kinds = Counter(entry["resource"]["resourceType"] for entry in bundle["entry"])
    assert kinds["Patient"] == 1 and kinds["Questionnaire"] == 1
    assert kinds["QuestionnaireResponse"] == len(service.assessment_versions(corrected_case)) == 2
    assert [r["status"] for r in resources(bundle, "QuestionnaireResponse")] == ["completed", "in-progress"]
    # audit, phq9 and hscl10 have totals in each version; dudit is incomplete
    assert kinds["Observation"] == 3 * 2
    assert {r["code"]["coding"][-1]["code"] for r in resources(bundle, "Observation")} == {
        "audit.total", "phq9.total", "hscl10.total"}


def test_patient_identifier_name_and_gender(service: CaseService, corrected_case: int) -> None:
    patient = resources(fhir_bundle(service, corrected_case, exported_at=EXPORTED), "Patient")[0]
    assert patient["identifier"] == [{"use": "official", "system": FODSELSNUMMER_SYSTEM, "value": PATIENT_ID}]
    *given, family = PATIENT_NAME.split()
    assert patient["name"][0]["family"] == family and patient["name"][0]["given"] == given
    assert patient["birthDate"] == "1984-05-17"
    assert patient["gender"] == ("male" if int(PATIENT_ID[8]) % 2 else "female")


def test_a_d_nummer_patient_gets_the_d_nummer_system(service: CaseService) -> None:
    number = d_nummer(dt.date(1990, 3, 9))
    assert identifier_system(number) == D_NUMMER_SYSTEM
    case = service.create_case("Ola Nordmann", number, dt.date(2026, 11, 16))
    bundle = fhir_bundle(service, case.id, exported_at=EXPORTED)
    validate(bundle)
    patient = resources(bundle, "Patient")[0]
    assert patient["identifier"][0] == {"use": "official", "system": D_NUMMER_SYSTEM, "value": number}
    assert patient["birthDate"] == "1990-03-09"
    assert resources(bundle, "QuestionnaireResponse") == []  # not assessed yet


def test_loinc_only_on_the_listed_instruments(service: CaseService, corrected_case: int) -> None:
    assert set(LOINC_TOTALS) == {"phq9", "gad7", "audit", "audit_c"}
    for observation in resources(fhir_bundle(service, corrected_case, exported_at=EXPORTED), "Observation"):
        codings = observation["code"]["coding"]
        instrument = codings[-1]["code"].removesuffix(".total")
        assert codings[-1]["system"] == INSTRUMENT_SYSTEM
        loinc = [c["code"] for c in codings if c["system"] == LOINC_SYSTEM]
        assert loinc == ([LOINC_TOTALS[instrument][0]] if instrument in LOINC_TOTALS else [])


def test_observation_values_bands_and_dates(service: CaseService, corrected_case: int) -> None:
    bundle = fhir_bundle(service, corrected_case, exported_at=EXPORTED)
    signed = service.assessment_versions(corrected_case)[0]
    first = {o["code"]["coding"][-1]["code"]: o for o in resources(bundle, "Observation")
             if o["status"] == "final"}
    assert first["audit.total"]["valueInteger"] == 22
    assert first["phq9.total"]["valueInteger"] == 9
    assert first["hscl10.total"]["valueQuantity"]["value"] == 2.0  # a mean: R4 has no valueDecimal
    assert first["audit.total"]["interpretation"][0]["text"]
    assert first["audit.total"]["note"][0]["text"]
    assert signed.signed_at is not None
    assert first["audit.total"]["effectiveDateTime"] == signed.signed_at.isoformat(timespec="seconds")


def test_references_resolve_inside_the_bundle(service: CaseService, corrected_case: int) -> None:
    bundle = fhir_bundle(service, corrected_case, exported_at=EXPORTED)
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(full_urls)) == len(full_urls)
    assert all(url.startswith("urn:uuid:") for url in full_urls)
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
    found = list(references(bundle))
    assert found and all(reference in full_urls for reference in found)
    questionnaire = resources(bundle, "Questionnaire")[0]
    for response in resources(bundle, "QuestionnaireResponse"):
        assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    assert questionnaire["url"] == QUESTIONNAIRE_URL
    assert questionnaire["version"] == service.content.ruleset.version


def test_ids_are_stable_between_exports(service: CaseService, corrected_case: int) -> None:
    first = fhir_bundle(service, corrected_case, exported_at=EXPORTED)
    again = fhir_bundle(service, corrected_case, exported_at=EXPORTED)
    assert first == again


def link_ids(items: list[dict[str, Any]]) -> Iterator[str]:
    for item in items:
        yield item["linkId"]
        yield from link_ids(item.get("item", []))


def test_questionnaire_covers_the_content_and_answers_use_its_link_ids(service: CaseService,
                                                                       corrected_case: int) -> None:
    bundle = fhir_bundle(service, corrected_case, exported_at=EXPORTED)
    questionnaire = resources(bundle, "Questionnaire")[0]
    asked = set(link_ids(questionnaire["item"]))
    for domain in service.content.domains:
        assert domain.id in asked and f"{domain.id}.rating" in asked
        assert {f"{domain.id}.{item.id}" for item in domain.items} <= asked
    response = resources(bundle, "QuestionnaireResponse")[0]
    answered = set(link_ids(response["item"]))
    assert answered <= asked
    assert {"rus.main_substance", "rus.rating", "rus.substances.alcohol.units_per_day",
            "rus.substances.opioids.used"} <= answered
    main = next(i for i in response["item"][0]["item"] if i["linkId"] == "rus.main_substance")
    assert main["answer"][0]["valueCoding"]["code"] == "alcohol"
