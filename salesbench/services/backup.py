"""Whole-database copies with SQLite's online backup API: consistent while in use."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from salesbench.core.errors import BadInput, Conflict
from salesbench.store.engine import ensure_private_file
from salesbench.store.location import resolve
from salesbench.store.migrate import SchemaError, sqlite_revision


def _sqlite_path(db: str | None) -> Path:
    location = resolve(db)
    if location.path is None:
        raise BadInput("backup and restore work on a SQLite file; for PostgreSQL use pg_dump")
    return location.path


def _copy(source: Path, target: Path) -> int:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    dst = sqlite3.connect(target, timeout=10)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
        (check,) = dst.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            raise Conflict(f"the copy failed its integrity check: {check}")
        return int(
            dst.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        )
    finally:
        dst.close()
        src.close()


def backup(db: str | None, target: Path) -> Path:
    source = _sqlite_path(db)
    if not source.exists():
        raise BadInput(f"there is no database at {source} yet")
    if target.exists():
        raise Conflict(f"{target} exists; choose another name or remove it first")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    tmp.unlink(missing_ok=True)
    ensure_private_file(tmp)
    try:
        _copy(source, tmp)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def restore(db: str | None, source: Path) -> Path:
    """Replace the database with a backup; the backup is checked before anything changes."""
    target = _sqlite_path(db)
    if not source.exists():
        raise BadInput(f"{source}: no such file")
    try:
        revision = sqlite_revision(source)
    except SchemaError as exc:
        raise BadInput(f"{source}: {exc}") from None
    if revision is None:
        raise BadInput(f"{source}: not a salesbench backup (no schema revision)")
    staged = target.with_name(f".{target.name}.restoring")
    staged.unlink(missing_ok=True)
    ensure_private_file(staged)
    try:
        _copy(source, staged)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)
    from salesbench.store.open import open_store

    open_store(str(target)).close()  # an older backup is upgraded to the current schema
    return target
