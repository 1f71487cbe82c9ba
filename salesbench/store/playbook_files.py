"""The team's own playbook files, kept in the database beside the bundled ones."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from salesbench.store.columns import created_stamp, updated_stamp


class PlaybookFile(SQLModel, table=True):
    """A playbook imported by the team; it overrides a bundled one of the same key."""

    __tablename__ = "playbook"
    __table_args__ = (UniqueConstraint("key", "language", name="uq_playbook_key_language"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    key: str = Field(max_length=64)
    language: str = Field(max_length=16)
    name: str = Field(max_length=200)
    version: str = Field(max_length=32)
    source: str
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()
