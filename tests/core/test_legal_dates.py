"""The legal and pathway dates of one referral, from the installed rules/legal.toml: the
assessment deadline (ordinary and LAR by age), every prioriteringsveileder entry and
escalation on both sides, the latest start date, and the pakkeforløp for ordinary and
pregnant patients in outpatient and døgn care. Dates are counted by hand."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tsbplace.content import Content, FactContext
from tsbplace.engine import facts_from_answers
from tsbplace.i18n import catalogue
from tsbplace.legal import (
    Legal,
    Setting,
    Unit,
    assessment_deadline,
    installed_legal,
    latest_start,
    legal_outputs,
    pathway_dates,
    priority,
)
from tsbplace.legal.model import Start

D = dt.date
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def legal() -> Legal:
    return installed_legal()


def facts(**values: Any) -> dict[str, Any]:
    """Facts by name, written with __ for the dots: rus__main_substance="alcohol"."""
    return {name.replace("__", "."): value for name, value in values.items()}


ALCOHOL = "rus.substances.alcohol.units_per_day"


# --- the assessment deadline --------------------------------------------------------------


def test_assessment_deadline_is_ten_working_days_with_its_source() -> None:
    result = assessment_deadline(D(2025, 4, 16))
    assert (result.id, result.date, result.amount, result.unit) == ("assessment", D(2025, 5, 6), 10,
                                                                     Unit.WORKING_DAYS)
    assert result.how["nb"] == (
        "10 virkedager etter mottatt henvisning 16.04.2025; hoppet over 6 helgedager, skjærtorsdag "
        "17.04.2025, langfredag 18.04.2025, andre påskedag 21.04.2025 og arbeidernes dag 01.05.2025.")
    assert result.how["en"].startswith("10 working days after receipt of the referral on 16.04.2025; skipped")
    assert "§ 2-2" in result.source and "Prop. 55 L (2018–2019)" in result.source
    assert not result.verify and result.missing == ()


def test_a_referral_received_on_a_holiday_says_so() -> None:
    result = assessment_deadline(D(2025, 4, 18))  # Good Friday
    assert result.date == D(2025, 5, 6)
    assert "18.04.2025 er ikke en virkedag" in result.how["nb"]
    assert "18.04.2025 is not a working day" in result.how["en"]


def test_a_referral_received_on_a_saturday_counts_from_monday() -> None:
    assert assessment_deadline(D(2025, 1, 4)).date == D(2025, 1, 17)
    assert "04.01.2025 er ikke en virkedag" in assessment_deadline(D(2025, 1, 4)).how["nb"]


@pytest.mark.parametrize(("under_23", "days", "expected"), [
    (True, 10, D(2025, 3, 17)), (False, 30, D(2025, 4, 14)),
])
def test_lar_deadline_by_age(under_23: bool, days: int, expected: dt.date) -> None:
    result = assessment_deadline(D(2025, 3, 3), lar=True, under_23=under_23)
    assert (result.id, result.amount, result.date) == ("lar_assessment", days, expected)
    assert result.verify and result.missing == ()
    group = "under 23 år" if under_23 else "23 år eller eldre"
    assert f"(LAR-henvisning, pasienten er {group})" in result.how["nb"]


def test_lar_deadline_with_the_age_unknown_uses_the_shorter_and_says_what_is_missing() -> None:
    result = assessment_deadline(D(2025, 3, 3), lar=True)
    assert (result.amount, result.date) == (10, D(2025, 3, 17))
    assert result.missing == ("patient.under_23",)
    assert "alderen er ukjent" in result.how["nb"]


@pytest.mark.parametrize(("birth", "days"), [(D(2003, 3, 4), 10), (D(2003, 3, 3), 30)],
                         ids=["22 the day before the birthday", "23 on the birthday"])
def test_lar_deadline_from_the_patients_age(
    content: Content, legal: Legal, birth: dt.date, days: int
) -> None:
    context = FactContext(birth_date=birth, sex="female", assessment_date=D(2026, 3, 3))
    known = facts_from_answers(content, {"rus": {"main_substance": "opioids"}}, context)
    outputs = legal_outputs(known, D(2026, 3, 3), legal, lar=True)
    assert outputs.assessment.amount == days
    assert outputs.assessment.missing == ()


# --- the prioriteringsveileder ------------------------------------------------------------


@pytest.mark.parametrize(("units", "frist", "applied"), [
    (20, 6, []),
    (20.5, 2, ["more than 20 alcohol units a day"]),
    (21, 2, ["more than 20 alcohol units a day"]),
])
def test_alcohol_over_20_units_a_day(legal: Legal, units: float, frist: int, applied: list[str]) -> None:
    result = priority(facts(rus__main_substance="alcohol", patient__under_23=False) | {ALCOHOL: units}, legal)
    assert (result.entry_id, result.right, result.base_frist_weeks) == ("alcohol_dependence", True, 6)
    assert result.frist_weeks == frist
    assert [a.reason["en"] for a in result.applied] == applied
    assert result.missing == ()


def test_alcohol_under_23(legal: Legal) -> None:
    result = priority(facts(rus__main_substance="alcohol", patient__under_23=True) | {ALCOHOL: 8}, legal)
    assert result.frist_weeks == 4
    assert [a.reason["nb"] for a in result.applied] == ["pasienten er under 23 år"]
    assert result.applied[0].matched == {"patient.under_23": True}


def test_alcohol_shortest_wins_and_every_reason_is_listed(legal: Legal) -> None:
    result = priority(facts(rus__main_substance="alcohol", patient__under_23=True) | {ALCOHOL: 30}, legal)
    assert result.frist_weeks == 2
    assert [(a.frist_weeks, a.reason["en"]) for a in result.applied] == [
        (2, "more than 20 alcohol units a day"), (4, "the patient is under 23")]
    assert result.how["nb"] == (
        "Avhengighet, alkohol som hovedrusmiddel: rett til nødvendig helsehjelp, veiledende frist 6 uker; "
        "kortere frist: 2 uker (mer enn 20 alkoholenheter per dag) og 4 uker (pasienten er under 23 år); "
        "den korteste gjelder: 2 uker.")
    assert all(a.source.startswith("Prioriteringsveileder TSB") for a in result.applied)


def test_unknown_facts_never_shorten_the_frist_and_are_listed(legal: Legal) -> None:
    result = priority(facts(rus__main_substance="alcohol"), legal)
    assert result.frist_weeks == 6 and result.applied == ()
    assert result.missing == (ALCOHOL, "patient.under_23")
    assert "ikke kjent ennå, kan gi kortere frist: " + ALCOHOL in result.how["nb"]


def test_an_unknown_fact_that_cannot_shorten_further_is_not_listed(legal: Legal) -> None:
    result = priority(facts(rus__main_substance="alcohol") | {ALCOHOL: 25}, legal)
    assert (result.frist_weeks, result.missing) == (2, ())  # under 23 gives 4: not shorter


def test_an_unanswered_amount_under_23_is_listed(legal: Legal) -> None:
    result = priority(facts(rus__main_substance="alcohol", patient__under_23=True), legal)
    assert (result.frist_weeks, result.missing) == (4, (ALCOHOL,))


OPIOIDS = facts(rus__main_substance="opioids", rus__injecting=False, rus__groin_or_neck_injection=False,
                patient__under_23=False)


@pytest.mark.parametrize(("changes", "frist", "reasons"), [
    ({}, 12, []),
    ({"rus.injecting": True}, 4, ["the patient injects"]),
    ({"rus.injecting": True, "rus.groin_or_neck_injection": True}, 2,
     ["the patient injects", "injects in the groin or neck"]),
    ({"patient.under_23": True}, 4, ["the patient is under 23"]),
    ({"rus.injecting": True, "patient.under_23": True}, 4,
     ["the patient injects", "the patient is under 23"]),
    ({"rus.injecting": True, "rus.groin_or_neck_injection": True, "patient.under_23": True}, 2,
     ["the patient injects", "injects in the groin or neck", "the patient is under 23"]),
], ids=["base", "injecting", "groin or neck", "under 23", "injecting under 23", "all three"])
def test_opioid_escalations(legal: Legal, changes: dict[str, bool], frist: int, reasons: list[str]) -> None:
    result = priority(OPIOIDS | changes, legal)
    assert (result.entry_id, result.right, result.frist_weeks) == ("opioid_dependence", True, frist)
    assert [a.reason["en"] for a in result.applied] == reasons
    assert result.missing == ()


def test_opioids_injecting_with_the_site_unknown_lists_the_site(legal: Legal) -> None:
    result = priority(OPIOIDS | {"rus.injecting": True, "rus.groin_or_neck_injection": None}, legal)
    assert (result.frist_weeks, result.missing) == (4, ("rus.groin_or_neck_injection",))


@pytest.mark.parametrize(("under_23", "frist"), [(False, 12), (True, 4)])
def test_pathological_gambling(legal: Legal, under_23: bool, frist: int) -> None:
    result = priority(facts(rus__gambling_main_problem=True, patient__under_23=under_23), legal)
    assert (result.entry_id, result.right, result.frist_weeks) == ("pathological_gambling", True, frist)


@pytest.mark.parametrize(("known", "entry_id"), [
    ({"rus.main_substance": "cannabis"}, "cannabis_dependence"),
    ({"rus.main_substance": "stimulants"}, "stimulant_dependence"),
    ({"rus.main_substance": "benzodiazepines"}, "benzodiazepine_dependence"),
    ({"psykisk.serious_mental_disorder": True}, "co_occurring"),
])
def test_entries_without_the_guides_values_say_so(legal: Legal, known: dict[str, Any], entry_id: str) -> None:
    result = priority(known, legal)
    assert result.entry_id == entry_id
    assert (result.right, result.frist_weeks, result.filled, result.verify) == (None, None, False, True)
    assert "veilederens rett og frist er ikke fylt inn ennå" in result.how["nb"]
    assert "the guide's right and deadline are not filled in yet" in result.how["en"]
    assert legal_outputs(known, D(2025, 3, 3), legal).latest_start is None


def test_harmful_use_is_in_the_table_but_never_chosen_by_itself(legal: Legal) -> None:
    entry = legal.entry("harmful_use")
    assert (entry.condition, entry.right, entry.frist_weeks, entry.verify) == (None, None, None, True)
    assert entry.note is not None


def test_several_matching_entries_the_shortest_frist_wins(legal: Legal) -> None:
    both = facts(rus__main_substance="alcohol", rus__gambling_main_problem=True, patient__under_23=False)
    result = priority(both | {ALCOHOL: 4}, legal)
    assert (result.entry_id, result.frist_weeks, result.also_matching) == (
        "alcohol_dependence", 6, ("pathological_gambling",))
    assert "passer også: Patologisk spilling" in result.how["nb"]
    with_disorder = priority(both | {ALCOHOL: 4, "psykisk.serious_mental_disorder": True}, legal)
    assert with_disorder.also_matching == ("pathological_gambling", "co_occurring")


def test_no_entry_yet_lists_what_is_missing(legal: Legal) -> None:
    result = priority({}, legal)
    assert (result.entry_id, result.frist_weeks) == (None, None)
    assert result.missing == ("rus.main_substance", "rus.gambling_main_problem",
                              "psykisk.serious_mental_disorder")
    assert result.how["nb"].startswith("Ingen tilstand i prioriteringsveilederen kan velges ennå")


def test_no_entry_matches(legal: Legal) -> None:
    known = facts(rus__main_substance="ghb", rus__gambling_main_problem=False,
                  psykisk__serious_mental_disorder=False)
    result = priority(known, legal)
    assert (result.entry_id, result.missing) == (None, ())
    assert result.how["en"] == "No condition in the priority guide matches the answers."


# --- the latest start date ----------------------------------------------------------------


def test_latest_start_counts_weeks_from_the_received_date() -> None:
    result = latest_start(D(2025, 4, 16), 6)
    assert (result.date, result.start, result.amount, result.unit) == (D(2025, 5, 28), D(2025, 4, 16), 6,
                                                                      Unit.WEEKS)
    assert result.how["nb"] == ("6 uker (42 dager) etter mottatt henvisning 16.04.2025. "
                                "Fristen regnes fra datoen henvisningen ble mottatt.")
    assert result.verify and "§ 2-2" in result.source


@pytest.mark.parametrize(("received", "why"), [
    (D(2025, 5, 15), "Kristi himmelfartsdag"),  # 29.05.2025
    (D(2025, 5, 3), "helg"),  # 17.05.2025, a Saturday
])
def test_a_latest_start_on_a_day_off_is_kept_and_explained(received: dt.date, why: str) -> None:
    result = latest_start(received, 2)
    assert result.date == received + dt.timedelta(weeks=2)
    assert f"datoen er ikke en virkedag ({why})" in result.how["nb"]


# --- the pakkeforløp ----------------------------------------------------------------------

START = D(2025, 3, 3)
ALL_STARTS = {"first_appointment": START, "avrusning_end": START, "decision": START, "last_evaluation": START}


@pytest.mark.parametrize(("setting", "pregnant", "days"), [
    ("outpatient", False, [21, 3, 7, 56]),
    ("dogn", False, [7, 0, 7, 42]),
    ("outpatient", True, [7, 0, 14, 42]),
    ("dogn", True, [7, 0, 7, 42]),
], ids=["ordinary outpatient", "ordinary døgn", "pregnant outpatient", "pregnant døgn"])
def test_pathway_times(setting: str, pregnant: bool, days: list[int]) -> None:
    results = pathway_dates(setting=Setting(setting), pregnant=pregnant, **ALL_STARTS)
    assert [r.id for r in results] == ["clinical_decision", "after_avrusning", "first_evaluation",
                                       "next_evaluation"]
    assert [r.amount for r in results] == days
    assert [r.date for r in results] == [START + dt.timedelta(days=n) for n in days]
    assert all(r.unit is Unit.DAYS and r.missing == () for r in results)
    name = "Pakkeforløp gravide og rusmidler" if pregnant else "Pakkeforløp for rusbehandling (TSB)"
    assert all(name in r.how["nb"] for r in results)


def test_pregnant_dogn_decision_says_the_range() -> None:
    (decision,) = pathway_dates(setting=Setting.DOGN, pregnant=True, first_appointment=START)
    assert decision.date == D(2025, 3, 10)
    assert "forløpet oppgir 3–7 dager; datoen bruker 7" in decision.how["nb"]
    (outpatient,) = pathway_dates(setting="outpatient", pregnant=True, first_appointment=START)
    assert "3–7" not in outpatient.how["nb"]


def test_only_steps_with_a_known_start_are_given() -> None:
    results = pathway_dates(setting="outpatient", pregnant=False, decision=D(2025, 3, 10))
    assert [(r.id, r.date) for r in results] == [("first_evaluation", D(2025, 3, 17))]
    assert results[0].how["nb"] == ("7 dager etter klinisk beslutning 10.03.2025; "
                                    "Pakkeforløp for rusbehandling (TSB), poliklinisk.")
    assert pathway_dates(setting="outpatient", pregnant=False) == []


def test_zero_days_is_the_same_day() -> None:
    (step,) = pathway_dates(setting="dogn", pregnant=False, avrusning_end=START)
    assert step.date == START
    assert step.how["en"].startswith("the same day as the end of withdrawal management on 03.03.2025")


def test_pregnancy_unknown_uses_the_ordinary_pathway_and_says_so() -> None:
    (step,) = pathway_dates(setting="outpatient", pregnant=None, decision=START)
    assert (step.amount, step.missing) == (7, ("somatikk.pregnant",))
    assert "pakkeforløpet for gravide har andre tider" in step.how["nb"]


def test_a_start_before_the_pathway_existed_is_noted() -> None:
    (step,) = pathway_dates(setting="outpatient", pregnant=False, decision=D(2018, 6, 1))
    assert "pakkeforløpet gjelder fra 01.01.2019" in step.how["nb"]


# --- everything for one referral ----------------------------------------------------------


def test_legal_outputs_bundles_everything_as_json(legal: Legal) -> None:
    known = facts(rus__main_substance="opioids", rus__injecting=True, rus__groin_or_neck_injection=True,
                  patient__under_23=True, somatikk__pregnant=True)
    outputs = legal_outputs(known, D(2025, 4, 16), legal, lar=True, setting="dogn",
                            first_appointment=D(2025, 4, 22))
    assert outputs.assessment.date == D(2025, 5, 6)  # LAR under 23: 10 working days
    assert outputs.priority.frist_weeks == 2
    assert outputs.latest_start is not None and outputs.latest_start.date == D(2025, 4, 30)
    assert [(r.id, r.date) for r in outputs.pathway] == [("clinical_decision", D(2025, 4, 29))]
    assert "Pakkeforløp gravide og rusmidler" in outputs.pathway[0].how["nb"]
    stored = json.loads(json.dumps(outputs.to_dict()))
    assert stored["priority"]["applied"][1]["matched"] == {"rus.groin_or_neck_injection": True}
    assert stored["latest_start"]["date"] == "2025-04-30"
    assert (stored["legal_version"], stored["legal_hash"]) == (legal.version, legal.content_hash)


def test_legal_outputs_without_a_setting_gives_no_pathway(legal: Legal) -> None:
    outputs = legal_outputs({}, D(2025, 4, 16), legal)
    assert outputs.pathway == () and outputs.latest_start is None
    with pytest.raises(ValueError, match="setting"):
        legal_outputs({}, D(2025, 4, 16), legal, decision=D(2025, 4, 20))


def test_every_legal_text_key_exists_in_both_languages() -> None:
    modules = (ROOT / "tsbplace" / "legal").glob("*.py")
    source = "\n".join(path.read_text(encoding="utf-8") for path in modules)
    literal = set(re.findall(r'"(legal\.[a-z_]+\.[a-z_]+)"', source))
    dynamic = ({f"legal.start.{start.value}" for start in Start}
               | {f"legal.setting.{setting.value}" for setting in Setting}
               | {f"legal.unit.{unit}.{form}" for unit in ("working_days", "days", "weeks", "weekend_days")
                  for form in ("one", "other")})
    assert len(literal) > 20
    for language in ("nb", "en"):
        assert sorted((literal | dynamic) - set(catalogue(language))) == [], language
