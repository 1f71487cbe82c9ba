"""Opening a database the way every command does."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from salesbench.core.errors import BadInput
from salesbench.store.damage import (
    damaged,
    has_sqlite_header,
    in_use,
    is_busy,
    marked_damaged,
    read_only_reason,
    unreadable,
)
from salesbench.store.engine import BUSY_TIMEOUT_MS, FileIdentity, Notify, Store, make_engine
from salesbench.store.location import DbLocation, resolve
from salesbench.store.locks import file_lock, lock_path
from salesbench.store.migrate import ensure_head_serialised

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# How long opening a database waits for a restore in another process to finish.
RESTORE_WAIT_S = 300.0


def open_store(
    db: str | None = None,
    *,
    upgrade: bool = True,
    lazy: bool = False,
    on_wait: Notify | None = None,
) -> Store:
    """The database at `db` (else SALESBENCH_DB, else the user data folder), brought to
    the head revision. `lazy` defers both to the first use of the store's engine.

    A SQLite store holds a shared lock on the database's "open" lock file while open,
    so `restore` knows the database is in use; `on_wait` is told when the store waits
    for another process (a restore, a migration, a writer)."""
    location = resolve(db)
    if location.path is not None:
        refuse_unusable(location.path)
    held = ExitStack()
    try:
        if location.path is not None:
            hold_open(held, location.path, on_wait)
        if lazy:
            # a file there now must be the one the engine opens later: never a new one
            found = None if location.path is None else FileIdentity.if_there(location.path)
            return Store(
                location,
                opener=lambda: _engine(location, upgrade, on_wait, found),
                on_wait=on_wait,
                held=held,
            )
        return Store(location, _engine(location, upgrade, on_wait), on_wait=on_wait, held=held)
    except BaseException:
        held.close()
        raise


def refuse_unusable(path: Path) -> None:
    """Before anything is made beside the SQLite file at `path` (a lock file, a -wal or
    -shm): refuse it if it is no salesbench database, or damage was seen in it."""
    refuse_what_is_no_database(path)
    seen = marked_damaged(path)
    if seen is not None:
        raise seen


def refuse_what_is_no_database(path: Path) -> None:
    """BadInput (naming --db) if `path` is something else than a salesbench database
    or a file to make one in (none yet, or empty): a folder, a file that is no SQLite
    database, another program's SQLite database. Told before any file is made beside
    it; a database salesbench cannot tell apart now (busy, damaged) is left to the
    open itself, which says what it finds."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return
    except OSError:
        return  # a folder we may not look into: the open says so
    said = f"{path} is not a salesbench database"
    if stat.S_ISDIR(found.st_mode):
        raise BadInput(f"{said}: it is a folder", field="--db")
    if not stat.S_ISREG(found.st_mode) or found.st_size == 0:
        return
    # a file salesbench opened before as its database has its "open" lock file beside
    # it (made only after this check): one stat instead of a look inside (~4 ms)
    ours = lock_path(path, "open").exists()
    cannot = unreadable(path)
    if cannot is not None:  # a file we may not read is not a damaged one
        raise cannot
    if not has_sqlite_header(path):
        if ours:  # it was a database: its first page is damaged
            raise damaged(path, "its header is not a SQLite database's")
        raise BadInput(
            f"{said}: it is no SQLite file (if it was your database, it is damaged: run "
            "`salesbench doctor`)",
            field="--db",
        )
    if not ours and _other_programs(path):
        raise BadInput(f"{said}: it is a SQLite database without salesbench's tables", field="--db")


def _other_programs(path: Path) -> bool:
    """Whether the SQLite file at `path` holds tables and none is salesbench's schema
    revision. Never waits: a file busy now is judged by the open itself."""
    try:
        conn = sqlite3.connect(path, timeout=0)
        try:
            found = conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            names = {r[0] for r in found}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(names) and "alembic_version" not in names


def hold_open(held: ExitStack, path: Path, on_wait: Notify | None = None) -> None:
    """Take the shared "open" lock of the database at `path` into `held`. A location
    where the lock file cannot be made (a read-only folder) is opened without it:
    nothing can restore into it either."""
    try:
        held.enter_context(
            file_lock(
                lock_path(path, "open"),
                shared=True,
                wait=RESTORE_WAIT_S,
                waiting=(lambda: on_wait(f"waiting for a restore of {path} to finish…"))
                if on_wait is not None
                else None,
                busy=f"{path} is being restored by another salesbench process; try again",
            )
        )
    except PermissionError:
        pass
    except OSError as exc:
        import errno

        if exc.errno != errno.EROFS:
            raise


def _engine(
    location: DbLocation,
    upgrade: bool,
    on_wait: Notify | None = None,
    identity: FileIdentity | None = None,
) -> Engine:
    engine = make_engine(location, identity)
    if upgrade:
        ensure_head_serialised(location, engine, on_wait)
    return engine


def read_connection(path: Path, timeout: float = BUSY_TIMEOUT_MS / 1000) -> sqlite3.Connection:
    """`path` opened for reading only, for `backup`, `restore` and `doctor`. Opened
    read-write but query-only where it may be: the last connection to close then
    removes the -wal and -shm files, which one opened read-only leaves beside the file
    (a backup would gain them, the live database keep them). Where SQLite cannot make
    its shared-memory file (a read-only folder) a file without a write-ahead log is
    read as immutable."""
    try:
        writable = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=timeout)
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise in_use(path) from exc
        # else the file takes no write: read it read-only
    else:
        try:
            writable.execute("PRAGMA query_only=1")
            writable.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return writable
        except sqlite3.OperationalError as exc:
            writable.close()  # its folder takes no -shm: read it read-only
            if is_busy(exc):
                raise in_use(path) from exc
        except BaseException:
            writable.close()
            raise
    uri = f"file:{quote(str(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if is_busy(exc):
            raise in_use(path) from exc
        # immutable only for a folder that cannot take the -shm file (CANTOPEN,
        # READONLY there), never for a database that is merely locked
        if not _shm_refused(exc) or read_only_reason(path) is None:
            raise
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise
    return sqlite3.connect(f"{uri}&immutable=1", uri=True)


def _shm_refused(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_READONLY,
    )
