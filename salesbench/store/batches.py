"""What imports and merges did, so they can be reviewed and undone: the batch, the
values it overwrote or removed, and the records it let in that may be duplicates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from salesbench.core.enums import ChangeAction
from salesbench.store.columns import created_stamp, enum_check, json_dict, moment, updated_stamp
from salesbench.store.types import UTCDateTime


class ImportBatch(SQLModel, table=True):
    """One run of `salesbench import` (or one `customer merge`): what it read, with which
    options, and what it did."""

    __tablename__ = "import_batch"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(max_length=32)  # the kind imported, or "merge"
    source: str = Field(max_length=500)
    format: str = Field(max_length=16)
    rep_id: uuid.UUID | None = Field(default=None, foreign_key="rep.id", ondelete="SET NULL")
    mode: str = Field(max_length=16)
    on_conflict: str = Field(max_length=16)
    # {"created": {"customer": n, ...}, "updated": {...}, "unchanged": n, "skipped": n}
    counts: dict[str, Any] = json_dict()
    # Every row the batch wrote carries this updated_at; a different one means a later edit.
    stamp: datetime = Field(sa_type=UTCDateTime, nullable=False)
    undone_at: datetime | None = moment()
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


_ACTION = Column(
    "action", String(8), nullable=False, server_default=ChangeAction.UPDATE.value, default="update"
)


class ImportChange(SQLModel, table=True):
    """A stored row as it was before a batch changed it (action `update`) or removed it
    (action `delete`, the whole row), so undo can put it back."""

    __tablename__ = "import_change"
    __table_args__ = (enum_check("action", ChangeAction),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    batch_id: uuid.UUID = Field(foreign_key="import_batch.id", index=True, ondelete="CASCADE")
    table_name: str = Field(max_length=32)
    record_id: uuid.UUID
    action: str = Field(default=ChangeAction.UPDATE.value, sa_column=_ACTION)
    before: dict[str, Any] = json_dict()
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


class PossibleDuplicate(SQLModel, table=True):
    """A record let in beside one it resembles (same phone, same name, a shared email):
    kept apart, never merged by itself, listed by `salesbench duplicates` until someone
    merges the two or says they are different."""

    __tablename__ = "possible_duplicate"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    table_name: str = Field(max_length=32)
    record_id: uuid.UUID = Field(index=True)  # the record the batch wrote
    other_id: uuid.UUID = Field(index=True)  # the stored record it resembles
    reason: str = Field(max_length=300)
    batch_id: uuid.UUID | None = Field(
        default=None, foreign_key="import_batch.id", index=True, ondelete="CASCADE"
    )
    # merged | different, and when; unresolved pairs are the review list
    resolution: str | None = Field(default=None, max_length=16)
    resolved_at: datetime | None = moment()
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()
