"""Planning an import: the planner that resolves references, matches rows against
stored records and collects inserts and updates (options and report are in
import_options). The per-kind planning lives in import_people and import_deals."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from salesbench.core import import_identity as matching
from salesbench.core import importing as im
from salesbench.core import reach
from salesbench.core.errors import BadInput, SalesbenchError
from salesbench.core.settings import CURRENCY_ENV
from salesbench.services.import_options import ImportConflicts as ImportConflicts
from salesbench.services.import_options import ImportOptions as ImportOptions
from salesbench.services.import_options import ImportProblems as ImportProblems
from salesbench.services.import_options import Report as Report
from salesbench.services.import_owners import OwnerResolution
from salesbench.store import models as m
from salesbench.store.bulk import new_ids
from salesbench.store.staging import Staging

Progress = Callable[[str, int, int], None]  # phase, advance, total
CHUNK = 5_000
LOST_UNKNOWN = "not recorded (imported)"
CURRENCY_FROM = f"team default, {CURRENCY_ENV}"  # said of amounts read in it


def zone_named(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(
            f"unknown timezone {name!r} (e.g. Asia/Shanghai)", field="--timezone"
        ) from None


def _defaults(model: Any) -> dict[str, Any]:
    """Column values a new row gets when the file says nothing (Core skips pydantic's)."""
    from pydantic_core import PydanticUndefined

    values: dict[str, Any] = {}
    for column in model.__table__.columns:
        info = model.model_fields.get(column.name)
        if info is None:
            continue
        if info.default_factory is dict:
            values[column.name] = {}
        elif info.default is not PydanticUndefined:
            values[column.name] = info.default
    return values


MODELS = {
    t: m.TABLES[t]
    for t in ("customer", "contact", "contact_point", "address", "opportunity", "activity", "task")
}
# Columns an import may set on a matched record (never ids, owners or stamps).
UPDATABLE = {
    "customer": (
        {*im.field_specs("customers", UTC, None)}
        - set(im.CUSTOMER_CONTACT)
        - set(reach.ADDRESS_COLUMNS)
    )
    | {"custom", "grade_set_by"},
    # phone and email are the first contact points: import_reach sets them
    "contact": {"name", "title", "decision_role", "external_id", "external_source", "custom"},
    # Stage and playbook change through `opp move`, which runs the SOP; not by import.
    "opportunity": {*im.field_specs("opportunities", UTC, None), "closed_at", "custom"}
    - {"playbook_key"},
    "activity": {*im.field_specs("activities", UTC, None), "custom"},
    "task": {*im.field_specs("tasks", UTC, None), "completed_how", "custom"},
}


def batch_stamp(conn: Connection, now: datetime) -> datetime:
    """The updated_at of every row the batch writes: its mark, by which undo tells
    the batch's rows from rows edited since. Under a pinned clock two batches would
    share the instant, so a batch stamps just after the newest stamp there is."""
    from sqlalchemy import func, select

    table = m.ImportBatch.__table__  # type: ignore[attr-defined]
    newest: datetime | None = conn.execute(select(func.max(table.c.stamp))).scalar()
    if newest is not None and newest >= now:
        return newest + timedelta(microseconds=1)
    return now


class Planner(OwnerResolution):
    """Plans one file: resolves references, matches rows, collects inserts and updates."""

    def __init__(self, session: Session, sheet: im.Sheet, options: ImportOptions, now: datetime):
        self.session = session
        self.conn: Connection = session.connection()
        self.sheet = sheet
        self.options = options
        self.now = now
        self.stamp = batch_stamp(self.conn, now)
        self.batch_id = uuid.uuid4()
        self.batch_written = False  # its import_batch row, before the first rows
        self.problems: list[im.Problem] = []
        self.starts: list[uuid.UUID] = []  # new deals to put on their playbook
        self.conflicts: list[im.Problem] = []
        self.inserts: dict[str, list[dict[str, Any]]] = {t: [] for t in MODELS}
        self.updates: list[tuple[str, uuid.UUID, dict[str, Any], dict[str, Any]]] = []
        # possible_duplicate rows: (table, the new record, its look-alike, why)
        self.lookalikes: list[tuple[str, uuid.UUID, uuid.UUID, str]] = []
        self.report: Report = Report(options.kind, sheet.source, options.dry_run)
        self.defaults = {t: _defaults(model) for t, model in MODELS.items()}
        # a new deal's currency when its row names none: the file's, not the model's CNY
        self.defaults["opportunity"]["currency"] = options.currency or options.default_currency
        self.read_reps()
        self.default_owner: uuid.UUID | None = None
        self.ids: list[uuid.UUID] = []
        self.columns: im.ColumnMap | None = None
        self.catalog: Any = None
        self.customers: matching.Index | None = None
        self.customer_owner: dict[uuid.UUID, uuid.UUID] = {}
        self.people: dict[uuid.UUID, set[str]] = {}
        self.persons: dict[str, Any] | None = None  # person-customers by their contact
        self.parent_made: matching.Known | None = None  # the company made for this row
        # a deal's customer and owner, by deal id
        self.opp_parent: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = {}
        self.reach: Any = None  # what import_reach has read of stored points and addresses
        # where the planned rows wait for the write (SQLite), else they go in self.conn
        self.staging: Staging | None = None
        self.labels: dict[uuid.UUID, str] = {}  # the stored records updated, by id

    # ------------------------------------------------------------ lookups

    def zone(self) -> tzinfo:
        if self.options.timezone:
            return zone_named(self.options.timezone)
        try:
            return zone_named(self.rep_zone[self.acting()])
        except SalesbenchError:
            return UTC

    def problem(self, row: im.Row, column: str | None, message: str) -> None:
        self.problems.append(im.Problem(self.sheet.source, row.line, column, message))

    def column(self, name: str) -> str:
        for index, ours in (self.columns.fields if self.columns else {}).items():
            if ours == name:
                return self.sheet.header[index]
        return name

    def table(self, name: str) -> Any:
        return MODELS[name].__table__  # type: ignore[attr-defined]

    def stored(self, table_name: str) -> Iterator[Any]:
        table = self.table(table_name)
        return iter(self.conn.execute(select(table).where(self.before(table))))

    def before(self, table: Any) -> Any:
        """A where-clause keeping the rows stored before this import: a lookup made
        after the first chunk is written must not see the batch's own rows."""
        column = table.c.import_batch_id
        return or_(column.is_(None), column != self.batch_id)

    # ------------------------------------------------------------ matching

    def index(
        self,
        table_name: str,
        identity: Callable[[Any], dict[str, set[str]]],
        label: Callable[[Any], str],
        scope: Callable[[Any], Any] = lambda r: None,
    ) -> matching.Index:
        index = matching.Index()
        updatable = UPDATABLE[table_name]
        for r in self.stored(table_name):
            values = {
                k: v
                for k, v in r._mapping.items()
                if k in updatable or k in ("updated_at", "version")
            }
            index.add(matching.Known(r.id, label(r), values, identity(r), scope=scope(r)))
        return index

    def source(self, row: im.Row) -> str | None:
        """The system the row's external ids belong to: its external_source column if
        the file has one, else the preset the file was read with (else none)."""
        mapped = self.columns is not None and "external_source" in self.columns.fields.values()
        if mapped:
            return row.values.get("external_source") or None
        return self.columns.preset if self.columns else None

    def ext(self, row: im.Row, external_id: str | None) -> str | None:
        return matching.ext_key(self.source(row), external_id)

    def sourced(self, row: im.Row, values: dict[str, Any]) -> dict[str, Any]:
        """`values` with external_source set beside the external id they carry."""
        if values.get("external_id") or "external_source" in values:
            values["external_source"] = self.source(row)
        return values

    def decide(
        self,
        index: matching.Index,
        row: im.Row,
        identity: dict[str, set[str]],
        values: dict[str, Any],
        table_name: str,
        scope: Any = None,
    ) -> matching.Decision:
        decision = matching.decide(
            index,
            identity,
            values,
            mode=self.options.mode,
            on_conflict=self.options.on_conflict,
            on_duplicate=self.options.on_duplicate,
            updatable=UPDATABLE[table_name],
            scope=scope,
        )
        if decision.verb == "skip":
            self.report.skipped.append((row.line, decision.reason))
        elif decision.lookalike:
            self.report.duplicates.append((row.line, decision.reason))
        elif decision.verb == "conflict":
            self.conflicts.append(im.Problem(self.sheet.source, row.line, None, decision.reason))
        elif decision.verb == "unchanged":
            self.report.unchanged += 1
        return decision

    def lookalike(self, table_name: str, decision: matching.Decision, record_id: uuid.UUID) -> None:
        """Store a created record's look-alike, for `salesbench duplicates`."""
        if decision.lookalike and decision.known is not None:
            reason = f"same {matching.KEY_LABEL.get(decision.key or '', decision.key)}"
            self.lookalikes.append((table_name, record_id, decision.known.id, reason))

    def update(self, table_name: str, known: matching.Known, changes: dict[str, Any]) -> None:
        before = {k: known.values.get(k) for k in changes}
        before["updated_at"] = known.values["updated_at"]
        if "version" in known.values:  # undo puts the row back exactly, version too
            before["version"] = known.values["version"]
        self.updates.append((table_name, known.id, changes, before))
        if known.label:
            self.labels.setdefault(known.id, known.label)
        known.values.update(changes)
        self.report.updated[table_name] = self.report.updated.get(table_name, 0) + 1

    def ext_taken(
        self,
        table_name: str,
        index: matching.Index,
        row: im.Row,
        ident: dict[str, set[str]],
        known: matching.Known,
    ) -> bool:
        """Whether the source id the row gives the record it matched (by id) is another
        stored record's: a problem of the file (exit 2), not a race with another process."""
        for value in sorted(ident.get("ext") or ()):
            other = next((k for k in index.hits("ext", value) if k.id != known.id), None)
            if other is not None:
                what = table_name.replace("_", " ")
                held = f"{what} {other.label!r}" if other.label else f"another {what}"
                self.problem(row, self.column("external_id"), f"{held} has that source id")
                return True
        return False

    def label_of(self, table_name: str, record_id: uuid.UUID) -> str:
        label = self.labels.get(record_id)
        what = table_name.replace("_", " ")
        return f"{what} {label!r}" if label else f"{what} {str(record_id)[:8]}"

    def create(self, table_name: str, values: dict[str, Any]) -> dict[str, Any]:
        row = {
            **self.defaults[table_name],
            **values,
            "import_batch_id": self.batch_id,
            "created_at": values.get("created_at") or self.stamp,  # as exported, if it was
            "updated_at": self.stamp,
        }
        if "id" not in row:
            row["id"] = self.next_id()
        self.inserts[table_name].append(row)
        self.report.created[table_name] = self.report.created.get(table_name, 0) + 1
        return row

    @staticmethod
    def ident(**keys: Any) -> dict[str, set[str]]:
        return {k: {v} for k, v in keys.items() if v}

    def given_id(self, row: im.Row) -> str | None:
        return row.refs.get("id")

    def new_id(self, row: im.Row) -> uuid.UUID:
        given = self.given_id(row)
        return uuid.UUID(given) if given else self.next_id()

    def next_id(self) -> uuid.UUID:
        if not self.ids:
            self.ids = new_ids(max(1024, min(CHUNK, len(self.sheet.rows))))
        return self.ids.pop()

    def apply(
        self,
        table_name: str,
        index: matching.Index,
        row: im.Row,
        ident: dict[str, set[str]],
        values: dict[str, Any],
        record: dict[str, Any],
        label: str,
        scope: Any = None,
        derived: dict[str, Any] | None = None,
    ) -> matching.Decision:
        """Create or update as decided; a created record joins the index for later rows.
        `derived` values (defaults the row implies, such as when a done task was done)
        are not compared: a new record gets them, an update only where none is stored."""
        decision = self.decide(index, row, ident, values, table_name, scope)
        if decision.verb == "create":
            created = self.create(
                table_name, {**values, **(derived or {}), "id": self.new_id(row), **record}
            )
            self.lookalike(table_name, decision, created["id"])
            index.add(matching.Known(created["id"], label, {}, ident, line=row.line, scope=scope))
            decision.record_id = created["id"]
        elif (
            decision.verb == "update"
            and decision.known
            and self.ext_taken(table_name, index, row, ident, decision.known)
        ):
            decision.verb = "problem"
        elif decision.verb == "update" and decision.known:
            stored = decision.known.values
            implied = {k: v for k, v in (derived or {}).items() if stored.get(k) is None}
            self.update(table_name, decision.known, {**implied, **decision.changes})
        if decision.verb in ("update", "unchanged") and decision.known:
            decision.record_id = decision.known.id
        return decision
