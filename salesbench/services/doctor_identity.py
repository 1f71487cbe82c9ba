"""doctor: source ids that more than one record holds, in a database that had them
before migration 0009 (which then left that table's unique index off)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from salesbench.store.identities import IDENTIFIED, index_name, shared_ids_sql

Finding = tuple[str, str]  # what, what to do (doctor's WARN)


def identity_findings(conn: sqlite3.Connection) -> list[Finding]:
    """The findings of an open SQLite file (none when a damaged page hides them: the
    integrity check says so)."""
    try:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        return _findings(names, lambda sql: conn.execute(sql).fetchall())
    except sqlite3.DatabaseError:
        return []


def server_identity_findings(engine: Any) -> list[Finding]:
    """The findings of a PostgreSQL database."""
    from sqlalchemy import text

    with engine.connect() as conn:
        names = {
            n
            for (n,) in conn.execute(
                text(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                    "UNION SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                )
            )
        }
        return _findings(names, lambda sql: list(conn.execute(text(sql))))


def _findings(names: set[str], query: Callable[[str], list[Any]]) -> list[Finding]:
    out: list[Finding] = []
    for table in IDENTIFIED:
        if index_name(table) in names or table not in names:
            continue
        shared = query(shared_ids_sql(table))
        if not shared:
            out.append(
                (
                    f"table {table} has no unique index on source ids (no id is shared "
                    "now): the schema cannot refuse two records with one id",
                    "run `salesbench doctor` with write access to the database: it makes "
                    "the index once no id is shared",
                )
            )
            continue
        source, ext, n = shared[0]
        more = f" ({len(shared):,} ids in all)" if len(shared) > 1 else ""
        what = f"{source} id {ext}" if source else f"id {ext}"
        out.append(
            (
                f"{n} records of table {table} share the source id {what}{more}: "
                "the schema cannot refuse another such pair",
                "nothing is lost and imports still match by that id; to have the schema "
                "keep it unique, give each record its own id or merge them, then run "
                "`salesbench doctor` again: it makes the index",
            )
        )
    return out


def make_missing_indexes(path: Path) -> list[str]:
    """Make each unique source-id index 0009 left off because ids were shared then, where
    no id is shared any more; under the migrate lock, so no upgrade runs meanwhile. The
    tables given their index; none where the file takes no write."""
    from salesbench.store.damage import damage_seen
    from salesbench.store.locks import file_lock, lock_path

    made: list[str] = []
    if damage_seen(path) is not None:
        return made  # a damaged file takes no new index: doctor says what to do
    try:
        with file_lock(lock_path(path, "migrate"), wait=10.0):
            conn = sqlite3.connect(path, timeout=2, isolation_level=None)
            try:
                names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
                for table in IDENTIFIED:
                    if index_name(table) in names or table not in names:
                        continue
                    conn.execute("BEGIN IMMEDIATE")
                    if conn.execute(shared_ids_sql(table)).fetchone() is not None:
                        conn.execute("ROLLBACK")
                        continue
                    conn.execute(
                        f"CREATE UNIQUE INDEX {index_name(table)} ON {table} "
                        "(coalesce(external_source, ''), external_id) "
                        "WHERE external_id IS NOT NULL"
                    )
                    conn.execute("COMMIT")
                    made.append(table)
            finally:
                conn.close()
    except (sqlite3.Error, OSError):
        return made
    return made
