"""The database's schema revision: what it is, and upgrading it to the newest."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Revision:
    current: str | None  # None: an empty database
    head: str  # the newest revision this salesbench knows

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_revision(db: str | None) -> Revision:
    """The revision the database is at, without upgrading it."""
    from salesbench.store.engine import make_engine
    from salesbench.store.location import resolve
    from salesbench.store.migrate import HEAD_REVISION, current_revision

    location = resolve(db)
    engine = make_engine(location)
    try:
        return Revision(current_revision(location, engine), HEAD_REVISION)
    finally:
        engine.dispose()


def upgrade_schema(db: str | None) -> Revision:
    """Upgrade the database to the newest revision; the revision it was at before."""
    from salesbench.store.engine import make_engine
    from salesbench.store.location import resolve
    from salesbench.store.migrate import HEAD_REVISION, current_revision, ensure_head

    location = resolve(db)
    engine = make_engine(location)
    try:
        before = current_revision(location, engine)
        ensure_head(location, engine)
    finally:
        engine.dispose()
    return Revision(before, HEAD_REVISION)
