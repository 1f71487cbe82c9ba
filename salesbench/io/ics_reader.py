"""iCalendar to-dos (VTODO) as task rows, from salesbench's own export and from
the clients people keep to-dos in (Apple Reminders, Thunderbird, Google Tasks).

SUMMARY is the title; DUE (a DATE, or a DATE-TIME in UTC, with a TZID or
floating) the due time; STATUS COMPLETED, NEEDS-ACTION / IN-PROCESS and
CANCELLED the task's done, open and skipped; COMPLETED when it was done; UID the
source's id (salesbench's own `<uuid>@salesbench` is the task's id; one occurrence
of a recurring to-do, with a RECURRENCE-ID, is `UID/20261214T090000Z`); DESCRIPTION
a `note` custom field. salesbench's export writes the customer after the title,
`Call back (Acme)`; its X-SALESBENCH-* properties, where present, say it plainly.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from salesbench.core.importing import Problem, Sheet
from salesbench.io.encodings import open_text
from salesbench.io.sheets import BadFile, ReadOptions

ICS_COLUMNS = [
    "id",
    "external_id",
    "title",
    "customer",
    "customer_id",
    "opportunity_id",
    "due_at",
    "status",
    "completed_at",
    "note",
]
STATUSES = {
    "COMPLETED": "done",
    "NEEDS-ACTION": "open",
    "IN-PROCESS": "open",
    "CANCELLED": "skipped",
}
# salesbench's own export writes what a VTODO has no property for, and what must
# come back exactly, as X-SALESBENCH-*: property -> column.
X_PREFIX = "X-SALESBENCH-"
X_COLUMNS = {
    "ID": "id",
    "TITLE": "title",
    "CUSTOMER": "customer",
    "CUSTOMER-ID": "customer_id",
    "OPPORTUNITY-ID": "opportunity_id",
    "OWNER": "owner_email",
    "STATUS": "status",
    "DUE-AT": "due_at",
    "EXTERNAL-ID": "external_id",
    "EXTERNAL-SOURCE": "external_source",
    "CUSTOM": "custom",
}


def read(source: str, path: Path, options: ReadOptions) -> Sheet:
    notes: list[str] = []
    handle = open_text(source, path, options.encoding, notes, options.max_size)
    try:
        text = handle.read()
    finally:
        handle.close()
    sheet = _ics(source, text)
    sheet.notes[:0] = notes
    return sheet


def _todo_lines(text: str) -> list[int]:
    """The line each BEGIN:VTODO is on, in order."""
    return [
        n
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VTODO"
    ]


def _ics(source: str, text: str) -> Sheet:
    from icalendar import Calendar

    if "BEGIN:VCALENDAR" not in text[:4096].upper():
        raise BadFile(Problem(source, 1, None, "not an iCalendar file (no BEGIN:VCALENDAR)"))
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, OSError):  # OSError: a TZID too long to look up
        # the parser's own message quotes the line: never shown (it holds customer data)
        raise BadFile(
            Problem(
                source,
                1,
                None,
                "not a readable iCalendar file (a line that is not NAME:value, "
                "or a value or TZID of the wrong form)",
            )
        ) from None
    physical = text.splitlines()
    lines = _todo_lines(text)
    todos: list[tuple[int, dict[str, str]]] = []
    for calendar in calendars:
        ours = "salesbench" in str(calendar.get("prodid", "")).lower()
        for todo in calendar.walk("VTODO"):
            line = lines[len(todos)] if len(todos) < len(lines) else 1
            try:
                row = _row(todo, ours)
            except _Wrong as wrong:
                at = _property_line(physical, line, wrong.name) if wrong.name else line
                raise BadFile(Problem(source, at, wrong.name, wrong.message)) from None
            except (ValueError, TypeError, AttributeError, OSError):
                raise BadFile(
                    Problem(
                        source, line, None, "this to-do cannot be read (a value of the wrong form)"
                    )
                ) from None
            todos.append((line, row))
    if not todos:
        raise BadFile(
            Problem(source, 1, None, "no to-dos (VTODO) in the calendar: nothing to import")
        )
    header = list(ICS_COLUMNS)
    header += sorted({k for _, row in todos for k in row} - set(header))
    rows = [(line, [row.get(c, "") for c in header]) for line, row in todos]
    return Sheet(source, header, rows, [])


class _Wrong(Exception):
    """What is wrong with one property of a to-do (or, without a name, the to-do)."""

    def __init__(self, name: str | None, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


def _property_line(physical: list[str], start: int, name: str) -> int:
    """The line of the to-do starting at line `start` on which property `name` is."""
    for number in range(start, len(physical) + 1):
        line = physical[number - 1].upper()
        if line.startswith((name + ":", name + ";")):
            return number
        if line.strip() == "END:VTODO":
            break
    return start


def _decoded(todo: Any, name: str) -> date | datetime:
    """A DATE or DATE-TIME property; one whose TZID names no timezone (neither a
    VTIMEZONE of the calendar nor one known here) is refused, never read as floating."""
    value: date | datetime = todo.decoded(name)
    zone = todo[name].params.get("TZID")
    if zone and isinstance(value, datetime) and value.tzinfo is None:
        raise _Wrong(
            name.upper(),
            f"TZID={zone} is not a timezone known here (no VTIMEZONE of that name in the "
            "file): use a name such as Europe/Berlin",
        )
    return value


def _recurrence(todo: Any) -> str | None:
    """RECURRENCE-ID, normalised: a DATE-TIME as its UTC instant (20261214T090000Z;
    floating without the Z), a DATE as 20261228."""
    if todo.get("recurrence-id") is None:
        return None
    value = _decoded(todo, "recurrence-id")
    day = f"{value.year:04d}{value.month:02d}{value.day:02d}"
    if not isinstance(value, datetime):
        return day
    if value.tzinfo is not None:
        try:
            value = value.astimezone(UTC)
        except OverflowError:  # 0001-01-01 east of UTC
            raise _Wrong("RECURRENCE-ID", "a moment before the dates salesbench keeps") from None
        day = f"{value.year:04d}{value.month:02d}{value.day:02d}"
    clock = f"T{value.hour:02d}{value.minute:02d}{value.second:02d}"
    return day + clock + ("Z" if value.tzinfo is not None else "")


def _row(todo: Any, ours: bool) -> dict[str, str]:
    row: dict[str, str] = {}
    uid = str(todo.get("uid", "")).strip()
    recurrence = _recurrence(todo)
    own = uid.removesuffix("@salesbench")
    if recurrence is not None and uid:
        # occurrences of a recurring to-do share its UID: the occurrence is UID + when
        row["external_id"] = f"{uid}/{recurrence}"
    elif own != uid or uid.startswith("urn:uuid:"):
        try:
            row["id"] = str(uuid.UUID(own.removeprefix("urn:uuid:")))
        except ValueError:
            row["external_id"] = uid
    elif uid:
        row["external_id"] = uid
    title = str(todo.get("summary", "")).strip()
    if not title and not any(name.upper() == "X-SALESBENCH-TITLE" for name in todo):
        raise _Wrong(None, "this to-do has no SUMMARY (its title): give it one")
    if ours and title.endswith(")") and " (" in title:
        title, _, customer = title[:-1].rpartition(" (")
        row["customer"] = customer
    row["title"] = title
    if todo.get("due") is not None:
        row["due_at"] = _moment(_decoded(todo, "due"))
    status = str(todo.get("status", "")).strip().upper()
    if status:
        row["status"] = STATUSES.get(status, status.lower())
    if todo.get("completed") is not None:
        row["completed_at"] = _moment(_decoded(todo, "completed"))
    description = str(todo.get("description", "")).strip()
    if description:
        row["note"] = description
    written = {
        X_COLUMNS.get(key, key.lower().replace("-", "_")): str(value).strip()
        for name, value in todo.property_items(recursive=False)
        if (key := name.upper().removeprefix(X_PREFIX)) != name.upper()
    }
    if "title" in written:  # the title exactly: the summary's "(customer)" is not read
        row.pop("customer", None)
    row.update(written)
    return row


def _moment(value: date | datetime) -> str:
    """A DATE as YYYY-MM-DD (a day, read in the importing rep's zone); a DATE-TIME
    with its offset (from UTC or its TZID), or without one when floating."""
    return value.isoformat()
