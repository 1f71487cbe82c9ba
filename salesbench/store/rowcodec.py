"""Table rows to JSON-safe values and back, by column type.

Used where rows leave the database as data and must come back exactly: the
`export all` bundle and the before-images `import undo` restores.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Table, Uuid

from salesbench.store.types import UTCDateTime


def _kind(column: Any) -> str:
    t = column.type
    if isinstance(t, UTCDateTime):
        return "datetime"
    if isinstance(t, Uuid):
        return "uuid"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, JSON) or isinstance(getattr(t, "impl", None), JSON):
        return "json"
    return "plain"


def _datetime_in(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_OUT: dict[str, Callable[[Any], Any]] = {
    "datetime": lambda v: v.astimezone(UTC).isoformat(),
    "uuid": str,
    "date": lambda v: v.isoformat(),
    "json": lambda v: v,
    "plain": lambda v: v,
}
_IN: dict[str, Callable[[Any], Any]] = {
    "datetime": _datetime_in,
    "uuid": lambda v: v if isinstance(v, uuid.UUID) else uuid.UUID(str(v)),
    "date": lambda v: v if isinstance(v, date) else date.fromisoformat(v),
    "json": lambda v: v,
    "plain": lambda v: v,
}


def kinds(table: Table) -> dict[str, str]:
    return {c.name: _kind(c) for c in table.columns}


def dump(
    table: Table, row: Mapping[Any, Any], columns: Mapping[str, str] | None = None
) -> dict[str, Any]:
    columns = columns or kinds(table)
    return {
        name: (None if row[name] is None else _OUT[kind](row[name]))
        for name, kind in columns.items()
        if name in row
    }


def load(
    table: Table, data: Mapping[str, Any], columns: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Typed values for the columns in `data`; unknown keys raise KeyError."""
    columns = columns or kinds(table)
    return {
        name: (None if value is None else _IN[columns[name]](value)) for name, value in data.items()
    }
