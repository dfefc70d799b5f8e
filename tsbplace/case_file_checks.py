"""Every check of a case file after it parsed: its JSON Schema, then its meaning.

The schema (``resources/schemas/case-file.schema.json``) fixes the shape. The meaning
checks use the same code as the case service: :func:`tsbplace.cases.answer_problems` for
the domain answers, each instrument item's permitted values and then
:func:`tsbplace.cases.score_instruments`, :func:`tsbplace.national_id.check_national_id`,
and the order of the dates. A part of the file that broke the schema is not checked
again for meaning, so each place is reported once. Messages are translated; a refused
value is shown only when it cannot be patient data (a number, a yes/no, a short code).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from tsbplace.assessment import whole_years
from tsbplace.cases import InvalidInput, answer_problems, check_received_date, score_instruments
from tsbplace.content.model import Content
from tsbplace.i18n import tr
from tsbplace.national_id import check_national_id, legal_sex
from tsbplace.package_data import resource

SCHEMA_FILE = "case-file.schema.json"
Parts = tuple[str | int, ...]
_CODE = re.compile(r"[a-z_\-]{1,40}|\d{4}-\d{2}-\d{2}")  # option values and dates: never a name
_SHOWN_LIMIT = 1e9


@dataclass(frozen=True)
class CaseFileProblem:
    path: str  # a JSON path: $.answers.rus.rating
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def json_path(parts: Iterable[str | int]) -> str:
    """``["answers", "rus", "rating"]`` → ``$.answers.rus.rating``; odd keys are quoted."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}"
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


