"""doctor: source ids that more than one record holds, in a database that had them
before migration 0009 (which then left that table's unique index off)."""

from __future__ import annotations

import sqlite3

from salesbench.store.identities import IDENTIFIED, index_name, shared_ids_sql


def identity_findings(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(what, what to do) per table whose source ids are not unique (doctor's WARN)."""
    try:
        present = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError:
        return []
    out: list[tuple[str, str]] = []
    for table in IDENTIFIED:
        if index_name(table) in present or table not in tables:
            continue
        try:
            shared = conn.execute(shared_ids_sql(table)).fetchall()
        except sqlite3.DatabaseError:  # a damaged page: the integrity check says so
            continue
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
