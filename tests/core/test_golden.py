"""The golden corpus (rules/golden/vignettes.toml): every vignette through the same path as
the case service, with each difference from the clinician's expectation named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.rules_folder import copy_rules
from tsbplace.cases import CaseService, answer_problems
from tsbplace.content import Content, ContentError, installed_content, load_content
from tsbplace.golden import Vignette, assess_vignette, differences, load_vignettes

VIGNETTES = load_vignettes()


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.id for v in VIGNETTES])
def test_vignette(content: Content, vignette: Vignette) -> None:
    found = differences(content, vignette, assess_vignette(content, vignette))
    assert not found, f"{vignette.id} ({vignette.rationale}):\n  " + "\n  ".join(found)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.id for v in VIGNETTES])
def test_vignette_answers_are_valid(content: Content, vignette: Vignette) -> None:
    assert [f"{p.field}: {p.message}" for p in answer_problems(content, vignette.answers)] == []
    assert set(vignette.outputs) <= {output.id for output in content.outputs}
    assert vignette.flags <= {flag.id for flag in content.flags}
    assert vignette.context().assessment_date is not None


def test_the_corpus_path_is_the_case_service_path(service: CaseService) -> None:
    for vignette in VIGNETTES:
        through_service = service.suggest(vignette.answers, vignette.context(), vignette.instruments)
        assert through_service.to_dict() == assess_vignette(service.content, vignette).to_dict(), vignette.id


def test_the_corpus_is_broad() -> None:
    content = installed_content()
    assert len(VIGNETTES) >= 30
    assert len({v.id for v in VIGNETTES}) == len(VIGNETTES), "vignette ids must be unique"
    assert {v.level for v in VIGNETTES} == {level.code for level in content.levels}
    for output in content.outputs:
        seen = {v.outputs.get(output.id) for v in VIGNETTES}
        assert set(output.value_ids()) <= seen, f"no vignette expects every value of {output.id}"
    raised = set().union(*(v.flags for v in VIGNETTES))
    assert raised == {flag.id for flag in content.flags}


def test_a_wrong_expectation_is_named(content: Content) -> None:
    vignette = next(v for v in VIGNETTES if v.id == "d3m-alkohol-tidligere-delirium")
    wrong = Vignette(**{**vignette.__dict__, "level": "P1", "outputs": {**vignette.outputs, "lar": "yes"},
                        "flags": frozenset({"naloxone"})})
    assert differences(content, wrong, assess_vignette(content, wrong)) == [
        "level: expected P1, got D3M",
        "output lar: expected yes, got no",
        "flags not raised: naloxone",
        "flags not expected: ecg",
    ]


def test_a_vignette_file_breaking_its_schema_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    copy_rules(root)
    corpus = root / "golden" / "vignettes.toml"
    corpus.write_text(corpus.read_text(encoding="utf-8").replace(
        'patient = { age = 45, sex = "male" }', 'patient = { age = 45, sex = "M" }', 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"golden/vignettes.toml: vignette\[0\].patient.sex"):
        load_vignettes(root)


def test_the_rule_set_hash_changes_when_a_rule_changes(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    copy_rules(root)
    before = load_content(root).ruleset.content_hash
    ruleset = root / "ruleset.toml"
    rule = 'id = "MULTI-MORE-THAN-WEEKLY"\nminimum_level = '
    text = ruleset.read_text(encoding="utf-8").replace(f'{rule}"P2"', f'{rule}"D3"', 1)
    ruleset.write_text(text, encoding="utf-8")
    changed = load_content(root)
    assert changed.ruleset.content_hash != before
    # and the corpus shows the clinical effect of that edit
    effects = {v.id: differences(changed, v, assess_vignette(changed, v)) for v in VIGNETTES}
    assert effects["p2-amfetamin-ambivalent"] == ["level: expected P2, got D3"]
    assert effects["k0-alkohol-lav-risiko"] == []