def shown(value: object) -> str | None:
    """The value as the file has it, if it is safe to print; None for text that might be
    patient data (a name typed into the wrong field, an identity number)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return json.dumps(value) if math.isfinite(value) and abs(value) < _SHOWN_LIMIT else None
    if isinstance(value, str) and _CODE.fullmatch(value):
        return json.dumps(value, ensure_ascii=False)
    return None


def _at(data: Any, parts: Parts) -> Any:
    for part in parts:
        in_list = isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data)
        if not (in_list or (isinstance(part, str) and isinstance(data, Mapping) and part in data)):
            return None
        data = data[part]
    return data


# --- the schema ----------------------------------------------------------------------------

@cache
def _validator() -> Draft202012Validator:
    with resource("schemas", SCHEMA_FILE).open("rb") as handle:
        return Draft202012Validator(json.load(handle))


def _type_name(name: str) -> str:
    names = {
        "object": tr("case_file.type.object"),
        "array": tr("case_file.type.array"),
        "string": tr("case_file.type.string"),
        "integer": tr("case_file.type.integer"),
        "number": tr("case_file.type.number"),
        "boolean": tr("case_file.type.boolean"),
        "null": tr("case_file.type.null"),
    }
    return names.get(name, name)


def _allowed(values: Sequence[object]) -> str:
    return ", ".join(json.dumps(value, ensure_ascii=False) for value in values)


def _schema_messages(error: ValidationError) -> Iterator[tuple[Parts, str]]:
    """(path, translated message) for one schema error; ``required`` and
    ``additionalProperties`` point at the key itself."""
    where: Parts = tuple(error.absolute_path)
    kind, expected, instance = error.validator, error.validator_value, error.instance
    if kind == "required":
        for key in expected:
            if isinstance(instance, Mapping) and key not in instance:
                yield (*where, key), tr("case_file.problem.required")
    elif kind == "additionalProperties":
        declared = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        for key in instance:
            if key not in declared:
                yield (*where, key), tr("case_file.problem.unknown_key")
    elif kind == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        yield where, tr("case_file.problem.type", expected=tr("case_file.or").join(
            _type_name(k) for k in kinds))
    elif kind in ("enum", "const"):
        values = expected if kind == "enum" else [expected]
        yield where, tr("case_file.problem.enum", allowed=_allowed(values))
    elif kind == "pattern":
        yield where, tr("case_file.problem.date_format")
    elif kind == "minimum":
        yield where, tr("case_file.problem.minimum", limit=expected)
    elif kind == "maximum":
        yield where, tr("case_file.problem.maximum", limit=expected)
    elif kind in ("maxLength", "maxItems", "maxProperties"):
        yield where, tr("case_file.problem.too_long", limit=expected)
    else:
        yield where, tr("case_file.problem.schema", detail=error.message)


def first_problem_per_place(validator: Any, data: Any, messages: Callable[[Any], Iterable[tuple[Parts, str]]]
                            ) -> list[tuple[Parts, str]]:
    """Where ``data`` breaks ``validator``'s schema: the first message for each place, in
    path order (a case file and a case export are checked alike)."""
    found: dict[Parts, str] = {}
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        for where, message in messages(error):
            found.setdefault(where, message)
    return list(found.items())


def schema_problems(data: Any) -> list[tuple[Parts, str]]:
    """Every place where ``data`` breaks the case-file schema, one problem per place."""
    return first_problem_per_place(_validator(), data, _schema_messages)


# --- meaning -------------------------------------------------------------------------------

DATE_FIELDS: tuple[Parts, ...] = (
    ("patient", "birth_date"), ("referral", "received"), ("assessment_date",),
    ("pathway", "first_appointment"), ("pathway", "decision"), ("pathway", "avrusning_end"),
    ("pathway", "last_evaluation"),
)


class _Checker:
    """The meaning checks of one file, skipping the places the schema already refused."""

    def __init__(self, data: Mapping[str, Any], content: Content, today: dt.date,
                 refused: Iterable[Parts]) -> None:
        self.data, self.content, self.today = data, content, today
        self.refused = tuple(refused)
        self.problems: list[tuple[Parts, str]] = []
        self.dates: dict[Parts, dt.date] = {}

    def refused_here(self, parts: Parts) -> bool:
        """The schema refused this place or a place that holds it."""
        return any(bad == parts[:len(bad)] for bad in self.refused)

    def refused_inside(self, parts: Parts) -> bool:
        """The schema refused a place inside this one."""
        return any(len(bad) > len(parts) and bad[:len(parts)] == parts for bad in self.refused)

    def usable(self, parts: Parts) -> bool:
        """Present and not refused by the schema here or above (a container may still hold
        refused places: callers leave those out)."""
        return not self.refused_here(parts) and _at(self.data, parts) is not None

    def sound(self, parts: Parts) -> bool:
        """Usable, with nothing refused inside either."""
        return self.usable(parts) and not self.refused_inside(parts)

    def add(self, parts: Parts, message: str) -> None:
        self.problems.append((parts, message))

    def check_dates(self) -> None:
        for parts in DATE_FIELDS:
            if not self.usable(parts):
                continue
            try:
                self.dates[parts] = dt.date.fromisoformat(_at(self.data, parts))
            except ValueError:
                self.add(parts, tr("case_file.problem.not_a_date"))
        self._date_order()

    def _not_before(self, later: Parts, earlier: Parts) -> None:
        if later in self.dates and earlier in self.dates and self.dates[later] < self.dates[earlier]:
            self.add(later, tr("case_file.problem.date_before", other=json_path(earlier)))

    def _not_in_future(self, parts: Parts, message: str) -> None:
        if parts in self.dates and self.dates[parts] > self.today:
            self.add(parts, message)

    def _date_order(self) -> None:
        birth, received = ("patient", "birth_date"), ("referral", "received")
        if birth in self.dates and received in self.dates and self.dates[birth] >= self.dates[received]:
            self.add(birth, tr("case_file.problem.born_after_referral", other=json_path(received)))
        if received in self.dates and check_received_date(self.dates[received], self.today):
            self.add(received, tr("case_file.problem.in_future"))
        self._not_before(("assessment_date",), received)
        self._not_in_future(("assessment_date",), tr("case_file.problem.in_future"))
        first = ("pathway", "first_appointment")
        self._not_before(first, received)
        self._not_before(("pathway", "decision"), first if first in self.dates else received)
        self._not_before(("pathway", "avrusning_end"), received)
        self._not_before(("pathway", "last_evaluation"), ("pathway", "decision"))
        self._setting_given()
        self._age_limit(birth, received)

    def _setting_given(self) -> None:
        """Pathway dates are counted per setting (outpatient or døgn), so they need one."""
        setting: Parts = ("pathway", "setting")
        dated = any(parts[0] == "pathway" for parts in self.dates)
        if dated and _at(self.data, setting) is None and not self.refused_here(setting):
            self.add(setting, tr("case_file.problem.setting_needed"))

    def _age_limit(self, birth: Parts, received: Parts) -> None:
        """Not older on the assessment date than the content's ``patient.age`` fact allows."""
        on = self.dates.get(("assessment_date",), self.dates.get(received))
        if "patient.age" not in self.content.facts or birth not in self.dates or on is None:
            return
        oldest = self.content.facts.spec("patient.age").maximum
        if oldest is not None and whole_years(self.dates[birth], on) > oldest:
            self.add(birth, tr("case_file.problem.too_old", limit=int(oldest)))

    def check_national_id(self) -> None:
        parts: Parts = ("patient", "national_id")
        if not self.usable(parts):
            return
        check = check_national_id(_at(self.data, parts), self.today)
        if not check.ok:
            self.add(parts, check.message())  # names the problem, never the number
            return
        birth = self.dates.get(("patient", "birth_date"))
        if birth is not None and check.birth_date != birth:
            self.add(parts, tr("case_file.problem.id_birth_date", other=json_path(("patient", "birth_date"))))
        if self.usable(("patient", "sex")) and legal_sex(check.number) != self.data["patient"]["sex"]:
            self.add(parts, tr("case_file.problem.id_sex", other=json_path(("patient", "sex"))))

    def refused_value(self, parts: Parts, reason: str) -> str:
        value = shown(_at(self.data, parts))
        return reason if value is None else tr("case_file.problem.value", value=value, reason=reason)

    def check_answers(self) -> None:
        if not self.usable(("answers",)):
            return
        given = {
            domain: {key: value for key, value in values.items() if self.sound(("answers", domain, key))}
            for domain, values in self.data["answers"].items() if self.usable(("answers", domain))
        }
        unknown = {tr("assessment.problem.unknown_domain"), tr("assessment.problem.unknown_item"),
                   tr("assessment.problem.unknown_substance"), tr("assessment.problem.unknown_field")}
        for problem in answer_problems(self.content, given):
            parts: Parts = ("answers", *problem.field.split("."))
            known = problem.message not in unknown  # for an unknown key, the key is the problem
            self.add(parts, self.refused_value(parts, problem.message) if known else problem.message)

    def check_instruments(self) -> None:
        if not self.usable(("instruments",)):
            return
        clean = {}
        for instrument_id, answers in self.data["instruments"].items():
            parts: Parts = ("instruments", instrument_id)
            if not self.usable(parts):
                continue
            kept = {item: value for item, value in answers.items() if self.sound((*parts, item))}
            if self._instrument_items_ok(parts, instrument_id, kept) and len(kept) == len(answers):
                clean[instrument_id] = kept
        sex = self.data["patient"]["sex"] if self.usable(("patient", "sex")) else None
        try:
            score_instruments(self.content, clean, sex=sex)
        except InvalidInput as error:  # whatever scoring refuses beyond the item checks
            for problem in error.problems:
                self.add(tuple(problem.field.split(".")), problem.message)

    def _instrument_items_ok(self, parts: Parts, instrument_id: str, answers: Mapping[str, Any]) -> bool:
        try:
            instrument = self.content.instrument(instrument_id)
        except KeyError:
            known = ", ".join(i.id for i in self.content.instruments)
            self.add(parts, tr("case_file.problem.unknown_instrument", known=known))
            return False
        before = len(self.problems)
        for item_id, value in answers.items():
            if item_id not in instrument.item_ids():
                self.add((*parts, item_id), tr("case_file.problem.unknown_instrument_item",
                                               items=", ".join(instrument.item_ids())))
            elif value is not None and not instrument.item(item_id).permits(value):
                permitted = ", ".join(str(v) for v in instrument.item(item_id).permitted())
                self.add((*parts, item_id), self.refused_value(
                    (*parts, item_id), tr("case_file.problem.not_permitted", permitted=permitted)))
        return len(self.problems) == before


