"""Store instrument results (answers, total, band, threshold set, version) per assessment.

Revision ID: 0002_instrument_results
Revises: 0001_initial
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_instrument_results"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(
            sa.Column("instrument_results", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("instrument_results")
