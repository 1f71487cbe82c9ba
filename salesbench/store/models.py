"""The tables: reps, customers, contacts, deals, tasks, activities and their history.

Money columns (`amount`, `annual_purchase`) hold integer minor units (cents) so
sums are exact on every back end. Enumerated columns hold the string values of
salesbench.core.enums; parsing and validation happen in the core before a row
is built. Any change here needs an Alembic revision in migrations/versions.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, Integer, text
from sqlmodel import Field, SQLModel

from salesbench.core.enums import (
    Channel,
    CompletedHow,
    CustomerKind,
    CustomerStatus,
    DecisionRole,
    Grade,
    GradeSetBy,
    OppStatus,
    Role,
    TaskOrigin,
    TaskStatus,
)
from salesbench.core.record_kinds import TABLE_OF_KIND
from salesbench.store.columns import (
    created_stamp,
    custom_fields,
    enum_check,
    external_id,
    external_source,
    import_batch_ref,
    json_dict,
    moment,
    one_of,
    updated_stamp,
)
from salesbench.store.types import JSONOrNull, UTCDateTime


class Rep(SQLModel, table=True):
    __tablename__ = "rep"
    __table_args__ = (enum_check("role", Role),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320, unique=True)
    team: str | None = Field(default=None, max_length=200, index=True)
    region: str | None = Field(default=None, max_length=200)
    branch: str | None = Field(default=None, max_length=200)
    # The rep's working week decides due times and which review fits the moment.
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    workday_start: str = Field(default="09:00", max_length=5)
    workday_end: str = Field(default="18:00", max_length=5)
    workdays: str = Field(default="0,1,2,3,4", max_length=13)  # Monday is 0
    language: str = Field(default="en", max_length=8)
    # a lead's default views and reports cover their team; a rep's, their own book
    role: str = Field(default="rep", max_length=8, sa_column_kwargs={"server_default": "rep"})
    # set by `rep purge`: the row stays so history keeps its author, the person is gone
    departed_at: datetime | None = moment()
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


def _version_column() -> Column[int]:
    """Optimistic concurrency: every ORM update of the row says `WHERE version = <read>`
    and bumps it, so of two people who changed the same version only the first one
    lands (the other gets a Conflict). Core updates bump it themselves."""
    return Column("version", Integer, nullable=False, server_default="1", default=1)


_CUSTOMER_VERSION = _version_column()
_CONTACT_VERSION = _version_column()
_TASK_VERSION = _version_column()


def unique_external_id(table: str) -> Index:
    """A source system's id names one record of the table (a NULL source is a namespace
    of its own, as the importer matches it). Migration 0009 leaves it off a database
    that already held such pairs (doctor says so)."""
    where = text("external_id IS NOT NULL")
    return Index(
        f"uq_{table}_external",
        text("coalesce(external_source, '')"),
        "external_id",
        unique=True,
        sqlite_where=where,
        postgresql_where=where,
    )


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    __table_args__ = (
        enum_check("kind", CustomerKind),
        enum_check("grade", Grade, nullable=True),
        enum_check("grade_set_by", GradeSetBy),
        enum_check("status", CustomerStatus),
        CheckConstraint("annual_purchase IS NULL OR annual_purchase >= 0", name="annual_purchase"),
        unique_external_id("customer"),
    )
    __mapper_args__ = {"version_id_col": _CUSTOMER_VERSION}

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(default="company", max_length=16)
    name: str = Field(max_length=200, index=True)
    number: str | None = Field(default=None, max_length=64, index=True)
    industry: str | None = Field(default=None, max_length=200)
    size: str | None = Field(default=None, max_length=64)
    source_channel: str | None = Field(default=None, max_length=200)
    grade: str | None = Field(default=None, max_length=1)
    grade_set_by: str = Field(default="rule", max_length=8)
    status: str = Field(default="active", max_length=16)
    paused_until: date | None = None
    annual_purchase: int | None = Field(default=None, sa_type=BigInteger)
    # the currency of annual_purchase (None while there is no amount)
    currency: str | None = Field(default=None, max_length=3)
    owner_id: uuid.UUID = Field(foreign_key="rep.id", index=True)
    custom: dict[str, Any] = json_dict()
    external_id: str | None = external_id()
    external_source: str | None = external_source()
    import_batch_id: uuid.UUID | None = import_batch_ref()
    version: int = Field(default=1, sa_column=_CUSTOMER_VERSION)
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (
        enum_check("decision_role", DecisionRole, nullable=True),
        unique_external_id("contact"),
    )
    __mapper_args__ = {"version_id_col": _CONTACT_VERSION}

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    customer_id: uuid.UUID = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200, index=True)
    title: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=320)
    decision_role: str | None = Field(default=None, max_length=16)
    custom: dict[str, Any] = custom_fields()
    external_id: str | None = external_id()
    external_source: str | None = external_source()
    import_batch_id: uuid.UUID | None = import_batch_ref()
    version: int = Field(default=1, sa_column=_CONTACT_VERSION)
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


# Optimistic concurrency: every ORM update of a deal says `WHERE version = <read>` and
# bumps it, so of two people who edited the same version only the first one lands.
_OPPORTUNITY_VERSION = Column("version", Integer, nullable=False, server_default="1", default=1)


class Opportunity(SQLModel, table=True):
    __tablename__ = "opportunity"
    __table_args__ = (
        enum_check("status", OppStatus),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
        Index("ix_opportunity_owner_status", "owner_id", "status"),
        unique_external_id("opportunity"),
    )
    __mapper_args__ = {"version_id_col": _OPPORTUNITY_VERSION}

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    customer_id: uuid.UUID = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    owner_id: uuid.UUID = Field(foreign_key="rep.id")
    title: str = Field(max_length=200)
    playbook_key: str | None = Field(default=None, max_length=64)
    stage_key: str | None = Field(default=None, max_length=64)
    stage_entered_at: datetime | None = moment()
    mode: str | None = Field(default=None, max_length=64)
    amount: int | None = Field(default=None, sa_type=BigInteger)
    currency: str = Field(default="CNY", max_length=3)
    expected_close: date | None = None
    status: str = Field(default="open", max_length=8)
    lost_reason: str | None = Field(default=None, max_length=500)
    closed_at: datetime | None = moment()
    custom: dict[str, Any] = json_dict()
    external_id: str | None = external_id()
    external_source: str | None = external_source()
    import_batch_id: uuid.UUID | None = import_batch_ref()
    version: int = Field(default=1, sa_column=_OPPORTUNITY_VERSION)
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


class Task(SQLModel, table=True):
    __tablename__ = "task"
    __table_args__ = (
        CheckConstraint(
            "opportunity_id IS NOT NULL OR customer_id IS NOT NULL", name="has_subject"
        ),
        enum_check("origin_kind", TaskOrigin),
        enum_check("status", TaskStatus),
        enum_check("completed_how", CompletedHow, nullable=True),
        # The queue's reads: open tasks by due time; finished ones, cadence contacts (0011)
        Index("ix_task_queue", "owner_id", "status", "due_at"),
        Index("ix_task_finished", "owner_id", "status", "completed_at"),
        Index("ix_task_customer_origin", "customer_id", "origin", "completed_at"),
        # each deal's progress through its playbook, read from the index alone (0012);
        # it serves every other lookup of a deal's tasks too
        Index(
            "ix_task_opportunity_progress",
            "opportunity_id",
            "origin_kind",
            "stage_key",
            "status",
            "origin",
        ),
        unique_external_id("task"),
    )
    __mapper_args__ = {"version_id_col": _TASK_VERSION}

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    opportunity_id: uuid.UUID | None = Field(
        default=None, foreign_key="opportunity.id", ondelete="CASCADE"
    )
    customer_id: uuid.UUID | None = Field(
        default=None, foreign_key="customer.id", index=True, ondelete="CASCADE"
    )
    owner_id: uuid.UUID = Field(foreign_key="rep.id")
    origin_kind: str = Field(default="manual", max_length=16)
    origin: str | None = Field(default=None, max_length=128)
    title: str = Field(max_length=300)
    stage_key: str | None = Field(default=None, max_length=64)
    suggested: bool = False
    complaint_id: uuid.UUID | None = Field(
        default=None, foreign_key="complaint.id", ondelete="SET NULL"
    )
    due_at: datetime | None = moment()
    status: str = Field(default="open", max_length=8)
    snoozed_until: datetime | None = moment()
    completed_at: datetime | None = moment(index=True)  # reports count a week's finished
    completed_how: str | None = Field(default=None, max_length=8)
    custom: dict[str, Any] = custom_fields()
    external_id: str | None = external_id()
    external_source: str | None = external_source()
    import_batch_id: uuid.UUID | None = import_batch_ref()
    version: int = Field(default=1, sa_column=_TASK_VERSION)
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


class Activity(SQLModel, table=True):
    """The follow-up record of one contact: what was said, agreed and comes next."""

    __tablename__ = "activity"
    __table_args__ = (
        enum_check("channel", Channel),
        Index("ix_activity_customer_started", "customer_id", "started_at"),
        Index("ix_activity_opportunity_started", "opportunity_id", "started_at"),  # queue
        unique_external_id("activity"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    customer_id: uuid.UUID = Field(foreign_key="customer.id", ondelete="CASCADE")
    opportunity_id: uuid.UUID | None = Field(
        default=None, foreign_key="opportunity.id", index=True, ondelete="SET NULL"
    )
    contact_id: uuid.UUID | None = Field(
        default=None, foreign_key="contact.id", ondelete="SET NULL"
    )
    owner_id: uuid.UUID = Field(foreign_key="rep.id", index=True)
    started_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ended_at: datetime | None = moment()
    channel: str = Field(max_length=16)
    summary: str | None = None
    needs: str | None = None
    objections: str | None = None
    commitments: str | None = None
    next_step_owner: str | None = Field(default=None, max_length=200)
    next_step_date: date | None = None
    next_step_content: str | None = None
    help_needed: str | None = None
    custom: dict[str, Any] = custom_fields()
    external_id: str | None = external_id()
    external_source: str | None = external_source()
    import_batch_id: uuid.UUID | None = import_batch_ref()
    edited_at: datetime | None = moment()  # a correction by hand (store/audit.py)
    # the task ids logging it finished and made ({"finished": [...], "made": [...]});
    # NULL on a contact logged before this was kept, or imported
    set_off: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSONOrNull, nullable=True)
    )
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


class Complaint(SQLModel, table=True):
    """A complaint, with when it was answered and when it was resolved."""

    __tablename__ = "complaint"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    customer_id: uuid.UUID = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    opportunity_id: uuid.UUID | None = Field(
        default=None, foreign_key="opportunity.id", ondelete="SET NULL"
    )
    owner_id: uuid.UUID = Field(foreign_key="rep.id", index=True)
    received_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    complainant: str | None = Field(default=None, max_length=200)
    contact_info: str | None = Field(default=None, max_length=200)
    content: str
    cause_analysis: str | None = None
    resolution: str | None = None
    customer_feedback: str | None = None
    improvement: str | None = None
    responded_at: datetime | None = moment()
    resolved_at: datetime | None = moment()
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


class StageMove(SQLModel, table=True):
    """An opportunity's path through its playbook, for the timeline and reports."""

    __tablename__ = "stage_move"
    __table_args__ = (
        CheckConstraint(one_of("via", "start", "advance", "turnaround", "jump"), name="via"),
        Index("ix_stage_move_opportunity_moved", "opportunity_id", "moved_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    opportunity_id: uuid.UUID = Field(foreign_key="opportunity.id", ondelete="CASCADE")
    rep_id: uuid.UUID = Field(foreign_key="rep.id", index=True)
    from_stage: str | None = Field(default=None, max_length=64)
    to_stage: str = Field(max_length=64)
    via: str = Field(default="advance", max_length=16)
    answer: str | None = Field(default=None, max_length=3)
    moved_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


class Handover(SQLModel, table=True):
    """A customer passed from one rep to another, with their deals and open tasks
    (all of them, so nothing is lost on the way); shown in the customer's timeline."""

    __tablename__ = "handover"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    customer_id: uuid.UUID = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    from_rep_id: uuid.UUID = Field(foreign_key="rep.id", index=True)
    to_rep_id: uuid.UUID = Field(foreign_key="rep.id", index=True)
    handed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    opportunities: int = 0
    tasks: int = 0
    note: str | None = None
    created_at: datetime = created_stamp()
    updated_at: datetime = updated_stamp()


# Defined beside the records they belong to, listed here with the rest.
from salesbench.store.audit import ActivityChange as ActivityChange  # noqa: E402
from salesbench.store.batches import ImportBatch as ImportBatch  # noqa: E402
from salesbench.store.batches import ImportChange as ImportChange  # noqa: E402
from salesbench.store.batches import PossibleDuplicate as PossibleDuplicate  # noqa: E402
from salesbench.store.playbook_files import PlaybookFile as PlaybookFile  # noqa: E402
from salesbench.store.reach import Address as Address  # noqa: E402
from salesbench.store.reach import ContactPoint as ContactPoint  # noqa: E402
from salesbench.store.search_keys import SearchKey as SearchKey  # noqa: E402

metadata = SQLModel.metadata

# Every table's model by name: the one map importers, exporters and the demo look in.
TABLES: dict[str, type[SQLModel]] = {
    str(model.__tablename__): model
    for model in (
        Rep,
        Customer,
        Contact,
        Opportunity,
        Task,
        Activity,
        Complaint,
        StageMove,
        Handover,
        PlaybookFile,
        ContactPoint,
        Address,
        ImportBatch,
        ImportChange,
        PossibleDuplicate,
    )
}
# Records as the import and export commands name them (plural), by table.
KINDS = TABLE_OF_KIND