def meaning_problems(data: Mapping[str, Any], content: Content, today: dt.date,
                     refused: Iterable[Parts] = ()) -> list[tuple[Parts, str]]:
    """What the content and the calendar refuse in a file (``refused``: places to skip)."""
    checker = _Checker(data, content, today, refused)
    checker.check_dates()
    checker.check_national_id()
    checker.check_answers()
    checker.check_instruments()
    return checker.problems


def _positions(data: Any, parts: Parts = (), found: dict[Parts, int] | None = None) -> dict[Parts, int]:
    """Every place in the file, numbered in the order the file has them."""
    found = {} if found is None else found
    found[parts] = len(found)
    children: Iterable[tuple[str | int, Any]] = (
        data.items() if isinstance(data, Mapping) else enumerate(data) if isinstance(data, list) else ())
    for key, value in children:
        _positions(value, (*parts, key), found)
    return found


def in_file_order(data: Any, problems: Iterable[tuple[Parts, str]]) -> list[tuple[Parts, str]]:
    """Problems in the order of the places they name (a missing key just after its parent)."""
    positions = _positions(data)

    def place(item: tuple[Parts, str]) -> tuple[int, int]:
        parts = item[0]
        for length in range(len(parts), -1, -1):
            if parts[:length] in positions:
                return positions[parts[:length]], len(parts) - length
        return 0, len(parts)

    return sorted(problems, key=place)


def case_file_problems(data: Mapping[str, Any], content: Content, today: dt.date) -> list[CaseFileProblem]:
    """Every problem of a parsed case file, in file order: the schema's and the meaning's."""
    shape = schema_problems(data)
    meaning = meaning_problems(data, content, today, refused=(parts for parts, _ in shape))
    return [CaseFileProblem(json_path(parts), message)
            for parts, message in in_file_order(data, (*shape, *meaning))]
