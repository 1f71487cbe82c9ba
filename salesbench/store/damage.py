"""What a SQLite error says about the database file: damaged, read-only, or neither.

A scribbled page and a folder you may not write to both surface as a
`sqlite3.DatabaseError`; they need opposite advice (restore a backup; fix the
permissions, never restore), so each is told apart here, once, for every command
and for `doctor`.

Damage, once seen, is sticky: a write that touches no damaged page would succeed, and
the next command that reads none would say nothing. So whoever sees it leaves a private
marker beside the database (`.NAME.damaged`: when, and what was seen), and every
command that opens the database refuses at once while it is there (one failed open(2),
no check of the file's pages); `doctor` removes it when a full integrity check is
clean, and so does a successful `restore`.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from salesbench.core.errors import (
    BadInput,
    Conflict,
    DatabaseReplaced,
    DatabaseUnusable,
    SalesbenchError,
)

# SQLite's words for a file whose pages do not hold a database
DAMAGE_WORDS = ("malformed", "file is not a database", "corrupt", "disk i/o error")
READ_ONLY_WORDS = ("readonly", "read-only", "unable to open database file", "access permission")


class DatabaseDamaged(DatabaseUnusable):
    """The file's pages do not hold a sound database (exit 4): nothing was written."""


class DiskRefused(BadInput):
    """The file system refused a write of the database (full, a size limit; exit 2, as
    a full disk under an export): nothing was written, and nothing is marked damaged."""


# SQLite's extended I/O codes for a failed read of the file: a truncated or unreadable
# file, which is damage; every other SQLITE_IOERR is a write, sync, truncate or -shm
# growth the file system refused (ENOSPC, EFBIG, EDQUOT), which is not.
_IOERR_READS = (266, 522)  # SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ


def disk_refused_write(exc: BaseException) -> bool:
    """Whether `exc` is SQLite saying the disk refused a write (or is full)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(exc, sqlite3.Error) or not isinstance(code, int):
        return False
    primary = code & 0xFF
    return primary == sqlite3.SQLITE_FULL or (
        primary == sqlite3.SQLITE_IOERR and code not in _IOERR_READS
    )


class DatabaseReadOnly(BadInput):
    """salesbench may not write the file or its folder (exit 2): nothing was written."""


def read_only_reason(path: Path) -> str | None:
    """Why salesbench cannot write `path` and its -wal/-shm files, or None if it can."""
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is not writable (chmod u+w it, or use a copy)"
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"its folder {folder} is not writable, and SQLite keeps its -wal and -shm "
            "files beside the database"
        )
    for side in ("-wal", "-shm"):
        extra = path.with_name(path.name + side)
        if extra.exists() and not os.access(extra, os.W_OK):
            return f"{extra.name} is not writable"
    return None


def has_sqlite_header(path: Path) -> bool:
    """Whether `path` starts as a SQLite file does; False where it cannot be read too
    (see `unreadable` to tell that apart)."""
    try:
        with path.open("rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def unreadable(path: Path) -> BadInput | None:
    """The error (exit 2) if salesbench may not read the file at `path`, else None: a
    file it cannot read is not a damaged one, and is never marked so."""
    try:
        with path.open("rb"):
            return None
    except (PermissionError, IsADirectoryError):
        return BadInput(f"you may not read {path}", field="--db")
    except OSError:
        return None


class DatabaseInUse(Conflict):
    """Another connection holds the database now (exit 4): nothing was written."""


def in_use(path: Path | str) -> DatabaseInUse:
    return DatabaseInUse(f"the database at {path} is in use by another process (locked); try again")


def is_damage(exc: BaseException) -> bool:
    """Whether SQLite's `exc` says the file's pages are damaged (SQLITE_CORRUPT,
    SQLITE_NOTADB, or a failed read of the file), not that it is locked, busy, or could
    not be opened (which are no damage, and never marked)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return False
    return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or code in _IOERR_READS


