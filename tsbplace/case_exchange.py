"""Case export and import: one case with everything needed to rebuild it and its decisions,
as JSON in format ``tsbplace-case`` version 2 (docs/case-file.md, "Case export").

:func:`export_case` reads a case (patient, case, referral, every assessment version as
stored) into a plain dict, :func:`export_bytes` writes it. :func:`parse_export` reads a
file strictly (:func:`tsbplace.case_file.load_json`), checks it against
``resources/schemas/case-export.schema.json`` and then its meaning
(:mod:`tsbplace.case_exchange_checks`), and raises :class:`CaseFileError` naming every
problem at its JSON path. :func:`import_case` writes a checked export into a store in one
transaction: all or nothing. The engine is not run again: a stored result is the record.

Version 1 (one assessment's input, ``tsbplace assess``) is unchanged; ``check_format``
there refuses version 2 in one line, and :func:`parse_export` refuses version 1 the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from tsbplace.assessment_versions import SIGNED, decision_of, decision_values, newest_version
from tsbplace.audit import AuditAction, add_event
from tsbplace.case_exchange_checks import export_problems, message, parse_time
from tsbplace.case_file import FORMAT, CaseFileError, load_json
from tsbplace.case_file_checks import CaseFileProblem, json_path
from tsbplace.case_sides import REFERRED, TSB
from tsbplace.cases import CaseNotFound, CaseService
from tsbplace.content.model import Content
from tsbplace.decisions import Decision
from tsbplace.i18n import tr
from tsbplace.national_id import check_national_id, legal_sex
from tsbplace.referrals import ReferralDetails
from tsbplace.storage.models import Assessment, Patient, Referral, TsbCase, search_key, utcnow

__all__ = ["DUPLICATE_CHOICES", "EXPORT_VERSION", "ExportedCase", "ExportedPatient", "ExportedReferral",
           "ExportedVersion", "ImportResult", "export_bytes", "export_case", "import_case", "is_duplicate",
           "parse_export"]

log = logging.getLogger(__name__)  # ids and counts only: never a name or an ID number

EXPORT_VERSION = 2
DUPLICATE_CHOICES = ("refuse", "skip", "new-version")


@dataclass(frozen=True)
class ExportedPatient:
    name: str
    national_id: str  # the compact form
    birth_date: dt.date
    sex: str  # "F" or "M", as the number says


@dataclass(frozen=True)
class ExportedReferral:
    details: ReferralDetails
    updated_by: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class ExportedVersion:
    """One assessment version exactly as it was stored."""

    revision: int
    status: str  # "draft" or "signed"
    answers: Mapping[str, Mapping[str, Any]]
    instrument_results: Mapping[str, Mapping[str, Any]]
    suggestion: Mapping[str, Any]
    suggested_level: str
    ruleset_id: str
    ruleset_version: str
    ruleset_hash: str
    created_by: str
    created_at: dt.datetime
    updated_by: str
    updated_at: dt.datetime
    signed_by: str | None
    signed_at: dt.datetime | None
    supersedes_revision: int | None
    correction_reason: str
    decision: Decision


@dataclass(frozen=True)
class ExportedCase:
    """A checked case export (:func:`parse_export`)."""

    exported_at: dt.datetime
    exported_by: str
    patient: ExportedPatient
    case_number: str
    received_date: dt.date
    status: str  # "new", "assessed" or "signed" (agrees with the versions), or "referred"
    referral: ExportedReferral | None
    versions: tuple[ExportedVersion, ...]
    side: str = TSB  # tsbplace.case_sides; a file without it is a TSB-side case


@dataclass(frozen=True)
class ImportResult:
    case_id: int
    case_number: str
    skipped: bool = False  # a duplicate left as it was (on_duplicate="skip")
    created_case: bool = False
    created_patient: bool = False
    revisions: tuple[int, ...] = ()  # the revisions written, as stored


# --- export --------------------------------------------------------------------------------

def _time(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def _version_dict(row: Assessment, revisions: Mapping[int, int]) -> dict[str, Any]:
    return {
        "revision": row.revision, "status": row.status, "answers": row.answers,
        "instrument_results": row.instrument_results, "suggestion": row.suggestion,
        "suggested_level": row.suggested_level, "ruleset_id": row.ruleset_id,
        "ruleset_version": row.ruleset_version, "ruleset_hash": row.ruleset_hash,
        "created_by": row.created_by, "created_at": _time(row.created_at),
        "updated_by": row.updated_by, "updated_at": _time(row.updated_at),
        "signed_by": row.signed_by, "signed_at": _time(row.signed_at),
        "supersedes_revision": None if row.supersedes_id is None else revisions[row.supersedes_id],
        "correction_reason": row.correction_reason,
        "decision": decision_of(row).to_dict(),
    }


def export_case(service: CaseService, case_id: int) -> dict[str, Any]:
    """The case as a version 2 export (plain JSON values). Reading writes nothing: the
    caller records the file it writes with ``CaseService.record_issued_document`` (kind
    ``export-…``), which logs ``case.exported`` with the file's SHA-256."""
    with service.store.session() as session:
        case = session.get(TsbCase, case_id)
        if case is None:
            raise CaseNotFound(case_id)
        patient = session.get(Patient, case.patient_id)
        assert patient is not None
        referral = session.exec(select(Referral).where(Referral.case_id == case_id)).first()
        rows = session.exec(select(Assessment).where(Assessment.case_id == case_id)
                            .order_by(col(Assessment.revision))).all()
        revisions = {row.id: row.revision for row in rows if row.id is not None}
        data: dict[str, Any] = {
            "format": FORMAT, "version": EXPORT_VERSION,
            "exported_at": _time(utcnow()), "exported_by": service.actor.user,
            "patient": {"name": patient.name, "national_id": patient.national_id,
                        "birth_date": patient.birth_date.isoformat(),
                        "sex": patient.sex or legal_sex(patient.national_id)},
            "case": {"case_number": case.case_number, "received_date": case.received_date.isoformat(),
                     "status": case.status, "side": case.side},
            "referral": None if referral is None else {
                "source": referral.source, "source_text": referral.source_text,
                "referrer": referral.referrer, "reason": referral.reason,
                "present_items": list(referral.present_items), "updated_by": referral.updated_by,
                "updated_at": _time(referral.updated_at)},
            "assessments": [_version_dict(row, revisions) for row in rows],
        }
    return data


