"""Plain SQL reads for hot paths, on the standard library when the database is SQLite.

Importing SQLAlchemy costs a third of a second; the queue is read many times a
day from scripts and prompts, so for a SQLite file already at the head revision
it is read with `sqlite3` directly. Other databases go through SQLAlchemy with
the same SQL and the same row interface.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote
from zoneinfo import ZoneInfo

from salesbench.core.errors import DatabaseReplaced
from salesbench.core.ids import hex32

if TYPE_CHECKING:
    from salesbench.store.engine import Store

_TS = "%Y-%m-%d %H:%M:%S.%f"
_ZONE_UTC = ZoneInfo("UTC")
_NAMED = re.compile(r"(?<![:\w]):(\w+)")


class Rows(Protocol):
    def all(self, sql: str, **params: Any) -> list[dict[str, Any]]: ...
    def each(self, sql: str, **params: Any) -> Iterator[Mapping[str, Any]]: ...
    def uid(self, value: uuid.UUID) -> Any: ...
    def ts(self, value: datetime) -> Any: ...


class SqliteRows:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.row_factory = sqlite3.Row

    def all(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        # plain tuples zipped with the column names: a third faster than dict(Row),
        # which looks every column up by name (the queue reads ~1,400 rows first)
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def each(self, sql: str, **params: Any) -> Iterator[Mapping[str, Any]]:
        """Rows read by column name without copying each into a dict: for big reads."""
        return iter(self.conn.execute(sql, params))

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

    def each(self, sql: str, **params: Any) -> Iterator[Mapping[str, Any]]:
        if self.conn.dialect.name == "postgresql":
            return self._psycopg(sql, params)
        from sqlalchemy import text

        # all at once: iterating a result fetches row by row through the driver
        return iter(self.conn.execute(text(sql), params).mappings().all())

    def _psycopg(self, sql: str, params: dict[str, Any]) -> Iterator[Mapping[str, Any]]:
        """Big reads straight from psycopg, in the connection's transaction: SQLAlchemy's
        result rows cost more than the query, and ids come back as text, which is all
        the readers need of them."""
        from psycopg.rows import dict_row
        from psycopg.types.string import TextLoader

        cursor = self.conn.connection.driver_connection.cursor(row_factory=dict_row)
        cursor.adapters.register_loader("uuid", TextLoader)
        pyformat = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        cursor.execute(pyformat, params)
        return iter(cursor.fetchall())

    def uid(self, value: uuid.UUID) -> Any:
        # raw SQL binds no column types: on SQLite give what the Uuid type stores
        return value.hex if self._sqlite else value

    def ts(self, value: datetime) -> Any:
        return value.astimezone(UTC).strftime(_TS) if self._sqlite else value

    @property
    def _sqlite(self) -> bool:
        return bool(self.conn.dialect.name == "sqlite")


def session_rows(session: Any) -> AlchemyRows:
    """Rows read in an ORM session's own transaction, for the rules both stacks share.
    Pending changes are flushed first, as an ORM query would, so they are seen."""
    session.flush()
    return AlchemyRows(session.connection())


def id_list(ids: Iterable[str], rows: Rows, name: str = "i") -> tuple[str, dict[str, Any]]:
    """`(:i0, :i1, ...)` and its parameters, for `column IN` over ids given as hex."""
    params = {f"{name}{n}": rows.uid(uuid.UUID(v)) for n, v in enumerate(sorted(ids))}
    if not params:
        return "(NULL)", {}
    return "(" + ", ".join(f":{k}" for k in params) + ")", params


REP_COLUMNS = (
    "id, name, email, team, region, branch, role, language, "
    "timezone, workday_start, workday_end, workdays"
)


def rep_rows(rows: Rows) -> list[dict[str, Any]]:
    """Every rep, by name: what the rules of core.reps choose from."""
    return rows.all(f"SELECT {REP_COLUMNS} FROM rep ORDER BY name")


def imported_playbooks(rows: Rows) -> dict[tuple[str, str], str]:
    """The team's own playbook files, by (key, language)."""
    return {
        (r["key"], r["language"]): r["source"]
        for r in rows.all("SELECT key, language, source FROM playbook")
    }


def skip_index(rows: Rows) -> str:
    """SQLite's unary `+`, which keeps the planner off an index on the column it
    prefixes; other databases plan for themselves (and have no such operator on text)."""
    return "+" if isinstance(rows, SqliteRows) else ""


KEY_SEPARATOR = "\x1f"  # ASCII's unit separator: in no key, name or title


def joined(rows: Rows, column: str) -> str:
    """An aggregate of `column`'s values in a group as one text, KEY_SEPARATOR between."""
    if isinstance(rows, SqliteRows) or (isinstance(rows, AlchemyRows) and rows._sqlite):
        return f"group_concat({column}, char(31))"
    return f"string_agg({column}, chr(31))"


def to_uuid(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


# An id as 32 hex digits, cheaply: the key hot paths group by.
hex_id = hex32


def dashed(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def to_dt(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is UTC or value.tzinfo is _ZONE_UTC:
            return value  # a server session in UTC (see store.engine) hands these back
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    text = str(value)
    if len(text) in (19, 26):  # SQLite's naive UTC text; parsing it aware is much faster
        return datetime.fromisoformat(text + "+00:00")
    parsed = datetime.fromisoformat(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def to_instant(value: Any) -> datetime:
    """A NOT NULL time column's value."""
    found = to_dt(value)
    if found is None:
        raise ValueError("a time column that cannot be empty was empty")
    return found


def to_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# Held by whoever first imports SQLAlchemy and opens an engine: two threads importing it
# at the same moment see it half initialised ("cannot import name … from partially
# initialized module"). The workbench's own opening holds it too (tui/reads.py).
FIRST_ENGINE = threading.RLock()


def _open_existing(path: Path) -> sqlite3.Connection:
    """The file as it is: a plain connect would create it empty if it went after the
    revision was read (and the reader would then fail on a missing table)."""
    try:
        return sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=10)
    except sqlite3.OperationalError:
        if path.exists():
            raise
        raise DatabaseReplaced.at(path) from None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


@contextmanager
def store_rows(store: Store) -> Iterator[Rows]:
    """Rows to read the store from: a SQLite file at the head revision is read with
    `sqlite3` itself (SQLAlchemy is not even imported); anything else through the
    store's engine, which a lazy store only then creates and upgrades."""
    from salesbench.store.migrate import HEAD_REVISION, sqlite_revision

    path = store.location.path
    if path is not None and path.exists() and sqlite_revision(path) == HEAD_REVISION:
        conn = _open_existing(path)
        opened = _identity(path)
        try:
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA query_only=1")
            # reports read a good part of the file; mapping it saves a copy per page
            conn.execute("PRAGMA mmap_size=268435456")
            yield SqliteRows(conn)
        except sqlite3.DatabaseError:
            # a file removed under an open WAL reader answers "disk I/O error": that is
            # the file gone, not a damaged disk, and must not be reported as damage
            if opened is None or _identity(path) != opened:
                raise DatabaseReplaced.at(path) from None
            raise
        finally:
            conn.close()
        return
    with FIRST_ENGINE:  # see FIRST_ENGINE
        engine = store.engine
    with engine.connect() as server:
        yield AlchemyRows(server)
