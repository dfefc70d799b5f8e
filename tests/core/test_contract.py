"""One contract over every domain and every instrument: empty, partial and complete answers
give values of the declared types (or unknown) and never an exception."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.domain_answers import complete_answers
from tsbplace.cases import answer_problems
from tsbplace.content import Content, installed_content
from tsbplace.engine import facts_from_answers
from tsbplace.instruments import score

CONTENT = installed_content()
SUBJECTS = [("domain", d.id) for d in CONTENT.domains] + [("instrument", i.id) for i in CONTENT.instruments]


def domain_stages(content: Content, domain_id: str) -> list[dict[str, Any]]:
    full = complete_answers(content.domain(domain_id))
    first = next(iter(full))
    return [{}, {first: full[first]}, full]


def instrument_stages(instrument_id: str) -> list[dict[str, int]]:
    items = CONTENT.instrument(instrument_id).items
    full = {item.id: item.permitted()[-1] for item in items}
    return [{}, {items[0].id: items[0].permitted()[0]}, full]


@pytest.mark.parametrize(("kind", "subject"), SUBJECTS, ids=[f"{k}:{s}" for k, s in SUBJECTS])
def test_contract(kind: str, subject: str, content: Content) -> None:
    if kind == "domain":
        for stage, answers in enumerate(domain_stages(content, subject)):
            assert answer_problems(content, {subject: answers}) == []
            facts = facts_from_answers(content, {subject: answers})
            for name, value in facts.items():
                assert content.facts.spec(name).accepts(value), (stage, name, value)
            gaps = content.domain(subject).unanswered_required(answers)
            assert (gaps == []) is (stage == 2), (stage, gaps)
        return
    instrument = content.instrument(subject)
    for stage, answers in enumerate(instrument_stages(subject)):
        result = score(instrument, answers, sex="F")
        assert result.complete is (stage == 2)
        assert len(result.missing_items) == len(instrument.items) - len(answers)
        if stage == 2:
            low, high = instrument.score_range
            assert result.total is not None and low <= result.total <= high
            assert result.band is not None
        else:
            assert result.total is None and result.band is None
        assert isinstance(result.to_dict()["flags"], list)
