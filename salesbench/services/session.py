"""The shells' one way to open a database: they hold a `Store` and hand it to services.

Re-exported from the store layer so the CLI and the TUI never import it themselves;
importing this stays as cheap as the store's own modules (no SQLAlchemy until a
session is opened).
"""

from __future__ import annotations

from pathlib import Path

from salesbench.store.engine import Store
from salesbench.store.location import resolve
from salesbench.store.open import open_store, refuse_unusable

__all__ = ["Store", "address", "database_display", "open_store", "prepare", "sqlite_path"]


def sqlite_path(db: str | None) -> Path | None:
    """The SQLite file `db` (or the default) names; None for a server database."""
    return resolve(db).path


def database_display(db: str | None) -> str:
    """Where `db` (or the default) points, without a password: safe to print."""
    return resolve(db).display()


def prepare(db: str | None) -> str:
    """Create or upgrade the database if it needs it, and say where it is. A SQLite file
    already at the head revision is checked with the standard library alone, so the
    workbench paints its first screen before SQLAlchemy is imported."""
    from salesbench.store.migrate import HEAD_REVISION, sqlite_revision

    location = resolve(db)
    if location.path is not None:
        refuse_unusable(location.path)  # before the workbench starts, not in its first read
    if location.path is None or sqlite_revision(location.path) != HEAD_REVISION:
        open_store(db).close()
    return str(location.path or location.url)


def address(store: Store) -> str:
    """Where an open store's database is, as `prepare` says it."""
    path = store.location.path
    return str(path) if path is not None else store.location.url
