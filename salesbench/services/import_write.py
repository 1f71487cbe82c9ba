"""Writing an import's plan: the batch row, the new rows, the updates of stored
records (each only if the record is as the plan read it), the look-alikes and the
playbook starts of new deals."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from salesbench.core import import_identity as matching
from salesbench.core.errors import BadInput, Conflict, SalesbenchError
from salesbench.core.ids import short_id
from salesbench.services.edits import bumped
from salesbench.services.import_errors import Identity, explain_integrity, failed
from salesbench.services.import_plan import Planner, Progress
from salesbench.store import models as m
from salesbench.store import rowcodec
from salesbench.store.bulk import insert_rows

TABLE_ORDER = ("customer", "contact", "contact_point", "address", "opportunity", "activity", "task")


def flush(planner: Planner) -> None:
    """Write the rows planned so far and forget them; a file with problems, or a dry
    run, writes nothing (the counts are in the report already)."""
    writing = not (planner.problems or planner.conflicts or planner.options.dry_run)
    if writing and any(planner.inserts.values()) and planner.staging is not None:
        for table_name in TABLE_ORDER:
            rows = planner.inserts[table_name]
            planner.staging.add(planner.conn.dialect, planner.table(table_name), rows)
    elif writing and any(planner.inserts.values()):
        if not planner.batch_written:
            insert_batch(planner)
        for table_name in TABLE_ORDER:
            insert_rows(planner.conn, planner.table(table_name), planner.inserts[table_name])
    for rows in planner.inserts.values():
        rows.clear()


def _batch_counts(planner: Planner) -> dict[str, Any]:
    return {
        "created": planner.report.created,
        "updated": planner.report.updated,
        "unchanged": planner.report.unchanged,
        "skipped": len(planner.report.skipped),
        "possible_duplicates": len(planner.report.duplicates),
    }


def insert_batch(planner: Planner) -> None:
    rep_id = None
    with contextlib.suppress(SalesbenchError):
        rep_id = planner.acting()
    planner.conn.execute(
        insert(m.ImportBatch.__table__),  # type: ignore[attr-defined]
        [
            {
                "id": planner.batch_id,
                "kind": planner.options.kind,
                "source": planner.sheet.source[-500:],
                "format": planner.options.format,
                "rep_id": rep_id,
                "mode": planner.options.mode,
                "on_conflict": planner.options.on_conflict,
                "counts": _batch_counts(planner),
                "stamp": planner.stamp,
                "undone_at": None,
                "created_at": planner.stamp,
                "updated_at": planner.stamp,
            }
        ],
    )
    planner.batch_written = True


def write(planner: Planner, progress: Progress | None) -> None:
    """The batch's final counts, its new rows (copied from the staging file, or written
    chunk by chunk as they were planned), its updates and look-alikes."""
    lookalikes_added_meanwhile(planner)
    batches = m.ImportBatch.__table__  # type: ignore[attr-defined]
    same = (batches.c.stamp == planner.stamp) & (batches.c.id != planner.batch_id)
    if planner.conn.execute(select(func.count()).select_from(batches).where(same)).scalar():
        # an import of another kind, planned at the same time, took the stamp that
        # tells this batch's rows apart for undo (a pinned clock, as in tests)
        raise Conflict(
            f"{planner.sheet.source}: another import was written at the same instant; "
            "nothing was written: run the import again"
        )
    if planner.batch_written:
        batch = m.ImportBatch.__table__  # type: ignore[attr-defined]
        counts = _batch_counts(planner)
        mine = batch.c.id == planner.batch_id
        planner.conn.execute(update(batch).where(mine).values(counts=counts))
    else:
        insert_batch(planner)
    try:
        flush(planner)
        if planner.staging is not None:
            planner.staging.copy_into(planner.conn, TABLE_ORDER)
    except IntegrityError as exc:
        found = staged_identity(planner, exc)
        raise Conflict(explain_integrity(exc, planner.sheet.source, found)) from None
    total = len(planner.updates)
    changes = []
    edited: list[str] = []  # records changed by someone else since the plan read them
    done: set[uuid.UUID] = set()
    for table_name, record_id, values, before in planner.updates:
        table = planner.table(table_name)
        where = table.c.id == record_id
        seen = planner.stamp if record_id in done else before.get("updated_at")
        if seen is not None:  # as read (or as this batch left it): else someone edited it
            where = where & (table.c.updated_at == seen)
        if record_id not in done and before.get("version") is not None:
            # an edit stamped at the very instant read (a pinned clock) still bumps this
            where = where & (table.c.version == before["version"])
        result = planner.conn.execute(
            update(table).where(where).values(**values, **bumped(table), updated_at=planner.stamp)
        )
        if result.rowcount != 1:
            edited.append(planner.label_of(table_name, record_id))
        done.add(record_id)
        changes.append(
            {
                "id": uuid.uuid4(),
                "batch_id": planner.batch_id,
                "table_name": table_name,
                "record_id": record_id,
                "before": rowcodec.dump(table, before),
                "created_at": planner.stamp,
                "updated_at": planner.stamp,
            }
        )
        if progress:
            progress("updating", 1, total)
    if edited:
        raise Conflict(edited_message(planner.sheet.source, edited))
    if changes:
        planner.conn.execute(insert(m.ImportChange.__table__), changes)  # type: ignore[attr-defined]
    if planner.lookalikes:
        planner.conn.execute(
            insert(m.PossibleDuplicate.__table__),  # type: ignore[attr-defined]
            [
                {
                    "id": uuid.uuid4(),
                    "table_name": table_name,
                    "record_id": record_id,
                    "other_id": other_id,
                    "reason": reason[:300],
                    "batch_id": planner.batch_id,
                    "resolution": None,
                    "resolved_at": None,
                    "created_at": planner.stamp,
                    "updated_at": planner.stamp,
                }
                for table_name, record_id, other_id, reason in planner.lookalikes
            ],
        )
    if planner.starts:
        start_playbooks(planner)
    planner.report.batch_id = planner.batch_id


def lookalikes_added_meanwhile(planner: Planner) -> None:
    """Customers someone added after the plan read them (a `customer add` while this
    import was being checked) are compared with the ones this import creates, by name,
    as the plan compared the stored ones: each look-alike is listed as a possible
    duplicate. Only when the count of customers changed is the table read again."""
    index = planner.customers
    if index is None or not planner.report.created.get("customer"):
        return
    by_id = index.by_key.get("id", {})
    read = {key for key, known in by_id.items() if any(k.line is None for k in known)}
    table = planner.table("customer")
    mine = planner.before(table)
    stored = planner.conn.execute(select(func.count()).select_from(table).where(mine)).scalar()
    if stored == len(read):
        return
    for other_id, name in planner.conn.execute(select(table.c.id, table.c.name).where(mine)):
        if str(other_id) in read:
            continue
        for known in index.hits("natural", matching.norm_name(name)):
            if known.line is None or known.id == other_id:
                continue  # a stored record, or one this import updates
            why = f"same name as {short_id(other_id)} ({name}), added meanwhile"
            planner.lookalikes.append(("customer", known.id, other_id, "same name"))
            planner.report.duplicates.append((known.line, f"{why}; imported as a new record"))


def staged_identity(planner: Planner, exc: IntegrityError) -> Identity | None:
    """The (source, id) of a staged row a record stored meanwhile holds too (SQLite
    names only the index; its failed statement left the transaction open)."""
    _, table_name, source_id = failed(exc)
    if planner.staging is None or not source_id or table_name is None:
        return None
    for scratch in planner.staging.attached(table_name):
        found = planner.conn.exec_driver_sql(
            f"SELECT coalesce(s.external_source, ''), s.external_id FROM {scratch} s "
            f"JOIN main.{table_name} m ON m.external_id = s.external_id "
            "AND coalesce(m.external_source, '') = coalesce(s.external_source, '') LIMIT 1"
        ).first()
        if found is not None:
            return str(found[0]), str(found[1])
    return None


def edited_message(source: str, edited: list[str]) -> str:
    n = len(edited)
    named = ", ".join(edited[:3]) + (f" and {n - 3:,} more" if n > 3 else "")
    return (
        f"{source}: {n:,} record{'s' * (n != 1)} this import updates changed while it was "
        f"being checked ({named}); nothing was written, so no one's edit is lost: "
        "run the import again"
    )


def start_playbooks(planner: Planner) -> None:
    """Open deals on a playbook get their stage's tasks, so they show in the queue."""
    from salesbench.services.playbook_start import start_playbook

    with planner.session.no_autoflush:  # keep what start_playbook adds in session.new
        for opp_id in planner.starts:
            opp = planner.session.get_one(m.Opportunity, opp_id)
            try:
                start_playbook(planner.session, opp, planner.now)
            except BadInput as exc:
                raise BadInput(
                    f"{planner.sheet.source}: opportunity {opp.title!r}: {exc}"
                ) from None
    made = 0
    for obj in planner.session.new:
        if isinstance(obj, m.Task | m.StageMove):
            obj.created_at = obj.updated_at = planner.stamp
        if isinstance(obj, m.Task):
            obj.import_batch_id = planner.batch_id
            made += 1
    planner.session.flush()
    # The flush stamped the deals' updated_at as an edit; undo reads it, so restore
    # the batch's stamp (setting the attribute to the value it had would be ignored).
    opps = planner.table("opportunity")
    for start in range(0, len(planner.starts), 500):
        planner.conn.execute(
            update(opps)
            .where(opps.c.id.in_(planner.starts[start : start + 500]))
            .values(updated_at=planner.stamp)
        )
    if made:
        planner.report.created["task"] = planner.report.created.get("task", 0) + made
