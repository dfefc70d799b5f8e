"""A case prepared on the referring side (a GP's office or a municipal service writing a
referral to TSB), and the clinic's own service a decision places the patient in.

Columns are added, never copied: the assessment table keeps its triggers (0005).

Revision ID: 0009_referring_side
Revises: 0008_workspace
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_referring_side"
down_revision = "0008_workspace"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "tsb": assessed in specialist care, ending in a decision; "referrer": prepared by
    # the referring side, ending in the referral letter to TSB. Every case so far is "tsb".
    op.add_column("tsb_case", sa.Column("side", sa.String(10), nullable=False, server_default=sa.text("'tsb'")))
    # The local service's name as it was when decided (a service may be renamed later).
    op.add_column("assessment", sa.Column("chosen_service", sa.Text(), nullable=False,
                                          server_default=sa.text("''")))


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("chosen_service")
    with op.batch_alter_table("tsb_case") as batch:
        batch.drop_column("side")
