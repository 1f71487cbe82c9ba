"""One import of a kind at a time: the second waits, then plans against what the
first wrote, so two imports of one file at once give one set of records.

SQLite: an flock on `.NAME.import-KIND.lock` beside the database, held from before
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
    return f"waiting for another import of {kind} into this database to finish…"


@contextmanager
def file_import_lock(db: Path, kind: str, waiting: Waiting | None) -> Iterator[None]:
    """Hold the SQLite database's import lock for `kind` for the block."""
    told = (lambda: waiting(waiting_line(kind))) if waiting else None
    with ExitStack() as stack:
        try:
            stack.enter_context(
                file_lock(
                    lock_path(db, f"import-{kind}"),
                    waiting=told,
                    busy=f"another import of {kind} is running",
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
    """Take the PostgreSQL import lock for `kind` in `conn`'s transaction (waiting for
    it, and saying so, if another transaction holds it)."""
    key = advisory_key("import", kind)
    got = conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}).scalar()
    if not got:
        if waiting is not None:
            waiting(waiting_line(kind))
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
