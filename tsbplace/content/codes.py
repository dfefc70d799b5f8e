"""The code lists of ``rules/codes.toml``: referral sources, the referral completeness
checklist, the right to care, reasons for choosing another level than the suggested
one, and the patient's agreement. Records store a code's id; its name is shown in the
current language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tsbplace.content.domain_checks import duplicates
from tsbplace.content.validation import ContentProblem
from tsbplace.i18n import pick

CODES_FILE = "codes.toml"
LISTS = ("referral_source", "referral_item", "care_right", "decision_reason", "patient_agreement",
         "ip_status", "care_group")


@dataclass(frozen=True)
class Code:
    id: str
    name: Mapping[str, str]
    source: str = ""
    requires_text: bool = False  # "annet": the choice needs a written explanation

    def label(self, language: str | None = None) -> str:
        return pick(self.name, language)


@dataclass(frozen=True)
class CodeLists:
    referral_sources: tuple[Code, ...]
    referral_items: tuple[Code, ...]  # what a TSB referral should contain
    care_rights: tuple[Code, ...]
    decision_reasons: tuple[Code, ...]
    patient_agreements: tuple[Code, ...]
    ip_statuses: tuple[Code, ...]  # individual plan
    care_groups: tuple[Code, ...]  # ansvarsgruppe

    def find(self, codes: Sequence[Code], code_id: str) -> Code | None:
        return next((code for code in codes if code.id == code_id), None)


def _code(entry: Mapping[str, Any]) -> Code:
    return Code(entry["id"], dict(entry["name"]), entry.get("source", ""),
                bool(entry.get("requires_text", False)))


def build_codes(data: Mapping[str, Any]) -> CodeLists:
    """The code lists of a schema-valid ``codes.toml``."""
    lists = [tuple(_code(entry) for entry in data[name]) for name in LISTS]
    return CodeLists(*lists)


def code_problems(data: Mapping[str, Any]) -> list[ContentProblem]:
    """Code ids used twice in one list (the schema cannot say that)."""
    return [
        ContentProblem(CODES_FILE, name, f"code {dup!r} is used twice")
        for name in LISTS
        for dup in duplicates(entry["id"] for entry in data[name])
    ]
