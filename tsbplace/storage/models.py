"""The database tables (SQLModel). Schema changes go through an Alembic migration in
``migrations/versions``; a test fails if these models and the migrations disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Dialect, Index, Integer, MetaData, String, TypeDecorator, text
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
    created_at: dt.datetime = _timestamp()
    updated_at: dt.datetime = _timestamp()


class Assessment(SQLModel, table=True):
    """The clinician's answers for a case and the engine's full result as it was."""

    __tablename__ = "assessment"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="tsb_case.id", index=True, unique=True)  # one draft per case
    status: str = Field(default="draft", max_length=20)
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