def is_busy(exc: BaseException) -> bool:
    """Whether SQLite's `exc` says another connection holds the database."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _damaged(path: Path | str, detail: str) -> DatabaseDamaged:
    what = first_problem(detail)
    return DatabaseDamaged(f"the database at {path} is damaged ({what}): run `salesbench doctor`")


def damaged(path: Path | str, detail: str) -> DatabaseDamaged:
    """The error for damage just seen in the database at `path`, marked beside it."""
    remember_damage(Path(path), detail)
    return _damaged(path, detail)


def marker_path(db: Path) -> Path:
    """The damage marker of the database at `db`: hidden, beside it."""
    return db.with_name(f".{db.name}.damaged")


MARKER_LIMIT = 1_000  # bytes of a marker read back: it holds one line of each


def _one_line(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


PROBLEM_LIMIT = 160  # characters of SQLite's first problem quoted in a message


def first_problem(report: str | BaseException) -> str:
    """The first problem SQLite reports (an integrity check's rows, or an error), as one
    trimmed line: its "*** in database main ***" headings and every later line dropped
    (a damaged file gives hundreds)."""
    text = str(report) if str(report) else type(report).__name__
    lines = [line.strip() for line in text.splitlines()]
    said = [line for line in lines if line and not line.startswith("***")]
    first = _one_line(said[0] if said else text)
    return first if len(first) <= PROBLEM_LIMIT else first[: PROBLEM_LIMIT - 1] + "…"


def remember_damage(db: Path, detail: str, now: datetime | None = None) -> None:
    """Leave the damage marker beside `db`, created 0600, exclusively and not through a
    link; the first sighting is kept. Where it cannot be made (a read-only folder) the
    damage is still reported, only not remembered.

    Its time is the caller's `now`; without one (deep in a failed open, where no clock
    is at hand) it is the marker's own creation time, as the file system stamped it:
    the store never reads the clock itself."""
    what = first_problem(detail)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(marker_path(db), flags, 0o600)
    except OSError:
        return  # there already (the first sighting stays), or the folder takes no file
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        stamped = now or datetime.fromtimestamp(os.fstat(fd).st_mtime, tz=UTC)
        when = stamped.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        f.write(f"{when}\n{what[:400]}\n")


def damage_seen(db: Path) -> str | None:
    """When and what damage was seen in the database at `db` ("seen WHEN: WHAT"), if its
    marker is there, else None. Costs one open(2) when there is no marker."""
    try:
        fd = os.open(marker_path(db), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError:  # a marker that is a link, or one we may not read: still a marker
        return "seen before"
    with os.fdopen(fd, "rb") as f:
        text = f.read(MARKER_LIMIT).decode("utf-8", errors="replace")
    when, _, what = text.partition("\n")
    when, what = _one_line(when), _one_line(what)
    return f"seen {when}: {what}" if when and what else "seen before"


def marked_damaged(db: Path) -> DatabaseDamaged | None:
    """The error to refuse the database at `db` with if damage was seen in it before."""
    seen = damage_seen(db)
    return None if seen is None else _damaged(db, seen)


def forget_damage(db: Path) -> bool:
    """Remove the damage marker of `db` (after a clean integrity check, or a restore);
    True if there was one."""
    try:
        marker_path(db).unlink()
    except FileNotFoundError:
        return False
    return True


def read_only(path: Path | str, reason: str) -> DatabaseReadOnly:
    return DatabaseReadOnly(f"{path} is read-only: {reason}")


def sqlite_problem(path: Path, exc: BaseException) -> SalesbenchError | None:
    """The error to report for `exc`, raised using the SQLite file at `path`, else None."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    folded = text.casefold()
    if isinstance(exc, OSError):
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            return None
        ours = {path, path.parent, path.with_name(path.name + "-wal")}
        ours |= {path.with_name(path.name + "-shm")}
        if exc.filename is not None and Path(exc.filename).resolve() not in ours:
            return None  # some other file: an --out, an import
    if not isinstance(exc, sqlite3.Error | OSError):
        return None
    gone = not path.exists()  # "disk I/O error" is SQLite's word for a file removed under it
    if isinstance(exc, sqlite3.OperationalError) and "disk i/o error" in folded and gone:
        return DatabaseReplaced.at(path)
    reason = read_only_reason(path)
    if reason is not None and (
        isinstance(exc, OSError) or any(w in folded for w in READ_ONLY_WORDS)
    ):
        return read_only(path, reason)
    if disk_refused_write(exc):
        return DiskRefused(
            f"cannot write the database at {path}: the disk refused the write (full, over a "
            "file-size limit, or failing); nothing was written: free some space and try again"
        )
    if isinstance(exc, sqlite3.DatabaseError) and any(w in folded for w in DAMAGE_WORDS):
        if "file is not a database" in folded and not has_sqlite_header(path):
            return None  # some other file altogether, not a damaged database
        return damaged(path, text)
    if isinstance(exc, sqlite3.OperationalError) and "readonly" in folded:
        return read_only(path, "the file system refuses writes (mounted read-only?)")
    return None


def damage_found(db_path: Path) -> SalesbenchError | None:
    """After a command failed unexpectedly: whether the file is damaged (SQLite's
    quick_check), so scribbled pages read as garbage are reported as damage, not as
    a crash. Only on the failure path: a whole-file check costs too much per command."""
    if not db_path.is_file():
        return None
    immutable = "&immutable=1" if read_only_reason(db_path) else ""
    try:
        uri = f"file:{quote(str(db_path))}?mode=ro{immutable}"
        conn = sqlite3.connect(uri, uri=True, timeout=10)
        try:
            found = conn.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if is_damage(exc):
            return damaged(db_path, first_problem(exc) if str(exc) else "unreadable")
        return in_use(db_path) if is_busy(exc) else None
    if found is None or found[0] == "ok":
        return None
    return damaged(db_path, f"integrity check: {first_problem(str(found[0]))}")
