"""Opening a database the way every command does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesbench.store.engine import Store, make_engine
from salesbench.store.location import DbLocation, resolve
from salesbench.store.migrate import ensure_head

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def open_store(db: str | None = None, *, upgrade: bool = True, lazy: bool = False) -> Store:
    """The database at `db` (else SALESBENCH_DB, else the user data folder), brought to
    the head revision. `lazy` defers both to the first use of the store's engine."""
    location = resolve(db)
    if lazy:
        return Store(location, opener=lambda: _engine(location, upgrade))
    return Store(location, _engine(location, upgrade))


def _engine(location: DbLocation, upgrade: bool) -> Engine:
    engine = make_engine(location)
    if upgrade:
        ensure_head(location, engine)
    return engine
