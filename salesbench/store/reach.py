"""How people are reached: every phone and email of a contact, and the postal
addresses of customers and contacts.

`contact.phone` and `contact.email` stay as the first phone and email (what lists,
search and the queue show); the rows here are the whole list, in the order given."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from salesbench.core.enums import AddressKind, PointKind, PointLabel
from salesbench.store.columns import created_stamp, enum_check, import_batch_ref, updated_stamp


class ContactPoint(SQLModel, table=True):
    __tablename__ = "contact_point"
    __table_args__ = (
        enum_check("kind", PointKind),
        enum_check("label", PointLabel),
        Index("ix_contact_point_contact_position", "contact_id", "position"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contact_id: uuid.UUID = Field(foreign_key="contact.id", ondelete="CASCADE")
    kind: str = Field(max_length=8)
    label: str = Field(default=PointLabel.OTHER.value, max_length=8)
    value: str = Field(max_length=320)
    position: int = 0
    import_batch_id: uuid.UUID | None = import_batch_ref()
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


class Address(SQLModel, table=True):
    __tablename__ = "address"
    __table_args__ = (
        enum_check("kind", AddressKind),
        # an address belongs to a customer or to one of its contacts, not both
        CheckConstraint("(customer_id IS NULL) <> (contact_id IS NULL)", name="one_owner"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    customer_id: uuid.UUID | None = Field(
        default=None, foreign_key="customer.id", index=True, ondelete="CASCADE"
    )
    contact_id: uuid.UUID | None = Field(
        default=None, foreign_key="contact.id", index=True, ondelete="CASCADE"
    )
    kind: str = Field(default=AddressKind.OTHER.value, max_length=8)
    street: str | None = Field(default=None, max_length=500)
    city: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=200)  # state, province
    postcode: str | None = Field(default=None, max_length=32)
    country: str | None = Field(default=None, max_length=100)
    position: int = 0
    import_batch_id: uuid.UUID | None = import_batch_ref()
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()
