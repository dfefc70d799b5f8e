"""Every check of a case export (``tsbplace-case`` version 2) after it parsed: its JSON
Schema (``resources/schemas/case-export.schema.json``), then its meaning.

The meaning checks use the same code as the case service: the identity number
(:func:`tsbplace.national_id.check_national_id`, and its birth date and sex must agree with
the file's), the order of dates and times, the revisions (1, 2, 3 … with only the newest a
draft, a correction naming an earlier signed one), the codes and levels of
``content.codes`` and ``content.levels`` (:func:`tsbplace.referrals.referral_problems`,
:func:`tsbplace.decisions.decision_problems`), the answers
(:func:`tsbplace.cases.answer_problems`) and each stored instrument result's items and
permitted values. As for version 1, a place the schema refused is not checked again, and a
value is shown only when it cannot be patient data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from tsbplace.case_file_checks import (
    CaseFileProblem,
    Parts,
    _at,
    _schema_messages,
    first_problem_per_place,
    in_file_order,
    json_path,
    shown,
)
from tsbplace.case_sides import REFERRED, REFERRER, TSB
from tsbplace.cases import answer_problems, check_name, check_received_date
from tsbplace.content.model import Content, ProblemCode
from tsbplace.decisions import Decision, decision_problems
from tsbplace.field_problems import FieldProblem
from tsbplace.i18n import tr
from tsbplace.national_id import check_national_id, legal_sex
from tsbplace.package_data import resource
from tsbplace.referrals import ReferralDetails, referral_problems

SCHEMA_FILE = "case-export.schema.json"
DRAFT, SIGNED = "draft", "signed"

# Messages of the export format (bokmål and English). They belong in resources/i18n once
# the catalogues are free to edit; until then they live here, chosen by the current language.
MESSAGES = {  # the export's messages: keys of [case_export] in resources/i18n
    "not_a_time": "case_export.not_a_time",
    "case_number": "case_export.case_number",
    "time_before": "case_export.time_before",
    "revision": "case_export.revision",
    "draft_not_last": "case_export.draft_not_last",
    "supersedes": "case_export.supersedes",
    "signed_needs": "case_export.signed_needs",
    "draft_unsigned": "case_export.draft_unsigned",
    "status": "case_export.status",
    "instrument_key": "case_export.instrument_key",
    "other_patient": "case_export.other_patient",
    "duplicate": "case_export.duplicate",
    "stored_draft": "case_export.stored_draft",
    "no_versions": "case_export.no_versions",
}


def message(key: str, **values: object) -> str:
    """One of the export's messages in the current language."""
    return tr(MESSAGES[key], **values)


_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")


def parse_time(text: str) -> dt.datetime | None:
    """An ISO time with its UTC offset, or None if ``text`` is not one."""
    if not _TIME.fullmatch(text):
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


# --- the schema ----------------------------------------------------------------------------

@cache
def _validator() -> Draft202012Validator:
    with resource("schemas", SCHEMA_FILE).open("rb") as handle:
        return Draft202012Validator(json.load(handle))


def _messages(error: ValidationError) -> Iterator[tuple[Parts, str]]:
    if error.validator == "pattern":
        where: Parts = tuple(error.absolute_path)
        if where[-1:] == ("case_number",):
            yield where, message("case_number")
            return
        if "T" in str(error.validator_value):
            yield where, message("not_a_time")
            return
    yield from _schema_messages(error)


def schema_problems(data: Any) -> list[tuple[Parts, str]]:
    """Every place where ``data`` breaks the export schema, one problem per place."""
    return first_problem_per_place(_validator(), data, _messages)


# --- meaning -------------------------------------------------------------------------------

def _field_parts(prefix: Parts, field: str) -> Parts:
    """``referral.present_items.2`` → (*prefix, "present_items", 2): a service problem's place."""
    parts = field.split(".")[1:]
    return (*prefix, *(int(part) if part.isdigit() else part for part in parts))


