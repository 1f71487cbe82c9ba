"""`customer merge KEEP OTHER`: fold one customer into another, as an undoable batch.

Every row that points at OTHER (contacts, deals, tasks, activities, complaints,
handovers, addresses) is moved to KEEP, and OTHER is deleted, in one
transaction. The batch (kind "merge") keeps each moved row's before-image
(action `update`) and OTHER's whole row (action `delete`), so `import undo`
re-creates OTHER with its id and values and moves every row back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, update

from salesbench.core.clock import Clock
from salesbench.core.errors import BadInput, NotFound
from salesbench.core.ids import short_id
from salesbench.services.edits import bumped
from salesbench.store import rowcodec
from salesbench.store.engine import Store
from salesbench.store.models import ImportBatch, ImportChange, metadata


@dataclass
class MergeReport:
    keep: str  # short id and name
    other: str
    moved: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    batch_id: uuid.UUID | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "keep": self.keep,
            "other": self.other,
            "moved": self.moved,
            "dry_run": self.dry_run,
            "batch": str(self.batch_id) if self.batch_id else None,
        }


def _children() -> list[tuple[Any, Any]]:
    """(table, column) of every foreign key to a customer."""
    found = []
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "customer":
                found.append((table, fk.parent))
    return found


def _customer(session: Any, ref: str, which: str) -> Any:
    from salesbench.services.customers import find_customer

    try:
        return find_customer(session, ref)
    except NotFound as exc:
        raise BadInput(exc.message, field=which) from None


def merge_customers(
    store: Store,
    keep_ref: str,
    other_ref: str,
    *,
    clock: Clock,
    rep: str | None = None,
    dry_run: bool = False,
) -> MergeReport:
    """Fold OTHER into KEEP (or, with dry_run, count what would move)."""
    from salesbench.services.import_plan import batch_stamp

    with store.write(clock) as session:
        keep = _customer(session, keep_ref, "KEEP")
        other = _customer(session, other_ref, "OTHER")
        if keep.id == other.id:
            raise BadInput(
                f"KEEP and OTHER are the same customer ({short_id(keep.id)} {keep.name})",
                field="OTHER",
            )
        report = MergeReport(
            f"{short_id(keep.id)} ({keep.name})", f"{short_id(other.id)} ({other.name})"
        )
        report.dry_run = dry_run
        conn = session.connection()
        now = clock.now()
        stamp = batch_stamp(conn, now)
        batch_id = uuid.uuid4()
        changes: list[dict[str, Any]] = []

        def change(table: Any, record_id: Any, before: dict[str, Any], action: str) -> None:
            changes.append(
                {
                    "id": uuid.uuid4(),
                    "batch_id": batch_id,
                    "table_name": table.name,
                    "record_id": record_id,
                    "action": action,
                    "before": rowcodec.dump(table, before),
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )

        for table, column in _children():
            moved = list(conn.execute(select(table).where(column == other.id)))
            if not moved:
                continue
            report.moved[table.name] = report.moved.get(table.name, 0) + len(moved)
            for row in moved:
                before = {column.name: other.id, "updated_at": row.updated_at}
                if "version" in table.c:  # undo puts the row back exactly, version too
                    before["version"] = row.version
                change(table, row.id, before, "update")
            if not dry_run:
                conn.execute(
                    update(table)
                    .where(column == other.id)
                    .values({column.name: keep.id, "updated_at": stamp, **bumped(table)})
                )
        if dry_run:
            session.rollback()
            return report
        _resolve_pairs(conn, keep.id, other.id, stamp, change)
        customers = metadata.tables["customer"]
        whole = conn.execute(select(customers).where(customers.c.id == other.id)).one()
        change(customers, other.id, dict(whole._mapping), "delete")
        session.expunge(other)
        conn.execute(customers.delete().where(customers.c.id == other.id))
        rep_id = _rep_id(session, rep)
        conn.execute(
            insert(ImportBatch.__table__),  # type: ignore[attr-defined]
            [
                {
                    "id": batch_id,
                    "kind": "merge",
                    "source": f"customer merge {short_id(keep.id)} {short_id(other.id)}",
                    "format": "",
                    "rep_id": rep_id,
                    "mode": "merge",
                    "on_conflict": "",
                    "counts": {"moved": report.moved, "deleted": {"customer": 1}},
                    "stamp": stamp,
                    "undone_at": None,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            ],
        )
        conn.execute(insert(ImportChange.__table__), changes)  # type: ignore[attr-defined]
        report.batch_id = batch_id
    return report


def _resolve_pairs(
    conn: Any, keep: uuid.UUID, other: uuid.UUID, stamp: datetime, change: Any
) -> None:
    """The pair KEEP/OTHER is merged; OTHER's pairs with third records now name KEEP."""
    pairs = metadata.tables["possible_duplicate"]
    query = select(pairs).where(
        (pairs.c.table_name == "customer")
        & or_(pairs.c.record_id == other, pairs.c.other_id == other)
    )
    for pair in list(conn.execute(query)):
        before = {
            k: pair._mapping[k]
            for k in ("record_id", "other_id", "resolution", "resolved_at", "updated_at")
        }
        change(pairs, pair.id, before, "update")
        ends = {pair.record_id, pair.other_id}
        if ends == {keep, other}:
            values: dict[str, Any] = {"resolution": "merged", "resolved_at": stamp}
        else:
            values = {
                "record_id": keep if pair.record_id == other else pair.record_id,
                "other_id": keep if pair.other_id == other else pair.other_id,
            }
        conn.execute(update(pairs).where(pairs.c.id == pair.id).values(**values, updated_at=stamp))


def _rep_id(session: Any, rep: str | None) -> uuid.UUID | None:
    from salesbench.core.errors import SalesbenchError
    from salesbench.services.reps import acting_rep

    try:
        return acting_rep(session, rep).id
    except SalesbenchError:
        return None
