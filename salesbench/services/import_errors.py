"""A write the database refused (a unique or foreign-key constraint), explained by the
constraint that failed: which record another process stored, by which identity, or
that a record this write refers to was removed meanwhile."""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from salesbench.store.identities import IDENTIFIED, index_name

_SOURCE_INDEX = {index_name(t): t for t in IDENTIFIED}
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?:index '([^']+)'|(\w+)\.)")
# PostgreSQL's detail of a unique violation: Key (<columns>)=(<values>) already exists.
_PG_VALUES = re.compile(r"\)=\((.*)\) already exists", re.DOTALL)

Identity = tuple[str, str]  # (source system, or "" for none; the source's id)


def _orig(exc: IntegrityError) -> BaseException:
    return exc.orig if exc.orig is not None else exc


def failed(exc: IntegrityError) -> tuple[str, str | None, bool]:
    """("unique" | "foreign key" | "other", the table if known, whether the index that
    refused it is a source id's)."""
    orig = _orig(exc)
    diag = getattr(orig, "diag", None)
    state = getattr(orig, "sqlstate", None)
    if diag is not None and state is not None:  # psycopg
        if state == "23505":
            name = diag.constraint_name or ""
            return "unique", _SOURCE_INDEX.get(name) or diag.table_name, name in _SOURCE_INDEX
        kind = "foreign key" if state == "23503" else "other"
        return kind, diag.table_name, False
    text = str(orig)
    if "FOREIGN KEY constraint failed" in text:
        return "foreign key", None, False
    found = _SQLITE_UNIQUE.search(text)
    if found:
        name = found.group(1) or ""
        return "unique", _SOURCE_INDEX.get(name) or found.group(2), name in _SOURCE_INDEX
    return "other", None, False


def reported_identity(exc: IntegrityError) -> Identity | None:
    """The (source, id) PostgreSQL reports with a source-id violation (SQLite names none)."""
    diag = getattr(_orig(exc), "diag", None)
    found = _PG_VALUES.search(getattr(diag, "message_detail", None) or "")
    if not found or not failed(exc)[2]:
        return None
    source, _, external_id = found.group(1).partition(", ")
    return source, external_id


def reason(exc: IntegrityError, identity: Identity | None = None) -> str:
    """What another process did meanwhile, as the constraint that failed tells it."""
    kind, table, source_id = failed(exc)
    what = (table or "record").replace("_", " ")
    if kind == "unique" and source_id:
        identity = identity or reported_identity(exc)
        if identity is not None:
            source, external_id = identity
            named = f"{source} id" if source else "source id"
            return f"another process stored {what} with {named} {external_id} meanwhile"
        return f"another process stored a {what} with the same source id meanwhile"
    if kind == "unique":
        return f"another process stored the same {what} meanwhile"
    if kind == "foreign key":
        return "another process removed a record this one refers to meanwhile"
    return "another process added or removed records this relies on meanwhile"


def explain_integrity(exc: IntegrityError, source: str, identity: Identity | None) -> str:
    """The import's one line: what happened, that nothing was written, what to do."""
    why = reason(exc, identity)
    if why.startswith("another process removed a record"):
        why = "another process removed records this import refers to meanwhile"
    return f"{source}: {why}; nothing was written: run the import again"
