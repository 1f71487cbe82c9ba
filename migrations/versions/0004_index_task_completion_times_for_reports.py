"""index task completion times for reports

The weekly report and the leaderboard count tasks finished within a week; without
an index each of them read the whole task table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:45:49.500126
"""

from __future__ import annotations

from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f('ix_task_completed_at'), 'task', ['completed_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_task_completed_at'), table_name='task')
