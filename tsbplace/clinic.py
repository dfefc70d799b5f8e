"""The clinic's own details for the letterhead and the letters' contact and complaint
lines, its threshold sets and its own services per level (``local_services``), kept as
clinic-wide settings in the store (so every workstation prints and suggests the same).
Only a professional lead changes them; every change is audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from tsbplace.accounts import ClinicianRecord, NotAllowed, Role
from tsbplace.actor import Actor
from tsbplace.audit import AuditAction, add_event
from tsbplace.content.model import Content
from tsbplace.field_problems import FieldProblem, InvalidInput, too_long
from tsbplace.i18n import tr
from tsbplace.local_services import LocalService, service_problems
from tsbplace.storage.models import Setting, utcnow
from tsbplace.storage.store import Store

CLINIC_KEY = "clinic"
BAND_SETS_KEY = "band_sets"  # {instrument id: threshold set id}, e.g. CIWA-Ar
SERVICES_KEY = "services"  # {"services": [LocalService as a dict, ...]}, in the lead's order
MAX_LINE = 120
MAX_ADDRESS_LINES = 4


@dataclass(frozen=True)
class ClinicDetails:
    name: str = ""  # "Avdeling for rusbehandling, Sykehuset Innlandet"
    unit: str = ""  # "Poliklinikk Hamar"
    address_lines: tuple[str, ...] = ()
    organisation_number: str = ""  # 9 digits (Enhetsregisteret)
    phone: str = ""
    complaint_authority: str = ""  # "Statsforvalteren i Innlandet"
    extra: dict[str, Any] = field(default_factory=dict)  # room for later fields

    @property
    def is_set(self) -> bool:
        return bool(self.name.strip())

    def to_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["address_lines"] = list(self.address_lines)
        return values

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClinicDetails:
        return cls(str(data.get("name", "")), str(data.get("unit", "")),
                   tuple(str(line) for line in data.get("address_lines", ())),
                   str(data.get("organisation_number", "")), str(data.get("phone", "")),
                   str(data.get("complaint_authority", "")), dict(data.get("extra", {})))


def clinic_problems(details: ClinicDetails) -> list[FieldProblem]:
    problems = too_long("clinic", {"name": details.name, "unit": details.unit, "phone": details.phone,
                                   "complaint_authority": details.complaint_authority}, MAX_LINE)
    if len(details.address_lines) > MAX_ADDRESS_LINES:
        problems.append(FieldProblem("clinic.address_lines",
                                     tr("clinic.problem.address_lines", limit=MAX_ADDRESS_LINES)))
    lines = {str(index): line for index, line in enumerate(details.address_lines)}
    problems += too_long("clinic.address_lines", lines, MAX_LINE)
    number = details.organisation_number.replace(" ", "")
    if number and not (number.isdigit() and len(number) == 9):
        problems.append(FieldProblem("clinic.organisation_number",
                                     tr("clinic.problem.organisation_number")))
    return problems


class ClinicSettings:
    """Reads the clinic's details (anyone) and changes them (a professional lead)."""

    def __init__(self, store: Store, me: ClinicianRecord | None, actor: Actor) -> None:
        self.store = store
        self.me = me
        self.actor = actor

    def details(self) -> ClinicDetails:
        with self.store.session() as session:
            row = session.get(Setting, CLINIC_KEY)
            return ClinicDetails() if row is None else ClinicDetails.from_dict(row.value)

    def save(self, details: ClinicDetails) -> ClinicDetails:
        self._require_lead()
        problems = clinic_problems(details)
        if problems:
            raise InvalidInput(problems)
        self._store(CLINIC_KEY, details.to_dict())
        return details

    def band_sets(self) -> dict[str, str]:
        """The clinic's threshold set per instrument (missing: the instrument's default)."""
        with self.store.session() as session:
            row = session.get(Setting, BAND_SETS_KEY)
            return {} if row is None else {str(k): str(v) for k, v in row.value.items()}

    def save_band_sets(self, content: Content, chosen: dict[str, str]) -> dict[str, str]:
        """Choose threshold sets (lead only); each must be one the instrument's content has."""
        self._require_lead()
        problems = []
        for instrument_id, band_set in chosen.items():
            known = {b.id for b in content.instrument(instrument_id).band_sets} if any(
                i.id == instrument_id for i in content.instruments) else set()
            if band_set not in known:
                problems.append(FieldProblem(f"band_sets.{instrument_id}", tr("input.problem.unknown_code")))
        if problems:
            raise InvalidInput(problems)
        self._store(BAND_SETS_KEY, dict(chosen))
        return dict(chosen)

    def services(self) -> tuple[LocalService, ...]:
        """The clinic's own services, each at one level (none: the clinic does not use them)."""
        with self.store.session() as session:
            row = session.get(Setting, SERVICES_KEY)
            rows = [] if row is None else row.value.get("services", [])
            return tuple(LocalService.from_dict(entry) for entry in rows if isinstance(entry, dict))

    def save_services(self, content: Content, services: Iterable[LocalService]) -> tuple[LocalService, ...]:
        """Replace the list (lead only); refused whole, with each bad row named, before anything
        is stored. Names and notes are stored trimmed."""
        self._require_lead()
        cleaned = tuple(replace(s, name=s.name.strip(), note=s.note.strip()) for s in services)
        problems = service_problems(content, cleaned)
        if problems:
            raise InvalidInput(problems)
        self._store(SERVICES_KEY, {"services": [service.to_dict() for service in cleaned]})
        return cleaned

    def _require_lead(self) -> None:
        if self.me is None or self.me.role is not Role.LEAD:
            raise NotAllowed(tr("account.problem.lead_only"))

    def _store(self, key: str, value: dict[str, Any]) -> None:
        with self.store.session() as session:
            row = session.get(Setting, key) or Setting(key=key)
            row.value, row.updated_by, row.updated_at = value, self.actor.user, utcnow()
            session.add(row)
            add_event(session, self.actor, AuditAction.SETTINGS_CHANGED, None, key=key)
