"""Opening a database the way every command does."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from salesbench.store.engine import FileIdentity, Notify, Store, make_engine
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
