"""`salesbench import`: plan every row against what is stored, then write it all at once.

Reading and checking happen before the first write; the write is one transaction
of SQLAlchemy Core statements (an ORM object per row would be twenty times
slower), recorded as an import batch that `undo_batch` can take back.

Imports take turns, whatever their kind (import_lock). On SQLite the plan is read in a read
transaction (no write lock: other commands go on writing meanwhile), its rows kept in
a scratch file (store.staging), and the write lock is held only for the final copy.
On PostgreSQL, whose locks are per row, the rows go into the import's transaction as
they are planned, and the updates of stored records come last. Either way an update
applies only if the record is still as it was read: a record edited meanwhile makes
the import refuse as a conflict (exit 4), nothing written, rather than revert the edit.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from salesbench.core import importing as im
from salesbench.core.clock import FixedClock
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.import_amounts import Amounts
from salesbench.core.import_identity import ON_DUPLICATE
from salesbench.core.import_sidefiles import strip_footer
from salesbench.core.money import currency_code
from salesbench.core.settings import CURRENCY_ENV
from salesbench.services.import_deals import plan_activities, plan_opportunities, plan_tasks
from salesbench.services.import_errors import explain_integrity
from salesbench.services.import_lock import (
    Waiting,
    advisory_import_lock,
    file_import_lock,
    unwritable,
)
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
from salesbench.services.import_write import flush, write
from salesbench.store.engine import Store
from salesbench.store.staging import Staging

PLANS = {
    "customers": plan_customers,
    "contacts": plan_contacts,
    "opportunities": plan_opportunities,
    "activities": plan_activities,
    "tasks": plan_tasks,
}


def plan_and_write(planner: Planner, progress: Progress | None) -> Report:
    """Plan, then (unless a dry run, or nothing changes) write in the planner's session."""
    report = plan(planner, progress)
    if not planner.options.dry_run and report.changed:
        write(planner, progress)
    return report


def plan(planner: Planner, progress: Progress | None) -> Report:
    """Check and match every row; the rows to create go, chunk by chunk, into the
    staging file (or the planner's transaction, without one)."""
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
    return planner.report


def chunks(planner: Planner, parser: im.RowParser, progress: Progress | None) -> Iterator[im.Row]:
    """The sheet's rows, parsed CHUNK lines at a time; once the planning has taken a
    chunk's last row, what it planned is put away (into the staging file, or inside the
    one transaction, which a problem found later still rolls back whole), so no import
    holds every row's parsed values and insert rows at once."""
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
    waiting: Waiting | None = None,
) -> Report:
    """Check every row, then write them all in one transaction (or, with dry_run, none).
    The sheet's rows are consumed (each chunk's cells are let go once planned).
    `waiting` is told, once, if another import of the kind makes this one wait."""
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
    try:
        with paused_gc():
            if options.dry_run:
                return _dry_run(store, sheet, options, now, progress)
            if store.location.path is None:
                return _in_one_transaction(store, sheet, options, now, progress, waiting)
            return _staged(store, store.location.path, sheet, options, now, progress, waiting)
    except IntegrityError as exc:  # a constraint the plan could not see coming
        raise Conflict(explain_integrity(exc, sheet.source, None)) from None


def _dry_run(
    store: Store, sheet: im.Sheet, options: ImportOptions, now: datetime, progress: Progress | None
) -> Report:
    """Planned in one read transaction (a snapshot: on SQLite, WAL gives one to a reader;
    PostgreSQL is asked for it), with no lock: nothing is written."""
    with store.read() as session:
        if store.engine.dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        report = plan(Planner(session, sheet, options, now), progress)
        session.rollback()
    return report


def _in_one_transaction(
    store: Store,
    sheet: im.Sheet,
    options: ImportOptions,
    now: datetime,
    progress: Progress | None,
    waiting: Waiting | None,
) -> Report:
    """PostgreSQL (or SQLite in memory): plan and write in one transaction, which
    takes the kind's advisory lock before it reads anything."""
    with store.write(FixedClock(now)) as session:
        if store.engine.dialect.name == "postgresql":
            advisory_import_lock(session.connection(), options.kind, waiting)
        return plan_and_write(Planner(session, sheet, options, now), progress)


def _staged(
    store: Store,
    db: Path,
    sheet: im.Sheet,
    options: ImportOptions,
    now: datetime,
    progress: Progress | None,
    waiting: Waiting | None,
) -> Report:
    """SQLite: under the kind's import lock, plan in a read transaction into a staging
    file, then take the write lock for the copy and the updates only."""
    with file_import_lock(db, options.kind, waiting):
        try:
            staging = Staging(db, f"import-{options.kind}")
        except OSError as exc:
            raise unwritable(db, exc) from None
        try:
            with store.read() as session:
                planner = Planner(session, sheet, options, now)
                planner.staging = staging
                report = plan(planner, progress)
                session.rollback()
            if report.changed:
                with store.write(FixedClock(now)) as session:
                    planner.session, planner.conn = session, session.connection()
                    write(planner, progress)
        finally:
            staging.close()
    return report
