"""The engine's suggestion and its explanation, on the installed rule set."""

from __future__ import annotations

import json
from typing import Any

from tsbplace.content import Content
from tsbplace.engine import Suggestion, assess, facts_from_answers, unanswered_required


def suggest(content: Content, **rus: object) -> Suggestion:
    return assess(content, facts_from_answers(content, {"rus": rus}))


def assess_answers(content: Content, answers: dict[str, dict[str, Any]],
                   extra: dict[str, Any] | None = None) -> Suggestion:
    return assess(content, facts_from_answers(content, answers, extra=extra))


def test_nothing_answered_suggests_the_baseline_and_names_what_is_missing(content: Content) -> None:
    result = suggest(content)
    assert result.level == "K0"
    assert result.fired == () and result.why_not_lower == () and result.flags == ()
    missing = {m.fact: m for m in result.missing}
    assert missing["rus.rating"].could_raise_to == "A4"
    assert missing["rus.main_substance"].rule_ids == (
        "RUS-WITHDRAWAL-HISTORY", "RUS-LAR-OPIOIDS", "RUS-OVERDOSE-RISK")
    assert missing["rus.main_substance"].outputs == (("withdrawal", "dogn"), ("lar", "yes"))
    assert missing["nettverk.minor_children"].could_raise_to is None
    assert missing["nettverk.minor_children"].flags == ("minor_children",)
    # the facts that could raise the level come first, the highest first
    levels = [m.could_raise_to for m in result.missing]
    assert levels[0] == "A4" and levels[-1] is None


def test_mild_risk_gives_outpatient_with_its_reason(content: Content) -> None:
    result = suggest(content, rating=1, main_substance="cannabis", withdrawal_complications=False)
    assert result.level == "P1"
    assert [f.rule_id for f in result.fired] == ["RUS-RATING-MILD"]
    assert result.fired[0].facts == {"rus.rating": 1}
    assert [f.rule_id for f in result.why_not_lower] == ["RUS-RATING-MILD"]
    assert [(m.domain, m.level, m.rule_ids) for m in result.domain_minimums] == [
        ("rus", "P1", ("RUS-RATING-MILD",))]


def test_highest_minimum_wins_and_all_fired_rules_are_shown(content: Content) -> None:
    result = suggest(content, rating=3, main_substance="alcohol", withdrawal_complications=True)
    assert result.level == "D3M"
    assert [f.rule_id for f in result.fired] == [
        "RUS-WITHDRAWAL-HISTORY", "RUS-RATING-SEVERE", "RUS-RATING-MILD"]
    assert [f.rule_id for f in result.why_not_lower] == ["RUS-WITHDRAWAL-HISTORY"]
    assert result.fired[0].facts == {
        "rus.main_substance": "alcohol", "rus.withdrawal_complications": True}


def test_missing_lists_only_facts_that_could_change_something(content: Content) -> None:
    result = suggest(content, rating=3, main_substance="cannabis", withdrawal_complications=False)
    assert result.level == "P1M"
    missing = {m.fact: m for m in result.missing}
    # the seizure rule is settled (false), so its facts are not missing
    assert "rus.withdrawal_complications" not in missing and "rus.main_substance" not in missing
    # a rule whose minimum is not above P1M cannot raise the level: ratings of 3 elsewhere
    assert missing["somatikk.rating"].could_raise_to == "A4"
    assert missing["motivasjon.rating"].could_raise_to == "D3M"   # a second high dimension
    assert missing["rus.withdrawal_need"].outputs == (("withdrawal", "dogn"),)  # with a risk group


def test_an_unknown_part_that_cannot_matter_is_not_missing(content: Content) -> None:
    result = assess_answers(content, {"rus": {"overdoses": 2}})
    assert "naloxone" in result.flag_ids()  # fired on the overdose: opioid use no longer matters to it
    missing = {m.fact: m for m in result.missing}
    assert "RUS-OVERDOSE-RISK" not in missing["rus.substances.opioids.used"].rule_ids
    assert missing["rus.substances.opioids.used"].rule_ids == ("RUS-WITHDRAWAL-RISK-GROUPS",)


def test_a_count_of_high_dimensions_decides_medically_monitored_residential_care(content: Content) -> None:
    answers: dict[str, dict[str, Any]] = {"rus": {"rating": 3}, "psykisk": {"rating": 3}}
    result = assess_answers(content, answers)
    assert result.level == "D3M"
    high = next(f for f in result.fired if f.rule_id == "MULTI-HIGH-MEDICAL")
    assert high.facts == {"psykisk.rating": 3, "rus.rating": 3}
    # Each domain alone needs medical follow-up; only the two together need a bed.
    assert [(m.domain, m.level) for m in result.domain_minimums] == [("rus", "P1M"), ("psykisk", "P1M")]


def test_structure_dimensions_alone_never_reach_hospital(content: Content) -> None:
    answers: dict[str, dict[str, Any]] = {
        domain: {"rating": 4} for domain in
        ("motivasjon", "forlop", "bolig", "nettverk", "okonomi", "arbeid", "kriminalitet")}
    answers |= {"rus": {"rating": 2}, "somatikk": {"rating": 1}, "psykisk": {"rating": 2}}
    assert assess_answers(content, answers).level == "D3"


