"""The wording of the letters, as translatable templates in ``resources/letters``.

``nb.toml`` and ``en.toml`` hold the same dotted keys and ``{placeholders}`` (a test
checks it); :func:`letter_text` picks the current language (:func:`tsbplace.i18n.current_language`).
The complaint deadline is *data*, not wording: it lives once, in ``nb.toml``'s
``[complaint_deadline]`` table, with its legal source and a ``verify`` note, and
:func:`complaint_deadline` reads it whatever the language.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from tsbplace.i18n import DEFAULT_LANGUAGE, LANGUAGES, TranslationError, current_language, flatten
from tsbplace.package_data import resource

FOLDER = "letters"
DATA_TABLES = ("complaint_deadline",)  # data read from the default language only


@dataclass(frozen=True)
class ComplaintDeadline:
    """How long the patient has to complain (pasient- og brukerrettighetsloven § 7-2)."""

    weeks: int
    source: str
    verify: bool  # True: the number is not yet confirmed against the law (clinical reference §5)
    note: str


@cache
def letter_file(language: str) -> Mapping[str, Any]:
    """One language's file as parsed TOML."""
    if language not in LANGUAGES:
        raise TranslationError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    with resource(FOLDER, f"{language}.toml").open("rb") as handle:
        return tomllib.load(handle)


@cache
def letter_catalogue(language: str) -> Mapping[str, str]:
    """The wording of one language as a flat ``{key: text}`` mapping (data tables left out)."""
    wording = {key: value for key, value in letter_file(language).items() if key not in DATA_TABLES}
    return dict(flatten(wording))


def letter_text(key: str, /, **values: object) -> str:
    """The letter text for ``key`` in the current language, placeholders filled in."""
    language = current_language()
    try:
        text = letter_catalogue(language)[key]
    except KeyError:
        raise TranslationError(f"no letter text for {key!r} in language {language!r}") from None
    return text.format(**values) if values else text


@cache
def complaint_deadline() -> ComplaintDeadline:
    """The complaint deadline from ``resources/letters/nb.toml``."""
    table = letter_file(DEFAULT_LANGUAGE)["complaint_deadline"]
    return ComplaintDeadline(int(table["weeks"]), str(table["source"]), bool(table["verify"]),
                             str(table.get("note", "")))
