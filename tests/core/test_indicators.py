"""Quality and variation indicators (tsbplace.indicators) on a store of known cases, on
SQLite and PostgreSQL: every figure's exact value, a period, an empty period, a clinician
without cases, the drill-down, the definitions file, and ``tsbplace stats --json``."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.conftest import PATIENT_NAME
from tsbplace.access import create_store, sign_in
from tsbplace.actor import Actor
from tsbplace.cases import CaseService, Decision, InvalidInput
from tsbplace.cli import main
from tsbplace.content import Content
from tsbplace.content.validation import ContentError
from tsbplace.indicators import (
    FIGURE_IDS,
    IndicatorFilter,
    MonthRow,
    TimeToDecision,
    case_ids_behind,
    compute_indicators,
    indicator_definitions,
    indicators_by_clinician,
    indicators_to_dict,
    load_indicator_definitions,
    oslo_date,
)
from tsbplace.locations import resolve_locations
from tsbplace.national_id import synthetic_national_id
from tsbplace.storage import Store
from tsbplace.storage.models import Assessment, Clinician

RUS = {"rus": {"main_substance": "alcohol", "withdrawal_complications": True, "rating": 2}}  # D3M
AUDIT_C = {"audit_c": {"q1": 1, "q2": 1, "q3": 1}}  # a total
GAD7_STARTED = {"gad7": {"q1": 2}}  # no total


@pytest.fixture
def database_url(any_database_url: str) -> str:
    return any_database_url


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


class Clinic:
    """Known cases; ``ids`` by letter."""

    def __init__(self, store: Store, content: Content, monkeypatch: pytest.MonkeyPatch) -> None:
        self.store, self.content, self.monkeypatch = store, content, monkeypatch
        self.kari = CaseService(store, content, actor=Actor("kari", "ws"))
        self.ola = CaseService(store, content, actor=Actor("ola", "ws"))
        self.ids: dict[str, int] = {}
        with store.session() as session:
            for user in ("kari", "ola", "per"):
                session.add(Clinician(user_name=user, display_name=user.title(), role="clinician",
                                      password_hash="x"))

    def case(self, letter: str, received: dt.date, side: str = "tsb") -> int:
        born = dt.date(1970, 1, 1) + dt.timedelta(days=len(self.ids))
        case = self.kari.create_case(PATIENT_NAME, synthetic_national_id(born), received, side=side)
        self.ids[letter] = case.id
        return case.id

    def sign(self, service: CaseService, case_id: int, when: str) -> None:
        self.monkeypatch.setattr("tsbplace.cases.utcnow", lambda: at(when))
        service.sign_assessment(case_id)
        self.monkeypatch.undo()


def complete(content: Content) -> dict[str, dict[str, object]]:
    return {domain.id: {"rating": 0} for domain in content.domains}  # K0


@pytest.fixture
def clinic(any_store: Store, content: Content, monkeypatch: pytest.MonkeyPatch) -> Clinic:
    c = Clinic(any_store, content, monkeypatch)
    # A: every domain rated, chosen as suggested, signed on the deadline day (Mon 17 March)
    a = c.case("A", dt.date(2025, 3, 3))
    c.kari.save_assessment(a, complete(content), AUDIT_C | GAD7_STARTED)
    c.kari.save_decision(a, Decision(chosen_level="K0", care_right="rett", frist_weeks=6,
                                     latest_start_date=dt.date(2025, 4, 14), patient_agreement="enig",
                                     ip_status="har", coordinator="Per Hansen"))
    c.sign(c.kari, a, "2025-03-17T10:00:00")
    # B: chosen lower, signed 23:30 UTC on the deadline day = 00:30 the next day in Norway (late)
    b = c.case("B", dt.date(2025, 3, 3))
    c.ola.save_assessment(b, RUS)
    c.ola.save_decision(b, Decision(chosen_level="P1", reason="ventetid", care_right="ikke_rett",
                                    patient_agreement="enig", ip_status="onsker_ikke"))
    c.sign(c.ola, b, "2025-03-17T23:30:00")
    # C: chosen higher, signed by kari after 2 days; ola's correction later changes nothing
    cc = c.case("C", dt.date(2025, 3, 10))
    c.kari.save_assessment(cc, RUS, AUDIT_C)
    c.kari.save_decision(cc, Decision(chosen_level="A4", reason="klinisk_skjonn", care_right="rett",
                                      frist_weeks=4, latest_start_date=dt.date(2025, 4, 7),
                                      patient_agreement="delvis", ip_status="tilbys", coordinator="  "))
    c.sign(c.kari, cc, "2025-03-12T08:00:00")
    c.ola.start_correction(cc, "Feil nivå")
    c.ola.save_decision(cc, Decision(chosen_level="D3M", care_right="ikke_rett", patient_agreement="enig",
                                     ip_status="har", coordinator="Ola"))
    c.sign(c.ola, cc, "2025-04-01T08:00:00")
    # D: a draft, assigned to ola; E: the referring side (never counted); F: nothing yet
    d = c.case("D", dt.date(2025, 4, 1))
    c.kari.save_assessment(d, RUS)
    c.kari.assign_case(d, "ola")
    c.case("E", dt.date(2025, 4, 2), side="referrer")
    c.case("F", dt.date(2025, 4, 3))
    return c


def figures(ind: object) -> dict[str, tuple[int | None, int | None, float | None]]:
    return {i: (f.numerator, f.denominator, f.value) for i, f in ind.figures.items()}  # type: ignore[attr-defined]


NO_DEVIATION = {"pasientens_onske": 0, "ikke_lokalt": 0, "ventetid": 0, "klinisk_skjonn": 0,
                "bolig_okonomi": 0, "tvang": 0, "psykisk_helsevern": 0, "lar_vurdering": 0, "annet": 0}
NO_LEVELS = {"K0": 0, "P1": 0, "P1M": 0, "P2": 0, "D3": 0, "D3M": 0, "A4": 0}


def test_every_indicator_over_all_cases(clinic: Clinic, content: Content) -> None:
    ind = compute_indicators(clinic.store, content)
    assert figures(ind) == {
        "received": (5, None, 5.0),
        "assessed": (3, 5, 0.6),
        "within_deadline": (2, 3, 2 / 3),
        "right_to_care": (2, 3, 2 / 3),
        "agreement": (1, 3, 1 / 3),
        "under_placement": (1, 3, 1 / 3),
        "over_placement": (1, 3, 1 / 3),
        "frist_given": (2, 2, 1.0),
        "frist_met": (0, 2, 0.0),  # A and C have a right; neither start is recorded, both dates passed
        "ip_offered": (2, 3, 2 / 3),
        "coordinator_named": (1, 3, 1 / 3),
        "domains_complete": (1, 3, 1 / 3),
        "instruments_complete": (2, 3, 2 / 3),
    }
    assert ind.suggested_levels == NO_LEVELS | {"K0": 1, "D3M": 2}
    assert ind.chosen_levels == NO_LEVELS | {"K0": 1, "P1": 1, "A4": 1}
    assert ind.matrix == {("D3M", "A4"): 1, ("D3M", "P1"): 1, ("K0", "K0"): 1}
    assert ind.deviation_reasons == {"under": NO_DEVIATION | {"ventetid": 1},
                                     "over": NO_DEVIATION | {"klinisk_skjonn": 1}}
    assert ind.months == (MonthRow("2025-03", 3, 3, 2), MonthRow("2025-04", 2, 0, 0))
    assert ind.time_to_decision == TimeToDecision(3, 31 / 3, 14.0)  # days 2, 14 and 15


def test_a_period_counts_cases_received_in_it(clinic: Clinic, content: Content) -> None:
    ind = compute_indicators(clinic.store, content, IndicatorFilter(dt.date(2025, 3, 4), dt.date(2025, 4, 1)))
    assert figures(ind)["received"] == (2, None, 2.0)  # C and D
    assert figures(ind)["assessed"] == (1, 2, 0.5)
    assert figures(ind)["over_placement"] == (1, 1, 1.0)
    assert ind.time_to_decision == TimeToDecision(1, 2.0, 2.0)
    assert ind.months == (MonthRow("2025-03", 1, 1, 1), MonthRow("2025-04", 1, 0, 0))


def test_an_empty_period_gives_zeros_and_nothing(clinic: Clinic, content: Content) -> None:
    year = IndicatorFilter(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    ind = compute_indicators(clinic.store, content, year)
    assert figures(ind) == {i: (0, None, 0.0) if i == "received" else (0, 0, None) for i in FIGURE_IDS}
    assert ind.suggested_levels == NO_LEVELS and ind.chosen_levels == NO_LEVELS and ind.matrix == {}
    assert ind.deviation_reasons == {"under": NO_DEVIATION, "over": NO_DEVIATION}
    assert ind.months == () and ind.time_to_decision == TimeToDecision(0, None, None)


def test_the_responsible_clinician_is_the_first_signer_else_the_assignee(clinic: Clinic,
                                                                        content: Content) -> None:
    kari = compute_indicators(clinic.store, content, IndicatorFilter(clinician="kari"))
    assert figures(kari)["received"] == (2, None, 2.0)  # A and C (ola only corrected C)
    assert figures(kari)["within_deadline"] == (2, 2, 1.0)
    per = indicators_by_clinician(clinic.store, content)
    assert list(per) == ["kari", "ola", "per"]
    assert figures(per["kari"]) == figures(kari)
    assert figures(per["ola"])["received"] == (2, None, 2.0)  # B signed, D assigned
    assert figures(per["ola"])["assessed"] == (1, 2, 0.5)
    assert figures(per["ola"])["within_deadline"] == (0, 1, 0.0)
    assert figures(per["ola"])["under_placement"] == (1, 1, 1.0)
    assert figures(per["per"]) == {i: (0, None, 0.0) if i == "received" else (0, 0, None) for i in FIGURE_IDS}
    assert per["per"].time_to_decision == TimeToDecision(0, None, None)
    only = indicators_by_clinician(clinic.store, content, IndicatorFilter(clinician="per"))
    assert list(only) == ["per"]


def test_a_unit_counts_the_cases_of_its_clinicians(clinic: Clinic, content: Content) -> None:
    """Units (0010): a shared store's figures per unit, through the responsible clinician."""
    with clinic.store.engine.begin() as connection:
        connection.execute(update(Clinician).where(Clinician.user_name == "kari").values(unit="Hamar"))
        connection.execute(update(Clinician).where(Clinician.user_name == "ola").values(unit="Gjøvik"))
    def of(flt: IndicatorFilter) -> dict[str, tuple[int | None, int | None, float | None]]:
        return figures(compute_indicators(clinic.store, content, flt))

    hamar = compute_indicators(clinic.store, content, IndicatorFilter(unit="Hamar"))
    assert figures(hamar) == of(IndicatorFilter(clinician="kari"))
    assert of(IndicatorFilter(unit="Gjøvik"))["received"] == (2, None, 2.0)  # B and D
    assert of(IndicatorFilter(unit="Elverum"))["received"] == (0, None, 0.0)
    per = indicators_by_clinician(clinic.store, content, IndicatorFilter(unit="Hamar"))
    assert figures(per["kari"]) == figures(hamar) and figures(per["ola"])["received"] == (0, None, 0.0)


