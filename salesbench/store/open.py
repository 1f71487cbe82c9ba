"""Opening a database the way every command does."""

from __future__ import annotations

from salesbench.store.engine import Store, make_engine
from salesbench.store.location import resolve
from salesbench.store.migrate import ensure_head


def open_store(db: str | None = None, *, upgrade: bool = True) -> Store:
    location = resolve(db)
    engine = make_engine(location)
    if upgrade:
        ensure_head(location, engine)
    return Store(location, engine)
