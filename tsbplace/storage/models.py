"""The database tables (SQLModel). Schema changes go through an Alembic migration in
``migrations/versions``; a test fails if these models and the migrations disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    text,
)
from sqlmodel import Field, SQLModel

# Stable constraint names, so batch migrations on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamps go in as UTC and come out timezone-aware on every database
    (SQLite has no time zones and would hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _timestamp() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


def _text() -> Any:
    """Free text of any length, empty when not given."""
    return Field(default="", sa_column=Column(Text, nullable=False, server_default=text("''")))


def _hash_column() -> Column[str]:
    return Column(String(64), nullable=False, server_default=text("''"))


def _who() -> Any:
    """Who did it: the user name (clinician accounts come with the security issue)."""
    return Field(default="", sa_column=Column(String(100), nullable=False, server_default=text("''")))


# The case list's search key: byte order on PostgreSQL too (collation "C"), so a prefix
# search is a plain range query whatever the server's locale (migration 0004).
SEARCH_TEXT = String(200).with_variant(String(200, collation="C"), "postgresql")


def search_key(text: str) -> str:
    """How names are compared in the case list: stripped and case-folded (Python's, so
    "ÅSE" finds "Åse"; SQLite's lower() folds only ASCII)."""
    return text.strip().casefold()


class Patient(SQLModel, table=True):
    __tablename__ = "patient"
    __table_args__ = (Index("ix_patient_search_name", "search_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # search_key(name), kept by CaseService.create_case and demo_data
    search_name: str = Field(default="", sa_column=Column(SEARCH_TEXT, nullable=False,
                                                          server_default=text("''")))
    national_id: str = Field(max_length=11, unique=True)
    birth_date: dt.date
    sex: str | None = Field(default=None, max_length=1)  # "F"/"M" as registered in the ID number
    created_at: dt.datetime = _timestamp()


class TsbCase(SQLModel, table=True):
    """One referral to TSB and everything decided about it."""

    __tablename__ = "tsb_case"
    __table_args__ = (  # the case list: newest first, by deadline, by status (migration 0004)
        Index("ix_tsb_case_received_date", "received_date", "id"),
        Index("ix_tsb_case_status_received_date", "status", "received_date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(max_length=20, unique=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    received_date: dt.date
    status: str = Field(default="new", max_length=20)
    # The newest assessment version's levels, kept here so the case list needs no join.
    suggested_level: str | None = Field(default=None, max_length=10)
    chosen_level: str | None = Field(default=None, max_length=10)
    assigned_to: str | None = Field(default=None, max_length=100, index=True)  # a clinician's user name
    # "tsb": assessed here, ends in a decision; "referrer": prepared by the referring side
    # (GP, municipal service), ends in the referral letter to TSB (migration 0009)
    # The day treatment started after a decision with a right to care (0011): "frist met"
    treatment_started_on: dt.date | None = Field(default=None)
    side: str = Field(default="tsb",
                      sa_column=Column(String(10), nullable=False, server_default=text("'tsb'")))
    created_at: dt.datetime = _timestamp()
    updated_at: dt.datetime = _timestamp()


class Referral(SQLModel, table=True):
    """What the referral says: who sent it, why, and which of the expected contents it
    covers (``rules/codes.toml``, referral_item). One per case; its received date is the
    case's, since the legal deadlines count from it."""

    __tablename__ = "referral"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="tsb_case.id", unique=True)
    source: str | None = Field(default=None, max_length=20)  # codes.toml referral_source
    source_text: str = _text()  # the explanation a source like "annet" needs
    referrer: str = _text()  # the referring person and service
    reason: str = _text()  # why the patient is referred, in the referrer's terms
    present_items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_by: str = _who()
    updated_at: dt.datetime = _timestamp()
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default=text("1")))


FIGURE_COLUMNS = ("case_id", "revision", "status", "signed_at", "signed_by", "suggested_level",
                  "chosen_level", "decision_reason", "care_right", "frist_weeks", "latest_start_date",
                  "ip_status", "rated_domains", "instruments_started", "instruments_scored", "coordinator")


class Assessment(SQLModel, table=True):
    """One version of a case's assessment: the clinician's answers, the engine's full result
    as it was, and the decision. Revision 1 is the first; a correction of a signed version
    is a new revision that names the one it replaces (``supersedes_id``). Only the newest
    revision may be a draft. A signed row is never changed or deleted: database triggers
    refuse it (migration 0005), whatever program writes.
    """

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("case_id", "revision", name="uq_assessment_case_id_revision"),
        # Every column the quality figures read (tsbplace.indicators), so they never touch
        # the rows' large JSON (migration 0010).
        Index("ix_assessment_figures", *FIGURE_COLUMNS),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="tsb_case.id", index=True)
    revision: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default=text("1")))
    supersedes_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("assessment.id"), nullable=True))
    correction_reason: str = _text()  # why the signed version it supersedes was corrected
    status: str = Field(default="draft", max_length=20)  # "draft" or "signed"
    created_by: str = _who()
    updated_by: str = _who()
    signed_by: str | None = Field(default=None, max_length=100)
    signed_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    suggestion: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # {instrument id: scored result with its answers, version and threshold set}
    instrument_results: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSON, nullable=False, server_default=text("'{}'")),
    )
    suggested_level: str = Field(max_length=10)
    ruleset_id: str = Field(max_length=50)
    ruleset_version: str = Field(max_length=20)
    ruleset_hash: str = Field(max_length=64)
    created_at: dt.datetime = _timestamp()
    updated_at: dt.datetime = _timestamp()
    # Optimistic locking: 1 for a new draft, +1 on every save. A save names the version it
    # started from and is refused if someone else saved in between (CaseService).
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default=text("1")))
    # The decision (clinical reference §5, §7), signed with the rest of this version.
    chosen_level: str | None = Field(default=None, max_length=10)
    decision_reason: str | None = Field(default=None, max_length=30)  # codes.toml decision_reason
    decision_reason_text: str = _text()
    care_right: str | None = Field(default=None, max_length=20)  # codes.toml care_right
    frist_weeks: int | None = Field(default=None)
    latest_start_date: dt.date | None = Field(default=None)
    patient_goals: str = _text()
    patient_preferred_level: str | None = Field(default=None, max_length=10)
    patient_agreement: str | None = Field(default=None, max_length=20)  # codes.toml patient_agreement
    # Coordination (0008): individual plan, coordinator, ansvarsgruppe (codes.toml)
    ip_status: str | None = Field(default=None, max_length=20)
    coordinator: str = _text()
    care_group: str | None = Field(default=None, max_length=20)
    chosen_service: str = _text()  # the clinic's own service, by its name when decided (0009)
    # Completeness, counted from answers and instrument_results whenever the row is written
    # (see completeness_counts), so the quality figures need no JSON parsing (0010). None on
    # versions signed before 0010: the figures read their JSON instead.
    rated_domains: int | None = Field(default=None)
    instruments_started: int | None = Field(default=None)
    instruments_scored: int | None = Field(default=None)


