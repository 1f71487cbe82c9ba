"""Rows planned for a SQLite database, kept out of it until one short write.

An import plans for many seconds; holding SQLite's write lock all that time would
make every other writer wait or fail. So the planned rows go, chunk by chunk (memory
stays flat), into a private scratch SQLite file beside the database, and the write
copies them across in one transaction (`ATTACH` and `INSERT … SELECT`, at the speed
of SQLite itself). The scratch tables have no types, constraints or indexes: they
hold the values exactly as bound, and the live tables' own checks apply on the copy.

The file is hidden (`.NAME.PURPOSE-RANDOM.tmp`), created 0600, removed when the
import ends however it ends; one a killed run left behind is removed by the next run
with the same purpose (which holds that purpose's lock, so no live run owns it).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.engine import Connection, Dialect

from salesbench.store.bulk import bound_rows, insert_sql


def _prefix(db: Path, purpose: str) -> str:
    return f".{db.name}.{purpose}-"


def sweep(db: Path, purpose: str) -> int:
    """Remove the scratch files runs of `purpose` left behind (the caller holds the
    purpose's lock, so none is in use); how many."""
    prefix, removed = _prefix(db, purpose), 0
    try:
        names = os.listdir(db.parent)
    except OSError:
        return 0
    for name in names:
        if name.startswith(prefix) and (name.endswith(".tmp") or name.endswith(".tmp-journal")):
            try:
                (db.parent / name).unlink()
                removed += 1
            except FileNotFoundError:
                pass
    return removed


class Staging:
    """A scratch file of rows for the database at `db`, in the order they were added."""

    def __init__(self, db: Path, purpose: str) -> None:
        sweep(db, purpose)
        self.path = db.with_name(f"{_prefix(db, purpose)}{secrets.token_hex(8)}.tmp")
        flags = os.O_CREAT | os.O_EXCL | os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
        os.close(os.open(self.path, flags, 0o600))
        self._alias = f"staged_{secrets.token_hex(4)}"
        self._engines: list[Any] = []
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=OFF")  # scratch: nothing to recover
            self._conn.execute("PRAGMA synchronous=OFF")
            self._conn.execute("BEGIN")
        except BaseException:
            self.close()
            raise
        # by live table: (scratch table, its columns), one per set of columns given
        self._parts: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self.rows = 0

    def add(self, dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Keep `rows` (all naming the same columns) for `table`, bound as `dialect`
        binds them."""
        if not rows:
            return
        assert self._conn is not None
        names, params = bound_rows(dialect, table, rows)
        parts = self._parts.setdefault(table.name, [])
        key = tuple(names)
        scratch = next((name for name, cols in parts if cols == key), None)
        if scratch is None:
            scratch = f"{table.name}__{len(parts)}"
            quote = dialect.identifier_preparer.quote
            columns = ", ".join(quote(n) for n in names)  # no types: values kept as bound
            self._conn.execute(f"CREATE TABLE {quote(scratch)} ({columns})")
            parts.append((scratch, key))
        self._conn.executemany(insert_sql(dialect, scratch, names), params)
        self.rows += len(params)

    def copy_into(self, conn: Connection, order: Iterable[str]) -> None:
        """INSERT every kept row into the live database `conn` writes to (inside the
        caller's transaction), table by table in `order`."""
        assert self._conn is not None
        if not self._parts:
            return
        self._conn.execute("COMMIT")
        alias = self._alias
        engine = conn.engine
        # DETACH is refused inside a transaction: the connection lets go of the file
        # when it goes back to the pool, after the caller's commit or rollback.
        event.listen(engine, "checkin", self._detach)
        self._engines.append(engine)
        conn.exec_driver_sql(f"ATTACH DATABASE ? AS {alias}", (str(self.path),))
        conn.exec_driver_sql("PRAGMA main.cache_size=-16384")  # as bulk: fewer b-tree spills
        quote = conn.dialect.identifier_preparer.quote
        for table_name in order:
            for scratch, names in self._parts.get(table_name, []):
                columns = ", ".join(quote(n) for n in names)
                conn.exec_driver_sql(
                    f"INSERT INTO main.{quote(table_name)} ({columns}) "
                    f"SELECT {columns} FROM {alias}.{quote(scratch)} ORDER BY rowid"
                )

    def attached(self, table_name: str) -> list[str]:
        """The scratch tables of `table_name`'s rows, as named once copy_into attached them."""
        return [f"{self._alias}.{scratch}" for scratch, _ in self._parts.get(table_name, [])]

    def _detach(self, dbapi_conn: Any, _record: Any) -> None:
        try:
            attached = {row[1] for row in dbapi_conn.execute("PRAGMA database_list")}
            if self._alias in attached:
                dbapi_conn.execute(f"DETACH DATABASE {self._alias}")
        except sqlite3.Error:  # the connection is going away: its attachment with it
            pass

    def close(self) -> None:
        """Forget the rows and remove the file."""
        for engine in self._engines:
            if event.contains(engine, "checkin", self._detach):
                event.remove(engine, "checkin", self._detach)
        self._engines.clear()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        for path in (self.path, self.path.with_name(self.path.name + "-journal")):
            path.unlink(missing_ok=True)
