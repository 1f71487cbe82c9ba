"""What a correction to a logged contact replaced: an edit keeps the fields as they
were, a delete keeps the whole record, so a lead auditing the timeline sees what was
said first and that it was taken back (the activity row itself is gone after a delete,
so every count and rule reads only the contacts that stand)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from salesbench.store.columns import created_stamp, json_dict, one_of, updated_stamp
from salesbench.store.types import UTCDateTime

CHANGE_KINDS = ("edited", "deleted")


class ActivityChange(SQLModel, table=True):
    __tablename__ = "activity_change"
    __table_args__ = (
        CheckConstraint(one_of("kind", *CHANGE_KINDS), name="kind"),
        Index("ix_activity_change_activity", "activity_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    # no foreign key: the activity is gone after a delete, its record lives on here
    activity_id: uuid.UUID
    # a merge moves these with the customer, a purge removes them with it
    customer_id: uuid.UUID = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
    opportunity_id: uuid.UUID | None = Field(
        default=None, foreign_key="opportunity.id", index=True, ondelete="SET NULL"
    )
    kind: str = Field(max_length=8)
    changed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    before: dict[str, Any] = json_dict()
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()
