"""The shells' one way to open a database: they hold a `Store` and hand it to services.

Re-exported from the store layer so the CLI and the TUI never import it themselves;
importing this stays as cheap as the store's own modules (no SQLAlchemy until a
session is opened).
"""

from __future__ import annotations

from salesbench.store.engine import Store
from salesbench.store.location import resolve
from salesbench.store.open import open_store

__all__ = ["Store", "database_display", "open_store"]


def database_display(db: str | None) -> str:
    """Where `db` (or the default) points, without a password: safe to print."""
    return resolve(db).display()