def test_a_version_signed_before_its_counts_were_kept_is_read_from_its_json(clinic: Clinic,
                                                                             content: Content) -> None:
    """Versions signed before 0010 have no completeness counts (the triggers keep them as
    they were); their figures come from the JSON and match what the counts would say."""
    before = figures(compute_indicators(clinic.store, content))
    g = clinic.case("G", dt.date(2025, 3, 5))
    clinic.kari.save_assessment(g, complete(content), AUDIT_C | GAD7_STARTED)
    with clinic.store.engine.begin() as connection:  # a draft; then signed the way old code did
        row = Assessment.__table__
        counted = connection.execute(select(row.c.rated_domains, row.c.instruments_started,
                                            row.c.instruments_scored).where(row.c.case_id == g)).one()
        assert tuple(counted) == (len(content.domains), 2, 1)  # kept when the draft was saved
        connection.execute(update(row).where(row.c.case_id == g).values(
            rated_domains=None, instruments_started=None, instruments_scored=None))
        connection.execute(update(row).where(row.c.case_id == g).values(
            status="signed", signed_by="kari", signed_at=at("2025-03-06T09:00:00"), chosen_level="K0"))
    after = figures(compute_indicators(clinic.store, content))
    assert after["domains_complete"] == (before["domains_complete"][0] + 1, before["domains_complete"][1] + 1,
                                         2 / 4)
    assert after["instruments_complete"] == (before["instruments_complete"][0] + 1,
                                             before["instruments_complete"][1] + 2, 3 / 5)
    complete_ids = case_ids_behind(clinic.store, content, IndicatorFilter(), "domains_complete")
    assert clinic.ids["G"] in complete_ids


