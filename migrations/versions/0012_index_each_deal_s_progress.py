"""index each deal's progress through its playbook

A forecast of every open deal reads, per deal, which playbook tasks of each stage
are done, skipped or still open. With an index on the deal alone SQLite walked to
every task row for that (136,684 rows for 13,000 deals: 0.6 s); this index answers
it from the index itself, in the deal's order. It replaces the deal-only index, of
which it is a widening: every lookup of a deal's tasks still uses it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 05:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = ["opportunity_id", "origin_kind", "stage_key", "status", "origin"]


def upgrade() -> None:
    op.create_index("ix_task_opportunity_progress", "task", COLUMNS)
    op.drop_index("ix_task_opportunity_id", table_name="task")


def downgrade() -> None:
    op.create_index("ix_task_opportunity_id", "task", ["opportunity_id"])
    op.drop_index("ix_task_opportunity_progress", table_name="task")
