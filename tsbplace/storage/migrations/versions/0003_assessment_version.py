"""Optimistic locking: a version number per assessment, raised on every save, and one
assessment per case (a unique index), so two first drafts cannot both be stored.

Revision ID: 0003_assessment_version
Revises: 0002_instrument_results
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_assessment_version"
down_revision = "0002_instrument_results"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")))
        batch.drop_index("ix_assessment_case_id")
        batch.create_index("ix_assessment_case_id", ["case_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.drop_index("ix_assessment_case_id")
        batch.create_index("ix_assessment_case_id", ["case_id"])
        batch.drop_column("version")
