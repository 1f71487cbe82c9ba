"""Possible duplicates: records an import let in beside a look-alike, kept apart
until someone merges the two (`customer merge`) or says they are different."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update

from salesbench.core.clock import Clock
from salesbench.core.errors import Conflict
from salesbench.core.ids import short_id
from salesbench.services.refs import row_by_id_prefix
from salesbench.store.engine import Store
from salesbench.store.models import metadata

_LABEL = {"customer": "name", "contact": "name", "opportunity": "title", "task": "title"}


def _names(conn: Any, table_name: str, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    table = metadata.tables[table_name]
    column = _LABEL.get(table_name, "summary" if "summary" in table.c else "id")
    found: dict[uuid.UUID, str] = {}
    listed = list(ids)
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        query = select(table.c.id, table.c[column]).where(table.c.id.in_(chunk))
        for record_id, label in conn.execute(query):
            found[record_id] = str(label or "")
    return found


def list_duplicates(store: Store, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    """The unresolved pairs (or all), oldest first, each with both records' names."""
    pairs = metadata.tables["possible_duplicate"]
    batches = metadata.tables["import_batch"]
    with store.engine.connect() as conn:
        query = select(pairs).order_by(pairs.c.created_at, pairs.c.id)
        if not include_resolved:
            query = query.where(pairs.c.resolution.is_(None))
        found = list(conn.execute(query))
        sources = {r.id: r.source for r in conn.execute(select(batches.c.id, batches.c.source))}
        by_table: dict[str, set[uuid.UUID]] = {}
        for p in found:
            by_table.setdefault(p.table_name, set()).update((p.record_id, p.other_id))
        names = {t: _names(conn, t, ids) for t, ids in by_table.items()}
    return [
        {
            "id": short_id(p.id),
            "pair_id": str(p.id),
            "table": p.table_name,
            "record": short_id(p.record_id),
            "record_id": str(p.record_id),
            "record_name": names[p.table_name].get(p.record_id, "(deleted)"),
            "other": short_id(p.other_id),
            "other_id": str(p.other_id),
            "other_name": names[p.table_name].get(p.other_id, "(deleted)"),
            "reason": p.reason,
            "batch": short_id(p.batch_id) if p.batch_id else None,
            "source": sources.get(p.batch_id) if p.batch_id else None,
            "resolution": p.resolution,
            "resolved_at": p.resolved_at,
        }
        for p in found
    ]


def dismiss(store: Store, ref: str, *, clock: Clock) -> dict[str, Any]:
    """Mark a pair as two different records: it leaves the review list."""
    pairs = metadata.tables["possible_duplicate"]
    with store.engine.connect() as conn, conn.begin():
        pair = row_by_id_prefix(
            conn,
            pairs,
            ref,
            id_words="pair's id",
            noun="ID",
            plural="pairs",
            listing=("possible duplicate", "salesbench duplicates"),
        )
        if pair.resolution is not None:
            raise Conflict(f"pair {short_id(pair.id)} was resolved already ({pair.resolution})")
        now = clock.now()
        conn.execute(
            update(pairs)
            .where(pairs.c.id == pair.id)
            .values(resolution="different", resolved_at=now, updated_at=now)
        )
    return {"id": short_id(pair.id), "table": pair.table_name, "resolution": "different"}
