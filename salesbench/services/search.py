"""Find customers, contacts, deals and logged notes by what a rep types: Chinese,
full pinyin or its initials, a phone fragment, a word of a note (core/search_terms).

Each kind is one query, cut to the shortest matches first; the rows are ranked
together in Python, the best way each record matched deciding its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from salesbench.core.search_terms import (
    KIND_ORDER,
    NOTE,
    PART,
    Query,
    digits_quality,
    read_query,
    snippet,
    spelled_quality,
    text_quality,
)
from salesbench.store.engine import Store

NOTE_FIELDS = ("summary", "needs", "objections", "commitments", "next_step_content")
KEYS_LIMIT = 500  # names read for one pinyin; the shortest of them first


@dataclass(frozen=True)
class Hit:
    kind: str  # customer, contact, deal or note
    record_id: Any
    customer_id: Any
    customer: str  # the customer's name
    text: str  # what was found: the name, the deal's title, the part of the note
    by: str  # how: text, phone, pinyin
    quality: int  # core/search_terms: the lower, the better

    def order(self) -> tuple[int, int, int, str]:
        return (self.quality, KIND_ORDER[self.kind], len(self.text), self.text)


def _table(model: Any) -> Any:
    return model.__table__


def _like(value: str) -> str:
    """`value` anywhere in a column, its % and _ taken as themselves."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _digits_of(column: Any) -> Any:
    """The column with the separators people put in phone numbers taken out."""
    from sqlalchemy import func

    for mark in (" ", "-"):  # how numbers are written here (+86 138 0013 8000, 021-6123)
        column = func.replace(column, mark, "")
    return column


def _has(column: Any, query: Query) -> Any:
    """The column holds the query's text, ASCII letters in either case. SQLite's LIKE
    folds them itself; `ilike` would call lower() on every row (4x the time)."""
    if query.folds:  # PostgreSQL's LIKE tells case apart
        return column.ilike(_like(query.text), escape="\\")
    return column.like(_like(query.text), escape="\\")


def _best(*qualities: int | None) -> int | None:
    found = [q for q in qualities if q is not None]
    return min(found) if found else None


def _pick(**ways: int | None) -> tuple[int, str] | None:
    """The best of the ways a record matched (quality, how), or None."""
    found = [(q, by) for by, q in ways.items() if q is not None]
    return min(found) if found else None


def _customers(session: Any, query: Query, names: dict[str, int], limit: int) -> list[Hit]:
    from sqlalchemy import func, or_, select

    from salesbench.store.models import Customer

    t = _table(Customer)
    wanted = [_has(t.c.name, query), _has(t.c.number, query)]
    if names:
        wanted.append(t.c.name.in_(list(names)))
    rows = session.execute(
        select(t.c.id, t.c.name, t.c.number)
        .where(or_(*wanted))
        .order_by(func.length(t.c.name), t.c.name, t.c.id)
        .limit(limit)
    )
    hits = []
    for id_, name, number in rows:
        by_text = _best(text_quality(name, query), text_quality(number or "", query))
        picked = _pick(text=by_text, pinyin=names.get(name))
        if picked is not None:
            hits.append(Hit("customer", id_, id_, name, name, picked[1], picked[0]))
    return hits


def _contacts(session: Any, query: Query, names: dict[str, int], limit: int) -> list[Hit]:
    from sqlalchemy import func, or_, select

    from salesbench.store.models import Contact as C
    from salesbench.store.models import ContactPoint
    from salesbench.store.models import Customer as K

    c, k, p = (_table(m) for m in (C, K, ContactPoint))
    # every phone and email is a contact point, the contact's own columns its first
    # (migration 0007): the points alone are searched
    if query.digits:
        found = _digits_of(p.c.value).like(_like(query.digits), escape="\\")
    else:
        found = _has(p.c.value, query)
    wanted = [_has(c.c.name, query), c.c.id.in_(select(p.c.contact_id).where(found))]
    if names:
        wanted.append(c.c.name.in_(list(names)))
    rows = session.execute(
        select(c.c.id, c.c.name, c.c.phone, c.c.email, k.c.id, k.c.name)
        .join(k, k.c.id == c.c.customer_id)
        .where(or_(*wanted))
        .order_by(func.length(c.c.name), c.c.name, c.c.id)
        .limit(limit)
    )
    hits = []
    for id_, name, phone, email, customer_id, customer in rows:
        reach = (phone or "", email or "")
        picked = _pick(
            text=text_quality(name, query),
            phone=_best(digits_quality(reach[0], query), *(text_quality(r, query) for r in reach)),
            pinyin=names.get(name),
        )
        # else found by a second phone or email (the subquery): a part, as far as is known
        quality, by = picked if picked is not None else (PART, "phone")
        hits.append(Hit("contact", id_, customer_id, customer, name, by, quality))
    return hits


