"""Scoring every installed instrument: hand-worked examples, both sides of every cut-off,
incomplete and invalid answers, sex-dependent cut-offs and flags. Real data, no mocks."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from tests.core.instrument_answers import answers_with_sum, instrument
from tsbplace.i18n import pick
from tsbplace.instruments import Instrument, InstrumentResult, installed_instruments, score
from tsbplace.instruments.model import possible_sums, total_of
from tsbplace.instruments.scoring import exact_json

INSTRUMENT_IDS = ["audit", "audit_c", "ciwa_ar", "cows", "dudit", "gad7", "hscl10", "phq9"]


def band_en(result: InstrumentResult) -> str | None:
    return None if result.band is None else pick(result.band.label, "en")


def test_every_instrument_is_installed_with_its_range() -> None:
    ranges = {i.id: i.score_range for i in installed_instruments()}
    assert ranges == {
        "audit": (0, 40), "audit_c": (0, 12), "ciwa_ar": (0, 67), "cows": (0, 48),
        "dudit": (0, 44), "gad7": (0, 21), "hscl10": (1, 4), "phq9": (0, 27),
    }


def test_item_counts_and_irregular_permitted_values() -> None:
    assert [len(instrument(i).items) for i in INSTRUMENT_IDS] == [10, 3, 10, 11, 11, 7, 10, 9]
    assert instrument("audit").item("q9").permitted() == (0, 2, 4)
    assert instrument("audit").item("q10").permitted() == (0, 2, 4)
    assert instrument("dudit").item("q11").permitted() == (0, 2, 4)
    assert instrument("ciwa_ar").item("q9").permitted() == tuple(range(8))
    assert instrument("ciwa_ar").item("q10").permitted() == (0, 1, 2, 3, 4)
    cows = {item.id: item.permitted() for item in instrument("cows").items}
    assert cows == {
        "q1": (0, 1, 2, 4), "q2": (0, 1, 2, 3, 4), "q3": (0, 1, 3, 5), "q4": (0, 1, 2, 5),
        "q5": (0, 1, 2, 4), "q6": (0, 1, 2, 4), "q7": (0, 1, 2, 3, 5), "q8": (0, 1, 2, 4),
        "q9": (0, 1, 2, 4), "q10": (0, 1, 2, 4), "q11": (0, 3, 5),
    }
    assert instrument("hscl10").item("q1").permitted() == (1, 2, 3, 4)


# --- hand-worked examples ---------------------------------------------------------------


def test_audit_worked_examples() -> None:
    # 1 + 1 + 0 + 0×7 = 2 → zone I; consumption 2, dependence 0, harm 0
    low = score(instrument("audit"), [1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    assert (low.total, band_en(low)) == (2, "zone I: low risk")
    assert dict(low.subscores) == {"consumption": 2, "dependence": 0, "harm": 0}
    # consumption 2+2+2 = 6, dependence 1+1+0 = 2, harm 1+0+0+2 = 3; 6+2+3 = 11 → zone II
    mid = score(instrument("audit"), [2, 2, 2, 1, 1, 0, 1, 0, 0, 2])
    assert (mid.total, band_en(mid)) == (11, "zone II: hazardous use")
    assert dict(mid.subscores) == {"consumption": 6, "dependence": 2, "harm": 3}
    # consumption 4+3+3 = 10, dependence 2+1+2 = 5, harm 1+1+2+4 = 8; 10+5+8 = 23 → zone IV, over 20
    high = score(instrument("audit"), [4, 3, 3, 2, 1, 2, 1, 1, 2, 4])
    assert (high.total, band_en(high)) == (23, "zone IV: possible dependence")
    assert dict(high.subscores) == {"consumption": 10, "dependence": 5, "harm": 8}
    marker = score(instrument("audit"), [4, 3, 3, 2, 1, 2, 1, 1, 2, 4], band_set="tsb-prioritering")
    assert marker.band_set_id == "tsb-prioritering"
    assert band_en(marker) == "over 20 (prioritisation guide marker)"


def test_audit_c_worked_examples() -> None:
    # 2 + 1 + 1 = 4: positive for women (≥ 3) and for men (≥ 4)
    for sex in ("F", "M"):
        result = score(instrument("audit_c"), [2, 1, 1], sex=sex)
        assert (result.total, band_en(result)) == (4, "positive screen")
    # 1 + 1 + 1 = 3: positive for women, negative for men
    women = score(instrument("audit_c"), [1, 1, 1], sex="F")
    men = score(instrument("audit_c"), [1, 1, 1], sex="M")
    assert (women.total, band_en(women), women.sex_rule_applied) == (3, "positive screen", "female")
    assert (men.total, band_en(men), men.sex_rule_applied) == (3, "negative screen", "male")


def test_dudit_worked_examples() -> None:
    # 1+0+1+1+0+0+0+0+1 + 0+0 = 4: likely problems for women (≥ 2), below for men (< 6)
    answers = [1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0]
    assert band_en(score(instrument("dudit"), answers, sex="F")) == "drug-related problems likely"
    assert band_en(score(instrument("dudit"), answers, sex="M")) == "below the cut-off"
    assert score(instrument("dudit"), answers, sex="M").total == 4
    # 4+3+3+4+3+3+2+2+3 = 27, + 4+4 = 35 → probable dependence for both sexes (≥ 25)
    heavy = [4, 3, 3, 4, 3, 3, 2, 2, 3, 4, 4]
    for sex in ("F", "M"):
        result = score(instrument("dudit"), heavy, sex=sex)
        assert (result.total, band_en(result)) == (35, "probable dependence")


def test_ciwa_ar_worked_examples_under_both_threshold_sets() -> None:
    ciwa = instrument("ciwa_ar")
    # 1+1+1+1+1+0+0+0+1 + 0 = 6 → mild under both sets
    assert band_en(score(ciwa, [1, 1, 1, 1, 1, 0, 0, 0, 1, 0])) == "mild or minimal"
    assert band_en(score(ciwa, [1, 1, 1, 1, 1, 0, 0, 0, 1, 0], band_set="asam-2020")) == "mild"
    # 3+3+2+2+2+1+0+0+2 = 15, + orientation 1 = 16 → severe (VA/CamCOPS ≥ 15), moderate (ASAM 10–18)
    answers = [3, 3, 2, 2, 2, 1, 0, 0, 2, 1]
    va, asam = score(ciwa, answers), score(ciwa, answers, band_set="asam-2020")
    assert (va.total, va.band_set_id, band_en(va)) == (16, "va-camcops", "severe")
    assert (asam.total, asam.band_set_id, band_en(asam)) == (16, "asam-2020", "moderate")
    # 4+4+3+4+3+2+1+1+2 = 24, + 1 = 25 → severe under both
    assert band_en(score(ciwa, [4, 4, 3, 4, 3, 2, 1, 1, 2, 1], band_set="asam-2020")) == "severe"


def test_ciwa_ar_default_set_is_va_camcops_and_15_is_severe() -> None:
    ciwa = instrument("ciwa_ar")
    assert ciwa.default_band_set == "va-camcops"
    assert band_en(score(ciwa, answers_with_sum(ciwa, 15))) == "severe"


def test_cows_worked_examples() -> None:
    # pulse 1 + sweat 1 + restless 1 + pupils 1 + aches 1 + nose 1 + GI 2 + tremor 1
    # + yawning 1 + anxiety 1 + gooseflesh 0 = 11 → mild (5–12)
    mild = score(instrument("cows"), [1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 0])
    assert (mild.total, band_en(mild)) == (11, "mild")
    # 4+3+5+5+4+4+5+2+2+2+3 = 39 → severe (> 36)
    severe = score(instrument("cows"), [4, 3, 5, 5, 4, 4, 5, 2, 2, 2, 3])
    assert (severe.total, band_en(severe)) == (39, "severe")


def test_hscl10_worked_examples_use_an_exact_mean() -> None:
    # 2+2+1+2+2+3+2+2+2+1 = 19; 19 / 10 = 1.9 ≥ 1.85 → significant distress
    high = score(instrument("hscl10"), [2, 2, 1, 2, 2, 3, 2, 2, 2, 1])
    assert high.total == Fraction(19, 10)
    assert band_en(high) == "significant psychological distress"
    assert high.to_dict()["total"] == "1.9"
    # 1+2+1+2+2+2+2+2+2+2 = 18; 18 / 10 = 1.8 < 1.85 → below the cut-off
    low = score(instrument("hscl10"), [1, 2, 1, 2, 2, 2, 2, 2, 2, 2])
    assert (low.total, band_en(low)) == (Fraction(9, 5), "below the cut-off")
    # all ones: the mean is still a Fraction, written as "1"
    ones = score(instrument("hscl10"), [1] * 10)
    assert isinstance(ones.total, Fraction) and ones.to_dict()["total"] == "1"


def test_hscl10_mean_of_exactly_1_85_counts_as_significant() -> None:
    # Ten items cannot reach 1.85 itself (means are tenths), so the band set is checked
    # directly with the exact fraction and with its neighbours.
    strand = instrument("hscl10").band_set("strand-2003")
    assert pick(strand.band_for(Fraction("1.85")).label, "en") == "significant psychological distress"  # type: ignore[union-attr]
    assert pick(strand.band_for(Fraction("1.84")).label, "en") == "below the cut-off"  # type: ignore[union-attr]
    assert strand.bands[1].min == Fraction(37, 20)


def test_phq9_worked_examples() -> None:
    # 1+1+1+1+1+0+0+0+0 = 5 → mild; item 9 is 0, so no flag
    mild = score(instrument("phq9"), [1, 1, 1, 1, 1, 0, 0, 0, 0])
    assert (mild.total, band_en(mild), mild.flags) == (5, "mild", ())
    # 3+3+2+2+2+2+1+1+1 = 17 → moderately severe, and item 9 = 1 raises the flag
    severe = score(instrument("phq9"), [3, 3, 2, 2, 2, 2, 1, 1, 1])
    assert (severe.total, band_en(severe)) == (17, "moderately severe")
    assert [flag.id for flag in severe.flags] == ["self_harm_thoughts"]


def test_gad7_worked_examples() -> None:
    # 1×7 = 7 → mild
    ones = score(instrument("gad7"), [1] * 7)
    assert (ones.total, band_en(ones)) == (7, "mild")
    # 3+2+2+2+1+1+0 = 11 → moderate
    result = score(instrument("gad7"), {"q1": 3, "q2": 2, "q3": 2, "q4": 2, "q5": 1, "q6": 1, "q7": 0})
    assert (result.total, band_en(result)) == (11, "moderate")


# --- both sides of every cut-off --------------------------------------------------------

# (instrument, threshold set, sex, item sum, expected band in English). The answers are
# built from the data; the expected label is written out here. For HSCL-10 the item sum
# 18 is a mean of 1.8 and 19 a mean of 1.9 (the cut-off is 1.85).
BOUNDARIES = [
    ("audit", "who-2001", None, 7, "zone I: low risk"),
    ("audit", "who-2001", None, 8, "zone II: hazardous use"),
    ("audit", "who-2001", None, 15, "zone II: hazardous use"),
    ("audit", "who-2001", None, 16, "zone III: harmful use"),
    ("audit", "who-2001", None, 19, "zone III: harmful use"),
    ("audit", "who-2001", None, 20, "zone IV: possible dependence"),
    ("audit", "tsb-prioritering", None, 20, "20 or lower"),
    ("audit", "tsb-prioritering", None, 21, "over 20 (prioritisation guide marker)"),
    ("audit_c", "bradley-2007", "F", 2, "negative screen"),
    ("audit_c", "bradley-2007", "F", 3, "positive screen"),
    ("audit_c", "bradley-2007", "M", 3, "negative screen"),
    ("audit_c", "bradley-2007", "M", 4, "positive screen"),
    ("dudit", "berman-2005", "F", 1, "below the cut-off"),
    ("dudit", "berman-2005", "F", 2, "drug-related problems likely"),
    ("dudit", "berman-2005", "F", 24, "drug-related problems likely"),
    ("dudit", "berman-2005", "F", 25, "probable dependence"),
    ("dudit", "berman-2005", "M", 5, "below the cut-off"),
    ("dudit", "berman-2005", "M", 6, "drug-related problems likely"),
    ("dudit", "berman-2005", "M", 24, "drug-related problems likely"),
    ("dudit", "berman-2005", "M", 25, "probable dependence"),
    ("ciwa_ar", "va-camcops", None, 7, "mild or minimal"),
    ("ciwa_ar", "va-camcops", None, 8, "moderate"),
    ("ciwa_ar", "va-camcops", None, 14, "moderate"),
    ("ciwa_ar", "va-camcops", None, 15, "severe"),
    ("ciwa_ar", "asam-2020", None, 9, "mild"),
    ("ciwa_ar", "asam-2020", None, 10, "moderate"),
    ("ciwa_ar", "asam-2020", None, 18, "moderate"),
    ("ciwa_ar", "asam-2020", None, 19, "severe"),
    ("cows", "wesson-ling-2003", None, 4, "below mild"),
    ("cows", "wesson-ling-2003", None, 5, "mild"),
    ("cows", "wesson-ling-2003", None, 12, "mild"),
    ("cows", "wesson-ling-2003", None, 13, "moderate"),
    ("cows", "wesson-ling-2003", None, 24, "moderate"),
    ("cows", "wesson-ling-2003", None, 25, "moderately severe"),
    ("cows", "wesson-ling-2003", None, 36, "moderately severe"),
    ("cows", "wesson-ling-2003", None, 37, "severe"),
    ("hscl10", "strand-2003", None, 18, "below the cut-off"),
    ("hscl10", "strand-2003", None, 19, "significant psychological distress"),
    ("phq9", "kroenke-2001", None, 4, "minimal"),
    ("phq9", "kroenke-2001", None, 5, "mild"),
    ("phq9", "kroenke-2001", None, 9, "mild"),
    ("phq9", "kroenke-2001", None, 10, "moderate"),
    ("phq9", "kroenke-2001", None, 14, "moderate"),
    ("phq9", "kroenke-2001", None, 15, "moderately severe"),
    ("phq9", "kroenke-2001", None, 19, "moderately severe"),
    ("phq9", "kroenke-2001", None, 20, "severe"),
    ("gad7", "spitzer-2006", None, 4, "minimal"),
    ("gad7", "spitzer-2006", None, 5, "mild"),
    ("gad7", "spitzer-2006", None, 9, "mild"),
    ("gad7", "spitzer-2006", None, 10, "moderate"),
    ("gad7", "spitzer-2006", None, 14, "moderate"),
    ("gad7", "spitzer-2006", None, 15, "severe"),
]


@pytest.mark.parametrize(("instrument_id", "band_set", "sex", "item_sum", "expected"), BOUNDARIES,
                         ids=[f"{b[0]}-{b[1]}-{b[2] or 'any'}-{b[3]}" for b in BOUNDARIES])
def test_each_side_of_every_cut_off(
    instrument_id: str, band_set: str, sex: str | None, item_sum: int, expected: str
) -> None:
    target = instrument(instrument_id)
    answers = answers_with_sum(target, item_sum)
    assert sum(answers) == item_sum
    result = score(target, answers, sex=sex, band_set=band_set)
    assert band_en(result) == expected


def _cut_off_pairs(target: Instrument) -> set[tuple[str, str | None, int]]:
    """Every (set, sex, item sum) just below and at each cut-off in the data."""
    sums = sorted(possible_sums(item.permitted() for item in target.items))
    count = len(target.items)
    pairs = set()
    for band_set in target.band_sets:
        lists = band_set.by_sex.items() if band_set.sex_dependent else [(None, band_set.bands)]
        for rule, bands in lists:
            sex = {"female": "F", "male": "M"}.get(rule or "")
            for band in bands[1:]:
                at = min(s for s in sums if total_of(target.method, s, count) >= band.min)
                below = max(s for s in sums if total_of(target.method, s, count) < band.min)
                pairs |= {(band_set.id, sex, at), (band_set.id, sex, below)}
    return pairs


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_the_boundary_table_covers_every_cut_off_in_the_data(instrument_id: str) -> None:
    listed = {(b[1], b[2], b[3]) for b in BOUNDARIES if b[0] == instrument_id}
    assert _cut_off_pairs(instrument(instrument_id)) <= listed


# --- incomplete answers -----------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_incomplete_answers_give_no_total_and_list_what_is_missing(instrument_id: str) -> None:
    target = instrument(instrument_id)
    answers: list[int | None] = [item.permitted()[-1] for item in target.items]
    answers[0] = None
    answers[-1] = None
    result = score(target, answers, sex="F")
    assert result.complete is False
    assert result.total is None
    assert result.band is None
    assert result.missing_items == (target.items[0].id, target.items[-1].id)
    assert result.to_dict()["total"] is None


def test_an_incomplete_audit_keeps_the_complete_subscores() -> None:
    # q10 missing: harm (7–10) is unknown, consumption 1+1+1 = 3 and dependence 0 stand
    result = score(instrument("audit"), {f"q{n}": (1 if n <= 3 else 0) for n in range(1, 10)})
    assert result.missing_items == ("q10",)
    assert dict(result.subscores) == {"consumption": 3, "dependence": 0, "harm": None}


def test_phq9_item_9_flag_fires_with_a_low_total_and_on_an_incomplete_form() -> None:
    low = score(instrument("phq9"), [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert (low.total, band_en(low)) == (1, "minimal")
    assert [flag.id for flag in low.flags] == ["self_harm_thoughts"]
    assert "suicide risk" in pick(low.flags[0].action, "en")
    partial = score(instrument("phq9"), {"q9": 2})
    assert partial.total is None and [flag.id for flag in partial.flags] == ["self_harm_thoughts"]
    assert score(instrument("phq9"), {"q1": 3, "q9": 0}).flags == ()
    assert score(instrument("phq9"), {"q1": 3}).flags == ()


# --- invalid input ----------------------------------------------------------------------

INVALID = [
    ("audit", "q9", 1, "audit item q9: answer is not one of the permitted values 0, 2, 4"),
    ("audit", "q1", 5, "audit item q1: answer is not one of the permitted values 0, 1, 2, 3, 4"),
    ("audit_c", "q3", -1, "audit_c item q3: answer is not one of the permitted values 0, 1, 2, 3, 4"),
    ("dudit", "q10", 3, "dudit item q10: answer is not one of the permitted values 0, 2, 4"),
    ("ciwa_ar", "q10", 5, "ciwa_ar item q10: answer is not one of the permitted values 0, 1, 2, 3, 4"),
    ("ciwa_ar", "q1", 8, "ciwa_ar item q1: answer is not one of the permitted values 0, 1, 2, 3, 4, 5, 6, 7"),
    ("cows", "q1", 3, "cows item q1: answer is not one of the permitted values 0, 1, 2, 4"),
    ("cows", "q11", 4, "cows item q11: answer is not one of the permitted values 0, 3, 5"),
    ("hscl10", "q1", 0, "hscl10 item q1: answer is not one of the permitted values 1, 2, 3, 4"),
    ("phq9", "q9", 4, "phq9 item q9: answer is not one of the permitted values 0, 1, 2, 3"),
    ("gad7", "q2", True, "gad7 item q2: answer is not one of the permitted values 0, 1, 2, 3"),
]


@pytest.mark.parametrize(("instrument_id", "item_id", "value", "message"), INVALID,
                         ids=[f"{i[0]}-{i[1]}-{i[2]}" for i in INVALID])
def test_a_value_that_is_not_permitted_is_refused(
    instrument_id: str, item_id: str, value: int, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        score(instrument(instrument_id), {item_id: value})
    assert str(raised.value) == message


def test_bad_shapes_threshold_sets_and_sexes_are_refused() -> None:
    phq9 = instrument("phq9")
    with pytest.raises(ValueError, match=r"phq9: unknown item 'q10'; items are q1, q2"):
        score(phq9, {"q10": 1})
    with pytest.raises(ValueError, match=r"phq9: 9 answers expected \(None for unanswered\), got 8"):
        score(phq9, [0] * 8)
    with pytest.raises(ValueError, match=r"mapping or a sequence"):
        score(phq9, "000000000")
    known = r"ciwa_ar: unknown threshold set 'asam'; known: va-camcops, asam-2020"
    with pytest.raises(ValueError, match=known):
        score(instrument("ciwa_ar"), [], band_set="asam")
    with pytest.raises(ValueError, match=r"sex must be one of F, M or None"):
        score(instrument("audit_c"), [1, 1, 1], sex="female")


# --- sex-dependent cut-offs -------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", ["audit_c", "dudit"])
def test_without_sex_the_total_is_given_but_no_band(instrument_id: str) -> None:
    target = instrument(instrument_id)
    answers = answers_with_sum(target, 3)
    result = score(target, answers)
    assert result.total == 3
    assert result.band is None
    assert result.band_needs_sex is True
    assert result.sex_rule_applied is None


def test_the_sex_rule_is_recorded_only_where_it_was_used() -> None:
    dudit = instrument("dudit")
    assert score(dudit, answers_with_sum(dudit, 3), sex="M").sex_rule_applied == "male"
    assert score(instrument("audit_c"), [0, 0, 0], sex="F").sex_rule_applied == "female"
    unused = score(instrument("phq9"), [0] * 9, sex="F")
    assert (unused.band_needs_sex, unused.sex_rule_applied, band_en(unused)) == (False, None, "minimal")
    incomplete = score(instrument("audit_c"), [1, 1, None], sex="F")
    assert (incomplete.band, incomplete.sex_rule_applied) == (None, None)


# --- the stored form --------------------------------------------------------------------


def test_to_dict_is_json_and_names_the_data_version_and_threshold_set() -> None:
    result = score(instrument("dudit"), [1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 2], sex="F")
    stored = json.loads(json.dumps(result.to_dict()))
    assert stored["instrument"] == "dudit"
    assert stored["instrument_version"] == "1.0.0"
    assert stored["band_set"] == "berman-2005"
    assert len(stored["instrument_hash"]) == 64
    assert stored["total"] == 6
    assert stored["band"] == {
        "min": 2, "max": 24, "severity": 1,
        "label": {"nb": "sannsynlig rusrelaterte problemer", "en": "drug-related problems likely"},
    }
    assert stored["sex_rule_applied"] == "female"
    assert stored["answers"]["q11"] == 2
    assert stored["complete"] is True and stored["missing_items"] == []


def test_exact_json_keeps_means_exact() -> None:
    assert exact_json(7) == 7
    assert exact_json(Fraction(37, 20)) == "1.85"
    assert exact_json(Fraction(19, 10)) == "1.9"
    assert exact_json(Fraction(1, 3)) == "1/3"


def test_result_is_frozen() -> None:
    result = score(instrument("gad7"), [0] * 7)
    with pytest.raises(AttributeError):
        result.total = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.answers["q1"] = 3  # type: ignore[index]
