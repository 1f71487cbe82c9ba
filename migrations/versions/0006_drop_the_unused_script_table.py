"""drop the unused script table

Scripts live in the playbook files; nothing ever wrote a row to `script`, so the
table goes. Downgrading creates it again, empty.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import salesbench.store.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table('script')


def downgrade() -> None:
    op.create_table('script',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_script')),
    sa.UniqueConstraint('key', 'language', name='uq_script_key_language')
    )
