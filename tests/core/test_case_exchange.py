"""Case export and import (format tsbplace-case version 2, tsbplace.case_exchange).

The acceptance tests: every example case survives export → import → export unchanged;
every malformed file in tests/fixtures/case_exports is refused with its JSON path and the
store unchanged; randomly mutated exports never raise anything but CaseFileError and
never write half a case; duplicates are refused, skipped or added as a new version.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from tests.core.case_files import example, example_names
from tsbplace.case_exchange import ExportedCase, export_bytes, export_case, import_case, parse_export
from tsbplace.case_file import CaseFileError, parse_case_file
from tsbplace.cases import CaseService
from tsbplace.content import Content
from tsbplace.decisions import Decision
from tsbplace.locations import sqlite_url
from tsbplace.national_id import legal_sex, synthetic_national_id
from tsbplace.referrals import ReferralDetails
from tsbplace.storage import Store
from tsbplace.storage.models import Assessment, AuditEvent, IssuedDocument, Patient, Referral, TsbCase

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "case_exports"
VALID = FIXTURES / "valid-export.json"
TABLES = (Patient, TsbCase, Referral, Assessment, IssuedDocument, AuditEvent)


def national_id(birth_date: dt.date, sex: str) -> str:
    """A synthetic number for ``birth_date`` whose ninth digit gives ``sex`` (odd: M)."""
    serial = 100
    while True:
        number = synthetic_national_id(birth_date, serial)
        if legal_sex(number) == sex:
            return number
        serial = int(number[6:9]) + 1


def row_counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {table.__tablename__: session.exec(select(func.count()).select_from(table)).one()
                for table in TABLES}


def fresh_service(tmp_path: Path, content: Content, name: str, url: str | None = None) -> CaseService:
    store = Store.open(url or sqlite_url(tmp_path / name / "tsbplace.sqlite3"),
                       backup_dir=tmp_path / name / "b")
    return CaseService(store, content)


def build_case(service: CaseService, name: str) -> int:
    """A case from one example file with two versions: signed, then a saved correction."""
    data = example(name)
    birth = dt.date.fromisoformat(data["patient"]["birth_date"])
    received = dt.date.fromisoformat(data["referral"]["received"])
    case = service.create_case(f"Syntetisk Pasient {name[:8]}", national_id(birth, data["patient"]["sex"]),
                               received)
    first = service.save_assessment(case.id, data["answers"], data.get("instruments", {}))
    service.save_referral(case.id, ReferralDetails(data["referral"].get("source"), "", "Lege Testesen",
                                                   "Rus og psykisk helse", ("wishes", "substances")))
    service.save_decision(case.id, Decision(chosen_level=first.suggested_level, care_right="rett",
                                            frist_weeks=4, latest_start_date=received + dt.timedelta(days=40),
                                            patient_goals="Rusfrihet", patient_agreement="enig",
                                            chosen_service="Poliklinikk Hamar"))
    service.sign_assessment(case.id)
    service.start_correction(case.id, "Oppdaterte opplysninger")
    answers = copy.deepcopy(data["answers"])
    answers.setdefault("motivasjon", {})["rating"] = 1
    service.save_assessment(case.id, answers, data.get("instruments", {}))
    return case.id


def without_export_stamp(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in ("exported_at", "exported_by")}


def record_fields(record: Any, skip: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in dataclasses.asdict(record).items() if key not in skip}


# --- round trip ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", example_names())
def test_export_then_import_of_every_example_gives_an_identical_case(
        content: Content, tmp_path: Path, name: str) -> None:
    source = fresh_service(tmp_path, content, "source")
    target = fresh_service(tmp_path, content, "target")
    case_id = build_case(source, name)
    first = export_case(source, case_id)
    raw = export_bytes(first)
    assert raw == export_bytes(json.loads(raw))  # sorted, stable
    result = import_case(target, parse_export(raw, content))
    assert result.created_case and result.created_patient and result.revisions == (1, 2)
    second = export_case(target, result.case_id)
    assert without_export_stamp(second) == without_export_stamp(first)

    ids = ("id", "case_id", "supersedes_id", "version")
    before, after = source.assessment_versions(case_id), target.assessment_versions(result.case_id)
    assert [record_fields(r, ids) for r in after] == [record_fields(r, ids) for r in before]
    assert after[1].supersedes_id == after[0].id
    assert record_fields(target.load_assessment(result.case_id), ids) == \
        record_fields(source.load_assessment(case_id), ids)
    referral_before, referral_after = source.load_referral(case_id), target.load_referral(result.case_id)
    assert record_fields(referral_after, ("case_id",)) == record_fields(referral_before, ("case_id",))
    assert record_fields(target.get_case(result.case_id), ("id",)) == \
        record_fields(source.get_case(case_id), ("id",))
    imported = [e for e in target.audit_trail(result.case_id) if e.action == "case.imported"]
    assert len(imported) == 1 and imported[0].detail["revisions"] == [1, 2]
    assert "Syntetisk" not in json.dumps(imported[0].detail)
    source.store.close()
    target.store.close()


@pytest.fixture
def any_service(any_store: Store, content: Content) -> CaseService:
    return CaseService(any_store, content)


def test_the_round_trip_holds_on_each_backend(any_service: CaseService, content: Content,
                                              tmp_path: Path) -> None:
    case_id = build_case(any_service, example_names()[0])
    first = export_case(any_service, case_id)
    target = fresh_service(tmp_path, content, "target")
    result = import_case(target, parse_export(export_bytes(first), content))
    assert without_export_stamp(export_case(target, result.case_id)) == without_export_stamp(first)
    back = fresh_service(tmp_path, content, "back")  # and back again through a second store
    again = import_case(back, parse_export(export_bytes(export_case(target, result.case_id)), content))
    assert without_export_stamp(export_case(back, again.case_id)) == without_export_stamp(first)
    target.store.close()
    back.store.close()


def test_a_case_without_assessment_or_referral_round_trips(service: CaseService, content: Content,
                                                           tmp_path: Path) -> None:
    case = service.create_case("Ny Pasient", national_id(dt.date(1990, 3, 4), "F"), dt.date(2026, 1, 5))
    first = export_case(service, case.id)
    assert first["referral"] is None and first["assessments"] == [] and first["case"]["status"] == "new"
    target = fresh_service(tmp_path, content, "target")
    result = import_case(target, parse_export(export_bytes(first), content))
    assert without_export_stamp(export_case(target, result.case_id)) == without_export_stamp(first)
    target.store.close()


def test_the_export_is_documented_json_with_utc_times(service: CaseService) -> None:
    case_id = build_case(service, example_names()[0])
    data = export_case(service, case_id)
    assert data["format"] == "tsbplace-case" and data["version"] == 2
    assert data["exported_at"].endswith("+00:00")
    assert [v["revision"] for v in data["assessments"]] == [1, 2]
    assert data["assessments"][1]["supersedes_revision"] == 1
    assert data["assessments"][0]["signed_at"].endswith("+00:00")
    assert not any(e.action == "case.exported" for e in service.audit_trail(case_id))  # the caller's


def test_assess_refuses_an_export_in_one_line(content: Content) -> None:
    with pytest.raises(CaseFileError) as refused:
        parse_case_file(VALID.read_bytes(), content)
    assert [str(p) for p in refused.value.problems] == [
        "$.version: Versjon 2 støttes ikke; denne TSBplace leser saksfiler av versjon 1."]


# --- malformed files -------------------------------------------------------------------------

MALFORMED: dict[str, tuple[str, str]] = {  # file → (JSON path, part of the message)
    "answers-wrong-type": ("$.assessments[1].answers.rus", "Skal være et objekt"),
    "born-after-received": ("$.patient.birth_date", "må ligge før mottaksdatoen"),
    "case-number": ("$.case.case_number", "Saksnummeret kan bare"),
    "case-status": ("$.case.status", "skal være \"assessed\""),
    "decision-wrong-type": ("$.assessments[1].decision", "Skal være et objekt"),
    "draft-before-signed": ("$.assessments[0].status", "Bare den nyeste versjonen"),
    "draft-signed-by": ("$.assessments[1].signed_by", "Et utkast er ikke signert"),
    "duplicate-key": ("$", "står to ganger"),
    "empty-name": ("$.patient.name", "navn"),
    "frist-out-of-range": ("$.assessments[0].decision.frist_weeks", "mellom 1 og 52"),
    "huge-integer": ("$.assessments[0].decision.frist_weeks", "større enn 1000000000"),
    "huge-number": ("$.assessments[0].answers.rus.rating", "større enn 1000000000"),
    "id-birth-date-mismatch": ("$.patient.national_id", "Fødselsdatoen i nummeret"),
    "id-checksum": ("$.patient.national_id", "Kontrollsifrene"),
    "id-sex-mismatch": ("$.patient.national_id", "Kjønnet i nummeret"),
    "instrument-mismatch": ("$.assessments[0].instrument_results.gad7.instrument", "\"gad7\""),
    "instrument-value": ("$.assessments[0].instrument_results.gad7.answers.q1", "7 er ikke tillatt"),
    "missing-name": ("$.patient.name", "Feltet mangler"),
    "nan": ("$", "NaN"),
    "not-a-real-date": ("$.case.received_date", "Ikke en ekte dato"),
    "not-an-object": ("$", "ett JSON-objekt"),
    "not-utf8": ("$", "UTF-8"),
    "received-in-future": ("$.case.received_date", "fram i tid"),
    "revision-wrong-type": ("$.assessments[0].revision", "heltall"),
    "revisions-out-of-order": ("$.assessments[0].revision", "Skal være 1"),
    "signed-before-created": ("$.assessments[0].signed_at", "før $.assessments[0].created_at"),
    "supersedes-forward": ("$.assessments[0].supersedes_revision", "tidligere, signert versjon"),
    "time-without-offset": ("$.exported_at", "UTC-forskyvning"),
    "truncated": ("$", "avkortet"),
    "unknown-answer-item": ("$.assessments[0].answers.rus.favourite_colour", "Ukjent"),
    "unknown-care-right": ("$.assessments[0].decision.care_right", "Ukjent kode"),
    "unknown-instrument": ("$.assessments[0].instrument_results.abc", "Ukjent kartleggingsinstrument"),
    "unknown-instrument-item": ("$.assessments[0].instrument_results.gad7.answers.q99", "Ukjent ledd"),
    "unknown-key": ("$.extra", "Ukjent felt"),
    "unknown-level": ("$.assessments[0].suggested_level", "Ukjent omsorgsnivå"),
    "unknown-present-item": ("$.referral.present_items[1]", "Ukjent kode"),
    "unknown-referral-source": ("$.referral.source", "Ukjent kode"),
    "version-1": ("$.version", "Versjon 1 støttes ikke"),
    "version-3": ("$.version", "Versjon 3 støttes ikke"),
}


def test_every_fixture_file_is_listed_and_there_are_at_least_twenty() -> None:
    on_disk = {path.stem.removeprefix("bad-") for path in FIXTURES.glob("bad-*.json")}
    assert on_disk == set(MALFORMED)
    assert len(on_disk) >= 20


def test_the_valid_fixture_imports(service: CaseService, content: Content) -> None:
    result = import_case(service, parse_export(VALID.read_bytes(), content))
    assert result.revisions == (1, 2)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_export_is_refused_at_its_path_and_nothing_is_written(
        service: CaseService, content: Content, name: str) -> None:
    path, fragment = MALFORMED[name]
    before = row_counts(service.store)
    with pytest.raises(CaseFileError) as refused:
        import_case(service, parse_export((FIXTURES / f"bad-{name}.json").read_bytes(), content))
    problems = [(p.path, p.message) for p in refused.value.problems]
    assert any(where == path and fragment in text for where, text in problems), problems
    assert row_counts(service.store) == before
    text = str(refused.value)
    valid = json.loads(VALID.read_text(encoding="utf-8"))
    assert valid["patient"]["national_id"] not in text and valid["patient"]["name"] not in text


def test_every_problem_is_reported_at_once(content: Content) -> None:
    data = json.loads(VALID.read_text(encoding="utf-8"))
    data["referral"]["source"] = "postkontor"
    data["assessments"][0]["revision"] = 5
    data["patient"]["sex"] = "M"
    with pytest.raises(CaseFileError) as refused:
        parse_export(json.dumps(data), content)
    assert [p.path for p in refused.value.problems] == [
        "$.assessments[0].revision", "$.patient.national_id", "$.referral.source"]


# --- mutated files (hypothesis) ------------------------------------------------------------

def _places(data: Any, parts: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [parts] if parts else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*parts, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*parts, index))
    return found


_CODES = ["1997-05-30", "2026-10-21T10:00:00+00:00", "signed", "draft", "K0", "rett", "fastlege", "X"]
_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(_CODES), st.builds(list), st.builds(dict),
                    st.builds(lambda: [[1]]), st.builds(lambda: [{}]))  # fresh objects: they get changed


@st.composite
def mutated_exports(draw: st.DrawFn) -> bytes:
    data = json.loads(VALID.read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        places = _places(data)
        if draw(st.booleans()):  # most places are inside the stored suggestion: often look elsewhere
            places = [place for place in places if "suggestion" not in place]
        if not places:
            break
        where = draw(st.sampled_from(places))
        parent: Any = data
        for part in where[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["drop", "replace", "retype"]))
        if action == "drop":
            del parent[where[-1]]
        elif action == "replace":
            parent[where[-1]] = draw(_VALUES)
        else:
            value = parent[where[-1]]
            parent[where[-1]] = [value] if not isinstance(value, list) else {"x": value}
    text = json.dumps(data, ensure_ascii=False)
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text.encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=mutated_exports(), on_duplicate=st.sampled_from(["refuse", "skip", "new-version"]))
def test_mutated_exports_are_refused_cleanly_or_import_whole(service: CaseService, content: Content,
                                                             raw: bytes, on_duplicate: str) -> None:
    before = row_counts(service.store)
    try:
        exported = parse_export(raw, content)
    except CaseFileError as error:
        assert error.problems and all(p.path.startswith("$") for p in error.problems)
        assert row_counts(service.store) == before
        return
    try:
        result = import_case(service, exported, on_duplicate=on_duplicate)
    except CaseFileError as error:
        assert error.problems
        assert row_counts(service.store) == before
        return
    after = row_counts(service.store)
    if result.skipped:
        assert after == before
    else:
        assert after["assessment"] == before["assessment"] + len(result.revisions)
        assert after["tsb_case"] == before["tsb_case"] + result.created_case
        assert after["audit_event"] == before["audit_event"] + 1
        newest = service.load_assessment(result.case_id)
        case = service.get_case(result.case_id)
        assert case.suggested_level == (None if newest is None else newest.suggested_level)


# --- duplicates ----------------------------------------------------------------------------

@pytest.fixture
def exported(service: CaseService, content: Content) -> ExportedCase:
    case_id = build_case(service, example_names()[0])
    newest = service.load_assessment(case_id)
    assert newest is not None
    service.save_decision(case_id, dataclasses.replace(newest.decision, chosen_level=newest.suggested_level,
                                                       reason=None))
    service.sign_assessment(case_id)
    return parse_export(export_bytes(export_case(service, case_id)), content)


def test_a_duplicate_is_refused_by_default(service: CaseService, exported: ExportedCase) -> None:
    before = row_counts(service.store)
    with pytest.raises(CaseFileError) as refused:
        import_case(service, exported)
    assert refused.value.problems[0].path == "$.case.case_number"
    assert "finnes allerede" in refused.value.problems[0].message
    assert row_counts(service.store) == before


def test_a_duplicate_can_be_skipped(service: CaseService, exported: ExportedCase) -> None:
    before = row_counts(service.store)
    result = import_case(service, exported, on_duplicate="skip")
    assert result.skipped and result.revisions == ()
    assert row_counts(service.store) == before


def test_a_duplicate_can_add_the_newest_version(service: CaseService, exported: ExportedCase) -> None:
    case_id = service.list_cases()[0].id
    result = import_case(service, exported, on_duplicate="new-version")
    assert result.case_id == case_id and result.revisions == (3,)
    versions = service.assessment_versions(case_id)
    assert [v.revision for v in versions] == [1, 2, 3]
    assert versions[2].supersedes_id == versions[1].id and versions[2].status == "signed"
    assert versions[2].answers == versions[1].answers and versions[2].decision == versions[1].decision
    case = service.get_case(case_id)
    assert case.status == "signed" and case.chosen_level == versions[2].decision.chosen_level


def test_a_new_version_is_refused_while_the_stored_newest_is_a_draft(
        service: CaseService, exported: ExportedCase) -> None:
    case_id = service.list_cases()[0].id
    service.start_correction(case_id, "Ny runde")
    before = row_counts(service.store)
    with pytest.raises(CaseFileError) as refused:
        import_case(service, exported, on_duplicate="new-version")
    assert refused.value.problems[0].path == "$.case.case_number"
    assert "utkast" in refused.value.problems[0].message
    assert row_counts(service.store) == before


def test_a_case_number_of_another_patient_is_always_refused(
        service: CaseService, exported: ExportedCase, tmp_path: Path, content: Content) -> None:
    other = fresh_service(tmp_path, content, "other")
    other.create_case("Annen Pasient", national_id(dt.date(1970, 1, 2), "M"), exported.received_date)
    before = row_counts(other.store)
    for choice in ("refuse", "skip", "new-version"):
        with pytest.raises(CaseFileError) as refused:
            import_case(other, exported, on_duplicate=choice)
        assert refused.value.problems[0].path == "$.case.case_number"
        assert "annen pasient" in refused.value.problems[0].message
    assert row_counts(other.store) == before
    other.store.close()


def test_a_different_name_for_a_stored_number_is_refused(
        service: CaseService, exported: ExportedCase, tmp_path: Path, content: Content) -> None:
    other = fresh_service(tmp_path, content, "other")
    other.create_case("Et Annet Navn", exported.patient.national_id, dt.date(2025, 1, 2))
    before = row_counts(other.store)
    with pytest.raises(CaseFileError) as refused:
        import_case(other, exported)
    assert refused.value.problems[0].path == "$.patient.name"
    assert row_counts(other.store) == before
    other.store.close()


def test_an_existing_patient_is_reused(service: CaseService, exported: ExportedCase, tmp_path: Path,
                                       content: Content) -> None:
    other = fresh_service(tmp_path, content, "other")
    other.create_case(exported.patient.name, exported.patient.national_id, dt.date(2025, 1, 2))
    result = import_case(other, exported)
    assert result.created_case and not result.created_patient
    assert row_counts(other.store)["patient"] == 1
    other.store.close()


def test_an_unknown_duplicate_choice_is_a_programming_error(service: CaseService,
                                                            exported: ExportedCase) -> None:
    with pytest.raises(ValueError, match="on_duplicate"):
        import_case(service, exported, on_duplicate="merge")


def test_the_chosen_service_travels_and_an_older_file_without_it_imports_as_none(
        content: Content, tmp_path: Path) -> None:
    source = fresh_service(tmp_path, content, "source")
    case_id = build_case(source, example_names()[0])
    exported = export_case(source, case_id)
    assert [v["decision"]["chosen_service"] for v in exported["assessments"]] == ["Poliklinikk Hamar"] * 2
    older = copy.deepcopy(exported)
    for version in older["assessments"]:
        del version["decision"]["chosen_service"]  # written before the clinic's services existed
    parsed = parse_export(export_bytes(older), content)
    assert [version.decision.chosen_service for version in parsed.versions] == ["", ""]
    target = fresh_service(tmp_path, content, "target")
    result = import_case(target, parsed)
    assert [r.decision.chosen_service for r in target.assessment_versions(result.case_id)] == ["", ""]


# --- documentation -------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "case-file.md"


def test_the_documented_export_example_is_valid(content: Content) -> None:
    section = DOC.read_text(encoding="utf-8").split("# Case export", 1)[1]
    example_json = section.split("```json\n", 1)[1].split("```", 1)[0]
    assert parse_export(example_json, content).versions[0].decision.care_right == "rett"


def test_every_field_of_the_export_schema_is_documented() -> None:
    schema = json.loads((Path(__file__).resolve().parents[2] / "resources" / "schemas"
                         / "case-export.schema.json").read_text(encoding="utf-8"))
    text = DOC.read_text(encoding="utf-8").split("# Case export", 1)[1]

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node and "properties" not in node and "items" not in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        return node

    def keys(node: dict[str, Any], prefix: str) -> list[str]:
        node = resolve(node)
        found = []
        for key, child in node.get("properties", {}).items():
            found.append(prefix + key)
            child = resolve(child)
            if "items" in child and child.get("type") == "array":
                found += keys(child["items"], f"{prefix}{key}[].")
            else:
                found += keys(child, f"{prefix}{key}.")
        return found

    documented = keys(schema, "")
    assert "assessments[].decision.patient_agreement" in documented
    assert [key for key in documented if f"| `{key}` |" not in text] == []
