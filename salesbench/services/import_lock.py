"""One import at a time: the second waits, then plans against what the first wrote, so
two imports of one file at once give one set of records. One lock for every kind, not
one per kind: a contacts, deals or tasks file creates the companies it names, as a
customers file does, and two kinds planned side by side would both create them.

SQLite: an flock on `.NAME.import.lock` beside the database, held from before
the plan is read until after its write commits. PostgreSQL: a transaction-level
advisory lock, taken first in the transaction that plans and writes (released by its
commit or rollback, or with the connection if the process dies).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

from salesbench.core.errors import BadInput
from salesbench.store.locks import advisory_key, file_lock, lock_path

Waiting = Callable[[str], None]  # told once, with what the import waits for


def waiting_line(kind: str) -> str:
    return f"waiting for another import into this database to finish before importing {kind}…"


@contextmanager
def file_import_lock(db: Path, kind: str, waiting: Waiting | None) -> Iterator[None]:
    """Hold the SQLite database's import lock for the block (`kind` is for the message)."""
    told = (lambda: waiting(waiting_line(kind))) if waiting else None
    with ExitStack() as stack:
        try:
            stack.enter_context(
                file_lock(
                    lock_path(db, "import"),
                    waiting=told,
                    busy="another import is running",
                )
            )
        except OSError as exc:
            raise unwritable(db, exc) from None
        yield


def unwritable(db: Path, exc: OSError) -> BadInput:
    return BadInput(
        f"{db.parent}: cannot write there ({exc.strerror or exc}): an import keeps its lock "
        "and its checked rows beside the database"
    )


def advisory_import_lock(conn: Connection, kind: str, waiting: Waiting | None) -> None:
    """Take the PostgreSQL import lock in `conn`'s transaction (waiting for it, and
    saying so, if another transaction holds it)."""
    key = advisory_key("import")
    got = conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}).scalar()
    if not got:
        if waiting is not None:
            waiting(waiting_line(kind))
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
