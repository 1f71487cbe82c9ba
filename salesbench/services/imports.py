"""`salesbench import`: plan every row against what is stored, then write it all at once.

Reading and checking happen before the first write; the write is one transaction
of SQLAlchemy Core statements (an ORM object per row would be twenty times
slower), recorded as an import batch that `undo_batch` can take back.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update

from salesbench.core import importing as im
from salesbench.core.clock import FixedClock
from salesbench.core.errors import BadInput, SalesbenchError
from salesbench.core.import_amounts import Amounts
from salesbench.core.import_identity import ON_DUPLICATE
from salesbench.core.import_sidefiles import strip_footer
from salesbench.core.money import currency_code
from salesbench.core.settings import CURRENCY_ENV
from salesbench.services.edits import bumped
from salesbench.services.import_deals import plan_activities, plan_opportunities, plan_tasks
from salesbench.services.import_people import plan_contacts, plan_customers
from salesbench.services.import_plan import (
    CHUNK,
    CURRENCY_FROM,
    ImportConflicts,
    ImportOptions,
    ImportProblems,
    Planner,
    Progress,
    Report,
)
from salesbench.store import models as m
from salesbench.store import rowcodec
from salesbench.store.bulk import insert_rows
from salesbench.store.engine import Store

PLANS = {
    "customers": plan_customers,
    "contacts": plan_contacts,
    "opportunities": plan_opportunities,
    "activities": plan_activities,
    "tasks": plan_tasks,
}


def plan_and_write(planner: Planner, progress: Progress | None) -> Report:
    kind = planner.options.kind
    planner.columns, problems = im.map_columns(
        kind,
        planner.sheet,
        preset=planner.options.preset,
        mapping=planner.options.mapping,
        skip=planner.options.skip,
        strict=planner.options.strict,
    )
    planner.report.preset = planner.columns.preset
    planner.report.notes[:0] = planner.sheet.notes
    footer = strip_footer(planner.sheet)
    if footer:
        planner.report.notes.append(footer)
    # only columns that hold something: a vCard reader names url, birthday, note always
    planner.report.custom_columns = [
        planner.sheet.header[i]
        for i in planner.columns.custom
        if any(len(cells) > i and cells[i].strip() for _, cells in planner.sheet.rows)
    ]
    planner.report.skipped_columns = planner.columns.skipped
    planner.problems.extend(planner.sheet.problems + problems)
    if planner.problems:
        raise ImportProblems(planner.sheet.source, planner.problems)
    options = planner.options
    amounts = Amounts(
        options.currency or options.default_currency,
        kind,
        "--currency" if options.currency else CURRENCY_FROM,
    )
    parser = im.RowParser(
        kind,
        planner.sheet,
        planner.columns,
        zone=planner.zone(),
        date_format=planner.options.date_format,
        decimal=planner.options.decimal,
        amounts=amounts,
    )
    planner.problems.extend(parser.problems)
    parser.problems = planner.problems  # the rows' problems join the file's
    at = len(planner.report.notes)
    PLANS[kind](planner, chunks(planner, parser, progress))
    planner.report.notes[at:at] = amounts.notes()  # known once every row is read
    planner.finish_told_once()
    planner.problems.sort(key=lambda p: p.line)
    if planner.problems:
        raise ImportProblems(planner.sheet.source, planner.problems)
    if planner.conflicts:
        raise ImportConflicts(planner.sheet.source, planner.conflicts)
    if not planner.options.dry_run and planner.report.changed:
        write(planner, progress)
    return planner.report


def chunks(planner: Planner, parser: im.RowParser, progress: Progress | None) -> Iterator[im.Row]:
    """The sheet's rows, parsed CHUNK lines at a time; once the planning has taken a
    chunk's last row, what it planned is written (inside the one transaction, which a
    problem found later still rolls back whole), so no import holds every row's parsed
    values and insert rows at once."""
    lines = planner.sheet.rows
    total = len(lines)
    tick = (lambda n: progress("checking", n, total)) if progress else None
    for start in range(0, total, CHUNK):
        chunk = lines[start : start + CHUNK]
        rows = parser.parse(chunk, tick)
        # the cells are parsed: they go now (a sheet is imported once, then dropped)
        lines[start : start + CHUNK] = [_READ] * len(chunk)
        del chunk
        yield from ticking(rows, progress, "matching")
        flush(planner)
        if progress:
            progress("writing", min(CHUNK, total - start), total)


_READ: tuple[int, list[str]] = (0, [])  # a line whose cells are parsed and planned
TABLE_ORDER = ("customer", "contact", "contact_point", "address", "opportunity", "activity", "task")


def flush(planner: Planner) -> None:
    """Write the rows planned so far and forget them; a file with problems, or a dry
    run, writes nothing (the counts are in the report already)."""
    writing = not (planner.problems or planner.conflicts or planner.options.dry_run)
    if writing and any(planner.inserts.values()):
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
    """The batch's final counts, its updates and look-alikes (its new rows are written
    chunk by chunk as they are planned)."""
    if planner.batch_written:
        batch = m.ImportBatch.__table__  # type: ignore[attr-defined]
        counts = _batch_counts(planner)
        mine = batch.c.id == planner.batch_id
        planner.conn.execute(update(batch).where(mine).values(counts=counts))
    else:
        insert_batch(planner)
    flush(planner)
    total = len(planner.updates)
    changes = []
    for table_name, record_id, values, before in planner.updates:
        table = planner.table(table_name)
        planner.conn.execute(
            update(table)
            .where(table.c.id == record_id)
            .values(**values, **bumped(table), updated_at=planner.stamp)
        )
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


def ticking(rows: list[im.Row], progress: Progress | None, phase: str) -> Iterator[im.Row]:
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
    """Check every row, then write them all in one transaction (or, with dry_run, none).
    The sheet's rows are consumed (each chunk's cells are let go once planned)."""
    if options.mode not in im.MODES:
        raise BadInput(
            f"unknown mode {options.mode!r} (one of: {', '.join(im.MODES)})", field="--mode"
        )
    if options.on_conflict not in im.ON_CONFLICT:
        raise BadInput(
            f"unknown choice {options.on_conflict!r} (one of: {', '.join(im.ON_CONFLICT)})",
            field="--on-conflict",
        )
    if options.on_duplicate not in ON_DUPLICATE:
        raise BadInput(
            f"unknown choice {options.on_duplicate!r} (one of: {', '.join(ON_DUPLICATE)})",
            field="--on-duplicate",
        )
    if options.mode == "upsert":
        options.on_conflict = "update"
    for name, code in (("--currency", options.currency), (CURRENCY_ENV, options.default_currency)):
        if code is not None:
            try:
                currency_code(code)
            except ValueError as exc:
                raise BadInput(str(exc), field=name) from None
    with paused_gc(), store.write(FixedClock(now)) as session:
        planner = Planner(session, sheet, options, now)
        report = plan_and_write(planner, progress)
        if options.dry_run:
            session.rollback()
    return report
