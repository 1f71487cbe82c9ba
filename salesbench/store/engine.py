"""Engines and sessions, with the SQLite settings salesbench relies on."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

BUSY_TIMEOUT_MS = 10_000


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


def make_engine(location: DbLocation) -> Engine:
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

    ensure_private_file(location.path)
    engine = create_engine(
        location.url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        json_serializer=_json_dumps,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below own transactions, so writers can
        # take the write lock up front (BEGIN IMMEDIATE) instead of failing on
        # a read-to-write upgrade under contention.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()
        # SQLite's lower() folds ASCII only: "Österreich AG" would never equal what a
        # person types in another case. Names are compared through Python's casefold.
        dbapi_conn.create_function("casefold", 1, _casefold, deterministic=True)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


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
    ) -> None:
        if engine is None and opener is None:
            raise ValueError("a store needs an engine or a way to open one")
        self.location = location
        self._engine = engine
        self._opener = opener

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

        from salesbench.core.errors import Conflict
        from salesbench.store.stamps import stamp_changes, stamping

        with stamping(clock.now()), Session(self.engine, expire_on_commit=False) as session:
            event.listen(session, "before_flush", stamp_changes)
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
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
