"""Finding a record from what a person types: a UUID, an id prefix, or a name."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import String, cast, func
from sqlmodel import Session, SQLModel, select

from salesbench.core.errors import BadInput, NotFound
from salesbench.core.ids import short_id
from salesbench.core.words import plural

M = TypeVar("M", bound=SQLModel)

_HEX = set("0123456789abcdef")
MIN_PREFIX = 4


def same_text(session: Session, column: Any, text: str) -> Any:
    """`column` equals `text` whatever the case, in every script: SQLite through the
    casefold function the store registers, PostgreSQL through its Unicode lower()."""
    if session.get_bind().dialect.name == "sqlite":
        return func.casefold(column) == text.casefold()
    return func.lower(column) == text.lower()


def find(
    session: Session,
    model: type[M],
    ref: str,
    *,
    label: str,
    names: tuple[str, ...],
    told: Callable[[Session, M], str] | None = None,
) -> M:
    """`told`: how a candidate is told apart when several match (a deal by its title
    and customer), else by its first name field."""
    ref = ref.strip()
    if not ref:
        raise BadInput(f"empty {label} reference")
    try:
        exact = uuid.UUID(ref)
    except ValueError:
        pass
    else:
        found = session.get(model, exact)
        if found is None:
            raise NotFound(f"no {label} with id {ref}")
        return found

    id_col: Any = model.id  # type: ignore[attr-defined]
    candidates: list[M] = []
    prefix = ref.replace("-", "").lower()
    if len(prefix) >= MIN_PREFIX and set(prefix) <= _HEX:
        hex_id = func.replace(cast(id_col, String), "-", "")
        candidates = list(session.exec(select(model).where(hex_id.like(prefix + "%")).limit(6)))
    if not candidates:
        for name in names:
            match = same_text(session, getattr(model, name), ref)
            candidates = list(session.exec(select(model).where(match).limit(6)))
            if candidates:
                break
    if not candidates:
        raise NotFound(f"no {label} matches {ref!r}")
    if len(candidates) > 1:
        shown = ", ".join(
            f"{short_id(c.id)} ({told(session, c) if told else getattr(c, names[0])})"  # type: ignore[attr-defined]
            for c in candidates[:5]
        )
        raise BadInput(f"{ref!r} matches several {plural(label)}: {shown}; give more of the id")
    return candidates[0]


def row_by_id_prefix(
    conn: Any,
    table: Any,
    ref: str,
    *,
    id_words: str,
    noun: str,
    plural: str,
    listing: tuple[str, str],
) -> Any:
    """The one row of a Core `table` whose id starts with what a person typed (at least
    MIN_PREFIX hex digits, dashes ignored), found by the database, not by a scan here."""
    prefix = ref.strip().replace("-", "").lower()
    if len(prefix) < MIN_PREFIX:
        raise BadInput(f"give at least {MIN_PREFIX} characters of the {id_words}", field=noun)
    hex_id = func.replace(cast(table.c.id, String), "-", "")
    query = select(table).where(hex_id.like(prefix + "%")).limit(2)
    rows = list(conn.execute(query)) if set(prefix) <= _HEX else []
    if not rows:
        raise NotFound(f"no {listing[0]} {ref!r} (see `{listing[1]}`)")
    if len(rows) > 1:
        raise BadInput(f"{ref!r} matches several {plural}; give more of the id", field=noun)
    return rows[0]
