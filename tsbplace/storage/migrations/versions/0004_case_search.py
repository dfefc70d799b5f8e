"""The case list's search: a case-folded copy of each patient's name (SQLite's lower()
only folds ASCII, so "Åse" could not be found as "åse"), and indexes for the list's
plain range queries: name prefix, received date (newest first, the deadline filter) and
status with received date.

Revision ID: 0004_case_search
Revises: 0003_assessment_version
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_case_search"
down_revision = "0003_assessment_version"
branch_labels = None
depends_on = None

# Byte order on PostgreSQL too, so a prefix is a plain range whatever the server's locale.
SEARCH_TEXT = sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.add_column(sa.Column("search_name", SEARCH_TEXT, nullable=False, server_default=sa.text("''")))
    connection = op.get_bind()
    patient = sa.table("patient", sa.column("id", sa.Integer()), sa.column("name", sa.String()),
                       sa.column("search_name", sa.String()))
    rows = connection.execute(sa.select(patient.c.id, patient.c.name)).all()
    if rows:  # case folding is Python's (str.casefold), as in CaseService.create_case
        connection.execute(
            patient.update().where(patient.c.id == sa.bindparam("row_id")).values(search_name=sa.bindparam("key")),
            [{"row_id": row_id, "key": name.strip().casefold()} for row_id, name in rows],
        )
    op.create_index("ix_patient_search_name", "patient", ["search_name"])
    op.create_index("ix_tsb_case_received_date", "tsb_case", ["received_date", "id"])
    op.create_index("ix_tsb_case_status_received_date", "tsb_case", ["status", "received_date", "id"])


def downgrade() -> None:
    op.drop_index("ix_tsb_case_status_received_date", table_name="tsb_case")
    op.drop_index("ix_tsb_case_received_date", table_name="tsb_case")
    op.drop_index("ix_patient_search_name", table_name="patient")
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("search_name")
