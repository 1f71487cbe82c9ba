"""Exports: every kind of record to CSV, JSON, JSON Lines and XLSX; contacts to vCard
4.0; open tasks to iCalendar. Reads go through SQLAlchemy Core: no ORM objects."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salesbench.core.errors import BadInput
from salesbench.core.jsonable import plain
from salesbench.core.record_kinds import TABLE_OF_KIND
from salesbench.io import export_reach
from salesbench.io.cells import cell, ooxml_text, sheet_cell
from salesbench.io.private_files import write_private
from salesbench.store.engine import Store

if TYPE_CHECKING:
    import sqlalchemy

KINDS = tuple(TABLE_OF_KIND)
FORMATS = ("csv", "json", "jsonl", "xlsx")
MONEY = {"amount", "annual_purchase"}
SINGULAR = TABLE_OF_KIND  # a table is named for one record of its kind


@dataclass
class Table:
    kind: str
    columns: list[str]
    rows: list[dict[str, Any]]


def _model(kind: str) -> Any:
    from salesbench.store import models as m

    return m.TABLES[TABLE_OF_KIND[kind]]


def _table(kind: str) -> sqlalchemy.Table:
    table: sqlalchemy.Table = _model(kind).__table__
    return table


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise BadInput(f"unknown kind {kind!r} (one of: {', '.join(KINDS)})", field="kind")


def read(
    store: Store, kind: str, *, since: date | None = None, owner_id: uuid.UUID | None = None
) -> Table:
    """The records of one kind, with the customer's name and the owner's email beside them;
    with `owner_id`, only that rep's records (for reps, only that rep)."""
    from sqlalchemy import select

    check_kind(kind)
    table = _table(kind)
    customers, reps = _table("customers"), _table("reps")
    columns = [c.name for c in table.columns]
    query = select(table)
    extra: list[str] = []
    if "customer_id" in columns:
        customer_id: sqlalchemy.ColumnElement[Any] = table.c.customer_id
        if "opportunity_id" in columns:  # a deal's task or activity: its deal's customer
            from sqlalchemy import func

            opps = _table("opportunities").alias("deal")
            query = query.outerjoin(opps, opps.c.id == table.c.opportunity_id)
            customer_id = func.coalesce(table.c.customer_id, opps.c.customer_id)
        query = query.add_columns(customers.c.name.label("customer_name")).outerjoin(
            customers, customers.c.id == customer_id
        )
        extra.append("customer_name")
    if "owner_id" in columns:
        query = query.add_columns(reps.c.email.label("owner_email")).outerjoin(
            reps, reps.c.id == table.c.owner_id
        )
        extra.append("owner_email")
    with store.read() as session:
        if since is not None:
            query = query.where(table.c.updated_at >= datetime.combine(since, time(0), UTC))
        if owner_id is not None:
            owner_col = table.c.owner_id if "owner_id" in columns else table.c.id
            query = query.where(owner_col == owner_id)
        query = query.order_by(table.c.created_at, table.c.id)
        rows = [dict(r._mapping) for r in session.connection().execute(query)]
    for row in rows:
        for key in MONEY & row.keys():
            if row[key] is not None:
                row[key] = (Decimal(row[key]) / 100).quantize(Decimal("0.01"))
    return export_reach.with_reach(store, Table(kind, columns + extra, rows))


# ---------------------------------------------------------------- writers


def to_csv(table: Table, *, excel: bool = False) -> bytes:
    """UTF-8 CSV; with `excel`, a byte-order mark so Excel reads the Chinese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([cell(row.get(c)) for c in table.columns])
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if excel else data


def to_json(table: Table) -> bytes:
    rows = [{c: row.get(c) for c in table.columns} for row in table.rows]
    return (json.dumps(rows, ensure_ascii=False, indent=2, default=plain) + "\n").encode("utf-8")


def to_jsonl(table: Table) -> bytes:
    lines = (
        json.dumps({c: row.get(c) for c in table.columns}, ensure_ascii=False, default=plain)
        for row in table.rows
    )
    return "".join(line + "\n" for line in lines).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.kind
    sheet.append(table.columns)
    widths = [len(c) for c in table.columns]
    for row in table.rows:
        values = []
        for n, column in enumerate(table.columns):
            value = row.get(column)
            value = sheet_cell(value) if not isinstance(value, Decimal) else float(value)
            if isinstance(value, str):
                value = ooxml_text(value)
            values.append(value)
            widths[n] = max(widths[n], min(60, len(str(value))))
        sheet.append(values)
        for value_cell in sheet[sheet.max_row]:
            if isinstance(value_cell.value, str) and value_cell.data_type != "s":
                value_cell.data_type = "s"  # text as typed: never a formula (no "'" needed)
    sheet.freeze_panes = "A2"
    for n, column in enumerate(table.columns):
        letter = get_column_letter(n + 1)
        sheet.column_dimensions[letter].width = widths[n] + 2
        if column in MONEY:
            for (value_cell,) in sheet.iter_rows(min_row=2, min_col=n + 1, max_col=n + 1):
                value_cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {"csv": to_csv, "json": to_json, "jsonl": to_jsonl, "xlsx": to_xlsx}


# ---------------------------------------------------------------- vCard and iCalendar


def to_vcard(table: Table) -> bytes:
    """vCard 4.0, one card per contact, with the company as ORG."""
    from salesbench.io.export_vcard import to_vcard as cards

    return cards(table.rows)


def to_ics(
    table: Table,
    *,
    as_events: bool = False,
    calendar_name: str = "salesbench",
    zones: dict[uuid.UUID, str] | None = None,
) -> bytes:
    """Open tasks as VTODO with DUE (or VEVENT of 30 minutes at the due time); `zones`,
    the owners' timezones, tell a task due on a day from one due at a time."""
    from salesbench.io.export_ics import to_ics as calendar

    return calendar(table.rows, as_events=as_events, calendar_name=calendar_name, zones=zones)


def ics_count(table: Table, *, as_events: bool = False) -> int:
    """How many tasks `to_ics` writes: the open ones (as events, those with a due time)."""
    from salesbench.io.export_ics import written

    return len(written(table.rows, as_events=as_events))


def rep_zones(store: Store) -> dict[uuid.UUID, str]:
    """Every rep's timezone, by id."""
    from sqlalchemy import select

    reps = _table("reps")
    with store.read() as session:
        found = session.connection().execute(select(reps.c.id, reps.c.timezone))
        return {r.id: r.timezone for r in found}


def write(data: bytes, out: Path | None, *, force: bool = False) -> None:
    """`data` to the private file `out` (refused if it exists, unless `force`), else to
    standard output: exactly, or with control characters made inert on a terminal."""
    if out is None:
        import sys

        if sys.stdout.isatty():
            data = _inert_bytes(data)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_private(data, out, force=force)


def _inert_bytes(data: bytes) -> bytes:
    """Text shown on a terminal: no stored ESC sequence reaches it (binary as it is)."""
    from salesbench.core.render import inert

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return inert(text).encode("utf-8")
