"""Clinic-wide settings: a key and a JSON value (the letterhead first).

Revision ID: 0007_settings
Revises: 0006_accounts
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_settings"
down_revision = "0006_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(50), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False, server_default=sa.text("''")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("setting")
