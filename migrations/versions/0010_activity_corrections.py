"""corrections to logged contacts

A logged contact can be edited and deleted by hand: `activity.edited_at` says when it
was last corrected, `activity.set_off` which tasks logging it finished and made (NULL
for the contacts logged before: what they set off was not kept), and `activity_change` keeps what each correction replaced (the
fields before an edit, the whole record on a delete), so nothing a rep logged is lost
without a trace. Existing contacts were never edited (NULL).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import salesbench.store.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("edited_at", salesbench.store.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("set_off", JSON_TYPE, nullable=True))
    op.create_table(
        "activity_change",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("opportunity_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("changed_at", salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("before", JSON_TYPE, nullable=False),
        sa.Column("created_at", salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", salesbench.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'edited' OR kind = 'deleted')", name=op.f("ck_activity_change_kind")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_activity_change_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_activity_change_opportunity_id_opportunity"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_change")),
    )
    with op.batch_alter_table("activity_change", schema=None) as batch_op:
        batch_op.create_index("ix_activity_change_activity", ["activity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_activity_change_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_activity_change_opportunity_id"), ["opportunity_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("activity_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_change_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_activity_change_customer_id"))
        batch_op.drop_index("ix_activity_change_activity")
    op.drop_table("activity_change")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("set_off")
        batch_op.drop_column("edited_at")
