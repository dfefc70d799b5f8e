"""Clinician accounts and the audit log's hash chain.

- clinician: user name, display name, role, argon2id password hash, active, who added
  and removed the user and when, failed sign-ins (throttling on a server store).
- audit_event.prev_hash / entry_hash: the chain (tsbplace.audit). Entries written before
  this revision are chained here, in id order, with a frozen copy of the digest; the
  insert-only triggers are lifted for that and put back (on SQLite the batch copy of the
  table drops them anyway).

Revision ID: 0006_accounts
Revises: 0005_records
Create Date: 2026-11-22
"""

import datetime as dt
import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006_accounts"
down_revision = "0005_records"
branch_labels = None
depends_on = None

MESSAGE = "tsbplace: {event} on audit_event refused: this record is never changed or deleted"


def _digest(prev_hash: str, at: dt.datetime, actor: str, workstation: str, action: str,
            case_id: int | None, detail: Any) -> str:
    """Frozen copy of tsbplace.audit.entry_digest as of this revision."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    content = {"prev": prev_hash, "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
               "actor": actor, "workstation": workstation, "action": action, "case_id": case_id,
               "detail": detail}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _drop_audit_triggers(postgres: bool) -> None:
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS audit_event_insert_only ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_insert_only_truncate ON audit_event")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_insert_only_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_insert_only_delete")


def _create_audit_triggers(postgres: bool) -> None:
    if postgres:  # tsbplace_refuse_change() comes from 0005
        op.execute("CREATE TRIGGER audit_event_insert_only BEFORE UPDATE OR DELETE ON audit_event "
                   "FOR EACH ROW EXECUTE FUNCTION tsbplace_refuse_change()")
        op.execute("CREATE TRIGGER audit_event_insert_only_truncate BEFORE TRUNCATE ON audit_event "
                   "FOR EACH STATEMENT EXECUTE FUNCTION tsbplace_refuse_change()")
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_event_insert_only_{event.lower()} BEFORE {event} ON audit_event "
                   f"BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(event=event)}'); END")


def _chain_existing_entries() -> None:
    events = sa.table("audit_event", sa.column("id", sa.Integer()), sa.column("at", sa.DateTime(timezone=True)),
                      sa.column("actor", sa.String()), sa.column("workstation", sa.String()),
                      sa.column("action", sa.String()), sa.column("case_id", sa.Integer()),
                      sa.column("detail", sa.JSON()), sa.column("prev_hash", sa.String()),
                      sa.column("entry_hash", sa.String()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(events.c.id, events.c.at, events.c.actor, events.c.workstation,
                                        events.c.action, events.c.case_id, events.c.detail)
                              .order_by(events.c.id)).all()
    prev = ""
    for row in rows:
        digest = _digest(prev, row.at, row.actor, row.workstation, row.action, row.case_id, row.detail)
        connection.execute(events.update().where(events.c.id == row.id)
                           .values(prev_hash=prev, entry_hash=digest))
        prev = digest


def upgrade() -> None:
    op.create_table(
        "clinician",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False, server_default=sa.text("''")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by", sa.String(100), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("user_name"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_audit_triggers(postgres)
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=False, server_default=sa.text("''")))
        batch.add_column(sa.Column("entry_hash", sa.String(64), nullable=False, server_default=sa.text("''")))
    _chain_existing_entries()
    _create_audit_triggers(postgres)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_audit_triggers(postgres)
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("entry_hash")
        batch.drop_column("prev_hash")
    _create_audit_triggers(postgres)
    op.drop_table("clinician")
