"""The clinic's own services: checked, kept by a professional lead and audited; where a
level is offered locally, and the nearest higher level when it is not; the service a
decision names, stored and read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.access import create_store, sign_in
from tsbplace.accounts import NotAllowed, Role
from tsbplace.cases import CaseService, Decision
from tsbplace.clinic import ClinicSettings
from tsbplace.content.model import Content
from tsbplace.decisions import MAX_NAME
from tsbplace.field_problems import InvalidInput
from tsbplace.local_services import (
    MAX_NOTE,
    MAX_SERVICES,
    LocalService,
    local_options,
    new_service,
    service_problems,
)
from tsbplace.locations import resolve_locations

HAMAR = LocalService("hamar", "Poliklinikk Hamar", "P1", "Skolegata 32")
GJOVIK = LocalService("gjovik", "Rusteam Gjøvik", "P1")
SANDERUD = LocalService("sanderud", "Avrusning Sanderud", "D3M")
A4_UNIT = LocalService("a4", "Akuttpost Reinsvoll", "A4")
OLD = LocalService("old", "Dagtilbud Elverum", "P2", active=False)
SERVICES = (HAMAR, GJOVIK, SANDERUD, A4_UNIT, OLD)


def fields(content: Content, services: list[LocalService]) -> list[str]:
    return [problem.field for problem in service_problems(content, services)]


# --- checks -------------------------------------------------------------------------------

def test_a_sound_list_has_no_problems(content: Content) -> None:
    assert service_problems(content, list(SERVICES)) == []
    assert service_problems(content, []) == []


def test_each_bad_row_is_named_by_its_place_in_the_list(content: Content) -> None:
    services = [HAMAR,
                LocalService("b", "  ", "P1"),
                LocalService("c", "poliklinikk hamar", "P1"),  # the same name, other case
                LocalService("d", "Ukjent nivå", "X9"),
                LocalService("e", "L" * 121, "P1", "n" * (MAX_NOTE + 1)),
                LocalService("e", "Samme id", "P1"),
                LocalService("", "Uten id", "P1")]
    assert fields(content, services) == ["services.1.name", "services.2.name", "services.3.level",
                                         "services.4.name", "services.4.note", "services.5.id",
                                         "services.6.id"]
    assert "Navnet mangler." in [p.message for p in service_problems(content, services)]


def test_at_most_sixty_services(content: Content) -> None:
    many = [new_service(f"Tjeneste {n}", "P1") for n in range(MAX_SERVICES + 1)]
    assert fields(content, many) == ["services"]
    assert fields(content, many[:MAX_SERVICES]) == []


def test_a_new_service_gets_its_own_id() -> None:
    first, second = new_service("A", "P1"), new_service("A", "P1")
    assert first.id and second.id and first.id != second.id
    assert LocalService.from_dict(first.to_dict()) == first


# --- where a level is offered --------------------------------------------------------------

def test_active_services_at_the_level_are_the_local_options(content: Content) -> None:
    options = local_options(content, SERVICES, "P1")
    assert options.applies and options.available
    assert options.services == (HAMAR, GJOVIK)
    assert options.nearest_level is None and options.nearest == ()


def test_a_level_not_offered_names_the_nearest_higher_level_never_a_lower_one(content: Content) -> None:
    options = local_options(content, SERVICES, "P1M")  # P1 is offered, but lower
    assert options.applies and not options.available
    assert options.nearest_level == "D3M" and options.nearest == (SANDERUD,)
    d3 = local_options(content, SERVICES, "D3")
    assert d3.nearest_level == "D3M"


def test_an_inactive_service_is_never_offered(content: Content) -> None:
    options = local_options(content, SERVICES, "P2")  # only the inactive day service is at P2
    assert not options.available and options.nearest_level == "D3M"
    only_inactive = local_options(content, (OLD,), "P2")
    assert not only_inactive.applies  # nothing to say for a clinic that uses none


def test_the_highest_level_not_offered_has_no_nearest(content: Content) -> None:
    options = local_options(content, (HAMAR,), "A4")
    assert options.applies and not options.available
    assert options.nearest_level is None and options.nearest == ()


def test_the_baseline_level_is_not_missing_locally_unless_the_clinic_lists_a_service_there(
        content: Content) -> None:
    assert content.ruleset.baseline_level == "K0"  # follow-up in the municipality
    options = local_options(content, SERVICES, "K0")
    assert not options.applies and options.nearest_level is None  # no referral elsewhere to suggest
    partner = LocalService("kommune", "Rustjenesten i Hamar kommune", "K0")
    listed = local_options(content, (*SERVICES, partner), "K0")
    assert listed.applies and listed.services == (partner,)


def test_a_clinic_without_services_has_nothing_to_say(content: Content) -> None:
    options = local_options(content, (), "P1")
    assert not options.applies and not options.available


# --- kept by a lead, audited -----------------------------------------------------------------

def test_a_lead_keeps_the_services_for_every_workstation(tmp_path: Path) -> None:
    locations = resolve_locations(tmp_path / "data", environ={})
    lead = create_store(locations, "kari", "Kari Nordmann", "korrekt-hest-batteri")
    content = lead.cases.content
    assert lead.clinic.services() == ()
    saved = lead.clinic.save_services(content, [dataclasses.replace(HAMAR, name=" Poliklinikk Hamar "),
                                                SANDERUD, OLD])
    assert saved == (HAMAR, SANDERUD, OLD)  # trimmed, order kept
    assert lead.clinic.services() == (HAMAR, SANDERUD, OLD)
    assert [e.action for e in lead.cases.audit_trail()].count("settings.changed") == 1

    lead.accounts.add_user("ola", "Ola Lege", Role.CLINICIAN, "ola-sitt-passord")
    ola = ClinicSettings(lead.store, lead.accounts.list_users()[1], lead.actor)
    assert ola.services() == (HAMAR, SANDERUD, OLD)  # read by anyone
    with pytest.raises(NotAllowed):
        ola.save_services(content, [GJOVIK])

    with pytest.raises(InvalidInput) as raised:
        lead.clinic.save_services(content, [GJOVIK, LocalService("x", "", "Z")])
    assert [p.field for p in raised.value.problems] == ["services.1.name", "services.1.level"]
    assert lead.clinic.services() == (HAMAR, SANDERUD, OLD)  # refused: nothing changed
    assert [e.action for e in lead.cases.audit_trail()].count("settings.changed") == 1
    lead.close()

    again = sign_in(locations, "kari", "korrekt-hest-batteri")
    assert again.cases.local_services == (HAMAR, SANDERUD, OLD)  # every new session has them
    again.close()


def test_a_case_service_has_no_local_services_unless_given(service: CaseService) -> None:
    assert service.local_services == ()


# --- the decision names the service ------------------------------------------------------------

def test_the_chosen_service_is_stored_with_the_decision_and_kept_when_signed(service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date(2026, 11, 20))
    service.save_assessment(case.id, {"rus": {"rating": 1}})
    decision = Decision(chosen_level="P1", care_right="rett", frist_weeks=8,
                        latest_start_date=dt.date(2027, 1, 15), patient_agreement="enig",
                        chosen_service="Poliklinikk Hamar")
    saved = service.save_decision(case.id, decision)
    assert saved.decision == decision
    service.sign_assessment(case.id)
    correction = service.start_correction(case.id, "Ny opplysning")
    assert correction.decision.chosen_service == "Poliklinikk Hamar"  # carried into the correction
    loaded = service.load_assessment(case.id)
    assert loaded is not None and loaded.decision.chosen_service == "Poliklinikk Hamar"


def test_a_chosen_service_name_that_is_too_long_is_refused(service: CaseService) -> None:
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date(2026, 11, 20))
    service.save_assessment(case.id, {"rus": {"rating": 1}})
    with pytest.raises(InvalidInput) as raised:
        service.save_decision(case.id, Decision(chosen_service="x" * (MAX_NAME + 1)))
    assert [p.field for p in raised.value.problems] == ["decision.chosen_service"]
