"""``tsbplace letter``, ``export`` and ``import`` on encrypted stores, through the command
line's own entry point: a letter to the patient, a case file moved to another clinic's
store (sealed on the way), FHIR and the de-identified CSV, each export audited."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.access import Workspace, create_store, sign_in
from tsbplace.cases import Decision, ReferralDetails
from tsbplace.cli import main
from tsbplace.locations import resolve_locations
from tsbplace.sealed_files import is_sealed

PASSWORD = "korrekt-hest-batteri"
PHRASE = "en lang nok passordfrase"
ANSWERS = {"rus": {"main_substance": "alcohol", "withdrawal_complications": True, "rating": 2}}


def store(folder: Path) -> Workspace:
    return create_store(resolve_locations(folder, environ={}), "kari", "Kari Nordmann", PASSWORD)


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Path, str]:
    """A store with one signed case; (its data folder, the case number)."""
    workspace = store(tmp_path / "clinic")
    case = workspace.cases.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today() - dt.timedelta(days=3))
    record = workspace.cases.save_assessment(case.id, ANSWERS)
    workspace.cases.save_referral(case.id, ReferralDetails(source="fastlege", referrer="Dr. Berg",
                                                           present_items=("substances",)))
    workspace.cases.save_decision(case.id, Decision(
        chosen_level=record.suggested_level, care_right="rett", frist_weeks=6,
        latest_start_date=dt.date.today() + dt.timedelta(weeks=6), patient_agreement="enig"))
    workspace.cases.sign_assessment(case.id)
    workspace.close()
    return tmp_path / "clinic", case.case_number


def run(monkeypatch: pytest.MonkeyPatch, folder: Path, *args: str, stdin: str = PASSWORD + "\n") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--data-dir", str(folder), "--user", "kari", "--password-stdin", *args])


def actions(folder: Path) -> list[str]:
    workspace = sign_in(resolve_locations(folder, environ={}), "kari", PASSWORD)
    try:
        return [entry.action for entry in workspace.cases.audit_trail()]
    finally:
        workspace.close()


def test_the_patient_letter_is_written_and_recorded(
        monkeypatch: pytest.MonkeyPatch, clinic: tuple[Path, str], tmp_path: Path) -> None:
    folder, number = clinic
    target = tmp_path / "brev.pdf"
    assert run(monkeypatch, folder, "letter", number, "--kind", "pasient", "--out", str(target)) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Du har rett til nødvendig helsehjelp" in text and "Statsforvalteren" in text
    assert run(monkeypatch, folder, "letter", number, "--kind", "pasient", "--out", str(target)) == 1
    assert actions(folder).count("document.issued") == 1


def test_a_case_moves_to_another_store_sealed_on_the_way(monkeypatch: pytest.MonkeyPatch,
                                                         clinic: tuple[Path, str], tmp_path: Path) -> None:
    folder, number = clinic
    sealed = tmp_path / "sak.json.sealed"
    assert run(monkeypatch, folder, "export", number, "--format", "json", "--seal", "--out", str(sealed),
               stdin=f"{PASSWORD}\n{PHRASE}\n") == 0
    assert is_sealed(sealed.read_bytes()) and PATIENT_NAME.encode() not in sealed.read_bytes()
    other = tmp_path / "other"
    store(other).close()
    assert run(monkeypatch, other, "import", str(sealed), stdin=f"{PASSWORD}\nfeil frase her\n") == 1
    assert run(monkeypatch, other, "import", str(sealed), stdin=f"{PASSWORD}\n{PHRASE}\n") == 0
    assert run(monkeypatch, other, "import", str(sealed), "--on-duplicate", "skip",
               stdin=f"{PASSWORD}\n{PHRASE}\n") == 0
    moved = sign_in(resolve_locations(other, environ={}), "kari", PASSWORD)
    try:
        [case] = moved.cases.list_cases()
        assert (case.case_number, case.patient_name, case.status) == (number, PATIENT_NAME, "signed")
    finally:
        moved.close()
    assert actions(folder).count("case.exported") == 1
    assert actions(other).count("case.imported") == 1


def test_fhir_and_the_quality_csv(
        monkeypatch: pytest.MonkeyPatch, clinic: tuple[Path, str], tmp_path: Path) -> None:
    folder, number = clinic
    bundle_file, csv_file = tmp_path / "sak.fhir.json", tmp_path / "kvalitet.csv"
    assert run(monkeypatch, folder, "export", number, "--format", "fhir", "--out", str(bundle_file)) == 0
    bundle = json.loads(bundle_file.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("QuestionnaireResponse") == 1
    assert run(monkeypatch, folder, "export", "--all", "--format", "csv", "--out", str(csv_file)) == 0
    data = csv_file.read_bytes()
    for secret in (PATIENT_ID, number, *PATIENT_NAME.split()):
        assert secret.encode() not in data
    assert run(monkeypatch, folder, "export", number, "--format", "csv", "--out", str(tmp_path / "x")) == 2
    assert actions(folder).count("case.exported") == 2