def test_frist_met_counts_recorded_starts_against_the_latest_start_date(clinic: Clinic,
                                                                         content: Content) -> None:
    """A (latest start 14 April) starts on the 10th: in time; C (7 April) on the 8th: late.
    Before either date has passed and with nothing started, nobody is counted yet."""
    ids = clinic.ids
    clinic.kari.record_treatment_start(ids["A"], dt.date(2025, 4, 10))
    assert figures(compute_indicators(clinic.store, content))["frist_met"] == (1, 2, 0.5)
    clinic.kari.record_treatment_start(ids["C"], dt.date(2025, 4, 8))
    assert figures(compute_indicators(clinic.store, content))["frist_met"] == (1, 2, 0.5)
    assert case_ids_behind(clinic.store, content, IndicatorFilter(), "frist_met") == [ids["A"]]
    early = IndicatorFilter(on=dt.date(2025, 4, 5))
    clinic.kari.record_treatment_start(ids["A"], None)  # a mistake undone
    clinic.kari.record_treatment_start(ids["C"], None)
    assert figures(compute_indicators(clinic.store, content, early))["frist_met"] == (0, 0, None)
    assert [e.detail for e in clinic.kari.audit_trail(ids["A"]) if e.action == "case.treatment_started"] == [
        {"on": "2025-04-10"}, {"on": None}]


