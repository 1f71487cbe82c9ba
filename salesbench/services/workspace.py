"""The database as a long-running shell holds it: the workbench paints its first
screen from the fast readers, which take an address, and opens the ORM later."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesbench.store.engine import Store
from salesbench.store.location import resolve
from salesbench.store.migrate import HEAD_REVISION, sqlite_revision
from salesbench.store.open import open_store

if TYPE_CHECKING:
    from salesbench.services.playbooks import Catalog

__all__ = ["Store", "address", "load_catalog", "open_workspace", "prepare"]


def prepare(db: str | None) -> str:
    """Create or upgrade the database if it needs it, and say where it is. A SQLite file
    already at the head revision is checked with the standard library alone."""
    location = resolve(db)
    if location.path is None or sqlite_revision(location.path) != HEAD_REVISION:
        open_store(db).close()
    return str(location.path or location.url)


def open_workspace(db: str | None) -> Store:
    return open_store(db)


def address(store: Store) -> str:
    """Where an open store's database is, as `prepare` says it."""
    path = store.location.path
    return str(path) if path is not None else store.location.url


def load_catalog(store: Store) -> Catalog:
    """The playbooks as the database has them now (bundled plus imported)."""
    from salesbench.services import playbooks

    return playbooks.load_catalog(store)
