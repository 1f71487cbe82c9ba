"""What a SQLite error says about the database file: damaged, read-only, or neither.

A scribbled page and a folder you may not write to both surface as a
`sqlite3.DatabaseError`; they need opposite advice (restore a backup; fix the
permissions, never restore), so each is told apart here, once, for every command
and for `doctor`.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from salesbench.core.errors import BadInput, Conflict, SalesbenchError

# SQLite's words for a file whose pages do not hold a database
DAMAGE_WORDS = ("malformed", "file is not a database", "corrupt", "disk i/o error")
READ_ONLY_WORDS = ("readonly", "read-only", "unable to open database file", "access permission")


class DatabaseDamaged(Conflict):
    """The file's pages do not hold a sound database (exit 4): nothing was written."""


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
    try:
        with path.open("rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def damaged(path: Path | str, detail: str) -> DatabaseDamaged:
    return DatabaseDamaged(f"the database at {path} is damaged ({detail}): run `salesbench doctor`")


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
    reason = read_only_reason(path)
    if reason is not None and (
        isinstance(exc, OSError) or any(w in folded for w in READ_ONLY_WORDS)
    ):
        return read_only(path, reason)
    if isinstance(exc, sqlite3.DatabaseError) and any(w in folded for w in DAMAGE_WORDS):
        if "file is not a database" in folded and not has_sqlite_header(path):
            return None  # some other file altogether, not a damaged database
        return damaged(path, text)
    if isinstance(exc, sqlite3.OperationalError) and "readonly" in folded:
        return read_only(path, "the file system refuses writes (mounted read-only?)")
    return None
