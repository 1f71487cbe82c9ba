"""Locks between salesbench processes sharing one database.

SQLite's own locks cover a transaction; some work spans more than one (a restore, the
first open's migrations, an import planned before it is written), so on SQLite those
take an flock(2) on a lock file beside the database (private, never the database file
itself, whose locks SQLite owns), and on PostgreSQL an advisory lock keyed by
`advisory_key`. flock locks belong to the open file, so they vanish with the process,
even one killed by SIGKILL: a lock can never be left behind.

The lock files themselves stay beside the database (hidden, empty, 0600), on purpose:
a lock belongs to the file's inode, so unlinking one while another process holds it,
or has it open to wait for it, lets a third create a new file of the same name and
lock that, and the two would exclude each other no longer. None is ever made beside a
file that is no salesbench database (store/open.py refuses those first).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from salesbench.core.errors import Conflict

POLL = 0.05  # seconds between tries while waiting for a lock


class LockBusy(Conflict):
    """Another process holds the lock and did not let go within the wait."""


def lock_path(db: Path, purpose: str) -> Path:
    """The lock file for `purpose` ("open", "migrate", "import-customers" …) of the
    database at `db`: hidden, beside it."""
    return db.with_name(f".{db.name}.{purpose}.lock")


@contextmanager
def file_lock(
    path: Path,
    *,
    shared: bool = False,
    wait: float | None = None,
    waiting: Callable[[], None] | None = None,
    busy: str = "another salesbench process is using the database",
) -> Iterator[None]:
    """Hold an flock on `path` (created 0600) for the block. `wait`: seconds to wait for
    it (None: as long as it takes, 0: one try); `waiting` is called once if the lock is
    not free at the first try (to say what the process waits for); LockBusy(`busy`) when
    the wait runs out."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise LockBusy(busy) from None
                if waiting is not None and not told:
                    waiting()
                    told = True
                time.sleep(POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def advisory_key(purpose: str, scope: str = "") -> int:
    """A PostgreSQL advisory lock key (signed 64-bit) for `purpose` within `scope` (the
    database's name, a kind of import …): the same text always gives the same key."""
    digest = hashlib.blake2b(f"salesbench:{purpose}:{scope}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
