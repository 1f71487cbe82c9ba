"""a source system's id names one record

The source system's id of a customer, contact, deal, task or activity (per source
system; no source is a namespace of its own) becomes unique in the schema, so two
processes importing one record at once cannot both store it. A table that already
holds two records with one such id keeps them, and goes without the index: nothing is
deleted, merged or renamed (`salesbench doctor` lists them).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from salesbench.store.identities import IDENTIFIED, index_name, shared_ids_sql

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for table in IDENTIFIED:
        if bind.execute(sa.text(shared_ids_sql(table))).first() is not None:
            continue  # kept as they are; doctor says which ids are shared
        where = sa.text('external_id IS NOT NULL')
        op.create_index(
            index_name(table),
            table,
            [sa.text("coalesce(external_source, '')"), 'external_id'],
            unique=True,
            sqlite_where=where,
            postgresql_where=where,
        )


def downgrade() -> None:
    for table in reversed(IDENTIFIED):
        op.execute(f'DROP INDEX IF EXISTS {index_name(table)}')