def export_bytes(data: Mapping[str, Any]) -> bytes:
    """The export as UTF-8 JSON: sorted keys, indent 1, a final newline."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


# --- parse ---------------------------------------------------------------------------------

def _refuse(text: str, path: str = "$") -> CaseFileError:
    return CaseFileError([CaseFileProblem(path, text)])


def _check_format(data: Any) -> None:
    """Refuse, in one line, anything that is not a version 2 TSBplace case file."""
    if not isinstance(data, Mapping):
        raise _refuse(tr("case_file.problem.not_an_object"))
    if data.get("format") != FORMAT:
        raise _refuse(tr("case_file.problem.not_a_case_file", format=FORMAT), json_path(["format"]))
    version = data.get("version")
    if version != EXPORT_VERSION or isinstance(version, bool):
        shown = json.dumps(version) if isinstance(version, int | str | None) else "?"
        raise _refuse(tr("case_file.problem.version", given=shown[:20], version=EXPORT_VERSION),
                      json_path(["version"]))


def _when(text: str) -> dt.datetime:
    value = parse_time(text)
    assert value is not None, "checked by export_problems"
    return value.astimezone(dt.UTC)


def _optional_when(text: str | None) -> dt.datetime | None:
    return None if text is None else _when(text)


def _version(given: Mapping[str, Any]) -> ExportedVersion:
    decision = dict(given["decision"])
    start = decision["latest_start_date"]
    decision["latest_start_date"] = None if start is None else dt.date.fromisoformat(start)
    return ExportedVersion(
        revision=given["revision"], status=given["status"], answers=given["answers"],
        instrument_results=given["instrument_results"], suggestion=given["suggestion"],
        suggested_level=given["suggested_level"], ruleset_id=given["ruleset_id"],
        ruleset_version=given["ruleset_version"], ruleset_hash=given["ruleset_hash"],
        created_by=given["created_by"], created_at=_when(given["created_at"]),
        updated_by=given["updated_by"], updated_at=_when(given["updated_at"]),
        signed_by=given["signed_by"], signed_at=_optional_when(given["signed_at"]),
        supersedes_revision=given["supersedes_revision"], correction_reason=given["correction_reason"],
        decision=Decision(**decision))


def _exported(data: Mapping[str, Any]) -> ExportedCase:
    patient, case, referral = data["patient"], data["case"], data["referral"]
    number = check_national_id(patient["national_id"]).number
    return ExportedCase(
        exported_at=_when(data["exported_at"]), exported_by=data["exported_by"],
        patient=ExportedPatient(patient["name"].strip(), number, dt.date.fromisoformat(patient["birth_date"]),
                                patient["sex"]),
        case_number=case["case_number"], received_date=dt.date.fromisoformat(case["received_date"]),
        status=case["status"], side=case.get("side", TSB),
        referral=None if referral is None else ExportedReferral(
            ReferralDetails(referral["source"], referral["source_text"], referral["referrer"],
                            referral["reason"], tuple(referral["present_items"])),
            referral["updated_by"], _when(referral["updated_at"])),
        versions=tuple(_version(given) for given in data["assessments"]))


def parse_export(raw: bytes | str, content: Content, today: dt.date | None = None) -> ExportedCase:
    """Read a case export; raise :class:`CaseFileError` listing every problem at its JSON path."""
    data = load_json(raw)
    _check_format(data)
    problems = export_problems(data, content, today or dt.date.today())
    if problems:
        raise CaseFileError(problems)
    return _exported(data)


# --- import --------------------------------------------------------------------------------

def _row(case_id: int, version: ExportedVersion, revision: int, supersedes_id: int | None) -> Assessment:
    """The stored row of one version, complete (a signed row cannot be updated later)."""
    return Assessment(
        case_id=case_id, revision=revision, supersedes_id=supersedes_id,
        correction_reason=version.correction_reason, status=version.status,
        created_by=version.created_by, updated_by=version.updated_by, signed_by=version.signed_by,
        signed_at=version.signed_at, answers=dict(version.answers), suggestion=dict(version.suggestion),
        instrument_results=dict(version.instrument_results), suggested_level=version.suggested_level,
        ruleset_id=version.ruleset_id, ruleset_version=version.ruleset_version,
        ruleset_hash=version.ruleset_hash, created_at=version.created_at, updated_at=version.updated_at,
        version=1, **decision_values(version.decision))


def _keep_case_consistent(case: TsbCase, newest: Assessment | None, referred: bool = False) -> None:
    """The case row's status and levels from its newest version; ``referred``: a
    referrer-side case whose referral was sent (the file says so; no version shows it)."""
    if newest is None:
        case.status, case.suggested_level, case.chosen_level = "new", None, None
    else:
        case.status = SIGNED if newest.status == SIGNED else REFERRED if referred else "assessed"
        case.suggested_level, case.chosen_level = newest.suggested_level, newest.chosen_level
    case.updated_at = utcnow()


def _new_case(session: Session, exported: ExportedCase, patient: Patient) -> tuple[TsbCase, tuple[int, ...]]:
    assert patient.id is not None
    case = TsbCase(case_number=exported.case_number, patient_id=patient.id,
                   received_date=exported.received_date, side=exported.side)
    session.add(case)
    session.flush()
    assert case.id is not None
    if exported.referral is not None:
        details = exported.referral.details
        session.add(Referral(case_id=case.id, source=details.source, source_text=details.source_text,
                             referrer=details.referrer, reason=details.reason,
                             present_items=list(details.present_items),
                             updated_by=exported.referral.updated_by, updated_at=exported.referral.updated_at,
                             version=1))
    ids: dict[int, int] = {}
    newest = None
    for version in exported.versions:
        supersedes = None if version.supersedes_revision is None else ids[version.supersedes_revision]
        newest = _row(case.id, version, version.revision, supersedes)
        session.add(newest)
        session.flush()
        assert newest.id is not None
        ids[version.revision] = newest.id
    _keep_case_consistent(case, newest, exported.status == REFERRED)
    session.add(case)
    return case, tuple(ids)


def _new_version(session: Session, case: TsbCase, exported: ExportedCase) -> tuple[int, ...]:
    """The file's newest version after the stored ones (superseding a signed newest)."""
    assert case.id is not None
    if not exported.versions:
        raise _refuse(message("no_versions"), json_path(["assessments"]))
    stored = newest_version(session, case.id)
    if stored is not None and stored.status != SIGNED:
        raise _refuse(message("stored_draft"), json_path(["case", "case_number"]))
    revision = 1 if stored is None else stored.revision + 1
    row = _row(case.id, exported.versions[-1], revision, None if stored is None else stored.id)
    session.add(row)
    session.flush()
    _keep_case_consistent(case, row)
    session.add(case)
    return (revision,)


