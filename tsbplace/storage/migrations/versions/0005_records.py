"""Referrals, decisions, versioned assessments, issued documents and the audit log.

- patient.sex: "F"/"M" as registered in the ID number (the ninth digit's parity).
- tsb_case.suggested_level / chosen_level: the newest version's, for the case list.
- referral: source, referrer, reason and the completeness checklist, one per case.
- assessment: versions (revision, supersedes_id, correction_reason), who and when
  (created_by, updated_by, signed_by, signed_at) and the decision; a case may now have
  several assessment rows, one per revision.
- issued_document and audit_event: insert-only.
- Triggers on both databases refuse to change or delete a signed assessment, an issued
  document or an audit entry. A later batch migration that copies one of these tables on
  SQLite drops its triggers and must create them again (tests check they hold at head).

Revision ID: 0005_records
Revises: 0004_case_search
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op


revision = "0005_records"
down_revision = "0004_case_search"
branch_labels = None
depends_on = None


def _text_column(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Text(), nullable=False, server_default=sa.text("''"))


def _who_column(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(100), nullable=False, server_default=sa.text("''"))


# Rows no program may change: (trigger name, table, condition on OLD or None for all rows).
PROTECTED = (
    ("assessment_signed", "assessment", "OLD.status = 'signed'"),
    ("issued_document_insert_only", "issued_document", None),
    ("audit_event_insert_only", "audit_event", None),
)

PG_FUNCTION = """
CREATE FUNCTION tsbplace_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tsbplace: % on % refused: this record is never changed or deleted',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$
"""


def _create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for name, table, condition in PROTECTED:
            when = f"WHEN ({condition}) " if condition else ""
            op.execute(f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW {when}EXECUTE FUNCTION tsbplace_refuse_change()")
            op.execute(f"CREATE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION tsbplace_refuse_change()")
        return
    for name, table, condition in PROTECTED:
        when = f"WHEN {condition} " if condition else ""
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} {when}"
                       f"BEGIN SELECT RAISE(ABORT, 'tsbplace: {event} on {table} refused: "
                       f"this record is never changed or deleted'); END")


def _drop_triggers() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table, _ in PROTECTED:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}_update")
            op.execute(f"DROP TRIGGER IF EXISTS {name}_delete")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS tsbplace_refuse_change()")


def upgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.add_column(sa.Column("sex", sa.String(1), nullable=True))
    op.execute("UPDATE patient SET sex = CASE WHEN CAST(substr(national_id, 9, 1) AS INTEGER) % 2 = 1 "
               "THEN 'M' ELSE 'F' END")

    with op.batch_alter_table("tsb_case") as batch:
        batch.add_column(sa.Column("suggested_level", sa.String(10), nullable=True))
        batch.add_column(sa.Column("chosen_level", sa.String(10), nullable=True))
    op.execute("UPDATE tsb_case SET suggested_level = "
               "(SELECT suggested_level FROM assessment WHERE assessment.case_id = tsb_case.id)")

    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("tsb_case.id"), nullable=False),
        sa.Column("source", sa.String(20), nullable=True),
        _text_column("source_text"),
        _text_column("referrer"),
        _text_column("reason"),
        sa.Column("present_items", sa.JSON(), nullable=False),
        _who_column("updated_by"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.UniqueConstraint("case_id"),
    )

    op.drop_index("ix_assessment_case_id", table_name="assessment")  # was unique: one row per case
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("1")))
        batch.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch.add_column(_text_column("correction_reason"))
        batch.add_column(_who_column("created_by"))
        batch.add_column(_who_column("updated_by"))
        batch.add_column(sa.Column("signed_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("chosen_level", sa.String(10), nullable=True))
        batch.add_column(sa.Column("decision_reason", sa.String(30), nullable=True))
        batch.add_column(_text_column("decision_reason_text"))
        batch.add_column(sa.Column("care_right", sa.String(20), nullable=True))
        batch.add_column(sa.Column("frist_weeks", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("latest_start_date", sa.Date(), nullable=True))
        batch.add_column(_text_column("patient_goals"))
        batch.add_column(sa.Column("patient_preferred_level", sa.String(10), nullable=True))
        batch.add_column(sa.Column("patient_agreement", sa.String(20), nullable=True))
        batch.create_foreign_key("fk_assessment_supersedes_id_assessment", "assessment",
                                 ["supersedes_id"], ["id"])
        batch.create_unique_constraint("uq_assessment_case_id_revision", ["case_id", "revision"])
    op.create_index("ix_assessment_case_id", "assessment", ["case_id"])

    op.create_table(
        "issued_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("tsb_case.id"), nullable=False),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        _who_column("issued_by"),
        sa.Column("workstation", sa.String(100), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_issued_document_case_id", "issued_document", ["case_id"])

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _who_column("actor"),
        sa.Column("workstation", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_event_case_id_id", "audit_event", ["case_id", "id"])
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_table("audit_event")
    op.drop_table("issued_document")
    op.drop_index("ix_assessment_case_id", table_name="assessment")
    with op.batch_alter_table("assessment") as batch:
        batch.drop_constraint("uq_assessment_case_id_revision", type_="unique")
        batch.drop_constraint("fk_assessment_supersedes_id_assessment", type_="foreignkey")
        for column in ("patient_agreement", "patient_preferred_level", "patient_goals", "latest_start_date",
                       "frist_weeks", "care_right", "decision_reason_text", "decision_reason",
                       "chosen_level", "signed_at", "signed_by", "updated_by", "created_by",
                       "correction_reason", "supersedes_id", "revision"):
            batch.drop_column(column)
    op.create_index("ix_assessment_case_id", "assessment", ["case_id"], unique=True)
    op.drop_table("referral")
    with op.batch_alter_table("tsb_case") as batch:
        batch.drop_column("chosen_level")
        batch.drop_column("suggested_level")
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("sex")