def _deals(session: Any, query: Query, names: dict[str, int], limit: int) -> list[Hit]:
    from sqlalchemy import func, or_, select

    from salesbench.store.models import Customer as K
    from salesbench.store.models import Opportunity as O

    o, k = _table(O), _table(K)
    wanted = [_has(o.c.title, query)]
    if names:
        wanted.append(o.c.title.in_(list(names)))
    rows = session.execute(
        select(o.c.id, o.c.title, k.c.id, k.c.name)
        .join(k, k.c.id == o.c.customer_id)
        .where(or_(*wanted))
        .order_by(func.length(o.c.title), o.c.title, o.c.id)
        .limit(limit)
    )
    hits = []
    for id_, title, customer_id, customer in rows:
        picked = _pick(text=text_quality(title, query), pinyin=names.get(title))
        if picked is not None:
            hits.append(Hit("deal", id_, customer_id, customer, title, picked[1], picked[0]))
    return hits


def _notes(session: Any, query: Query, limit: int) -> list[Hit]:
    """Logged contacts whose notes hold the text, the newest first."""
    from sqlalchemy import or_, select

    from salesbench.store.models import Activity as A
    from salesbench.store.models import Customer as K

    a, k = _table(A), _table(K)
    fields = [a.c[name] for name in NOTE_FIELDS]
    rows = session.execute(
        select(a.c.id, k.c.id, k.c.name, *fields)
        .join(k, k.c.id == a.c.customer_id)
        .where(or_(*(_has(f, query) for f in fields)))
        .order_by(a.c.started_at.desc(), a.c.id)
        .limit(limit)
    )
    hits = []
    for id_, customer_id, customer, *notes in rows:
        note = next((n for n in notes if n and text_quality(n, query) is not None), None)
        if note is not None:
            hits.append(Hit("note", id_, customer_id, customer, snippet(note, query), "text", NOTE))
    return hits


def _spelled_names(session: Any, query: Query) -> dict[str, int]:
    """The names whose pinyin or initials hold the query, each with how well."""
    if not query.spelling:
        return {}
    from sqlalchemy import func, or_, select

    from salesbench.store.search_keys import SearchKey

    t = _table(SearchKey)
    like = _like(query.spelling)
    rows = session.execute(
        select(t.c.text, t.c.spelled, t.c.initials)
        .where(or_(t.c.spelled.like(like, escape="\\"), t.c.initials.like(like, escape="\\")))
        .order_by(func.length(t.c.text), t.c.text)
        .limit(KEYS_LIMIT)
    )
    found = {}
    for name, spelled, initials in rows:
        quality = spelled_quality(spelled, initials, query)
        if quality is not None:
            found[name] = quality
    return found


def find(store: Store, text: str, *, clock: Any, limit: int = 50) -> list[Hit]:
    """The records `text` finds, best first: at most `limit` of them."""
    from salesbench.services.search_index import catch_up

    query = read_query(text)
    if not query.text:
        return []
    if query.spelling:
        catch_up(store, clock=clock)  # names written since the last search, any writer's
    with store.read() as session:
        query = query._replace(folds=session.get_bind().dialect.name == "postgresql")
        names = _spelled_names(session, query)
        hits = [
            *_customers(session, query, names, limit),
            *_contacts(session, query, names, limit),
            *_deals(session, query, names, limit),
        ]
        if len(query.text) >= 2:
            hits.extend(_notes(session, query, limit))
    best: dict[tuple[str, Any], Hit] = {}
    for hit in hits:
        key = (hit.kind, hit.record_id)
        if key not in best or hit.order() < best[key].order():
            best[key] = hit
    return sorted(best.values(), key=Hit.order)[:limit]