class _Checker:
    """The meaning checks of one export, skipping the places the schema already refused."""

    def __init__(self, data: Mapping[str, Any], content: Content, today: dt.date,
                 refused: Iterable[Parts]) -> None:
        self.data, self.content, self.today = data, content, today
        self.refused = tuple(refused)
        self.problems: list[tuple[Parts, str]] = []

    def refused_here(self, parts: Parts) -> bool:
        return any(bad == parts[:len(bad)] for bad in self.refused)

    def refused_inside(self, parts: Parts) -> bool:
        return any(len(bad) > len(parts) and bad[:len(parts)] == parts for bad in self.refused)

    def usable(self, parts: Parts) -> bool:
        return not self.refused_here(parts) and _at(self.data, parts) is not None

    def sound(self, parts: Parts) -> bool:
        return self.usable(parts) and not self.refused_inside(parts)

    def add(self, parts: Parts, text: str) -> None:
        self.problems.append((parts, text))

    def date(self, parts: Parts) -> dt.date | None:
        if not self.usable(parts):
            return None
        try:
            return dt.date.fromisoformat(_at(self.data, parts))
        except ValueError:
            self.add(parts, tr("case_file.problem.not_a_date"))
            return None

    def time(self, parts: Parts) -> dt.datetime | None:
        if not self.usable(parts):
            return None
        value = parse_time(_at(self.data, parts))
        if value is None:
            self.add(parts, message("not_a_time"))
        return value

    def refused_value(self, parts: Parts, reason: str) -> str:
        value = shown(_at(self.data, parts))
        return reason if value is None else tr("case_file.problem.value", value=value, reason=reason)

    def service_problems(self, prefix: Parts, problems: Iterable[FieldProblem]) -> None:
        for problem in problems:
            parts = _field_parts(prefix, problem.field)
            self.add(parts, self.refused_value(parts, problem.message))

    # the patient and the case

    def check_patient_and_case(self) -> None:
        exported = self.time(("exported_at",))
        del exported  # only its form is checked: clocks of two clinics need not agree
        if self.usable(("patient", "name")) and (text := check_name(self.data["patient"]["name"])):
            self.add(("patient", "name"), text)
        birth = self.date(("patient", "birth_date"))
        received = self.date(("case", "received_date"))
        if birth is not None and received is not None and birth >= received:
            self.add(("patient", "birth_date"), tr("case_file.problem.born_after_referral",
                                                   other=json_path(("case", "received_date"))))
        if received is not None and check_received_date(received, self.today):
            self.add(("case", "received_date"), tr("case_file.problem.in_future"))
        parts: Parts = ("patient", "national_id")
        if not self.usable(parts):
            return
        check = check_national_id(self.data["patient"]["national_id"], self.today)
        if not check.ok:
            self.add(parts, check.message())  # names the problem, never the number
            return
        if birth is not None and check.birth_date != birth:
            self.add(parts, tr("case_file.problem.id_birth_date", other=json_path(("patient", "birth_date"))))
        if self.usable(("patient", "sex")) and legal_sex(check.number) != self.data["patient"]["sex"]:
            self.add(parts, tr("case_file.problem.id_sex", other=json_path(("patient", "sex"))))

    def check_referral(self) -> None:
        if not self.usable(("referral",)):
            return
        self.time(("referral", "updated_at"))
        if not self.sound(("referral",)):
            return
        given = self.data["referral"]
        details = ReferralDetails(given["source"], given["source_text"], given["referrer"], given["reason"],
                                  tuple(given["present_items"]))
        self.service_problems(("referral",), referral_problems(self.content, details))

    # the assessment versions

    def check_versions(self) -> None:
        if not self.usable(("assessments",)):
            return
        versions = self.data["assessments"]
        signed: set[int] = set()
        statuses: list[str | None] = []
        for index, version in enumerate(versions):
            where: Parts = ("assessments", index)
            if not self.usable(where):
                statuses.append(None)
                continue
            status = version["status"] if self.usable((*where, "status")) else None
            statuses.append(status)
            self._revision(where, index, status, signed, len(versions))
            self._times(where, status)
            self._content_of(where)
        self._case_status(statuses)

    def _revision(self, where: Parts, index: int, status: str | None, signed: set[int], count: int) -> None:
        version = self.data["assessments"][index]
        if self.usable((*where, "revision")) and version["revision"] != index + 1:
            self.add((*where, "revision"), self.refused_value(
                (*where, "revision"), message("revision", expected=index + 1)))
        if status == DRAFT and index < count - 1:
            self.add((*where, "status"), message("draft_not_last"))
        supersedes = (*where, "supersedes_revision")
        if self.usable(supersedes) and version["supersedes_revision"] not in signed:
            self.add(supersedes, self.refused_value(supersedes, message("supersedes")))
        if status == SIGNED:
            signed.add(index + 1)
            for key in ("signed_by", "signed_at"):
                if not self.refused_here((*where, key)) and version.get(key) is None and key in version:
                    self.add((*where, key), message("signed_needs"))
        elif status == DRAFT:
            for key in ("signed_by", "signed_at"):
                if not self.refused_here((*where, key)) and version.get(key) is not None:
                    self.add((*where, key), message("draft_unsigned"))

    def _times(self, where: Parts, status: str | None) -> None:
        created = self.time((*where, "created_at"))
        updated = self.time((*where, "updated_at"))
        signed_at = self.time((*where, "signed_at")) if status == SIGNED else None
        for later, value in (("updated_at", updated), ("signed_at", signed_at)):
            if created is not None and value is not None and value < created:
                self.add((*where, later), message("time_before", other=json_path((*where, "created_at"))))
        supersedes = _at(self.data, (*where, "supersedes_revision"))
        if created is None or not isinstance(supersedes, int) or isinstance(supersedes, bool):
            return
        earlier: Parts = ("assessments", supersedes - 1, "signed_at")
        if 0 < supersedes <= len(self.data["assessments"]) and self.usable(earlier):
            corrected = parse_time(_at(self.data, earlier))
            if corrected is not None and created < corrected:
                self.add((*where, "created_at"), message("time_before", other=json_path(earlier)))

    def _content_of(self, where: Parts) -> None:
        version = self.data["assessments"][where[1]]
        level = (*where, "suggested_level")
        known_levels = {known.code for known in self.content.levels}
        if self.usable(level) and version["suggested_level"] not in known_levels:
            self.add(level, self.refused_value(level, tr("decision.problem.unknown_level")))
        decision: Parts = (*where, "decision")
        if self.sound(decision):
            self.date((*decision, "latest_start_date"))
            given = dict(version["decision"])
            start = _at(self.data, (*decision, "latest_start_date"))
            try:
                given["latest_start_date"] = None if start is None else dt.date.fromisoformat(start)
            except ValueError:
                given["latest_start_date"] = None
            self.service_problems(decision, decision_problems(self.content, Decision(**given)))
        self._answers(where)
        self._instruments(where)

    def _answers(self, where: Parts) -> None:
        parts: Parts = (*where, "answers")
        if not self.usable(parts):
            return
        given = {
            domain: {key: value for key, value in values.items() if self.sound((*parts, domain, key))}
            for domain, values in _at(self.data, parts).items() if self.usable((*parts, domain))
        }
        given = {domain: self._hashable(values, (*parts, domain)) for domain, values in given.items()}
        unknown = {tr("assessment.problem.unknown_domain"), tr("assessment.problem.unknown_item"),
                   tr("assessment.problem.unknown_substance"), tr("assessment.problem.unknown_field")}
        for problem in answer_problems(self.content, given):
            place: Parts = (*parts, *problem.field.split("."))
            known = problem.message not in unknown
            self.add(place, self.refused_value(place, problem.message) if known else problem.message)

    def _hashable(self, values: dict[str, Any], parts: Parts) -> dict[str, Any]:
        """``values`` without what the content's checks cannot take (they put values in sets):
        a rating that is a list or an object, a list holding lists or objects. Each is a
        problem here."""
        kept = {}
        for key, value in values.items():
            place: Parts = (*parts, key)
            if key == "rating" and isinstance(value, list | dict):
                self.add(place, tr(f"assessment.problem.{ProblemCode.BAD_RATING.value}"))
            elif isinstance(value, list) and any(isinstance(v, list | dict) for v in value):
                self.add(place, tr(f"assessment.problem.{ProblemCode.BAD_VALUE.value}"))
            elif isinstance(value, dict):
                kept[key] = self._hashable(value, place)
            else:
                kept[key] = value
        return kept

    def _instruments(self, where: Parts) -> None:
        parts: Parts = (*where, "instrument_results")
        if not self.usable(parts):
            return
        for instrument_id, result in _at(self.data, parts).items():
            place: Parts = (*parts, instrument_id)
            if not self.usable(place):
                continue
            try:
                instrument = self.content.instrument(instrument_id)
            except KeyError:
                known = ", ".join(i.id for i in self.content.instruments)
                self.add(place, tr("case_file.problem.unknown_instrument", known=known))
                continue
            if self.usable((*place, "instrument")) and result["instrument"] != instrument_id:
                self.add((*place, "instrument"),
                         message("instrument_key", expected=json.dumps(instrument_id)))
            if not self.usable((*place, "answers")):
                continue
            for item_id, value in result["answers"].items():
                item_place: Parts = (*place, "answers", item_id)
                if not self.sound(item_place):
                    continue
                if item_id not in instrument.item_ids():
                    self.add(item_place, tr("case_file.problem.unknown_instrument_item",
                                            items=", ".join(instrument.item_ids())))
                elif not instrument.item(item_id).permits(value):
                    permitted = ", ".join(str(v) for v in instrument.item(item_id).permitted())
                    self.add(item_place, self.refused_value(
                        item_place, tr("case_file.problem.not_permitted", permitted=permitted)))

    def _case_status(self, statuses: list[str | None]) -> None:
        parts: Parts = ("case", "status")
        side_parts: Parts = ("case", "side")
        if self.refused_here(side_parts):
            return
        # A file without a side is a TSB-side case (files written before sides existed).
        side = _at(self.data, side_parts) if self.usable(side_parts) else TSB
        if side == REFERRER:  # the referring side never signs: TSB decides
            for index, status in enumerate(statuses):
                if status == SIGNED:
                    self.add(("assessments", index, "status"), tr("case_side_export.signed"))
        if not self.usable(parts) or None in statuses:
            return
        expected = "new" if not statuses else SIGNED if statuses[-1] == SIGNED else "assessed"
        given = self.data["case"]["status"]
        if given == REFERRED and side != REFERRER:
            self.add(parts, self.refused_value(parts, tr("case_side_export.referred_tsb")))
        elif (given == REFERRED and expected == "new") or given not in (expected, REFERRED):
            self.add(parts, self.refused_value(parts, message("status", expected=json.dumps(expected))))


def export_problems(data: Mapping[str, Any], content: Content, today: dt.date) -> list[CaseFileProblem]:
    """Every problem of a parsed export, in file order: the schema's and the meaning's."""
    shape = schema_problems(data)
    checker = _Checker(data, content, today, (parts for parts, _ in shape))
    checker.check_patient_and_case()
    checker.check_referral()
    checker.check_versions()
    return [CaseFileProblem(json_path(parts), text)
            for parts, text in in_file_order(data, (*shape, *checker.problems))]