def test_a_rating_of_four_reaches_hospital_level(content: Content) -> None:
    assert suggest(content, rating=4, main_substance="opioids",
                   withdrawal_complications=False).level == "A4"


def test_withdrawal_output_takes_the_highest_value_and_names_its_rules(content: Content) -> None:
    answers: dict[str, dict[str, Any]] = {"rus": {
        "rating": 2, "main_substance": "alcohol", "withdrawal_now": "moderate",
        "withdrawal_complications": True}}
    result = assess_answers(content, answers)
    withdrawal = result.output("withdrawal")
    assert (withdrawal.value, withdrawal.rule_ids) == ("dogn", ("RUS-WITHDRAWAL-HISTORY",))
    assert withdrawal.value_label is not None and withdrawal.value_label["nb"] == "I døgnenhet"
    assert not withdrawal.is_default
    assert result.output("lar").value == "no" and result.output("lar").is_default


def test_severe_withdrawal_by_ciwa_ar_needs_a_residential_unit(content: Content) -> None:
    result = assess_answers(content, {"rus": {"rating": 3, "main_substance": "alcohol"}},
                            extra={"instrument.ciwa_ar.severity": 2})
    assert result.output("withdrawal").value == "dogn"
    assert result.level == "D3M"


def test_rop_psykisk_helsevern_wins_over_tsb(content: Content) -> None:
    answers: dict[str, dict[str, Any]] = {
        "rus": {"rating": 3},
        "psykisk": {"rating": 2, "serious_disorder": "no", "acute_psychosis": True}}
    result = assess_answers(content, answers)
    rop = result.output("rop")
    fired = {f.rule_id for f in result.fired}
    assert {"PSYKISK-ROP-SERIOUS-SUD", "PSYKISK-ROP-ACUTE-PSYCHOSIS"} <= fired
    assert (rop.value, rop.rule_ids) == ("psykisk_helsevern", ("PSYKISK-ROP-ACUTE-PSYCHOSIS",))


def test_rop_is_unset_without_a_co_occurring_disorder(content: Content) -> None:
    answers: dict[str, dict[str, Any]] = {
        "rus": {"rating": 2}, "psykisk": {"rating": 0, "serious_disorder": "no", "acute_psychosis": False}}
    rop = assess_answers(content, answers).output("rop")
    assert rop.value is None and rop.value_label is None


def test_flags_carry_their_action_and_rules(content: Content) -> None:
    answers: dict[str, dict[str, Any]] = {
        "rus": {"rating": 2, "main_substance": "opioids"}, "nettverk": {"minor_children": True}}
    result = assess_answers(content, answers)
    assert result.flag_ids() == ("minor_children", "naloxone")
    naloxone = result.flags[1]
    assert naloxone.rule_ids == ("RUS-OVERDOSE-RISK",)
    assert "nalokson" in naloxone.action["nb"] and naloxone.source


def test_result_is_deterministic_and_json_ready(content: Content) -> None:
    answers: dict[str, dict[str, Any]] = {
        "rus": {"rating": 3, "main_substance": "opioids", "withdrawal_complications": True,
                "withdrawal_now": "moderate"},
        "psykisk": {"rating": 3, "serious_disorder": "diagnosed"}, "bolig": {"housing_status": "homeless"}}
    first = assess_answers(content, answers).to_dict()
    again = assess_answers(content, answers).to_dict()
    assert first == again
    assert json.loads(json.dumps(first)) == first
    assert list(first) == ["level", "fired", "why_not_lower", "domain_minimums", "outputs", "flags",
                           "missing", "ruleset"]
    assert first["ruleset"] == {"id": "tsbplace-core", "version": content.ruleset.version,
                                "hash": content.ruleset.content_hash}
    assert first["outputs"][0]["output"] == "withdrawal" and first["outputs"][0]["value"] == "dogn"
    assert {"rule_id", "minimum_level", "sets", "flags", "because", "source", "facts"} == set(
        first["fired"][0])


def test_unanswered_required_items(content: Content) -> None:
    gaps = unanswered_required(content, {"rus": {"main_substance": "alcohol"}})
    assert [item for domain, item in gaps if domain == "rus"] == [
        "injecting", "withdrawal_complications", "substances", "overdoses", "withdrawal_now", "rating"]
    assert ("psykisk", "rating") in gaps and ("somatikk", "rating") in gaps


def test_a_substances_block_counts_as_answered_only_when_complete(content: Content) -> None:
    def rus_gaps(substances: dict) -> list[str]:
        gaps = unanswered_required(content, {"rus": {"substances": substances}})
        return [item for domain, item in gaps if domain == "rus"]

    block = content.domain("rus").item("substances").block
    assert block is not None
    everything_unused = {s.id: {"used": False} for s in block.substances}
    assert "substances" not in rus_gaps(everything_unused)
    assert "substances" in rus_gaps({**everything_unused, "alcohol": {"used": True}})  # days missing
    assert "substances" not in rus_gaps({**everything_unused, "alcohol": {"used": True, "days_last_30": 9}})
    assert "substances" in rus_gaps({"alcohol": {"used": False}})  # the others unanswered
