"""The engine's suggestion and its explanation, on the installed rule set."""

from __future__ import annotations

import json

from tsbplace.content import Content
from tsbplace.engine import assess, facts_from_answers, unanswered_required


def suggest(content: Content, **rus: object):  # type: ignore[no-untyped-def]
    return assess(content, facts_from_answers(content, {"rus": rus}))


def test_nothing_answered_suggests_the_baseline_and_names_what_is_missing(content: Content) -> None:
    result = suggest(content)
    assert result.level == "K0"
    assert result.fired == ()
    missing = {m.fact: m for m in result.missing}
    assert set(missing) == {"rus.rating", "rus.withdrawal_complications", "rus.main_substance"}
    assert missing["rus.rating"].could_raise_to == "A4"
    assert missing["rus.main_substance"].rule_ids == ("RUS-WITHDRAWAL-HISTORY",)


def test_mild_risk_gives_outpatient_with_its_reason(content: Content) -> None:
    result = suggest(content, rating=1, main_substance="cannabis", withdrawal_complications=False)
    assert result.level == "P1"
    assert [f.rule_id for f in result.fired] == ["RUS-RATING-MILD"]
    assert result.fired[0].facts == {"rus.rating": 1}
    assert [f.rule_id for f in result.why_not_lower] == ["RUS-RATING-MILD"]
    assert result.missing == ()


def test_highest_minimum_wins_and_all_fired_rules_are_shown(content: Content) -> None:
    result = suggest(content, rating=3, main_substance="alcohol", withdrawal_complications=True)
    assert result.level == "D3M"
    assert [f.rule_id for f in result.fired] == [
        "RUS-WITHDRAWAL-HISTORY", "RUS-RATING-SEVERE", "RUS-RATING-MILD"]
    assert [f.rule_id for f in result.why_not_lower] == ["RUS-WITHDRAWAL-HISTORY"]
    assert result.fired[0].facts == {
        "rus.main_substance": "alcohol", "rus.withdrawal_complications": True}


def test_missing_lists_only_facts_that_could_raise_the_level(content: Content) -> None:
    result = suggest(content, rating=3)
    assert result.level == "P1M"
    # The seizure rule could still raise P1M to D3M; nothing else is unknown.
    assert [(m.fact, m.could_raise_to) for m in result.missing] == [
        ("rus.main_substance", "D3M"), ("rus.withdrawal_complications", "D3M")]


def test_a_rating_of_four_reaches_hospital_level(content: Content) -> None:
    assert suggest(content, rating=4, main_substance="opioids",
                   withdrawal_complications=False).level == "A4"


def test_result_is_deterministic_and_json_ready(content: Content) -> None:
    answers = {"rating": 3, "main_substance": "alcohol", "withdrawal_complications": True}
    first = suggest(content, **answers).to_dict()
    again = suggest(content, **answers).to_dict()
    assert first == again
    assert json.loads(json.dumps(first)) == first
    assert first["ruleset"] == {"id": "tsbplace-core", "version": content.ruleset.version,
                                "hash": content.ruleset.content_hash}


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