def test_a_start_needs_a_signed_decision_and_a_date_from_receipt_to_today(clinic: Clinic) -> None:
    ids = clinic.ids
    for case_id, day in ((ids["D"], dt.date(2025, 4, 2)),  # a draft: no decision yet
                         (ids["A"], dt.date(2025, 3, 2)),  # before the referral came
                         (ids["A"], dt.date.today() + dt.timedelta(days=1))):  # the future
        with pytest.raises(InvalidInput) as refused:
            clinic.kari.record_treatment_start(case_id, day)
        assert [p.field for p in refused.value.problems] == ["treatment_started_on"]
    assert clinic.kari.get_case(ids["A"]).treatment_started_on is None


def test_the_cases_behind_a_figure(clinic: Clinic, content: Content) -> None:
    ids = clinic.ids
    every = IndicatorFilter()

    def behind(indicator: str, part: str = "numerator") -> list[str]:
        found = case_ids_behind(clinic.store, content, every, indicator, part)
        return sorted(letter for letter, case_id in ids.items() if case_id in found)

    assert behind("received") == ["A", "B", "C", "D", "F"]
    assert behind("assessed") == ["A", "B", "C"]
    assert behind("within_deadline") == ["A", "C"]
    assert behind("within_deadline", "denominator") == ["A", "B", "C"]
    assert behind("under_placement") == ["B"] and behind("over_placement") == ["C"]
    assert behind("frist_given", "denominator") == ["A", "C"]
    assert behind("ip_offered") == ["A", "C"]
    assert behind("domains_complete") == ["A"]
    assert behind("instruments_complete") == ["C"]  # A's gad7 has no total
    assert behind("instruments_complete", "denominator") == ["A", "C"]
    assert case_ids_behind(clinic.store, content, IndicatorFilter(clinician="per"), "received") == []
    with pytest.raises(ValueError):
        case_ids_behind(clinic.store, content, every, "received", "both")
    with pytest.raises(KeyError):
        case_ids_behind(clinic.store, content, every, "no_such")


def test_indicators_as_json(clinic: Clinic, content: Content) -> None:
    data = indicators_to_dict(compute_indicators(clinic.store, content, IndicatorFilter(clinician="kari")))
    assert json.loads(json.dumps(data)) == data
    assert data["filter"] == {"from": None, "to": None, "clinician": "kari", "unit": None}
    assert data["figures"]["assessed"] == {"numerator": 2, "denominator": 2, "value": 1.0}
    assert data["matrix"] == [{"suggested": "D3M", "chosen": "A4", "n": 1},
                              {"suggested": "K0", "chosen": "K0", "n": 1}]
    assert data["months"] == [{"month": "2025-03", "received": 2, "assessed": 2, "within_deadline": 2,
                               "within_deadline_share": 1.0}]
    assert data["time_to_decision"] == {"n": 2, "mean_days": 8.0, "median_days": 8.0}


