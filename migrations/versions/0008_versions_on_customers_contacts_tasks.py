"""versions on customers, contacts and tasks

Customers, contacts and tasks get a version for optimistic concurrency, as deals
have since 0005 (existing rows start at 1): an edit says which version (or which
values) it started from, and a task transition which state, so of two people who
change the same thing at once only the first one lands.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TABLES = ('customer', 'contact', 'task')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('version', sa.Integer(), server_default='1', nullable=False)
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
