"""The clinic's own services, each at one level of the ladder ("Poliklinikk Hamar" at P1,
"Avrusning Sanderud" at D3M), so a suggestion can name real local options and say when a
level is not offered locally.

The list is a clinic-wide setting (:meth:`tsbplace.clinic.ClinicSettings.save_services`).
:func:`service_problems` checks a list before it is stored; :func:`local_options` answers
"where here?" for one level. When no active service offers the level, the nearest *higher*
level that has one is named: a lower level is never a responsible substitute, so the
clinician considers referring to another provider (fritt behandlingsvalg) instead. The
rule set's baseline level (K0, follow-up in the municipality: no specialist care needed)
is not missing locally when the clinic lists no service there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from tsbplace.content.model import Content
from tsbplace.field_problems import FieldProblem, too_long
from tsbplace.i18n import tr

__all__ = ["MAX_NAME", "MAX_NOTE", "MAX_SERVICES", "LocalOptions", "LocalService", "local_options",
           "new_service", "service_problems"]

MAX_NAME = 120  # one line in a combo box and a letter
MAX_NOTE = 300  # a sentence or two: address, who to call, opening hours
MAX_SERVICES = 60  # a health trust's TSB services fit well within this


@dataclass(frozen=True)
class LocalService:
    id: str  # stable while the service is renamed or moved to another level
    name: str
    level: str  # a level code of rules/levels.toml
    note: str = ""
    active: bool = True  # an inactive service is kept, but never offered

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LocalService:
        return cls(str(data.get("id", "")), str(data.get("name", "")), str(data.get("level", "")),
                   str(data.get("note", "")), bool(data.get("active", True)))


def new_service(name: str, level: str, note: str = "", active: bool = True) -> LocalService:
    """A service with a fresh id (made once, when the service is created)."""
    return LocalService(uuid.uuid4().hex, name, level, note, active)


@dataclass(frozen=True)
class LocalOptions:
    """Where a level is offered locally. ``applies`` is False when there is nothing to say:
    the clinic has no active services, or ``level`` is the baseline and none is listed
    there. ``nearest`` are the active services at ``nearest_level``, the lowest level above
    ``level`` that has any, when ``level`` has none."""

    level: str
    applies: bool
    services: tuple[LocalService, ...]  # active services at ``level``
    nearest_level: str | None = None
    nearest: tuple[LocalService, ...] = ()

    @property
    def available(self) -> bool:
        return bool(self.services)


def service_problems(content: Content, services: Iterable[LocalService]) -> list[FieldProblem]:
    """Every problem in the list, named by row (``services.2.name``): a name that is
    missing, too long or used twice; an unknown level; a note too long; a missing or
    repeated id; too many services."""
    services = list(services)
    known = {level.code for level in content.levels}
    problems: list[FieldProblem] = []
    if len(services) > MAX_SERVICES:
        problems.append(FieldProblem("services", tr("clinic.services.too_many", limit=MAX_SERVICES)))
    seen_names: set[str] = set()
    seen_ids: set[str] = set()
    for index, service in enumerate(services):
        where = f"services.{index}"
        name = service.name.strip()
        if not name:
            problems.append(FieldProblem(f"{where}.name", tr("clinic.services.name_missing")))
        elif name.casefold() in seen_names:
            problems.append(FieldProblem(f"{where}.name", tr("clinic.services.name_twice")))
        seen_names.add(name.casefold())
        problems += too_long(where, {"name": service.name}, MAX_NAME)
        problems += too_long(where, {"note": service.note}, MAX_NOTE)
        if service.level not in known:
            problems.append(FieldProblem(f"{where}.level", tr("clinic.services.unknown_level")))
        if not service.id.strip() or service.id in seen_ids:
            problems.append(FieldProblem(f"{where}.id", tr("clinic.services.bad_id")))
        seen_ids.add(service.id)
    return problems


def local_options(content: Content, services: Iterable[LocalService], level: str) -> LocalOptions:
    """The active services that offer ``level``; when none does, the nearest higher level
    with active services, and those services (never a lower level)."""
    active = [service for service in services if service.active]
    here = tuple(service for service in active if service.level == level)
    if here or not active or level == content.ruleset.baseline_level:
        return LocalOptions(level, bool(here), here)  # offered here, or nothing to say
    order = content.level(level).order
    for higher in sorted(content.levels, key=lambda known: known.order):
        if higher.order <= order:
            continue
        offered = tuple(service for service in active if service.level == higher.code)
        if offered:
            return LocalOptions(level, True, (), higher.code, offered)
    return LocalOptions(level, True, ())
