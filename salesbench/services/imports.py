"""`salesbench import`: plan every row against what is stored, then write it all at once.

Reading and checking happen before the first write; the write is one transaction
of SQLAlchemy Core statements (an ORM object per row would be twenty times
slower), recorded as an import batch that `undo_batch` can take back.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from salesbench.core import import_identity as matching
from salesbench.core import import_values
from salesbench.core import importing as im
from salesbench.core.errors import BadInput, Conflict, SalesbenchError
from salesbench.core.grading import apply_customer_rules
from salesbench.core.opportunities import apply_opportunity_rules
from salesbench.store import models as m
from salesbench.store import rowcodec
from salesbench.store.bulk import insert_rows, new_ids
from salesbench.store.engine import Store

Progress = Callable[[str, int, int], None]  # phase, advance, total
CHUNK = 5_000
LOST_UNKNOWN = "not recorded (imported)"


class ImportProblems(BadInput):
    """Rows that cannot be imported; nothing was written."""

    def __init__(self, source: str, problems: list[im.Problem]) -> None:
        self.source, self.problems = source, problems
        n = len(problems)
        super().__init__(f"{source}: {n:,} problem{'s' * (n != 1)}; nothing was imported")


class ImportConflicts(Conflict):
    """Rows that match stored records under --on-conflict fail; nothing was written."""

    def __init__(self, source: str, problems: list[im.Problem]) -> None:
        self.source, self.problems = source, problems
        n = len(problems)
        super().__init__(
            f"{source}: {n:,} row{'s' * (n != 1)} match stored records (--on-conflict fail); "
            "nothing was imported"
        )


@dataclass
class ImportOptions:
    kind: str
    mode: str = "create"
    on_conflict: str = "skip"
    preset: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    skip: list[str] = field(default_factory=list)
    strict: bool = False
    dry_run: bool = False
    rep: str | None = None
    timezone: str | None = None
    date_format: str | None = None
    playbook: str | None = None
    format: str = "csv"


@dataclass
class Report:
    kind: str
    source: str
    dry_run: bool
    preset: str | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    custom_columns: list[str] = field(default_factory=list)
    skipped_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    batch_id: uuid.UUID | None = None

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "dry_run": self.dry_run,
            "preset": self.preset,
            "batch": str(self.batch_id) if self.batch_id else None,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"line": n, "reason": r} for n, r in self.skipped],
            "possible_duplicates": [{"line": n, "reason": r} for n, r in self.duplicates],
            "custom_columns": self.custom_columns,
            "ignored_columns": self.skipped_columns,
            "notes": self.notes,
        }


def _zone(name: str) -> tzinfo:
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


MODELS = {t: m.TABLES[t] for t in ("customer", "contact", "opportunity", "activity", "task")}
# Columns an import may set on a matched record (never ids, owners or stamps).
UPDATABLE = {
    "customer": ({*im.field_specs("customers", UTC, None)} - set(im.CUSTOMER_CONTACT))
    | {"custom", "grade_set_by"},
    "contact": {"name", "title", "phone", "email", "decision_role", "external_id", "custom"},
    # Stage and playbook change through `opp move`, which runs the SOP; not by import.
    "opportunity": {*im.field_specs("opportunities", UTC, None), "closed_at", "custom"}
    - {"playbook_key"},
    "activity": {*im.field_specs("activities", UTC, None), "custom"},
    "task": {*im.field_specs("tasks", UTC, None), "completed_how", "custom"},
}


def _batch_stamp(conn: Connection, now: datetime) -> datetime:
    """The updated_at of every row the batch writes: its mark, by which undo tells
    the batch's rows from rows edited since. Under a pinned clock two batches would
    share the instant, so a batch stamps just after the newest stamp there is."""
    from sqlalchemy import func, select

    table = m.ImportBatch.__table__  # type: ignore[attr-defined]
    newest = conn.execute(select(func.max(table.c.stamp))).scalar()
    if newest is not None and newest >= now:
        return newest + timedelta(microseconds=1)
    return now


class _Planner:
    """Plans one file: resolves references, matches rows, collects inserts and updates."""

    def __init__(self, session: Session, sheet: im.Sheet, options: ImportOptions, now: datetime):
        self.session = session
        self.conn: Connection = session.connection()
        self.sheet = sheet
        self.options = options
        self.now = now
        self.stamp = _batch_stamp(self.conn, now)
        self.batch_id = uuid.uuid4()
        self.problems: list[im.Problem] = []
        self.conflicts: list[im.Problem] = []
        self.inserts: dict[str, list[dict[str, Any]]] = {t: [] for t in MODELS}
        self.updates: list[tuple[str, uuid.UUID, dict[str, Any], dict[str, Any]]] = []
        self.report = Report(options.kind, sheet.source, options.dry_run)
        self.defaults = {t: _defaults(model) for t, model in MODELS.items()}
        self._reps()
        self._default_owner: uuid.UUID | None = None
        self._ids: list[uuid.UUID] = []
        self.columns: im.ColumnMap | None = None
        self._catalog: Any = None
        self._customers: matching.Index | None = None
        self._customer_owner: dict[uuid.UUID, uuid.UUID] = {}
        self._people: dict[uuid.UUID, set[str]] = {}

    # ------------------------------------------------------------ lookups

    def _reps(self) -> None:
        self.reps: dict[str, uuid.UUID] = {}
        self.rep_zone: dict[uuid.UUID, str] = {}
        self.rep_language: dict[uuid.UUID, str] = {}
        table = m.Rep.__table__  # type: ignore[attr-defined]
        for r in self.conn.execute(
            select(table.c.id, table.c.name, table.c.email, table.c.timezone, table.c.language)
        ):
            for key in (str(r.id), r.id.hex, r.email.casefold(), r.name.casefold()):
                self.reps.setdefault(key, r.id)
            self.rep_zone[r.id] = r.timezone
            self.rep_language[r.id] = r.language

    def acting(self) -> uuid.UUID:
        if self._default_owner is None:
            from salesbench.services.reps import acting_rep

            self._default_owner = acting_rep(self.session, self.options.rep).id
        return self._default_owner

    def zone(self) -> tzinfo:
        if self.options.timezone:
            return _zone(self.options.timezone)
        try:
            return _zone(self.rep_zone[self.acting()])
        except SalesbenchError:
            return UTC

    def owner(self, row: im.Row, fallback: uuid.UUID | None) -> uuid.UUID | None:
        ref = row.refs.get("owner")
        if ref:
            found = self.reps.get(ref.casefold()) or self.reps.get(ref.replace("-", "").lower())
            if found is None:
                self.problem(
                    row,
                    self.column("owner"),
                    f"no rep {ref!r} (add them with `salesbench rep add`, or --skip the column)",
                )
            return found
        if fallback is not None:
            return fallback
        try:
            return self.acting()
        except SalesbenchError as exc:
            self.problem(row, self.column("owner"), str(exc))
            return None

    def problem(self, row: im.Row, column: str | None, message: str) -> None:
        self.problems.append(im.Problem(self.sheet.source, row.line, column, message))

    def column(self, name: str) -> str:
        for index, ours in (self.columns.fields if self.columns else {}).items():
            if ours == name:
                return self.sheet.header[index]
        return name

    def _table(self, name: str) -> Any:
        return MODELS[name].__table__  # type: ignore[attr-defined]

    def stored(self, table_name: str) -> Iterator[Any]:
        return iter(self.conn.execute(select(self._table(table_name))))

    # ------------------------------------------------------------ the run

    def run(self, progress: Progress | None) -> Report:
        kind = self.options.kind
        self.columns, problems = im.map_columns(
            kind,
            self.sheet,
            preset=self.options.preset,
            mapping=self.options.mapping,
            skip=self.options.skip,
            strict=self.options.strict,
        )
        self.report.preset = self.columns.preset
        self.report.custom_columns = [self.sheet.header[i] for i in self.columns.custom]
        self.report.skipped_columns = self.columns.skipped
        self.problems.extend(self.sheet.problems + problems)
        if self.problems:
            raise ImportProblems(self.sheet.source, self.problems)
        total = len(self.sheet.rows)
        tick = (lambda n: progress("checking", n, total)) if progress else None
        rows, problems = im.parse_rows(
            kind,
            self.sheet,
            self.columns,
            zone=self.zone(),
            date_format=self.options.date_format,
            progress=tick,
        )
        self.problems.extend(problems)
        getattr(self, f"_plan_{kind}")(_ticking(rows, progress, "matching"))
        self.problems.sort(key=lambda p: p.line)
        if self.problems:
            raise ImportProblems(self.sheet.source, self.problems)
        if self.conflicts:
            raise ImportConflicts(self.sheet.source, self.conflicts)
        if not self.options.dry_run and self.report.changed:
            self._write(progress)
        return self.report

    # ------------------------------------------------------------ matching

    def _index(
        self,
        table_name: str,
        identity: Callable[[Any], dict[str, set[str]]],
        label: Callable[[Any], str],
    ) -> matching.Index:
        index = matching.Index()
        updatable = UPDATABLE[table_name]
        for r in self.stored(table_name):
            values = {k: v for k, v in r._mapping.items() if k in updatable or k == "updated_at"}
            index.add(matching.Known(r.id, label(r), values, identity(r)))
        return index

    def _decide(
        self,
        index: matching.Index,
        row: im.Row,
        identity: dict[str, set[str]],
        values: dict[str, Any],
        table_name: str,
    ) -> matching.Decision:
        decision = matching.decide(
            index,
            identity,
            values,
            mode=self.options.mode,
            on_conflict=self.options.on_conflict,
            updatable=UPDATABLE[table_name],
        )
        if decision.verb == "skip":
            self.report.skipped.append((row.line, decision.reason))
        elif decision.verb == "duplicate":
            self.report.duplicates.append((row.line, decision.reason))
        elif decision.verb == "conflict":
            self.conflicts.append(im.Problem(self.sheet.source, row.line, None, decision.reason))
        elif decision.verb == "unchanged":
            self.report.unchanged += 1
        return decision

    def _update(self, table_name: str, known: matching.Known, changes: dict[str, Any]) -> None:
        before = {k: known.values.get(k) for k in changes}
        before["updated_at"] = known.values["updated_at"]
        self.updates.append((table_name, known.id, changes, before))
        known.values.update(changes)
        self.report.updated[table_name] = self.report.updated.get(table_name, 0) + 1

    def _create(self, table_name: str, values: dict[str, Any]) -> dict[str, Any]:
        row = {
            **self.defaults[table_name],
            **values,
            "import_batch_id": self.batch_id,
            "created_at": self.stamp,
            "updated_at": self.stamp,
        }
        if "id" not in row:
            row["id"] = self._next_id()
        self.inserts[table_name].append(row)
        self.report.created[table_name] = self.report.created.get(table_name, 0) + 1
        return row

    @staticmethod
    def _ident(**keys: Any) -> dict[str, set[str]]:
        return {k: {v} for k, v in keys.items() if v}

    def _given_id(self, row: im.Row) -> str | None:
        return row.refs.get("id")

    def _new_id(self, row: im.Row) -> uuid.UUID:
        given = self._given_id(row)
        return uuid.UUID(given) if given else self._next_id()

    def _next_id(self) -> uuid.UUID:
        if not self._ids:
            self._ids = new_ids(max(1024, len(self.sheet.rows)))
        return self._ids.pop()

    # ------------------------------------------------------------ customers (as parents)

    def _customer_index(self) -> matching.Index:
        if self._customers is not None:
            return self._customers
        contacts: dict[uuid.UUID, dict[str, set[str]]] = {}
        for c in self.stored("contact"):
            ident = contacts.setdefault(
                c.customer_id, {"email": set(), "phone": set(), "people": set()}
            )
            if c.email:
                ident["email"].add(matching.norm_email(c.email))
            if c.phone:
                ident["phone"].add(matching.norm_phone(c.phone))
            ident["people"].add(matching.norm_name(c.name))

        def identity(r: Any) -> dict[str, set[str]]:
            self._customer_owner[r.id] = r.owner_id  # gathered in the same pass
            ident = self._ident(
                id=str(r.id), external_id=r.external_id, natural=matching.norm_name(r.name)
            )
            extra = contacts.get(r.id, {})
            ident["email"] = set(extra.get("email", ()))
            ident["phone"] = set(extra.get("phone", ()))
            return ident

        self._customers = self._index("customer", identity, lambda r: r.name)
        self._people = {cid: ident["people"] for cid, ident in contacts.items()}
        return self._customers

    def _parent(self, row: im.Row, *, create: bool) -> tuple[uuid.UUID, uuid.UUID] | None:
        """The row's customer (id, owner); by id, external id or name; created if allowed."""
        index = self._customer_index()
        given_id, ext, name = (
            row.refs.get("customer_id"),
            row.refs.get("customer_external_id"),
            row.refs.get("customer"),
        )
        if ext:
            ext = ext.split(";")[0].strip()  # HubSpot lists several associated ids
        for key, value, label in (
            ("id", given_id, "customer_id"),
            ("external_id", ext, "customer_external_id"),
            ("natural", name and matching.norm_name(name), "customer"),
        ):
            if not value:
                continue
            found = index.find({key: {value}})
            if found is not None:
                known = found[0]
                return known.id, self._customer_owner[known.id]
            if key != "natural" and not (create and name):
                self.problem(
                    row,
                    self.column(label),
                    f"no customer with that {key.replace('_', ' ')} (import the customers first)",
                )
                return None
        if not create:
            if name:
                self.problem(row, self.column("customer"), "no customer of that name")
            else:
                self.problem(
                    row,
                    None,
                    "names no customer (customer, customer_id or customer_external_id column)",
                )
            return None
        # A contact or deal for a company we do not have yet: create the company.
        customer_name = name or row.values.get("name")
        owner = self.owner(row, None)
        if owner is None or not customer_name:
            if not customer_name:
                self.problem(row, None, "names no customer")
            return None
        values = apply_customer_rules({}, {"name": customer_name[:200]})
        if not name:
            values["kind"] = "person"  # a person on their own is a retail customer
        created = self._create(
            "customer", {**values, "owner_id": owner, "external_id": ext or None}
        )
        index.add(
            matching.Known(
                created["id"],
                customer_name,
                {},
                self._ident(
                    id=str(created["id"]),
                    external_id=ext,
                    natural=matching.norm_name(customer_name),
                ),
                line=row.line,
            )
        )
        self._customer_owner[created["id"]] = owner
        self._people[created["id"]] = set()
        return created["id"], owner

    # ------------------------------------------------------------ per kind

    def _plan_customers(self, rows: Iterable[im.Row]) -> None:
        index = self._customer_index()
        mapped = set(self.columns.fields.values()) if self.columns else set()
        contact_cols = set(im.CUSTOMER_CONTACT) & mapped  # most customer lists have none
        contact: dict[str, Any] = {}
        for row in rows:
            if contact_cols:
                contact = {k: row.values.pop(k) for k in list(row.values) if k in contact_cols}
                if contact.get("contact_name"):
                    contact["name"] = contact.pop("contact_name")
            values = row.values  # each row is planned once: no copy needed
            if row.custom:
                values["custom"] = row.custom
            identity = {"natural": {matching.norm_name(values["name"])}}
            if row.refs.get("id"):
                identity["id"] = {row.refs["id"]}
            if values.get("external_id"):
                identity["external_id"] = {values["external_id"]}
            if contact.get("email"):
                identity["email"] = {matching.norm_email(contact["email"])}
            if contact.get("phone"):
                identity["phone"] = {matching.norm_phone(contact["phone"])}
            decision = self._decide(index, row, identity, values, "customer")
            customer_id: uuid.UUID | None = None
            if decision.verb == "create":
                owner = self.owner(row, None)
                try:
                    values = apply_customer_rules({}, values)
                except BadInput as exc:
                    self.problem(row, self.column(exc.field or ""), str(exc).split(": ", 1)[-1])
                    continue
                if owner is None:
                    continue
                created = self._create(
                    "customer", {**values, "id": self._new_id(row), "owner_id": owner}
                )
                customer_id = created["id"]
                index.add(matching.Known(customer_id, values["name"], {}, identity, line=row.line))
                if contact:  # a new customer has no contacts yet: no need to compare names
                    self._people[customer_id] = set()
                    self._customer_contact(customer_id, values["name"], contact, new=True)
                continue
            elif decision.verb in ("update", "unchanged") and decision.known:
                customer_id = decision.known.id
                if decision.verb == "update":
                    try:
                        changes = apply_customer_rules(decision.known.values, decision.changes)
                    except BadInput as exc:
                        self.problem(row, self.column(exc.field or ""), str(exc).split(": ", 1)[-1])
                        continue
                    changes = matching.changed_values(decision.known.values, changes)
                    if changes:
                        self._update("customer", decision.known, changes)
                    else:
                        self.report.unchanged += 1
            if customer_id is not None and contact:
                self._customer_contact(customer_id, values.get("name", ""), contact)

    def _customer_contact(
        self, customer_id: uuid.UUID, customer_name: str, contact: dict[str, Any], new: bool = False
    ) -> None:
        """The main contact a customers file describes, unless the customer has them already."""
        name = contact.get("name") or customer_name
        if not new:
            people = self._people.setdefault(customer_id, set())
            key = matching.norm_name(name)
            if key in people:
                return
            people.add(key)
        self._create(
            "contact",
            {
                "customer_id": customer_id,
                "name": name[:200],
                **{k: contact.get(k) for k in ("title", "phone", "email")},
            },
        )

    def _plan_contacts(self, rows: Iterable[im.Row]) -> None:
        def identity(r: Any) -> dict[str, set[str]]:
            return self._ident(
                id=str(r.id),
                external_id=r.external_id,
                email=r.email and matching.norm_email(r.email),
                phone=r.phone and matching.norm_phone(r.phone),
                natural=f"{r.customer_id}|{matching.norm_name(r.name)}",
            )

        index = self._index("contact", identity, lambda r: r.name)
        for row in rows:
            parent = self._parent(row, create=True)
            if parent is None:
                continue
            customer_id, _owner = parent
            values = dict(row.values)
            if row.custom:
                values["custom"] = row.custom
            ident = self._ident(
                id=self._given_id(row),
                external_id=values.get("external_id"),
                email=values.get("email") and matching.norm_email(values["email"]),
                phone=values.get("phone") and matching.norm_phone(values["phone"]),
                natural=f"{customer_id}|{matching.norm_name(values['name'])}",
            )
            self._apply(
                "contact", index, row, ident, values, {"customer_id": customer_id}, values["name"]
            )

    def _stages(self, key: str, owner: uuid.UUID) -> list[tuple[str, str]]:
        if self._catalog is None:
            from salesbench.services.playbooks import catalog_from_session

            self._catalog = catalog_from_session(self.session)
        playbook = self._catalog.get(key, self.rep_language.get(owner, "en"))
        return [(s.key, s.name) for s in playbook.stages]

    def _plan_opportunities(self, rows: Iterable[im.Row]) -> None:
        def identity(r: Any) -> dict[str, set[str]]:
            return self._ident(
                id=str(r.id),
                external_id=r.external_id,
                natural=f"{r.customer_id}|{matching.norm_name(r.title)}",
            )

        index = self._index("opportunity", identity, lambda r: r.title)
        self.starts: list[uuid.UUID] = []
        for row in rows:
            parent = self._parent(row, create=True)
            if parent is None:
                continue
            customer_id, customer_owner = parent
            owner = self.owner(row, customer_owner)
            if owner is None:
                continue
            values = dict(row.values)
            custom = dict(row.custom)
            playbook = values.get("playbook_key") or self.options.playbook
            stage = row.refs.get("stage")
            try:
                stages = self._stages(playbook, owner) if playbook else None
            except SalesbenchError as exc:
                self.problem(row, self.column("playbook_key"), str(exc))
                continue
            if playbook:
                values["playbook_key"] = playbook
            if stage:
                try:
                    stage_key, status = import_values.interpret_stage(stage, stages)
                except ValueError as exc:
                    self.problem(row, self.column("stage"), str(exc))
                    continue
                if stage_key:
                    values["stage_key"] = stage_key
                elif status:
                    values.setdefault("status", status)
                else:
                    custom["stage"] = stage  # another CRM's stage, kept until a playbook places it
            if values.get("status") == "lost" and not values.get("lost_reason"):
                values["lost_reason"] = LOST_UNKNOWN
            if custom:
                values["custom"] = custom
            ident = self._ident(
                id=self._given_id(row),
                external_id=values.get("external_id"),
                natural=f"{customer_id}|{matching.norm_name(values['title'])}",
            )
            decision = self._decide(index, row, ident, values, "opportunity")
            try:
                if decision.verb == "create":
                    values = self._closing(values, {}, owner)
                    created = self._create(
                        "opportunity",
                        {
                            **values,
                            "id": self._new_id(row),
                            "customer_id": customer_id,
                            "owner_id": owner,
                        },
                    )
                    index.add(
                        matching.Known(created["id"], values["title"], {}, ident, line=row.line)
                    )
                    if created.get("playbook_key") and created.get("status", "open") == "open":
                        self.starts.append(created["id"])
                    elif created.get("stage_key"):
                        created["stage_entered_at"] = self.now
                elif decision.verb == "update" and decision.known:
                    changes = self._closing(decision.changes, decision.known.values, owner)
                    changes = matching.changed_values(decision.known.values, changes)
                    if changes:
                        self._update("opportunity", decision.known, changes)
            except BadInput as exc:
                self.problem(row, self.column(exc.field or ""), str(exc).split(": ", 1)[-1])

    def _closing(
        self, values: dict[str, Any], current: dict[str, Any], owner: uuid.UUID
    ) -> dict[str, Any]:
        """Closed deals close on their close date (not on the day of the import)."""
        result = apply_opportunity_rules(current, values, self.now)
        if result.get("closed_at") and (
            values.get("expected_close") or current.get("expected_close")
        ):
            day = values.get("expected_close") or current["expected_close"]
            zone = _zone(self.rep_zone.get(owner, "UTC"))
            result["closed_at"] = datetime.combine(day, time(18), zone).astimezone(UTC)
        return result

    def _opportunity_index(self) -> matching.Index:
        index = matching.Index()
        table = self._table("opportunity")
        self._opp_parent: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = {}
        for r in self.conn.execute(
            select(
                table.c.id,
                table.c.external_id,
                table.c.title,
                table.c.customer_id,
                table.c.owner_id,
            )
        ):
            index.add(
                matching.Known(
                    r.id, r.title, {}, self._ident(id=str(r.id), external_id=r.external_id)
                )
            )
            self._opp_parent[r.id] = (r.customer_id, r.owner_id)
        return index

    def _subject(
        self, row: im.Row, opps: matching.Index
    ) -> tuple[uuid.UUID, uuid.UUID | None, uuid.UUID] | None:
        """(customer, opportunity or None, default owner) of an activity or task row."""
        opp_id, opp_ext = row.refs.get("opportunity_id"), row.refs.get("opportunity_external_id")
        if opp_id or opp_ext:
            key, value = ("id", opp_id) if opp_id else ("external_id", opp_ext)
            found = opps.find({key: {value or ""}})
            if found is None:
                column = "opportunity_id" if opp_id else "opportunity_external_id"
                self.problem(row, self.column(column), "no opportunity of that title or id")
                return None
            customer_id, owner = self._opp_parent[found[0].id]
            return customer_id, found[0].id, owner
        parent = self._parent(row, create=False)
        if parent is None:
            return None
        return parent[0], None, parent[1]

    def _plan_activities(self, rows: Iterable[im.Row]) -> None:
        def identity(r: Any) -> dict[str, set[str]]:
            return self._ident(
                id=str(r.id),
                external_id=r.external_id,
                natural=f"{r.customer_id}|{r.started_at.isoformat()}|{r.channel}",
            )

        index = self._index("activity", identity, lambda r: f"{r.channel} {r.started_at:%Y-%m-%d}")
        opps = self._opportunity_index()
        contacts: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        for c in self.stored("contact"):
            contacts[(c.customer_id, matching.norm_name(c.name))] = c.id
            if c.email:
                contacts[(c.customer_id, matching.norm_email(c.email))] = c.id
        for row, customer_id, opp_id, owner, values in self._subject_rows(rows, opps):
            contact_id = None
            if row.refs.get("contact"):
                ref = row.refs["contact"]
                contact_id = contacts.get((customer_id, matching.norm_name(ref))) or contacts.get(
                    (customer_id, matching.norm_email(ref))
                )
                if contact_id is None:
                    self.problem(row, self.column("contact"), "no such contact at this customer")
                    continue
            started = values["started_at"]
            ident = self._ident(
                id=self._given_id(row),
                external_id=values.get("external_id"),
                natural=f"{customer_id}|{started.isoformat()}|{values['channel']}",
            )
            record = {
                "customer_id": customer_id,
                "opportunity_id": opp_id,
                "contact_id": contact_id,
                "owner_id": owner,
            }
            self._apply("activity", index, row, ident, values, record, values["channel"])

    def _subject_rows(
        self, rows: Iterable[im.Row], opps: matching.Index
    ) -> Iterator[tuple[im.Row, uuid.UUID, uuid.UUID | None, uuid.UUID, dict[str, Any]]]:
        """Activity and task rows with their customer, deal, owner and values resolved."""
        for row in rows:
            subject = self._subject(row, opps)
            if subject is None:
                continue
            customer_id, opp_id, default_owner = subject
            owner = self.owner(row, default_owner)
            if owner is None:
                continue
            values = dict(row.values)
            if row.custom:
                values["custom"] = row.custom
            yield row, customer_id, opp_id, owner, values

    def _apply(
        self,
        table_name: str,
        index: matching.Index,
        row: im.Row,
        ident: dict[str, set[str]],
        values: dict[str, Any],
        record: dict[str, Any],
        label: str,
    ) -> None:
        """Create or update as decided; a created record joins the index for later rows."""
        decision = self._decide(index, row, ident, values, table_name)
        if decision.verb == "create":
            created = self._create(table_name, {**values, "id": self._new_id(row), **record})
            index.add(matching.Known(created["id"], label, {}, ident, line=row.line))
        elif decision.verb == "update" and decision.known:
            self._update(table_name, decision.known, decision.changes)

    def _plan_tasks(self, rows: Iterable[im.Row]) -> None:
        def natural(subject: uuid.UUID, title: str, due: datetime | None) -> str:
            return f"{subject}|{matching.norm_name(title)}|{due.isoformat() if due else ''}"

        index = self._index(
            "task",
            lambda r: self._ident(
                id=str(r.id),
                external_id=r.external_id,
                natural=natural(r.opportunity_id or r.customer_id, r.title, r.due_at),
            ),
            lambda r: r.title,
        )
        opps = self._opportunity_index()
        for row, customer_id, opp_id, owner, values in self._subject_rows(rows, opps):
            if values.get("status") in ("done", "skipped"):
                values.setdefault("completed_at", values.get("due_at") or self.now)
                values["completed_how"] = "manual"
            ident = self._ident(
                id=self._given_id(row),
                external_id=values.get("external_id"),
                natural=natural(opp_id or customer_id, values["title"], values.get("due_at")),
            )
            record = {
                "owner_id": owner,
                "opportunity_id": opp_id,
                "customer_id": None if opp_id else customer_id,
                "origin_kind": "manual",
                "origin": "import",
            }
            self._apply("task", index, row, ident, values, record, values["title"])

    # ------------------------------------------------------------ writing

    def _write(self, progress: Progress | None) -> None:
        rep_id = None
        with contextlib.suppress(SalesbenchError):
            rep_id = self.acting()
        counts = {
            "created": self.report.created,
            "updated": self.report.updated,
            "unchanged": self.report.unchanged,
            "skipped": len(self.report.skipped),
            "possible_duplicates": len(self.report.duplicates),
        }
        self.conn.execute(
            insert(m.ImportBatch.__table__),
            [
                {  # type: ignore[attr-defined]
                    "id": self.batch_id,
                    "kind": self.options.kind,
                    "source": self.sheet.source[-500:],
                    "format": self.options.format,
                    "rep_id": rep_id,
                    "mode": self.options.mode,
                    "on_conflict": self.options.on_conflict,
                    "counts": counts,
                    "stamp": self.stamp,
                    "undone_at": None,
                    "created_at": self.stamp,
                    "updated_at": self.stamp,
                }
            ],
        )
        total = sum(len(v) for v in self.inserts.values()) + len(self.updates)
        for table_name in ("customer", "contact", "opportunity", "activity", "task"):
            rows = self.inserts[table_name]
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                insert_rows(self.conn, self._table(table_name), chunk)
                if progress:
                    progress("writing", len(chunk), total)
        changes = []
        for table_name, record_id, values, before in self.updates:
            table = self._table(table_name)
            self.conn.execute(
                update(table).where(table.c.id == record_id).values(**values, updated_at=self.stamp)
            )
            changes.append(
                {
                    "id": uuid.uuid4(),
                    "batch_id": self.batch_id,
                    "table_name": table_name,
                    "record_id": record_id,
                    "before": rowcodec.dump(table, before),
                    "created_at": self.stamp,
                    "updated_at": self.stamp,
                }
            )
            if progress:
                progress("writing", 1, total)
        if changes:
            self.conn.execute(insert(m.ImportChange.__table__), changes)  # type: ignore[attr-defined]
        if getattr(self, "starts", None):
            self._start_playbooks()
        self.report.batch_id = self.batch_id

    def _start_playbooks(self) -> None:
        """Open deals on a playbook get their stage's tasks, so they show in the queue."""
        from salesbench.services.playbook_start import start_playbook

        with self.session.no_autoflush:  # keep what start_playbook adds in session.new
            for opp_id in self.starts:
                opp = self.session.get_one(m.Opportunity, opp_id)
                try:
                    start_playbook(self.session, opp, self.now)
                except BadInput as exc:
                    raise BadInput(
                        f"{self.sheet.source}: opportunity {opp.title!r}: {exc}"
                    ) from None
        made = 0
        for obj in self.session.new:
            if isinstance(obj, m.Task | m.StageMove):
                obj.created_at = obj.updated_at = self.stamp
            if isinstance(obj, m.Task):
                obj.import_batch_id = self.batch_id
                made += 1
        self.session.flush()
        # The flush stamped the deals' updated_at as an edit; undo reads it, so restore
        # the batch's stamp (setting the attribute to the value it had would be ignored).
        opps = self._table("opportunity")
        for start in range(0, len(self.starts), 500):
            self.conn.execute(
                update(opps)
                .where(opps.c.id.in_(self.starts[start : start + 500]))
                .values(updated_at=self.stamp)
            )
        if made:
            self.report.created["task"] = self.report.created.get("task", 0) + made


def _ticking(rows: list[im.Row], progress: Progress | None, phase: str) -> Iterator[im.Row]:
    total = len(rows)
    for n, row in enumerate(rows, start=1):
        yield row
        if progress and n % 1000 == 0:
            progress(phase, 1000, total)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Reading and planning make a few small objects per cell and no cycles; the
    collector's passes over 100,000 rows of them cost a fifth of an import."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def import_sheet(
    store: Store,
    sheet: im.Sheet,
    options: ImportOptions,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> Report:
    """Check every row, then write them all in one transaction (or, with dry_run, none)."""
    if options.mode not in im.MODES:
        raise BadInput(
            f"unknown mode {options.mode!r} (one of: {', '.join(im.MODES)})", field="--mode"
        )
    if options.on_conflict not in im.ON_CONFLICT:
        raise BadInput(
            f"unknown choice {options.on_conflict!r} (one of: {', '.join(im.ON_CONFLICT)})",
            field="--on-conflict",
        )
    if options.mode == "upsert":
        options.on_conflict = "update"
    with paused_gc(), store.write() as session:
        planner = _Planner(session, sheet, options, now)
        report = planner.run(progress)
        if options.dry_run:
            session.rollback()
    return report
