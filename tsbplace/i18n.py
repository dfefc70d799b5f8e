"""Translations: every visible string comes from a catalogue in ``resources/i18n``.

Catalogues are TOML files, one per language, keyed by dotted ids (``case.new.title``).
Keys rather than English source strings let a test prove that both languages are
complete and that every key the code uses exists. Clinical content (domains, items,
rules) carries its own ``nb``/``en`` texts in ``rules/`` and uses :func:`pick`.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from tsbplace.package_data import resource

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"

_current = DEFAULT_LANGUAGE


class TranslationError(LookupError):
    """A key or language that the catalogues do not have."""


def flatten(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted key, text) for every leaf of a parsed TOML catalogue."""
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flatten(value, full + ".")
        else:
            yield full, str(value)


@cache
def catalogue(language: str) -> Mapping[str, str]:
    """All messages of one language, as a flat ``{key: text}`` mapping."""
    if language not in LANGUAGES:
        raise TranslationError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    with resource("i18n", f"{language}.toml").open("rb") as handle:
        return dict(flatten(tomllib.load(handle)))


def set_language(language: str) -> None:
    """Choose the language of every later :func:`tr` call (a program-wide setting)."""
    global _current
    catalogue(language)  # fail now, not at the first string
    _current = language


def current_language() -> str:
    return _current


def tr(key: str, /, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{placeholders}`` filled in."""
    try:
        text = catalogue(_current)[key]
    except KeyError:
        raise TranslationError(f"no text for {key!r} in language {_current!r}") from None
    return text.format(**values) if values else text


def pick(texts: Mapping[str, str], language: str | None = None) -> str:
    """The text of the current (or given) language from a content entry's ``{nb, en}``."""
    lang = language or _current
    if lang in texts:
        return texts[lang]
    return texts[DEFAULT_LANGUAGE]


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message expects; used to check that translations agree."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
