"""The letter templates: both languages have the same keys and placeholders, and every
key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

from tsbplace.i18n import LANGUAGES, placeholders
from tsbplace.letters.texts import DATA_TABLES, letter_catalogue, letter_file

ROOT = Path(__file__).resolve().parents[2]


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    nb, en = letter_catalogue("nb"), letter_catalogue("en")
    assert sorted(nb) == sorted(en)
    for key in nb:
        assert placeholders(nb[key]) == placeholders(en[key]), key
        assert nb[key].strip() and en[key].strip(), key


def test_data_lives_once_in_the_default_language() -> None:
    assert all(table in letter_file("nb") for table in DATA_TABLES)
    assert not any(table in letter_file("en") for table in DATA_TABLES)
    assert set(LANGUAGES) == {"nb", "en"}


def test_every_key_the_code_uses_exists() -> None:
    used: set[str] = set()
    sources = [*(ROOT / "tsbplace" / "letters").glob("*.py"), ROOT / "tsbplace" / "letter_commands.py"]
    for source in sources:
        used |= set(re.findall(r'letter_text\(\s*"([a-z_.]+)"', source.read_text(encoding="utf-8")))
        used |= set(re.findall(r'"([a-z]+\.[a-z_]+)" if ', source.read_text(encoding="utf-8")))
    assert len(used) > 60
    catalogue = letter_catalogue("nb")
    assert sorted(key for key in used if key not in catalogue) == []
    for kind in ("pasient", "henviser", "henvisning", "notat"):  # letter_text(f"kind.{kind}")
        assert f"kind.{kind}" in catalogue
