"""index what the first queue of the day reads

The workbench reads a rep's queue before its first frame. Three of its reads walked
rows they did not need: today's finished tasks went through every task the rep ever
finished (the queue index stops at status), each customer's last cadence contact
read every task of the customer, and each deal's last contact every activity of the
deal. Each index below answers its read from the index alone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 10:45:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_task_finished", "task", ["owner_id", "status", "completed_at"])
    op.create_index("ix_task_customer_origin", "task", ["customer_id", "origin", "completed_at"])
    op.create_index("ix_activity_opportunity_started", "activity", ["opportunity_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_activity_opportunity_started", table_name="activity")
    op.drop_index("ix_task_customer_origin", table_name="task")
    op.drop_index("ix_task_finished", table_name="task")
