"""Initial schema: patient, case, assessment.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("national_id", sa.String(length=11), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
        sa.UniqueConstraint("national_id", name=op.f("uq_patient_national_id")),
    )
    op.create_table(
        "tsb_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=20), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_tsb_case_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tsb_case")),
        sa.UniqueConstraint("case_number", name=op.f("uq_tsb_case_case_number")),
    )
    op.create_index(op.f("ix_tsb_case_patient_id"), "tsb_case", ["patient_id"])
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("suggestion", sa.JSON(), nullable=False),
        sa.Column("suggested_level", sa.String(length=10), nullable=False),
        sa.Column("ruleset_id", sa.String(length=50), nullable=False),
        sa.Column("ruleset_version", sa.String(length=20), nullable=False),
        sa.Column("ruleset_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["tsb_case.id"], name=op.f("fk_assessment_case_id_tsb_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    op.create_index(op.f("ix_assessment_case_id"), "assessment", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_assessment_case_id"), table_name="assessment")
    op.drop_table("assessment")
    op.drop_index(op.f("ix_tsb_case_patient_id"), table_name="tsb_case")
    op.drop_table("tsb_case")
    op.drop_table("patient")
