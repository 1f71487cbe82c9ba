"""workday, stage moves, playbooks

Reps get a working week and language; tasks remember their stage, whether they
are only suggested, and the complaint they answer; opportunities get a stage
history; teams can import their own playbooks. New NOT NULL columns carry server
defaults so existing rows upgrade in place.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:14:13.716256
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import salesbench.store.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('playbook',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playbook')),
    sa.UniqueConstraint('key', 'language', name='uq_playbook_key_language')
    )
    op.create_table('stage_move',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('opportunity_id', sa.Uuid(), nullable=False),
    sa.Column('rep_id', sa.Uuid(), nullable=False),
    sa.Column('from_stage', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('to_stage', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('via', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
    sa.Column('moved_at', salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("via IN ('start', 'advance', 'turnaround', 'jump')", name=op.f('ck_stage_move_via')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_stage_move_opportunity_id_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rep_id'], ['rep.id'], name=op.f('fk_stage_move_rep_id_rep')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_move'))
    )
    with op.batch_alter_table('stage_move', schema=None) as batch_op:
        batch_op.create_index('ix_stage_move_opportunity_moved', ['opportunity_id', 'moved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_move_rep_id'), ['rep_id'], unique=False)

    with op.batch_alter_table('rep', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=sa.text("'Asia/Shanghai'")))
        batch_op.add_column(sa.Column('workday_start', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False, server_default=sa.text("'09:00'")))
        batch_op.add_column(sa.Column('workday_end', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False, server_default=sa.text("'18:00'")))
        batch_op.add_column(sa.Column('workdays', sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False, server_default=sa.text("'0,1,2,3,4'")))
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default=sa.text("'en'")))

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('suggested', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('complaint_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_task_complaint_id_complaint'), 'complaint', ['complaint_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_complaint_id_complaint'), type_='foreignkey')
        batch_op.drop_column('complaint_id')
        batch_op.drop_column('suggested')
        batch_op.drop_column('stage_key')

    with op.batch_alter_table('rep', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('workdays')
        batch_op.drop_column('workday_end')
        batch_op.drop_column('workday_start')
        batch_op.drop_column('timezone')

    with op.batch_alter_table('stage_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_move_rep_id'))
        batch_op.drop_index('ix_stage_move_opportunity_moved')

    op.drop_table('stage_move')
    op.drop_table('playbook')
