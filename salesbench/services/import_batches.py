"""Import history and undo: a batch's created records go, its updated ones come back.

An import stamps every row it writes with the batch's `stamp` as updated_at;
a row whose updated_at differs was edited afterwards, and undo refuses rather
than lose that edit. Records others added under the batch's customers or deals
would be deleted with them, so those refuse it too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from salesbench.core.clock import Clock
from salesbench.core.errors import Conflict
from salesbench.core.ids import short_id
from salesbench.services.edits import bumped
from salesbench.services.refs import row_by_id_prefix
from salesbench.store import rowcodec
from salesbench.store.engine import Store
from salesbench.store.models import ImportBatch, ImportChange, metadata

# Children before parents, for deleting.
CREATED_TABLES = (
    "task",
    "activity",
    "opportunity",
    "address",
    "contact_point",
    "contact",
    "customer",
)


def _t(name: str) -> Any:
    return metadata.tables[name]


def history(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    table = ImportBatch.__table__  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(table).order_by(table.c.stamp.desc(), table.c.id).limit(limit)
        ).all()
    return [
        {
            "batch": short_id(r.id),
            "id": str(r.id),
            "imported_at": r.stamp,
            "kind": r.kind,
            "source": r.source,
            "mode": r.mode,
            # per table: a customers file that made contacts says so
            "created": dict(r.counts.get("created") or {}),
            "updated": dict(r.counts.get("updated") or r.counts.get("moved") or {}),
            "deleted": dict(r.counts.get("deleted") or {}),
            "counts": r.counts,
            "undone_at": r.undone_at,
        }
        for r in rows
    ]


def find_batch(conn: Any, ref: str) -> Any:
    return row_by_id_prefix(
        conn,
        ImportBatch.__table__,  # type: ignore[attr-defined]
        ref,
        id_words="batch id",
        noun="batch",
        plural="batches",
        listing=("import batch", "salesbench import history"),
    )


@dataclass
class UndoReport:
    batch: str
    deleted: dict[str, int]
    restored: dict[str, int]


def undo(store: Store, ref: str, *, clock: Clock) -> UndoReport:
    with store.engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            batch = find_batch(conn, ref)
            if batch.undone_at is not None:
                raise Conflict(
                    f"batch {short_id(batch.id)} was undone already "
                    f"at {batch.undone_at:%Y-%m-%d %H:%M}"
                )
            created = {
                name: {
                    r.id: r.updated_at
                    for r in conn.execute(
                        select(_t(name).c.id, _t(name).c.updated_at).where(
                            _t(name).c.import_batch_id == batch.id
                        )
                    )
                }
                for name in CREATED_TABLES
            }
            changes = list(
                conn.execute(
                    select(ImportChange.__table__).where(  # type: ignore[attr-defined]
                        ImportChange.__table__.c.batch_id == batch.id  # type: ignore[attr-defined]
                    )
                )
            )
            _refuse_lost_edits(conn, batch, created, changes)
            restored: dict[str, int] = {}
            # rows the batch removed come back first (rows it moved point at them)
            for change in sorted(changes, key=lambda c: c.action != "delete"):
                table = _t(change.table_name)
                values = rowcodec.load(table, change.before)
                if change.action == "delete":
                    conn.execute(insert(table).values(**values))
                else:
                    conn.execute(
                        update(table)
                        .where(table.c.id == change.record_id)
                        .values({**bumped(table), **values})  # the version it had, when recorded
                    )
                restored[change.table_name] = restored.get(change.table_name, 0) + 1
            _forget_pairs(conn, batch.id, created)
            deleted: dict[str, int] = {}
            for name in CREATED_TABLES:
                ids = list(created[name])
                if name == "opportunity" and ids:
                    for start in range(0, len(ids), 500):
                        chunk = ids[start : start + 500]
                        conn.execute(
                            delete(_t("stage_move")).where(
                                _t("stage_move").c.opportunity_id.in_(chunk)
                            )
                        )
                for start in range(0, len(ids), 500):
                    conn.execute(
                        delete(_t(name)).where(_t(name).c.id.in_(ids[start : start + 500]))
                    )
                if ids:
                    deleted[name] = len(ids)
            now = clock.now()
            conn.execute(
                update(_t("import_batch"))
                .where(_t("import_batch").c.id == batch.id)
                .values(undone_at=now, updated_at=now)
            )
    return UndoReport(short_id(batch.id), deleted, restored)


def _forget_pairs(
    conn: Any, batch_id: uuid.UUID, created: dict[str, dict[uuid.UUID, datetime]]
) -> None:
    """The batch's possible duplicates, and any pair naming a record it created, go."""
    pairs = _t("possible_duplicate")
    conn.execute(delete(pairs).where(pairs.c.batch_id == batch_id))
    for name, records in created.items():
        ids = list(records)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            conn.execute(
                delete(pairs).where(
                    (pairs.c.table_name == name)
                    & (pairs.c.record_id.in_(chunk) | pairs.c.other_id.in_(chunk))
                )
            )


def _refuse_lost_edits(
    conn: Any, batch: Any, created: dict[str, dict[uuid.UUID, datetime]], changes: list[Any]
) -> None:
    reasons: list[str] = []
    for name, rows in created.items():
        edited = sum(1 for stamp in rows.values() if stamp != batch.stamp)
        if edited:
            reasons.append(
                f"{edited:,} {name} record{'s' * (edited != 1)} it created were edited since"
            )
    later_updates = 0
    for change in changes:
        table = _t(change.table_name)
        current = conn.execute(
            select(table.c.updated_at).where(table.c.id == change.record_id)
        ).scalar()
        if current is not None and current != batch.stamp:
            later_updates += 1
    if later_updates:
        reasons.append(
            f"{later_updates:,} record{'s' * (later_updates != 1)} it updated were edited since"
        )
    # Rows added later under the batch's records would go with them (cascade).
    for name, rows in created.items():
        if not rows:
            continue
        ids = list(rows)
        for child in metadata.sorted_tables:
            for fk in child.foreign_keys:
                if fk.column.table.name != name or child.name == "import_change":
                    continue
                col = fk.parent
                later = 0
                for start in range(0, len(ids), 500):
                    query = (
                        select(func.count())
                        .select_from(child)
                        .where(col.in_(ids[start : start + 500]))
                    )
                    if "import_batch_id" in child.c:
                        query = query.where(
                            (child.c.import_batch_id.is_(None))
                            | (child.c.import_batch_id != batch.id)
                        )
                    else:
                        query = query.where(child.c.updated_at != batch.stamp)
                    later += conn.execute(query).scalar_one()
                if later:
                    reasons.append(
                        f"{later:,} {child.name} record{'s' * (later != 1)} were added since "
                        f"to {name} records it created"
                    )
    if reasons:
        raise Conflict(
            f"cannot undo batch {short_id(batch.id)}: "
            + "; ".join(reasons)
            + " (undoing would lose them)"
        )
