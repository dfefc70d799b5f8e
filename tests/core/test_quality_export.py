"""The de-identified quality CSV: no names, ID numbers, case numbers, dates or free text."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tsbplace.cases import CaseService, CaseSummary, Decision
from tsbplace.national_id import synthetic_national_id
from tsbplace.quality_export import FIXED_COLUMNS, age_band, quality_columns, quality_csv, quality_rows

FREE_TEXT = "Hemmelig notat om Kárášjohka"
GOALS = "Slutte å drikke før bryllupet"
REASON_TEXT = "Særskilt begrunnelse XYZ"
TODAY = dt.date.today()

PATIENTS = [
    (PATIENT_NAME, PATIENT_ID),
    ("Per Ivar Ødegård", synthetic_national_id(dt.date(1961, 2, 3))),
    ("Mari Sara Eira", synthetic_national_id(dt.date(2005, 8, 30))),
]


def _decision(received: dt.date, **changes: object) -> Decision:
    values: dict[str, object] = {
        "chosen_level": "D3M", "care_right": "rett", "frist_weeks": 6,
        "latest_start_date": received + dt.timedelta(weeks=6), "patient_goals": GOALS,
        "patient_preferred_level": "D3M", "patient_agreement": "enig"}
    return Decision(**(values | changes))  # type: ignore[arg-type]


@pytest.fixture
def cases(service: CaseService) -> list[CaseSummary]:
    """Signed today (on time), signed long after it was received (late), a draft, a new case."""
    made = []
    on_time = service.create_case(*PATIENTS[0], TODAY)
    rus = {"main_substance": "alcohol", "withdrawal_complications": True, "rating": 2, "note": FREE_TEXT}
    service.save_assessment(on_time.id, {"rus": rus},
                            {"audit": {f"q{i}": 2 for i in range(1, 9)} | {"q9": 2, "q10": 4},
                             "hscl10": {f"q{i}": 2 for i in range(1, 10)} | {"q10": 1}})
    service.save_decision(on_time.id, _decision(TODAY))
    service.sign_assessment(on_time.id)
    made.append(on_time)

    late_received = TODAY - dt.timedelta(days=60)
    late = service.create_case(*PATIENTS[1], late_received)
    service.save_assessment(late.id, {"rus": {"main_substance": "cannabis", "rating": 2}})
    service.save_decision(late.id, _decision(late_received, chosen_level="P2", reason="klinisk_skjonn",
                                             reason_text=REASON_TEXT))
    service.sign_assessment(late.id)
    made.append(late)

    draft = service.create_case(*PATIENTS[2], TODAY - dt.timedelta(days=3))
    service.save_assessment(draft.id, {"rus": {"main_substance": "cannabis", "rating": 1}})
    made.append(draft)

    made.append(service.create_case(PATIENTS[0][0], PATIENTS[0][1], TODAY - dt.timedelta(days=1)))
    return [service.get_case(case.id) for case in made]


def read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_holds_no_names_ids_case_numbers_dates_or_free_text(service: CaseService,
                                                                    cases: list[CaseSummary]) -> None:
    data = quality_csv(service)
    text = data.decode("utf-8-sig")
    for name, number in PATIENTS:
        for part in name.split():
            assert part not in text, part
        assert number not in text and f"{number[:6]} {number[6:]}" not in text
        assert number[:6] not in text
    for case in cases:
        assert case.case_number not in text
        received = case.received_date
        for form in (received.isoformat(), f"{received:%d.%m.%Y}", f"{received:%d.%m.%y}"):
            assert form not in text, form
    for secret in (FREE_TEXT, "Kárášjohka", GOALS, REASON_TEXT):
        assert secret not in text


def test_the_header_is_the_documented_one(service: CaseService, cases: list[CaseSummary]) -> None:
    header = quality_csv(service).decode("utf-8-sig").splitlines()[0].split(";")
    instruments = [instrument.id for instrument in service.content.instruments]
    assert header == [*FIXED_COLUMNS, *instruments, "ruleset_version"] == quality_columns(service)
    assert header[:13] == ["row", "received_year", "received_week", "age_band", "sex", "status",
                           "suggested_level", "chosen_level", "decision_reason", "care_right",
                           "frist_weeks", "days_to_signed", "deadline_met"]
    assert {"audit", "audit_c", "dudit", "ciwa_ar", "cows", "hscl10", "phq9", "gad7"} <= set(header)


def test_one_row_per_case_with_pseudonymous_numbers(service: CaseService, cases: list[CaseSummary]) -> None:
    rows = read(quality_csv(service))
    assert len(rows) == len(cases)
    assert sorted(int(row["row"]) for row in rows) == list(range(1, len(cases) + 1))
    assert sorted(row["status"] for row in rows) == ["assessed", "new", "signed", "signed"]


def test_signed_within_ten_working_days_is_met_and_late_is_not(service: CaseService,
                                                               cases: list[CaseSummary]) -> None:
    rows = {row["chosen_level"]: row for row in read(quality_csv(service)) if row["status"] == "signed"}
    on_time, late = rows["D3M"], rows["P2"]
    assert (on_time["deadline_met"], on_time["days_to_signed"]) == ("ja", "0")
    assert (late["deadline_met"], late["days_to_signed"]) == ("nei", "60")
    assert late["decision_reason"] == "klinisk_skjonn" and late["care_right"] == "rett"
    assert late["frist_weeks"] == "6"
    assert on_time["audit"] == "22" and on_time["hscl10"] == "1,9" and on_time["phq9"] == ""
    assert on_time["ruleset_version"] == service.content.ruleset.version
    year, week, _ = TODAY.isocalendar()
    assert (on_time["received_year"], on_time["received_week"]) == (str(year), f"{week:02d}")
    assert on_time["age_band"] == age_band(dt.date(1984, 5, 17), TODAY)
    unsigned = [row for row in read(quality_csv(service)) if row["status"] != "signed"]
    assert all(row["deadline_met"] == "" and row["days_to_signed"] == "" for row in unsigned)


def test_pages_through_every_case(service: CaseService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tsbplace.quality_export.PAGE", 2)
    for day in range(5):
        birth = dt.date(1970 + day, 1, 15)
        service.create_case(f"Test Person{day}", synthetic_national_id(birth), TODAY - dt.timedelta(days=day))
    assert len(quality_rows(service)) == 5


@pytest.mark.parametrize(("birth", "on", "band"), [
    (dt.date(2010, 6, 1), dt.date(2026, 5, 31), "0–15"),
    (dt.date(2010, 6, 1), dt.date(2026, 6, 1), "16–22"),
    (dt.date(2003, 6, 2), dt.date(2026, 6, 1), "16–22"),
    (dt.date(2003, 6, 1), dt.date(2026, 6, 1), "23–29"),
    (dt.date(1976, 6, 1), dt.date(2026, 6, 1), "50–64"),
    (dt.date(1961, 6, 1), dt.date(2026, 6, 1), "65+"),
])
def test_age_bands(birth: dt.date, on: dt.date, band: str) -> None:
    assert age_band(birth, on) == band
