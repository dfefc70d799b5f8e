"""assess_case: the same facts and suggestion as the case service, plus instruments and legal dates."""

from __future__ import annotations

import pytest

from tests.core.case_files import example_names, example_path
from tsbplace.assessment import assess_case, evaluate_case
from tsbplace.case_file import read_case_file
from tsbplace.cases import CaseService
from tsbplace.content import Content


@pytest.mark.parametrize("name", example_names())
def test_assess_case_agrees_with_the_case_service(content: Content, service: CaseService, name: str) -> None:
    case = read_case_file(example_path(name), content)
    ours = assess_case(content, case)
    theirs = service.suggest(case.answers, case.context(), case.instruments)
    assert ours.suggestion == theirs
    assert ours.instruments == service.score(case.instruments, case.context())


def test_the_assessment_as_json_has_no_birth_date(content: Content) -> None:
    case = read_case_file(example_path(example_names()[0]), content)
    data = assess_case(content, case).to_dict()
    assert set(data) == {"input", "suggestion", "instruments", "legal"}
    assert case.birth_date.isoformat() not in str(data["input"])


def test_legal_dates_come_with_the_assessment(content: Content) -> None:
    case = read_case_file(example_path("opioider-injiserer-ung.json"), content)
    result = assess_case(content, case)
    assert result.legal["assessment"]["date"] > case.received.isoformat()
    assert evaluate_case(content, case).facts == result.facts
