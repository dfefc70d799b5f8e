"""The clinic's letterhead details: kept in the store, changed by a professional lead only,
checked, and audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsbplace.access import create_store, sign_in
from tsbplace.accounts import NotAllowed, Role
from tsbplace.clinic import ClinicDetails, ClinicSettings
from tsbplace.field_problems import InvalidInput
from tsbplace.locations import resolve_locations

DETAILS = ClinicDetails(name="Avdeling for rusbehandling, Sykehuset Øst", unit="Poliklinikk Moss",
                        address_lines=("Postboks 300", "1714 Grålum"), organisation_number="983 971 709",
                        phone="69 86 00 00", complaint_authority="Statsforvalteren i Østfold")


def test_a_lead_sets_the_letterhead_for_every_workstation(tmp_path: Path) -> None:
    locations = resolve_locations(tmp_path / "data", environ={})
    lead = create_store(locations, "kari", "Kari Nordmann", "korrekt-hest-batteri")
    assert not lead.clinic.details().is_set
    lead.clinic.save(DETAILS)
    lead.accounts.add_user("ola", "Ola Lege", Role.CLINICIAN, "ola-sitt-passord")
    ola = ClinicSettings(lead.store, lead.accounts.list_users()[1], lead.actor)
    assert ola.details() == DETAILS  # read by anyone
    with pytest.raises(NotAllowed):
        ola.save(ClinicDetails(name="Noe annet"))
    with pytest.raises(InvalidInput) as raised:
        lead.clinic.save(ClinicDetails(name="X", organisation_number="12345", address_lines=("a",) * 5))
    assert [p.field for p in raised.value.problems] == ["clinic.address_lines", "clinic.organisation_number"]
    assert lead.clinic.details() == DETAILS
    assert [e.action for e in lead.cases.audit_trail()].count("settings.changed") == 1
    lead.close()


def test_the_clinic_chooses_the_ciwa_threshold_set_for_every_workstation(tmp_path: Path) -> None:
    locations = resolve_locations(tmp_path / "data", environ={})
    lead = create_store(locations, "kari", "Kari Nordmann", "korrekt-hest-batteri")
    ciwa = lead.cases.content.instrument("ciwa_ar")
    other = next(band_set.id for band_set in ciwa.band_sets if band_set.id != ciwa.default_band_set)
    with pytest.raises(InvalidInput):
        lead.clinic.save_band_sets(lead.cases.content, {"ciwa_ar": "made-up"})
    lead.clinic.save_band_sets(lead.cases.content, {"ciwa_ar": other})
    lead.close()
    again = sign_in(locations, "kari", "korrekt-hest-batteri")
    assert again.cases.band_sets == {"ciwa_ar": other}  # every new session scores with it
    again.close()
