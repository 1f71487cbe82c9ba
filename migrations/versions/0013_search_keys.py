"""how each name is spelled in pinyin

Customers, contacts and deals are found by the pinyin of their names and by its
initials (lina, ln -> 李娜). `search_key` holds each distinct name's readings once;
it is derived from the names, filled by the search itself for whatever name it does
not hold yet, so an existing database needs no data step here.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import salesbench.store.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_key",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("spelled", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("initials", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("speller", sa.Integer(), nullable=False),
        sa.Column("created_at", salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_key")),
        sa.UniqueConstraint("text", name=op.f("uq_search_key_text")),
    )


def downgrade() -> None:
    op.drop_table("search_key")
