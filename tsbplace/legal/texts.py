"""Bilingual texts for the legal results: every ``how`` is kept in bokmål and English at once,
so a stored result can be shown in either language later.

The wording lives in the i18n catalogues under ``legal.*`` (``resources/i18n``); values may
be plain (numbers, dates) or texts themselves (``{nb, en}``), which are picked per language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from tsbplace.i18n import LANGUAGES, catalogue, pick
from tsbplace.legal.model import Text

Value = str | int | Mapping[str, str]


def message(key: str, /, **values: Value) -> Text:
    """The catalogue text ``key`` in every language, placeholders filled per language."""
    return {
        language: catalogue(language)[key].format(
            **{name: pick(value, language) if isinstance(value, Mapping) else value
               for name, value in values.items()}
        )
        for language in LANGUAGES
    }


def same(text: str) -> Text:
    """A text that reads the same in every language (a date, a number)."""
    return dict.fromkeys(LANGUAGES, text)


def date_text(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def amount(n: int, unit: str) -> Text:
    """``10 virkedager`` / ``10 working days``; ``unit`` is a key under ``legal.unit``."""
    return message(f"legal.unit.{unit}.{'one' if n == 1 else 'other'}", n=n)


def listed(items: Sequence[Text]) -> Text:
    """``a, b og c`` / ``a, b and c``."""
    if len(items) == 1:
        return items[0]
    head = {language: ", ".join(item[language] for item in items[:-1]) for language in LANGUAGES}
    return message("legal.how.and", first=head, last=items[-1])


def joined(parts: Sequence[Text], separator: str = "; ") -> Text:
    """The parts one after another, as one sentence ending with a full stop."""
    return {
        language: separator.join(part[language].rstrip(".") for part in parts) + "."
        for language in LANGUAGES
    }


def sentences(*texts: Text) -> Text:
    """Whole sentences one after another, each ending with a full stop."""
    return {
        language: " ".join(text[language].rstrip(".") + "." for text in texts)
        for language in LANGUAGES
    }
