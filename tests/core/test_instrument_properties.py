"""Properties that hold for every instrument and every answer vector (hypothesis), and
one contract test over all instruments: empty, partial and complete answers."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsbplace.instruments import Band, Instrument, InstrumentResult, installed_instruments, score

INSTRUMENTS = installed_instruments()
SEXES = ("F", "M")


def complete_answers(instrument: Instrument) -> st.SearchStrategy[list[int]]:
    return st.tuples(*(st.sampled_from(item.permitted()) for item in instrument.items)).map(list)


def severities(instrument: Instrument, answers: list[int]) -> list[int]:
    """The band severity under every threshold set and, where it matters, every sex."""
    found = []
    for band_set in instrument.band_sets:
        for sex in SEXES if band_set.sex_dependent else (None,):
            band = score(instrument, answers, sex=sex, band_set=band_set.id).band
            assert band is not None
            found.append(band.severity)
    return found


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=[i.id for i in INSTRUMENTS])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_complete_total_stays_in_range(instrument: Instrument, data: st.DataObject) -> None:
    answers = data.draw(complete_answers(instrument))
    result = score(instrument, answers)
    low, high = instrument.score_range
    assert result.complete and result.total is not None
    assert low <= result.total <= high
    assert result.total in instrument.possible_totals()


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=[i.id for i in INSTRUMENTS])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_raising_one_answer_never_lowers_the_total_or_the_band(
    instrument: Instrument, data: st.DataObject
) -> None:
    answers = data.draw(complete_answers(instrument))
    index = data.draw(st.integers(0, len(instrument.items) - 1))
    higher = [v for v in instrument.items[index].permitted() if v > answers[index]]
    raised = list(answers)
    raised[index] = data.draw(st.sampled_from(higher)) if higher else answers[index]
    before, after = score(instrument, answers), score(instrument, raised)
    assert before.total is not None and after.total is not None
    assert after.total >= before.total
    pairs = zip(severities(instrument, raised), severities(instrument, answers), strict=True)
    assert all(after_band >= before_band for after_band, before_band in pairs)


def _check_contract(instrument: Instrument, result: InstrumentResult) -> None:
    assert isinstance(result, InstrumentResult)
    assert result.instrument_id == instrument.id
    assert result.instrument_version == instrument.version
    assert result.band_set_id == instrument.default_band_set
    assert isinstance(result.complete, bool)
    assert all(isinstance(item_id, str) for item_id in result.missing_items)
    assert result.complete == (result.missing_items == ())
    if result.complete:
        expected = int if instrument.method == "sum" else Fraction
        assert isinstance(result.total, expected) and not isinstance(result.total, bool)
    else:
        assert result.total is None and result.band is None
    assert result.band is None or isinstance(result.band, Band)
    assert set(result.subscores) == {sub.id for sub in instrument.subscores}
    assert isinstance(result.flags, tuple)
    json.dumps(result.to_dict())


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=[i.id for i in INSTRUMENTS])
def test_contract_empty_partial_and_complete_answers(instrument: Instrument) -> None:
    count = len(instrument.items)
    lowest = [item.permitted()[0] for item in instrument.items]
    half = {item.id: item.permitted()[-1] for item in instrument.items[: count // 2]}
    cases = {
        "empty mapping": ({}, count),
        "empty sequence": ([None] * count, count),
        "partial": (half, count - len(half)),
        "complete, lowest": (lowest, 0),
        "complete, highest": ({item.id: item.permitted()[-1] for item in instrument.items}, 0),
    }
    for name, (answers, missing) in cases.items():
        for sex in (None, "F", "M"):
            result = score(instrument, answers, sex=sex)
            _check_contract(instrument, result)
            assert len(result.missing_items) == missing, name
    lowest_result = score(instrument, lowest, sex="F")
    assert lowest_result.total == instrument.score_range[0]
    assert lowest_result.band is not None and lowest_result.band.severity == 0
