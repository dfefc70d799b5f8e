"""Both languages are complete, agree on placeholders, and cover every key the code uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tsbplace.content.model import ProblemCode
from tsbplace.i18n import LANGUAGES, TranslationError, catalogue, placeholders, set_language, tr
from tsbplace.instruments.model import SEX_RULES
from tsbplace.national_id import IdKind, IdProblem

ROOT = Path(__file__).resolve().parents[2]
LITERAL_KEY = re.compile(r"""\btr\(\s*["']([a-z0-9_.]+)["']""")

# Keys built at run time from a closed set of values.
DYNAMIC_KEYS = (
    [f"national_id.ok.{kind.value}" for kind in IdKind]
    + [f"national_id.problem.{problem.value}" for problem in IdProblem]
    + [f"sex.{rule}" for rule in SEX_RULES.values()]
    + [f"assessment.problem.{code.value}" for code in ProblemCode]
)


def used_keys() -> set[str]:
    keys = set()
    for folder in ("tsbplace", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            keys.update(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_languages_have_the_same_keys() -> None:
    nb, en = (set(catalogue(lang)) for lang in LANGUAGES)
    assert nb - en == set(), "missing in English"
    assert en - nb == set(), "missing in bokmål"


def test_languages_agree_on_placeholders() -> None:
    nb, en = catalogue("nb"), catalogue("en")
    assert {k: placeholders(v) for k, v in nb.items()} == {k: placeholders(v) for k, v in en.items()}


def test_every_key_the_code_uses_exists() -> None:
    keys = used_keys() | set(DYNAMIC_KEYS)
    assert len(keys) > 50
    assert sorted(keys - set(catalogue("nb"))) == []


def test_tr_fills_placeholders_in_the_chosen_language() -> None:
    assert tr("letter.page", page=1, pages=2) == "Side 1 av 2"
    set_language("en")
    assert tr("letter.page", page=1, pages=2) == "Page 1 of 2"


def test_unknown_key_and_language_are_errors() -> None:
    with pytest.raises(TranslationError):
        tr("no.such.key")
    with pytest.raises(TranslationError):
        set_language("sv")
