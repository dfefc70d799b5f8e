"""Quality figures (issue 9): the unit a clinician works in, so a store shared by several
units (PostgreSQL) can show its figures per unit ("": the store's only unit); and each
assessment version's completeness counts, kept when the version is written, so the figures
need not parse every version's JSON. Signed versions cannot be updated (0005's triggers):
theirs stay NULL, and the figures read their JSON instead. Drafts are counted here.

Revision ID: 0010_units
Revises: 0009_referring_side
Create Date: 2026-11-22
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

FIGURE_COLUMNS_0010 = ("case_id", "revision", "status", "signed_at", "signed_by", "suggested_level",
                       "chosen_level", "decision_reason", "care_right", "frist_weeks", "latest_start_date",
                       "ip_status", "rated_domains", "instruments_started", "instruments_scored", "coordinator")

revision = "0010_units"
down_revision = "0009_referring_side"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clinician", sa.Column("unit", sa.String(120), nullable=False, server_default=sa.text("''")))
    for name in ("rated_domains", "instruments_started", "instruments_scored"):
        op.add_column("assessment", sa.Column(name, sa.Integer(), nullable=True))
    _count_drafts()
    # The figures' covering index; the column list is the model's, as it was at 0010.
    op.create_index("ix_assessment_figures", "assessment", list(FIGURE_COLUMNS_0010))


def _counts(answers: dict[str, Any], results: dict[str, Any]) -> dict[str, int]:
    """The counts as tsbplace.storage.models.completeness_counts made them at 0010, copied
    so this migration never changes with the program."""
    return {"rated_domains": sum(1 for given in answers.values()
                                 if isinstance(given, dict) and given.get("rating") is not None),
            "instruments_started": len(results),
            "instruments_scored": sum(1 for result in results.values()
                                      if isinstance(result, dict) and result.get("total") is not None)}


def _count_drafts() -> None:
    connection = op.get_bind()
    assessment = sa.table("assessment", sa.column("id"), sa.column("status"), sa.column("answers", sa.JSON),
                          sa.column("instrument_results", sa.JSON), sa.column("rated_domains"),
                          sa.column("instruments_started"), sa.column("instruments_scored"))
    drafts = connection.execute(sa.select(assessment.c.id, assessment.c.answers, assessment.c.instrument_results)
                                .where(assessment.c.status == "draft")).all()
    for row_id, answers, results in drafts:
        connection.execute(assessment.update().where(assessment.c.id == row_id)
                           .values(**_counts(answers or {}, results or {})))


def downgrade() -> None:
    op.drop_index("ix_assessment_figures", table_name="assessment")
    with op.batch_alter_table("assessment") as batch:
        for name in ("instruments_scored", "instruments_started", "rated_domains"):
            batch.drop_column(name)
    with op.batch_alter_table("clinician") as batch:
        batch.drop_column("unit")
