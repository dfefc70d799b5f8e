"""Case files: every example is valid; every malformed file is refused whole, each problem
at its JSON path, and nothing is computed from it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.core.case_files import example, example_names, example_path, write_case
from tsbplace.assessment import CaseInput
from tsbplace.case_file import CaseFileError, json_path, parse_case_file, read_case_file
from tsbplace.content import Content
from tsbplace.i18n import set_language
from tsbplace.national_id import synthetic_national_id
from tsbplace.package_data import resource

TODAY = dt.date.today()
Change = Callable[[dict[str, Any]], object]


def refused(content: Content, data: object) -> list[str]:
    """The problems of a file, as printed lines; fails if the file is accepted."""
    text = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
    with pytest.raises(CaseFileError) as caught:
        parse_case_file(text, content)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("name", example_names())
def test_every_example_is_a_valid_case_file(content: Content, name: str) -> None:
    case = read_case_file(example_path(name), content)
    assert isinstance(case, CaseInput)
    assert case.received <= case.assessment_date <= TODAY
    assert case.answers and case.instruments


def test_there_are_at_least_five_examples_of_different_substances(content: Content) -> None:
    names = example_names()
    assert len(names) >= 5
    substances = {read_case_file(example_path(n), content).answers["rus"]["main_substance"] for n in names}
    assert len(substances) >= 5


def test_a_file_becomes_the_case_input_the_engine_reads(content: Content) -> None:
    case = read_case_file(example_path("gravid-benzodiazepiner.json"), content)
    assert (case.birth_date, case.sex, case.source) == (dt.date(1997, 5, 30), "F", "somatikk")
    assert case.context().sex == "female" and case.age() == 29
    assert case.answers["somatikk"]["pregnant"] is True
    assert case.pathway.setting == "outpatient" and case.pathway.first_appointment == dt.date(2026, 10, 27)


def test_the_assessment_date_defaults_to_the_date_received(content: Content) -> None:
    case = read_case_file(example_path("bostedslos-blandingsmisbruk.json"), content)
    assert case.assessment_date == case.received == dt.date(2026, 11, 2)


def test_a_valid_national_id_is_checked_and_then_dropped(content: Content) -> None:
    data = example()
    data["patient"]["national_id"] = synthetic_national_id(dt.date(1972, 8, 14), first_serial=101)
    case = parse_case_file(json.dumps(data), content)
    assert "national_id" not in {f for f in CaseInput.__dataclass_fields__}
    assert case.birth_date == dt.date(1972, 8, 14)


def _set(*path: str, value: object) -> Change:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(*path: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


def _wrong_id(data: dict[str, Any]) -> None:
    number = synthetic_national_id(dt.date(1972, 8, 14), first_serial=101)
    data["patient"]["national_id"] = number[:10] + str((int(number[10]) + 1) % 10)


def _other_persons_id(data: dict[str, Any]) -> None:
    data["patient"]["national_id"] = synthetic_national_id(dt.date(1972, 8, 15), first_serial=101)


def _womans_id(data: dict[str, Any]) -> None:
    born = dt.date(1972, 8, 14)
    data["patient"]["national_id"] = next(
        number for serial in range(100, 500)
        if int((number := synthetic_national_id(born, first_serial=serial))[8]) % 2 == 0)


FUTURE = (TODAY + dt.timedelta(days=3)).isoformat()

# (what is wrong, change, the JSON path, a piece of the message in bokmål)
MALFORMED: list[tuple[str, Change, str, str]] = [
    ("birth date as a number", _set("patient", "birth_date", value=19720814), "$.patient.birth_date",
     "Skal være tekst"),
    ("sex as a word", _set("patient", "sex", value="mann"), "$.patient.sex", 'en av "F", "M"'),
    ("yes/no as text", _set("referral", "lar_referral", value="ja"), "$.referral.lar_referral",
     "true eller false"),
    ("answers as a list", _set("answers", value=[]), "$.answers", "Skal være et objekt"),
    ("bad ID checksum", _wrong_id, "$.patient.national_id", "Kontrollsifrene stemmer ikke"),
    ("ID of another birth date", _other_persons_id, "$.patient.national_id",
     "stemmer ikke med $.patient.birth_date"),
    ("ID of another sex", _womans_id, "$.patient.national_id", "stemmer ikke med $.patient.sex"),
    ("assessed before received", _set("assessment_date", value="2026-08-31"), "$.assessment_date",
     "ligger før $.referral.received"),
    ("born after the referral", _set("patient", "birth_date", value="2026-09-02"), "$.patient.birth_date",
     "før mottaksdatoen"),
    ("received in the future", _set("referral", "received", value=FUTURE), "$.referral.received",
     "fram i tid"),
    ("older than any patient", _set("patient", "birth_date", value="1880-01-01"), "$.patient.birth_date",
     "Gir en alder over 130 år"),
    ("not a real date", _set("patient", "birth_date", value="1972-02-30"), "$.patient.birth_date",
     "Ikke en ekte dato"),
    ("date in another form", _set("referral", "received", value="01.09.2026"), "$.referral.received",
     "ÅÅÅÅ-MM-DD"),
    ("decision before the first appointment",
     _set("pathway", value={"setting": "dogn", "first_appointment": "2026-09-05", "decision": "2026-09-03"}),
     "$.pathway.decision", "ligger før $.pathway.first_appointment"),
    ("pathway dates without a setting", _set("pathway", value={"first_appointment": "2026-09-05"}),
     "$.pathway.setting", "forløpsdatoer"),
    ("unknown domain", _set("answers", "psyke", value={"rating": 1}), "$.answers.psyke",
     "Ukjent kartleggingsområde"),
    ("unknown item", _set("answers", "rus", "alkohol", value=True), "$.answers.rus.alkohol",
     "Ukjent spørsmål"),
    ("unknown substance field", _set("answers", "rus", "substances", "alcohol", "route", value=["oral"]),
     "$.answers.rus.substances.alcohol.route", "Ukjent opplysning"),
    ("rating out of range", _set("answers", "rus", "rating", value=7), "$.answers.rus.rating",
     "7 er ikke tillatt: Risikovurderingen må være et tall fra 0 til 4"),
    ("choice not offered", _set("answers", "bolig", "housing_status", value="tent"),
     "$.answers.bolig.housing_status", '"tent" er ikke tillatt'),
    ("detail of a substance not used",
     _set("answers", "rus", "substances", "opioids", value={"used": False, "days_last_30": 3}),
     "$.answers.rus.substances.opioids.days_last_30", "merket som ikke brukt"),
    ("unknown instrument", _set("instruments", "audit-c", value={"q1": 1}), '$.instruments["audit-c"]',
     "Ukjent kartleggingsinstrument"),
    ("unknown instrument item", _set("instruments", "audit", "q11", value=1), "$.instruments.audit.q11",
     "Ukjent ledd"),
    ("instrument value not permitted", _set("instruments", "audit", "q9", value=1), "$.instruments.audit.q9",
     "1 er ikke tillatt: Ikke et av de tillatte svarene 0, 2, 4"),
    ("instrument value as text", _set("instruments", "audit", "q1", value="4"), "$.instruments.audit.q1",
     "Skal være et heltall eller null"),
    ("huge rating", _set("answers", "rus", "rating", value=10**25), "$.answers.rus.rating",
     "Tallet er større enn 1000000000"),
    ("huge float", _set("answers", "rus", "days_used_last_30", value=1e300),
     "$.answers.rus.days_used_last_30", "Tallet er større enn 1000000000"),
    ("extra key at the top", _set("name", value="Ola Nordmann"), "$.name", "Ukjent felt"),
    ("extra key for the patient", _set("patient", "name", value="Ola Nordmann"), "$.patient.name",
     "Ukjent felt"),
    ("missing date received", _delete("referral", "received"), "$.referral.received", "Feltet mangler"),
    ("missing patient", _delete("patient"), "$.patient", "Feltet mangler"),
]


@pytest.mark.parametrize(("change", "path", "message"), [case[1:] for case in MALFORMED],
                         ids=[case[0] for case in MALFORMED])
def test_a_malformed_file_is_refused_with_the_precise_path(
    content: Content, change: Change, path: str, message: str
) -> None:
    data = example()
    change(data)
    problems = refused(content, data)
    assert any(line.startswith(f"{path}: ") and message in line for line in problems), problems


def test_malformed_cases_cover_at_least_fifteen_kinds() -> None:
    assert len(MALFORMED) >= 15


def _too_deep() -> str:
    return '{"format": "tsbplace-case", "version": 1, "answers": ' + "[" * 100_000 + "]" * 100_000 + "}"


# (what is wrong, the file's text, the JSON path, a piece of the one-line message)
UNREADABLE: list[tuple[str, str | bytes, str, str]] = [
    ("truncated", '{"format": "tsbplace-case", "version": 1, "patient": {"birth_', "$", "avkortet"),
    ("not JSON", '{"format": tsbplace-case}', "$", "ikke gyldig JSON (linje 1, kolonne 12)"),
    ("an array", "[1, 2, 3]", "$", "ett JSON-objekt"),
    ("empty", "  \n", "$", "Filen er tom"),
    ("not UTF-8", b'{"format": "tsbplace-case", "x": "\xff"}', "$", "UTF-8"),
    ("another format", '{"format": "fhir-bundle", "version": 1}', "$.format", "tsbplace-case"),
    ("version 2", '{"format": "tsbplace-case", "version": 2}', "$.version", "Versjon 2 støttes ikke"),
    ("version as text", '{"format": "tsbplace-case", "version": "1"}', "$.version", 'Versjon "1"'),
    ("NaN", '{"format": "tsbplace-case", "version": 1, "answers": {"rus": {"rating": NaN}}}', "$", "NaN"),
    ("duplicate key", '{"format": "tsbplace-case", "version": 1, "version": 1}', "$", "«version» står to"),
    ("nested too deep", _too_deep(), "$", "nestet for dypt"),
]


@pytest.mark.parametrize(("text", "path", "message"), [case[1:] for case in UNREADABLE],
                         ids=[case[0] for case in UNREADABLE])
def test_an_unreadable_file_gets_one_clear_line(content: Content, text: str | bytes, path: str,
                                                message: str) -> None:
    problems = refused(content, text)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: ") and message in problems[0], problems


def test_every_problem_is_reported_at_once_in_file_order(content: Content) -> None:
    data = example()
    data["patient"]["sex"] = "X"
    data["answers"]["rus"]["rating"] = 9
    data["instruments"]["audit"]["q1"] = 5
    data["extra"] = 1
    problems = refused(content, data)
    assert [line.split(":")[0] for line in problems] == [
        "$.patient.sex", "$.answers.rus.rating", "$.instruments.audit.q1", "$.extra"]


def test_a_place_refused_by_the_schema_is_not_reported_twice(content: Content) -> None:
    data = example()
    data["answers"]["rus"]["rating"] = 123456789
    text = json.dumps(data).replace("123456789", "1e400")  # read as inf: above the bound, not an anchor
    problems = refused(content, text)
    assert [line for line in problems if line.startswith("$.answers.rus.rating")] == [
        "$.answers.rus.rating: Tallet er større enn 1000000000."]


def test_problems_never_show_a_name_or_an_identity_number(content: Content) -> None:
    data = example()
    number = synthetic_national_id(dt.date(1972, 8, 14), first_serial=101)
    wrong = number[:10] + str((int(number[10]) + 1) % 10)
    data["patient"]["national_id"] = wrong
    data["patient"]["name"] = "Ola Nordmann"
    data["answers"]["rus"]["main_substance"] = "Kari Nordmann"
    data["answers"]["rus"]["withdrawal_complications"] = wrong
    text = "\n".join(refused(content, data))
    assert "Nordmann" not in text and wrong not in text
    assert "$.answers.rus.main_substance: Svaret er ikke tillatt" in text


def test_messages_follow_the_language(content: Content) -> None:
    data = example()
    data["answers"]["rus"]["rating"] = 7
    set_language("en")
    assert "$.answers.rus.rating: 7 is not allowed: The risk rating must be a number from 0 to 4." in (
        refused(content, data))


def test_an_unreadable_path_is_one_problem(content: Content, tmp_path: Path) -> None:
    with pytest.raises(CaseFileError) as caught:
        read_case_file(tmp_path / "missing.json", content)
    assert [p.path for p in caught.value.problems] == ["$"]
    assert "kan ikke leses" in caught.value.problems[0].message


def test_a_written_file_reads_back(content: Content, tmp_path: Path) -> None:
    case = read_case_file(write_case(tmp_path, example()), content)
    assert case.answers["rus"]["main_substance"] == "alcohol"


def test_json_paths_quote_keys_that_are_not_names() -> None:
    assert json_path(["answers", "rus", "rating"]) == "$.answers.rus.rating"
    assert json_path(["instruments", "audit-c", 0]) == '$.instruments["audit-c"][0]'


DOC = Path(__file__).resolve().parents[2] / "docs" / "case-file.md"


def test_the_documented_example_is_valid(content: Content) -> None:
    text = DOC.read_text(encoding="utf-8")
    example_json = text.split("```json\n", 1)[1].split("```", 1)[0]
    case = parse_case_file(example_json, content)
    assert case.answers["somatikk"]["pregnant"] is True


def test_every_field_of_the_schema_is_documented() -> None:
    schema = json.loads(Path(str(resource("schemas", "case-file.schema.json"))).read_text(encoding="utf-8"))
    text = DOC.read_text(encoding="utf-8")

    def keys(node: dict[str, Any], prefix: str) -> list[str]:
        found = []
        for key, child in node.get("properties", {}).items():
            found.append(prefix + key)
            found += keys(child, f"{prefix}{key}.")
        return found

    assert [key for key in keys(schema, "") if f"| `{key}` |" not in text] == []
