"""Whole-database copies with SQLite's online backup API: consistent while in use.

A restore is checked whole before it touches anything, runs only while no other
salesbench process has the database open (the exclusive side of the "open" lock that
every store holds shared), and copies into the live file, which keeps its inode."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from pathlib import Path

from salesbench.core.errors import BadInput, Conflict, SalesbenchError
from salesbench.io.private_files import NO_SPACE, no_space
from salesbench.store.damage import first_problem, forget_damage, remember_damage
from salesbench.store.engine import (
    BUSY_TIMEOUT_MS,
    WAIT_NOTICE_MS,
    Notify,
    ensure_private_file,
    make_engine,
)
from salesbench.store.location import resolve
from salesbench.store.locks import LockBusy, file_lock, lock_path
from salesbench.store.migrate import HEAD_REVISION, ensure_head_serialised, known_revisions
from salesbench.store.open import read_connection

# The tables every salesbench database has had since its first schema revision.
TABLES = ("rep", "customer", "contact", "opportunity", "activity", "complaint", "task")
SQLITE_IOERR_WRITE = 778  # SQLITE_IOERR | 3 << 8: a write(2) failed (EFBIG, EIO, ...)
RESTORE_WAIT_S = 2.0  # for a command that is just finishing; an open workbench never will
OPEN_ELSEWHERE = (
    "the database is open in another salesbench process (close the workbench, wait for "
    "the import): nothing was restored"
)


class SourceDamaged(Conflict):
    """The database being copied has damaged pages: nothing was copied."""

    def __init__(self, source: Path, detail: str, done: str) -> None:
        self.detail = first_problem(detail)
        super().__init__(f"{source} is damaged ({self.detail}): {done}; run `salesbench doctor`")


def _sqlite_path(db: str | None) -> Path:
    location = resolve(db)
    if location.path is None:
        raise BadInput("backup and restore work on a SQLite file; for PostgreSQL use pg_dump")
    return location.path


def _problem(exc: sqlite3.Error, source: Path, target: Path, done: str) -> SalesbenchError:
    """One line for what SQLite said went wrong copying `source` to `target` (the file
    the person named, never the temporary copy beside it)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if primary == sqlite3.SQLITE_FULL:
        return no_space(target, done)
    if code == SQLITE_IOERR_WRITE:  # the source is only read: the copy's write failed
        return BadInput(
            f"cannot write {target}: the disk refused the write (full, over a file-size "
            f"limit, or failing); {done}"
        )
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in str(exc):
        return SourceDamaged(source, str(exc), done)
    return Conflict(f"cannot copy {source} to {target} ({first_problem(exc)}): {done}")


def _wait_for_writers(dst: sqlite3.Connection, waiting: Notify | None, display: str) -> None:
    """Wait (up to the busy timeout) until no other process writes to `dst`'s file, and
    say so after a moment, as every writer does (store/engine.py)."""
    dst.execute(f"PRAGMA busy_timeout={WAIT_NOTICE_MS}")
    try:
        dst.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_BUSY:
            raise
        if waiting is not None:
            waiting(f"waiting for another salesbench process to finish writing to {display}…")
        dst.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        dst.execute("BEGIN IMMEDIATE")
    dst.execute("ROLLBACK")
    dst.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _copy(
    source: Path,
    target: Path,
    *,
    done: str,
    scratch: bool = False,
    named: Path | None = None,
    waiting: Notify | None = None,
    display: str = "",
) -> None:
    """Copy the database `source` into the database file `target` and check the copy.
    A `scratch` target (a temporary file renamed into place only when whole) is written
    without a rollback journal, so a failed copy leaves no -journal beside it; `named`
    is the file to name in messages (default `target`). A live target is copied into
    only once no other process writes to it (`waiting` is told if it has to wait)."""
    said = target if named is None else named
    try:
        src = read_connection(source)
    except sqlite3.Error as exc:
        raise _problem(exc, source, said, done) from None
    try:
        dst = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            if scratch:
                dst.execute("PRAGMA journal_mode=OFF")
            else:
                _wait_for_writers(dst, waiting, display or str(said))
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            check = [r[0] for r in dst.execute("PRAGMA integrity_check")]
            if check != ["ok"]:
                raise SourceDamaged(source, check[0], done)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise _problem(exc, source, said, done) from None
    finally:
        src.close()


