"""Case files: one referral as JSON, the input to ``tsbplace assess`` (docs/case-file.md).

A file is read whole or refused whole. :func:`read_case_file` parses it strictly (no
duplicate keys, no NaN), checks it against ``resources/schemas/case-file.schema.json``
and then against the installed content and the calendar
(:mod:`tsbplace.case_file_checks`). Every problem is reported at once with its JSON path,
``$.answers.rus.rating: …``; nothing is computed from a file with a problem. Names are
not part of the format, and an identity number, if given, is checked and then dropped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tsbplace.assessment import CaseInput, Pathway
from tsbplace.case_file_checks import CaseFileProblem, case_file_problems, json_path
from tsbplace.content.model import Content
from tsbplace.i18n import tr

__all__ = ["CaseFileError", "CaseFileProblem", "case_input", "json_path", "load_json",
           "parse_case_file", "read_case_file"]

FORMAT = "tsbplace-case"
VERSION = 1
MAX_FILE_BYTES = 5_000_000  # a case file is a few kilobytes; refuse anything absurd unread
MAX_DIGITS = 30  # longer integers are read as (huge) floats, so the bounds catch them


class CaseFileError(ValueError):
    """The file was refused; ``problems`` lists every problem found, each with its JSON path."""

    def __init__(self, problems: Iterable[CaseFileProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _refuse(message: str, path: str = "$") -> CaseFileError:
    return CaseFileError([CaseFileProblem(path, message)])


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON


def _integer(text: str) -> int | float:
    return int(text) if len(text) <= MAX_DIGITS else float(text)


def load_json(raw: bytes | str) -> Any:
    """The parsed document, or :class:`CaseFileError` with one line saying why not."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise _refuse(tr("case_file.problem.too_big", limit=MAX_FILE_BYTES // 1_000_000))
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _refuse(tr("case_file.problem.not_utf8")) from None
    if not raw.strip():
        raise _refuse(tr("case_file.problem.empty"))
    try:
        return json.loads(raw, object_pairs_hook=_object, parse_constant=_no_constant,
                          parse_int=_integer)
    except json.JSONDecodeError as error:
        if error.pos >= len(raw.rstrip()) or error.msg.startswith("Unterminated string"):
            raise _refuse(tr("case_file.problem.truncated")) from None
        raise _refuse(tr("case_file.problem.not_json", line=error.lineno, column=error.colno)) from None
    except _DuplicateKey as error:
        raise _refuse(tr("case_file.problem.duplicate_key", key=error.key)) from None
    except RecursionError:
        raise _refuse(tr("case_file.problem.too_deep")) from None
    except ValueError:  # NaN or Infinity
        raise _refuse(tr("case_file.problem.not_a_number")) from None


def check_format(data: Any) -> None:
    """Refuse, in one line, anything that is not a version 1 TSBplace case file."""
    if not isinstance(data, Mapping):
        raise _refuse(tr("case_file.problem.not_an_object"))
    if data.get("format") != FORMAT:
        raise _refuse(tr("case_file.problem.not_a_case_file", format=FORMAT), json_path(["format"]))
    version = data.get("version")
    if version != VERSION or isinstance(version, bool):
        shown = json.dumps(version) if isinstance(version, int | str | None) else "?"
        raise _refuse(tr("case_file.problem.version", given=shown[:20], version=VERSION),
                      json_path(["version"]))


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def case_input(data: Mapping[str, Any]) -> CaseInput:
    """The :class:`CaseInput` of a file that passed every check."""
    patient, referral = data["patient"], data["referral"]
    pathway = data.get("pathway", {})
    received = dt.date.fromisoformat(referral["received"])
    return CaseInput(
        birth_date=dt.date.fromisoformat(patient["birth_date"]),
        sex=patient["sex"],
        received=received,
        assessment_date=_date(data.get("assessment_date")) or received,
        answers=data.get("answers", {}),
        instruments=data.get("instruments", {}),
        source=referral.get("source"),
        lar_referral=referral.get("lar_referral", False),
        pathway=Pathway(
            setting=pathway.get("setting"),
            first_appointment=_date(pathway.get("first_appointment")),
            decision=_date(pathway.get("decision")),
            avrusning_end=_date(pathway.get("avrusning_end")),
            last_evaluation=_date(pathway.get("last_evaluation")),
        ),
    )


def parse_case_file(raw: bytes | str, content: Content, today: dt.date | None = None) -> CaseInput:
    """Read a case file's text; raise :class:`CaseFileError` listing every problem."""
    data = load_json(raw)
    check_format(data)
    problems = case_file_problems(data, content, today or dt.date.today())
    if problems:
        raise CaseFileError(problems)
    return case_input(data)


def read_case_file(path: Path, content: Content, today: dt.date | None = None) -> CaseInput:
    """Read and check the case file at ``path``."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _refuse(tr("case_file.problem.too_big", limit=MAX_FILE_BYTES // 1_000_000))
        raw = path.read_bytes()
    except OSError as error:
        raise _refuse(tr("case_file.problem.unreadable", reason=error.strerror or type(error).__name__)) \
            from None
    return parse_case_file(raw, content, today)
