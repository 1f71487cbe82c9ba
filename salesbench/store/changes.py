"""Has anyone written to the database since I last looked? A mark that changes when a
transaction commits, cheap enough to ask every few seconds: the workbench polls it to
show other processes' writes without a key.

SQLite: `PRAGMA data_version` on one connection kept for asking; it changes only when
ANOTHER connection commits, which is what is wanted (the workbench's own writes go
through other connections, so they count too, and the screen rereads after them
anyway). The file's identity is part of the mark: a file replaced or removed under the
workbench changes it, and the reread that follows stops the workbench as it should.

PostgreSQL: the next transaction id of the server's snapshot (`pg_current_snapshot`)
moves whenever a transaction that writes commits or begins; reads take none. It counts
writes to any database on the server, so it may ask for a reread that finds nothing
new, never miss one.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from salesbench.store.engine import Store


class ChangeWatch:
    """`mark()` is equal between two calls exactly when nothing was committed in
    between (None: cannot tell, e.g. no database there yet). Safe from any thread."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._closed = False

    def mark(self) -> Any:
        path = self._store.location.path
        with self._lock:
            if self._closed:
                return None
            if path is None:
                return self._server_mark()
            try:
                found = os.stat(path)
            except FileNotFoundError:
                return ("gone",)
            try:
                if self._conn is None:
                    # read-write (never create): a read-only open leaves -shm files behind
                    self._conn = sqlite3.connect(
                        f"file:{quote(str(path))}?mode=rw",
                        uri=True,
                        timeout=1,
                        check_same_thread=False,
                    )
                    self._conn.execute("PRAGMA query_only=1")
                version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                self._drop()
                return None  # busy or unreadable this time: ask again later
            return (found.st_dev, found.st_ino, version)

    def _server_mark(self) -> Any:
        from sqlalchemy import text

        with self._store.engine.connect() as conn:
            return conn.execute(
                text("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")
            ).scalar()

    def close(self) -> None:
        """For good: a mark asked for afterwards is None."""
        with self._lock:
            self._closed = True
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