def _remove_scratch(tmp: Path) -> None:
    """A temporary copy and whatever SQLite made beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def backup(db: str | None, target: Path) -> Path:
    source = _sqlite_path(db)
    if not source.exists():
        raise BadInput(f"there is no database at {source} yet")
    if target.exists():
        raise Conflict(f"{target} exists; choose another name or remove it first")
    done = "nothing was backed up"
    tmp = target.with_name(f".{target.name}.part")  # named for the finally below
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # a random name, created 0600 and exclusively: a name known in advance could be
        # swapped for a link between its creation and SQLite opening it by path
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        os.close(fd)
        tmp = Path(name)
        try:
            _copy(source, tmp, done=done, scratch=True, named=target)
        except SourceDamaged as exc:
            remember_damage(source, exc.detail)
            raise
        tmp.replace(target)
    except OSError as exc:
        if exc.errno in NO_SPACE:
            raise no_space(target, done) from None
        raise Conflict(f"cannot write {target} ({exc.strerror or exc}): {done}") from None
    finally:
        _remove_scratch(tmp)
    return target


def _not_a_backup_file(source: Path) -> str | None:
    """What `source` is when it is no file a backup could be in, else None."""
    try:
        found = source.stat()
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(found.st_mode):
        return "is a folder, not a backup file"
    if not stat.S_ISREG(found.st_mode):
        return "is not a regular file (a device, a pipe or a socket)"
    if found.st_size == 0:
        return "is empty"
    return None


def check_backup(source: Path) -> str:
    """The schema revision of a backup that `restore` can use; BadInput naming what is
    wrong with it otherwise (damaged, not salesbench's, from a newer salesbench)."""
    done = "nothing was restored"
    what = _not_a_backup_file(source)
    if what:
        raise BadInput(f"{source}: {what}: {done}")
    try:
        conn = read_connection(source)
        try:
            check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if check != ["ok"]:
                what = first_problem("\n".join(check))
                raise BadInput(
                    f"{source}: the backup is damaged ({what}): this backup cannot be "
                    f"restored; {done}"
                )
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables:
                raise BadInput(f"{source}: not a salesbench backup (no schema revision): {done}")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        what = first_problem(exc)
        if isinstance(exc, sqlite3.DatabaseError) and "malformed" in what.casefold():
            raise BadInput(
                f"{source}: the backup is damaged ({what}): this backup cannot be restored; {done}"
            ) from None
        raise BadInput(f"{source}: not a usable SQLite database ({what}): {done}") from None
    revision = None if row is None else str(row[0])
    if revision is None:
        raise BadInput(f"{source}: not a salesbench backup (no schema revision): {done}")
    if revision not in known_revisions():
        raise BadInput(
            f"{source}: the backup is at schema revision {revision}, newer than this "
            f"salesbench knows ({HEAD_REVISION}); upgrade salesbench first: {done}"
        )
    missing = [t for t in TABLES if t not in tables]
    if missing:
        raise BadInput(
            f"{source}: not a whole salesbench backup (no {', '.join(missing)} table): {done}"
        )
    return revision


def lock_holders(lock: Path) -> list[str]:
    """Who holds an flock on `lock`, as "pid N (command)", from Linux's /proc/locks;
    nothing where that cannot be read. A hint for the person, never a decision."""
    try:
        found = lock.stat()
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    where = f"{os.major(found.st_dev):02x}:{os.minor(found.st_dev):02x}:{found.st_ino}"
    pids = sorted(
        {int(f[4]) for f in (line.split() for line in table.splitlines())
         if len(f) > 5 and f[1] == "FLOCK" and f[5] == where and f[4].isdigit()}
    )  # fmt: skip
    said = []
    for pid in pids:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        words = [w for w in argv.split("\0") if w]
        # `python -m salesbench …` or `…/bin/salesbench …` (the console script): from there
        at = next((i for i, w in enumerate(words) if Path(w).name == "salesbench"), None)
        if at is not None:
            words = ["salesbench", *words[at + 1 :]]
        # printable only, one line: a command line may hold anything, escapes included
        command = " ".join("".join(c if c.isprintable() else " " for c in " ".join(words)).split())
        command = command if len(command) <= 60 else command[:59] + "…"
        said.append(f"pid {pid} ({command})" if command else f"pid {pid}")
    return said


def _takes_a_copy(target: Path) -> bool:
    """Whether the live file is a database SQLite can copy into (empty counts): one whose
    header is damaged is not, and is what `doctor` sends its owner to restore."""
    try:
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return True


def _replace_whole(source: Path, target: Path, *, done: str) -> None:
    """Copy the backup beside the damaged live file, then rename it into place. Only
    under the exclusive "open" lock: no salesbench process has the old file open."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    staged = Path(name)
    try:
        _copy(source, staged, done=done, scratch=True, named=target)
        for suffix in ("-wal", "-shm"):  # the damaged file's: they belong to no copy
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
    finally:
        _remove_scratch(staged)


def restore(db: str | None, source: Path, *, waiting: Notify | None = None) -> Path:
    """Replace the database's content with a backup's. The backup is checked before
    anything changes; the copy goes into the live file through SQLite's backup API
    while no other salesbench process has it open; an older backup is then upgraded.
    `waiting` is told when the copy waits for another process's write."""
    target = _sqlite_path(db)
    check_backup(source)
    done = "nothing was restored"
    lock = lock_path(target, "open")
    try:
        with file_lock(lock, wait=RESTORE_WAIT_S, busy=OPEN_ELSEWHERE):
            ensure_private_file(target)
            if _takes_a_copy(target):
                _copy(source, target, done=done, waiting=waiting, display=resolve(db).display())
                forget_damage(target)  # its content is the backup's now
            else:
                _replace_whole(source, target, done=done)
                forget_damage(target)
            location = resolve(str(target))
            engine = make_engine(location)
            try:
                ensure_head_serialised(location, engine)
            finally:
                engine.dispose()
    except LockBusy:
        holders = lock_holders(lock)
        said = f"; it is open in {', '.join(holders)}" if holders else ""
        raise LockBusy(OPEN_ELSEWHERE + said) from None
    except OSError as exc:
        raise Conflict(f"cannot write {target} ({exc.strerror or exc}): {done}") from None
    return target
