"""The clinician's workspace: who a case is assigned to, and the individual plan,
coordinator and ansvarsgruppe recorded with the decision (clinical reference §5).

Columns are added, never copied: the assessment table keeps its triggers (0005).

Revision ID: 0008_workspace
Revises: 0007_settings
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_workspace"
down_revision = "0007_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch): a batch copy of assessment would drop its triggers.
    op.add_column("tsb_case", sa.Column("assigned_to", sa.String(100), nullable=True))
    op.create_index("ix_tsb_case_assigned_to", "tsb_case", ["assigned_to"])
    op.add_column("assessment", sa.Column("ip_status", sa.String(20), nullable=True))
    op.add_column("assessment", sa.Column("coordinator", sa.Text(), nullable=False, server_default=sa.text("''")))
    op.add_column("assessment", sa.Column("care_group", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("care_group")
        batch.drop_column("coordinator")
        batch.drop_column("ip_status")
    op.drop_index("ix_tsb_case_assigned_to", table_name="tsb_case")
    with op.batch_alter_table("tsb_case") as batch:
        batch.drop_column("assigned_to")
