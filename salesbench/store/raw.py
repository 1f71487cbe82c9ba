"""Plain SQL reads for hot paths, on the standard library when the database is SQLite.

Importing SQLAlchemy costs a third of a second; the queue is read many times a
day from scripts and prompts, so for a SQLite file already at the head revision
it is read with `sqlite3` directly. Other databases go through SQLAlchemy with
the same SQL and the same row interface.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, Protocol

from salesbench.store.location import resolve

_TS = "%Y-%m-%d %H:%M:%S.%f"


class Rows(Protocol):
    def all(self, sql: str, **params: Any) -> list[dict[str, Any]]: ...
    def uid(self, value: uuid.UUID) -> Any: ...
    def ts(self, value: datetime) -> Any: ...


class SqliteRows:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.row_factory = sqlite3.Row

    def all(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(sql, params)]

    def uid(self, value: uuid.UUID) -> Any:
        return value.hex

    def ts(self, value: datetime) -> Any:
        return value.astimezone(UTC).strftime(_TS)


class AlchemyRows:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def all(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        from sqlalchemy import text

        return [dict(r) for r in self.conn.execute(text(sql), params).mappings()]

    def uid(self, value: uuid.UUID) -> Any:
        return value

    def ts(self, value: datetime) -> Any:
        return value


def to_uuid(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


def hex_id(value: Any) -> str:
    """An id as 32 hex digits, cheaply: the key hot paths group by."""
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value).replace("-", "").lower()


def dashed(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def to_dt(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def to_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@contextmanager
def reading(db: str | None) -> Iterator[Rows]:
    """Rows to read from, on the fastest path the database allows."""
    from salesbench.store.migrate import HEAD_REVISION, sqlite_revision

    location = resolve(db)
    path = location.path
    if path is not None and path.exists() and sqlite_revision(path) == HEAD_REVISION:
        conn = sqlite3.connect(path, timeout=10)
        try:
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA query_only=1")
            yield SqliteRows(conn)
        finally:
            conn.close()
        return
    from salesbench.store.open import open_store

    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            yield AlchemyRows(conn)
    finally:
        store.close()
