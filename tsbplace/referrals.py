"""What a referral says and whether it holds what a TSB referral should: its source, the
referrer, the reason, and the completeness checklist of ``rules/codes.toml``
(referral_item; clinical reference §5). A weak referral is found before it is rejected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tsbplace.content.codes import Code, CodeLists
from tsbplace.content.model import Content
from tsbplace.field_problems import FieldProblem, too_long
from tsbplace.i18n import tr

MAX_REFERRER = 200
MAX_TEXT = 4000


@dataclass(frozen=True)
class ReferralDetails:
    source: str | None = None  # codes.toml referral_source
    source_text: str = ""  # the explanation a source like "annet" needs
    referrer: str = ""  # the referring person and service
    reason: str = ""
    present_items: tuple[str, ...] = ()  # checklist items the referral covers


@dataclass(frozen=True)
class ReferralRecord:
    case_id: int
    details: ReferralDetails
    missing_items: tuple[Code, ...]  # what a TSB referral should hold and this one lacks
    updated_by: str
    updated_at: dt.datetime | None  # None: nothing recorded yet
    version: int  # 0 before the first save; pass it back as expected_version

    @property
    def complete(self) -> bool:
        return not self.missing_items


def _codes(content: Content) -> CodeLists:
    assert content.codes is not None, "load_content always loads codes.toml or raises"
    return content.codes


def missing_items(content: Content, present: tuple[str, ...]) -> tuple[Code, ...]:
    """The checklist items not in ``present``, in the checklist's order."""
    return tuple(item for item in _codes(content).referral_items if item.id not in present)


def referral_problems(content: Content, details: ReferralDetails) -> list[FieldProblem]:
    """Values that cannot be stored: unknown codes, a missing explanation, texts too long."""
    codes = _codes(content)
    problems = []
    if details.source is not None:
        source = codes.find(codes.referral_sources, details.source)
        if source is None:
            problems.append(FieldProblem("referral.source", tr("input.problem.unknown_code")))
        elif source.requires_text and not details.source_text.strip():
            problems.append(FieldProblem("referral.source_text", tr("referral.problem.source_text")))
    known_items = {item.id for item in codes.referral_items}
    for index, item in enumerate(details.present_items):
        if item not in known_items:
            problems.append(FieldProblem(f"referral.present_items.{index}",
                                         tr("input.problem.unknown_code")))
    problems += too_long("referral", {"referrer": details.referrer}, MAX_REFERRER)
    problems += too_long("referral", {"source_text": details.source_text, "reason": details.reason}, MAX_TEXT)
    return problems
