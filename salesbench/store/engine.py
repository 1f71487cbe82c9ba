"""Engines and sessions, with the SQLite settings salesbench relies on."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from salesbench.core.errors import Conflict, DatabaseReplaced
from salesbench.store.location import DbLocation


def _casefold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def _json_dumps(value: Any) -> str:
    # Readable CJK in the database, for anyone who opens it with sqlite3 or psql.
    return json.dumps(value, ensure_ascii=False)


if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from salesbench.core.clock import Clock

# How long a writer waits for another's transaction: the longest import the project
# benchmarks (200,000 rows) writes in one final transaction of well under a minute here.
BUSY_TIMEOUT_MS = 60_000
# After this long waiting, a writer says what it waits for (once).
WAIT_NOTICE_MS = 1_000

# Called with one line to show the person ("waiting for …"); the store never prints.
Notify = Callable[[str], None]


class FileIdentity:
    """The database file as it was when this process opened it: the same path must still
    name the same file (device and inode) before anything is written through it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        found = os.stat(path)
        self.key = (found.st_dev, found.st_ino)

    @classmethod
    def if_there(cls, path: Path) -> FileIdentity | None:
        try:
            return cls(path)
        except FileNotFoundError:
            return None

    def check(self) -> None:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            found = None
        if found is None or (found.st_dev, found.st_ino) != self.key:
            raise DatabaseReplaced.at(self.path)


def ensure_private_file(path: Path) -> bool:
    """Create the database file readable by its owner only; True if it was created.

    SQLite gives its -wal and -shm files the mode of the database file, so they
    stay private too. An existing file is left as it is (`doctor` reports it).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, 0o600)  # the umask may have cleared bits, never added them; be explicit
    return True


def _need_psycopg() -> None:
    """psycopg is the `team` extra: without it a server URL gets one line, not a traceback."""
    from importlib.util import find_spec

    if find_spec("psycopg") is None:
        from salesbench.core.errors import BadInput

        raise BadInput(
            "a PostgreSQL database needs psycopg, which comes with the team extra: "
            "pip install 'salesbench[team]'"
        )


def make_engine(location: DbLocation, identity: FileIdentity | None = None) -> Engine:
    """An engine for the database; for a SQLite file, `identity` is the file as the
    store first saw it (a lazy store opens its engine later): it must still be there."""
    from sqlalchemy import create_engine, event

    if location.path is None:
        if location.url.startswith("postgresql"):
            _need_psycopg()
        # Times travel as UTC whatever the server's own timezone: the same instants,
        # but read back without a conversion per value.
        options = {"options": "-c timezone=UTC"} if location.url.startswith("postgresql") else {}
        return create_engine(
            location.url, pool_pre_ping=True, json_serializer=_json_dumps, connect_args=options
        )

    if identity is not None:
        identity.check()
    else:
        ensure_private_file(location.path)
        identity = FileIdentity(location.path)
    from sqlalchemy.engine import URL

    # The file given as a URL object, not as text: a `?` in a file name (`w15?mode=ro.db`)
    # is then part of the path, never a query string SQLAlchemy warns about. `do_connect`
    # below opens the file by its own URI anyway.
    engine = create_engine(
        URL.create("sqlite", database=str(location.path)),
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        json_serializer=_json_dumps,
    )

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        # Never open (and so create) a file that is not the one opened first: a new
        # connection to a removed database would make an empty one and carry on.
        identity.check()
        cargs[:] = [f"file:{quote(str(identity.path))}?mode=rw"]
        cparams["uri"] = True

    @event.listens_for(engine, "connect")
    def _configure(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below own transactions, so writers can
        # take the write lock up front (BEGIN IMMEDIATE) instead of failing on
        # a read-to-write upgrade under contention.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()
        # SQLite's lower() folds ASCII only: "Österreich AG" would never equal what a
        # person types in another case. Names are compared through Python's casefold.
        dbapi_conn.create_function("casefold", 1, _casefold, deterministic=True)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        options = conn.get_execution_options()
        mode = options.get("sqlite_begin", "DEFERRED")
        identity.check()
        notify = options.get("on_wait")
        if mode == "DEFERRED" or notify is None:
            conn.exec_driver_sql(f"BEGIN {mode}")
        elif not _began(conn, mode):
            notify()
            conn.exec_driver_sql(f"BEGIN {mode}")
        try:
            identity.check()  # it may have gone while this process waited for the lock
        except DatabaseReplaced:
            conn.exec_driver_sql("ROLLBACK")
            raise

    return engine


def _began(conn: Any, mode: str) -> bool:
    """Begin, waiting at most WAIT_NOTICE_MS for the write lock; False if another
    process still held it then (nothing begun: the caller says so and waits longer)."""
    raw = conn.connection.dbapi_connection
    raw.execute(f"PRAGMA busy_timeout={WAIT_NOTICE_MS}")
    try:
        raw.execute(f"BEGIN {mode}")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY:
            return False
        conn.exec_driver_sql(f"BEGIN {mode}")  # fails again, as SQLAlchemy reports errors
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return True


class Store:
    """An open database: the engine plus sessions for reading and writing.

    A lazy store (given `opener` instead of an engine) creates its engine on first
    use: fast readers that read a SQLite file with `sqlite3` never pay for it."""

    def __init__(
        self,
        location: DbLocation,
        engine: Engine | None = None,
        *,
        opener: Callable[[], Engine] | None = None,
        on_wait: Notify | None = None,
        held: ExitStack | None = None,
    ) -> None:
        """`on_wait` is told, once, when a write has waited a while for another
        process's; `held` (the locks the store holds while open) is closed with it."""
        if engine is None and opener is None:
            raise ValueError("a store needs an engine or a way to open one")
        self.location = location
        self._engine = engine
        self._opener = opener
        self._on_wait = on_wait
        self._held = held if held is not None else ExitStack()
        self._told = False

    def tell_waits(self, on_wait: Notify) -> None:
        """From now on tell `on_wait` (once per write) when a write waits for another
        process's: a long-lived shell (the workbench) given an open store."""
        self._on_wait = on_wait

    def _waiting(self) -> None:
        if self._on_wait is not None and not self._told:
            self._told = True
            self._on_wait(
                "waiting for another salesbench process to finish writing to "
                f"{self.location.display()}…"
            )

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            assert self._opener is not None
            self._engine = self._opener()
        return self._engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, clock: Clock) -> Iterator[Session]:
        """A session whose changes are committed together, or not at all; the records
        it makes or changes are stamped with `clock`'s time."""
        from sqlalchemy import event
        from sqlalchemy.orm.exc import StaleDataError
        from sqlmodel import Session

        from salesbench.store.stamps import stamp_changes, stamping

        self._told = False  # each write says it waits, not only the first of a long-lived store
        with stamping(clock.now()), Session(self.engine, expire_on_commit=False) as session:
            event.listen(session, "before_flush", stamp_changes)
            session.connection(
                execution_options={"sqlite_begin": "IMMEDIATE", "on_wait": self._waiting}
            )
            try:
                yield session
                session.commit()
            except StaleDataError as exc:
                session.rollback()
                # "UPDATE statement on table 'customer' expected to update 1 row(s); ..."
                table = str(exc).partition("table '")[2].partition("'")[0] or "record"
                raise Conflict(
                    f"someone else changed this {table} at the same moment; "
                    "nothing was saved: read it again and redo the change"
                ) from None
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._held.close()