def test_norwegian_dates_of_utc_hours() -> None:
    assert oslo_date("2025-03-17 22") == dt.date(2025, 3, 17)  # 23:00 winter time
    assert oslo_date("2025-03-17 23") == dt.date(2025, 3, 18)
    assert oslo_date("2025-06-30 21") == dt.date(2025, 6, 30)  # 23:00 summer time
    assert oslo_date("2025-06-30 22") == dt.date(2025, 7, 1)
    assert oslo_date("2025-03-30 00") == dt.date(2025, 3, 30)  # summer time starts 01:00 UTC
    assert oslo_date("2025-10-25 22") == dt.date(2025, 10, 26)  # still summer time


def test_every_indicator_is_defined_with_a_source() -> None:
    definitions = indicator_definitions()
    assert [d.id for d in definitions][:3] == ["received", "assessed", "within_deadline"]
    assert set(FIGURE_IDS) | {"level_distribution", "time_to_decision"} == {d.id for d in definitions}
    assert all(d.kind in ("structure", "process", "result") and d.source for d in definitions)
    ip = next(d for d in definitions if d.id == "ip_offered")
    assert ip.codes == ("har", "tilbys") and ip.among_codes == ("har", "tilbys", "onsker_ikke")


def test_a_bad_definitions_file_is_refused(rules_copy: Path, content: Content) -> None:
    path = rules_copy / "indicators.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('kind = "structure"', 'kind = "outcome"')
                    .replace('codes = ["har", "tilbys"]', 'codes = ["har", "kanskje"]'), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_indicator_definitions(content, rules_copy)
    assert "outcome" in str(raised.value)
    path.write_text(path.read_text(encoding="utf-8").replace('kind = "outcome"', 'kind = "structure"'),
                    encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_indicator_definitions(content, rules_copy)
    assert "code 'kanskje' is not in codes.toml" in str(raised.value)


PASSWORD = "korrekt-hest-batteri"


def test_stats_json_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "clinic"
    workspace = create_store(resolve_locations(folder, environ={}), "kari", "Kari Nordmann", PASSWORD)
    service = workspace.cases
    case = service.create_case(PATIENT_NAME, synthetic_national_id(dt.date(1984, 5, 17)), dt.date(2025, 3, 3))
    service.save_assessment(case.id, RUS)
    service.save_decision(case.id, Decision(chosen_level="P1", reason="ventetid", care_right="ikke_rett",
                                            patient_agreement="enig"))
    monkeypatch.setattr("tsbplace.cases.utcnow", lambda: at("2025-03-05T09:00:00"))
    service.sign_assessment(case.id)
    monkeypatch.undo()
    workspace.close()

    def run(*args: str) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        return main(["--data-dir", str(folder), "--user", "kari", "--password-stdin", "stats", *args])

    capsys.readouterr()
    assert run("--json", "--from", "2025-03-01", "--to", "2025-03-31") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["filter"] == {"from": "2025-03-01", "to": "2025-03-31", "clinician": None, "unit": None}
    assert data["figures"]["within_deadline"] == {"numerator": 1, "denominator": 1, "value": 1.0}
    assert data["deviation_reasons"]["under"]["ventetid"] == 1
    assert data["time_to_decision"] == {"n": 1, "mean_days": 2.0, "median_days": 2.0}
    assert run("--json", "--by-clinician") == 0
    assert list(json.loads(capsys.readouterr().out)["by_clinician"]) == ["kari"]
    assert run("--json", "--unit", "Elverum") == 0  # nobody works there
    data = json.loads(capsys.readouterr().out)
    assert data["filter"]["unit"] == "Elverum" and data["figures"]["received"]["numerator"] == 0
    assert run("--from", "2025-03-01") == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "Kvalitetsindikatorer for saker mottatt 2025-03-01 – –"
    assert "Vurdert innen fristen" in text and "1/1  100.0 %" in text
    with pytest.raises(SystemExit):  # argparse refuses the date before signing in
        run("--from", "3. mars")
    signed = sign_in(resolve_locations(folder, environ={}), "kari", PASSWORD)
    try:
        trail = [e for e in signed.cases.audit_trail() if e.action == "case.exported"]
    finally:
        signed.close()
    assert len(trail) == 4 and all(e.detail["kind"] == "stats" for e in trail)
