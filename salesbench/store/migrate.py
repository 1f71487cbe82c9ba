"""Alembic glue: keep every database at the head revision.

Opening a database checks its revision with the standard library alone and
only imports Alembic when there is something to upgrade.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from salesbench.core.errors import SalesbenchError
from salesbench.store.location import DbLocation
from salesbench.store.locks import advisory_key, file_lock, lock_path

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

# The newest revision in migrations/versions; tests/test_migrations.py keeps
# this in step with Alembic's own view of the head.
HEAD_REVISION = "0013"


class SchemaError(SalesbenchError):
    """The database cannot be used by this version of salesbench."""


def migrations_dir() -> Path:
    spec = find_spec("salesbench.migrations")
    if spec is None or not spec.submodule_search_locations:
        raise SalesbenchError("salesbench is installed without its migrations")
    return Path(next(iter(spec.submodule_search_locations)))


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def sqlite_revision(path: Path) -> str | None:
    """The revision stamped in a SQLite file, without SQLAlchemy or Alembic."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        # never create: the file may go between the look above and this open
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=10)
    except sqlite3.OperationalError:
        if path.exists():
            raise
        return None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                raise SchemaError(f"{path} is not a salesbench database")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        from salesbench.store.damage import sqlite_problem

        raise sqlite_problem(path, exc) or SchemaError(
            f"{path} is not a usable SQLite database ({exc})"
        ) from None
    finally:
        conn.close()


def current_revision(location: DbLocation, engine: Engine | None = None) -> str | None:
    if location.path is not None:
        return sqlite_revision(location.path)
    assert engine is not None
    # Alembic's own reader would import Alembic (a fifth of a second) on every command
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "alembic_version"):
            return None
        found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return str(found) if found is not None else None


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.connect() as conn:
        command.upgrade(alembic_config(conn), revision)
        conn.commit()


def ensure_head(location: DbLocation, engine: Engine) -> None:
    """Upgrade the database to the head revision if it is behind."""
    current = current_revision(location, engine)
    if current == HEAD_REVISION:
        return
    if current is not None and current not in known_revisions():
        raise SchemaError(
            f"the database is at schema revision {current}, newer than this salesbench "
            f"knows ({HEAD_REVISION}); upgrade salesbench"
        )
    upgrade(engine)


def ensure_head_serialised(
    location: DbLocation, engine: Engine, on_wait: Callable[[str], None] | None = None
) -> None:
    """`ensure_head`, with processes that open a new (or older) database at the same
    moment taking turns: an exclusive lock file beside a SQLite database, a session
    advisory lock on PostgreSQL. Whoever gets the lock reads the revision again, so
    a database another process has just migrated is left as it is."""
    if current_revision(location, engine) == HEAD_REVISION:
        return
    where = location.display()

    def waiting() -> None:
        if on_wait is not None:
            on_wait(f"waiting for another salesbench process to set up {where}…")

    if location.path is not None:
        with file_lock(lock_path(location.path, "migrate"), waiting=waiting):
            ensure_head(location, engine)
        return
    if engine.dialect.name != "postgresql":
        ensure_head(location, engine)
        return
    from sqlalchemy import text

    key = {"key": advisory_key("migrate", engine.url.database or "")}
    with engine.connect() as conn:
        if not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar():
            waiting()
            conn.execute(text("SELECT pg_advisory_lock(:key)"), key)
        conn.commit()  # the lock is the session's: it outlives this transaction
        try:
            ensure_head(location, engine)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
            conn.commit()
