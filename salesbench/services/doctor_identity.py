"""doctor: source ids that more than one record holds, in a database that had them
before migration 0009 (which then left that table's unique index off)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
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
            continue
        source, ext, n = shared[0]
        more = f" ({len(shared):,} ids in all)" if len(shared) > 1 else ""
        what = f"{source} id {ext}" if source else f"id {ext}"
        out.append(
            (
                f"{n} records of table {table} share the source id {what}{more}: "
                "the schema cannot refuse another such pair",
                "nothing is lost and imports still match by that id; to have the schema "
                "keep it unique, give each record its own id or merge them",
            )
        )
    return out
