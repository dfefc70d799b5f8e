"""When treatment started after a decision with a right to care, so "frist met" can be
counted (issue 9): kept on the case, not in the signed assessment, because it happens
after the decision is signed.

Revision ID: 0011_treatment_start
Revises: 0010_units
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_treatment_start"
down_revision = "0010_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tsb_case", sa.Column("treatment_started_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tsb_case") as batch:
        batch.drop_column("treatment_started_on")