def is_duplicate(service: CaseService, exported: ExportedCase) -> bool:
    """Whether the store already holds this case number for this patient, so the window can
    ask what ``on_duplicate`` should be before importing (:func:`import_case` checks again)."""
    with service.store.session() as session:
        case = session.exec(select(TsbCase).where(TsbCase.case_number == exported.case_number)).first()
        if case is None:
            return False
        patient = session.get(Patient, case.patient_id)
        return patient is not None and patient.national_id == exported.patient.national_id


def import_case(service: CaseService, exported: ExportedCase, on_duplicate: str = "refuse") -> ImportResult:
    """Write a checked export into the store of ``service``, all or nothing in one transaction.

    The patient is reused by identity number (a different name for it is refused) or
    created; the case keeps its number. A case number already stored for the same patient
    is a duplicate: ``on_duplicate="refuse"`` raises CaseFileError, ``"skip"`` changes
    nothing and reports ``skipped``, ``"new-version"`` adds the file's newest version after
    the stored ones (refused while the stored newest is a draft). A case number stored for
    another patient is always refused. One ``case.imported`` audit entry per import.
    """
    if on_duplicate not in DUPLICATE_CHOICES:
        raise ValueError(f"on_duplicate must be one of {', '.join(DUPLICATE_CHOICES)}, not {on_duplicate!r}")
    with service.store.session() as session:
        number = exported.patient.national_id
        patient = session.exec(select(Patient).where(Patient.national_id == number)).first()
        if patient is not None and patient.name != exported.patient.name:
            raise _refuse(tr("case.problem.other_name"), json_path(["patient", "name"]))
        case = session.exec(select(TsbCase).where(TsbCase.case_number == exported.case_number)).first()
        created_patient = created_case = False
        if case is not None:
            if patient is None or case.patient_id != patient.id:
                raise _refuse(message("other_patient"), json_path(["case", "case_number"]))
            if case.side != exported.side:  # one case is never both decided and referred
                raise _refuse(tr("case_side_export.other_side"), json_path(["case", "side"]))
            assert case.id is not None
            if on_duplicate == "refuse":
                raise _refuse(message("duplicate"), json_path(["case", "case_number"]))
            if on_duplicate == "skip":
                return ImportResult(case.id, case.case_number, skipped=True)
            revisions = _new_version(session, case, exported)
        else:
            if patient is None:
                patient = Patient(name=exported.patient.name, search_name=search_key(exported.patient.name),
                                  national_id=exported.patient.national_id,
                                  birth_date=exported.patient.birth_date, sex=exported.patient.sex)
                session.add(patient)
                session.flush()
                created_patient = True
            case, revisions = _new_case(session, exported, patient)
            created_case = True
        assert case.id is not None
        add_event(session, service.actor, AuditAction.CASE_IMPORTED, case.id, revisions=list(revisions),
                  on_duplicate=on_duplicate, new_case=created_case)
        log.info("case %d imported (%d versions)", case.id, len(revisions))
        return ImportResult(case.id, case.case_number, False, created_case, created_patient, revisions)