class IssuedDocument(SQLModel, table=True):
    """A letter, note or export that left the program: when, by whom, and the SHA-256 of
    the exact bytes, so a paper copy can be matched to its record. Never changed or
    deleted (triggers, migration 0005)."""

    __tablename__ = "issued_document"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="tsb_case.id", index=True)
    assessment_id: int | None = Field(default=None, foreign_key="assessment.id")
    kind: str = Field(max_length=30)  # "notat", "pasient", "henviser", "henvisning", "export-json", ...
    file_name: str = Field(max_length=255)  # the name only: folders can hold names of people
    sha256: str = Field(max_length=64)
    byte_size: int
    issued_by: str = _who()
    workstation: str = Field(default="", max_length=100)
    issued_at: dt.datetime = _timestamp()


class AuditEvent(SQLModel, table=True):
    """The append-only access log: who did what, when, from which workstation, to which
    case. Rows are only ever inserted; triggers refuse updates and deletes (migration 0005).
    ``detail`` holds codes and numbers, never a name or an ID number."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_case_id_id", "case_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = _timestamp()
    actor: str = _who()
    workstation: str = Field(default="", max_length=100)
    action: str = Field(max_length=40)
    case_id: int | None = Field(default=None)  # no foreign key: the log outlives anything
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The hash chain (migration 0006): each entry's SHA-256 covers its content and the hash
    # of the entry before it, so a changed or removed entry breaks the chain (tsbplace.audit).
    prev_hash: str = Field(default="", sa_column=_hash_column())
    entry_hash: str = Field(default="", sa_column=_hash_column())


class Clinician(SQLModel, table=True):
    """A user of the store: a clinician or a professional lead (who administers users).
    Never deleted: a removed user is marked, so the audit log's names keep their meaning."""

    __tablename__ = "clinician"

    id: int | None = Field(default=None, primary_key=True)
    user_name: str = Field(max_length=100, unique=True)
    display_name: str = Field(max_length=200)
    role: str = Field(max_length=20)  # "clinician" or "lead"
    password_hash: str = Field(max_length=200)  # argon2id, PHC string
    active: bool = Field(default=True)
    # The unit the clinician works in (0010): quality figures per unit on a shared store
    unit: str = Field(default="", sa_column=Column(String(120), nullable=False, server_default=text("''")))
    created_by: str = _who()
    created_at: dt.datetime = _timestamp()
    removed_by: str | None = Field(default=None, max_length=100)
    removed_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # Throttling on a server store (a SQLite store keeps its counts in the keyring file)
    failed_attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False,
                                                             server_default=text("0")))
    last_failed_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Setting(SQLModel, table=True):
    """A clinic-wide setting (the letterhead, later the local services and threshold sets),
    shared by every workstation on the store: a JSON value under a key."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=50)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_by: str = _who()
    updated_at: dt.datetime = _timestamp()


def completeness_counts(answers: dict[str, Any], instrument_results: dict[str, Any]) -> dict[str, int]:
    """How many domains carry a rating, how many instruments were started and how many of
    those have a total: what the quality figures count (tsbplace.indicators)."""
    return {
        "rated_domains": sum(1 for given in answers.values()
                             if isinstance(given, dict) and given.get("rating") is not None),
        "instruments_started": len(instrument_results),
        "instruments_scored": sum(1 for result in instrument_results.values()
                                  if isinstance(result, dict) and result.get("total") is not None),
    }


@event.listens_for(Assessment, "before_insert")
@event.listens_for(Assessment, "before_update")
def _count_completeness(_mapper: Any, _connection: Any, row: Assessment) -> None:
    """Every ORM write of a version keeps its counts true to its answers."""
    for name, value in completeness_counts(row.answers or {}, row.instrument_results or {}).items():
        setattr(row, name, value)
