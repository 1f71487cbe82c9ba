"""The full backup as data: every table to one JSON bundle, and back into an empty database.

Rows go out column by column as stored (UUIDs, UTC times, money in cents), so
`import all` of an `export all` yields the same records with the same ids.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from typing import IO, Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, StatementError

from salesbench.core.clock import Clock
from salesbench.core.errors import BadInput, Conflict
from salesbench.core.stored_text import row_problem
from salesbench.io.json_limits import check_tree, loads
from salesbench.services.import_lock import Waiting, advisory_import_lock, file_import_lock
from salesbench.store import rowcodec
from salesbench.store.engine import Store
from salesbench.store.migrate import HEAD_REVISION
from salesbench.store.models import metadata

FORMAT = "salesbench-bundle"
VERSION = 1
CHUNK = 5_000
Progress = Callable[[str, int, int], None]


# derived from the other tables and rebuilt by the search as it needs them
# (store/search_keys.py): a bundle holds what people entered, not caches of it
DERIVED = frozenset({"search_key"})


def _tables() -> list[Any]:
    return [t for t in metadata.sorted_tables if t.name not in DERIVED]  # parents first


def count_rows(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in _tables()
        }


def export_bundle(
    store: Store, out: IO[str], progress: Progress | None = None, *, clock: Clock
) -> dict[str, int]:
    """Write the bundle to `out`, a table at a time; returns the row count per table."""
    counts = count_rows(store)
    total = sum(counts.values())
    out.write(
        "{\n"
        f'  "format": "{FORMAT}",\n  "version": {VERSION},\n  "schema": "{HEAD_REVISION}",\n'
        f'  "exported_at": "{clock.now().isoformat()}",\n  "tables": {{'
    )
    with store.engine.connect() as conn:
        for n, table in enumerate(_tables()):
            kinds = rowcodec.kinds(table)
            out.write(("," if n else "") + f"\n    {json.dumps(table.name)}: [")
            query = select(table).order_by(*table.primary_key.columns)
            for i, row in enumerate(conn.execute(query)):
                data = rowcodec.dump(table, row._mapping, kinds)
                out.write(("," if i else "") + "\n      " + json.dumps(data, ensure_ascii=False))
                if progress and i % 1000 == 999:
                    progress("exporting", 1000, total)
            out.write("\n    ]" if counts[table.name] else "]")
    out.write("\n  }\n}\n")
    return counts


def _check(bundle: Any, source: str) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BadInput(f"{source}: not a salesbench bundle (make one with `export all`)")
    if bundle.get("version") != VERSION:
        raise BadInput(f"{source}: bundle version {bundle.get('version')!r}; this reads {VERSION}")
    if bundle.get("schema") != HEAD_REVISION:
        raise BadInput(
            f"{source}: the bundle is of schema {bundle.get('schema')!r} and this salesbench "
            f"writes {HEAD_REVISION!r}: import it with the salesbench that exported it, "
            "upgrade that database, and export again"
        )
    tables = bundle.get("tables")
    if not isinstance(tables, dict):
        raise BadInput(f"{source}: tables: expected an object of table name to rows")
    known = {t.name: t for t in _tables()}
    for name, rows in tables.items():
        if name not in known:
            raise BadInput(f"{source}: tables.{name}: no such table")
        if not isinstance(rows, list):
            raise BadInput(f"{source}: tables.{name}: expected a list of rows")
        columns = {c.name for c in known[name].columns}
        required = {
            c.name
            for c in known[name].columns
            if not c.nullable and c.default is None and c.server_default is None
        }
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                raise BadInput(f"{source}: tables.{name}[{i}]: expected an object")
            unknown = sorted(set(row) - columns)
            if unknown:
                raise BadInput(f"{source}: tables.{name}[{i}].{unknown[0]}: no such column")
            missing = sorted(c for c in required if row.get(c) is None)
            if missing:
                raise BadInput(f"{source}: tables.{name}[{i}].{missing[0]}: missing")
            wrong = row_problem(name, row)  # the text rules every other path holds to
            if wrong:
                raise BadInput(f"{source}: tables.{name}[{i}].{wrong[0]}: {wrong[1]}")
    return tables


def refuse_unless_empty(conn: Connection, source: str) -> None:
    """`import all` needs an empty database: checked in the transaction that writes."""
    present = {
        t.name: n
        for t in _tables()
        if (n := conn.execute(select(func.count()).select_from(t)).scalar_one())
    }
    if present:
        shown = ", ".join(f"{n:,} {name}" for name, n in sorted(present.items()))
        raise Conflict(
            f"import all needs an empty database and this one has {shown}; "
            "use a new --db (or `salesbench restore` to replace a database wholesale)"
        )


def import_bundle(
    store: Store,
    text: str,
    source: str,
    progress: Progress | None = None,
    waiting: Waiting | None = None,
) -> dict[str, int]:
    """Load a bundle into an empty database, all tables in one transaction, under the
    import lock (`waiting` is told if another import makes this one wait)."""
    bundle = loads(source, text, numbers=False)
    check_tree(source, bundle)
    tables = _check(bundle, source)
    db = store.location.path
    with file_import_lock(db, "all", waiting) if db is not None else nullcontext():
        return _load(store, tables, source, progress, waiting)


def _load(
    store: Store,
    tables: dict[str, list[dict[str, Any]]],
    source: str,
    progress: Progress | None,
    waiting: Waiting | None,
) -> dict[str, int]:
    total = sum(len(rows) for rows in tables.values())
    counts: dict[str, int] = {}
    with store.engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                advisory_import_lock(conn, "all", waiting)
            refuse_unless_empty(conn, source)
            for table in _tables():
                rows = tables.get(table.name) or []
                kinds = rowcodec.kinds(table)
                for start in range(0, len(rows), CHUNK):
                    try:
                        chunk = [
                            rowcodec.load(table, r, kinds) for r in rows[start : start + CHUNK]
                        ]
                    except (ValueError, TypeError, AttributeError) as exc:
                        raise BadInput(f"{source}: tables.{table.name}: {exc}") from None
                    # executemany needs every row to name the same columns
                    columns = {c for r in chunk for c in r}
                    chunk = [{c: r.get(c) for c in columns} for r in chunk]
                    try:
                        conn.execute(insert(table), chunk)
                    except (IntegrityError, StatementError) as exc:
                        raise BadInput(
                            f"{source}: tables.{table.name}: rows that repeat an id or refer "
                            f"to a record the bundle does not hold ({_first_line(exc)})"
                        ) from None
                    if progress:
                        progress("importing", len(chunk), total)
                counts[table.name] = len(rows)
    return counts


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0]
