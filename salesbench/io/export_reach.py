"""The export's reach columns: a contact's `phones` and `emails` (list cells, every
entry labelled, in order) and `addresses` (a list of objects) of contacts and
customers, which `import` reads back into the same points and addresses."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from salesbench.core import reach
from salesbench.store.engine import Store

if TYPE_CHECKING:
    from salesbench.io.export import Table

POINTS = "_points"  # a row's phones and emails by kind, as stored
COLUMNS = {"contacts": ("phones", "emails", "addresses"), "customers": ("addresses",)}


def with_reach(store: Store, table: Table) -> Table:
    """`table` with its kind's reach columns added (other kinds as they are)."""
    from sqlalchemy import select

    from salesbench.store.reach import Address, ContactPoint

    added = COLUMNS.get(table.kind)
    if not added or not table.rows:
        if added:
            table.columns.extend(c for c in added if c not in table.columns)
        return table
    owner = "contact_id" if table.kind == "contacts" else "customer_id"
    points: dict[uuid.UUID, dict[str, list[reach.Point]]] = {}
    places: dict[uuid.UUID, list[dict[str, Any]]] = {}
    addresses = Address.__table__  # type: ignore[attr-defined]
    with store.read() as session:
        conn = session.connection()
        if table.kind == "contacts":
            cp = ContactPoint.__table__  # type: ignore[attr-defined]
            for p in conn.execute(select(cp).order_by(cp.c.contact_id, cp.c.position, cp.c.id)):
                kinds = points.setdefault(p.contact_id, {"phone": [], "email": []})
                kinds[p.kind].append((p.label, p.value))
        query = select(addresses).where(addresses.c[owner].is_not(None))
        for a in conn.execute(query.order_by(addresses.c.position, addresses.c.id)):
            places.setdefault(a._mapping[owner], []).append(
                {k: a._mapping[k] for k in reach.ADDRESS_KEYS if a._mapping[k] is not None}
            )
    for row in table.rows:
        if table.kind == "contacts":
            mine = points.get(row["id"], {})
            row[POINTS] = mine  # as stored, for the vCard (not a column of any file)
            row["phones"] = reach.format_points(mine.get("phone", ())) or None
            row["emails"] = reach.format_points(mine.get("email", ())) or None
        row["addresses"] = places.get(row["id"]) or None
    table.columns.extend(c for c in added if c not in table.columns)
    return table


def _text(value: str) -> str:
    """A vCard TEXT value: backslash, comma and semicolon escaped, every line break
    (CR LF, CR, LF) as \\n, so that nothing in it can end the property."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _param(value: str) -> str:
    """A TYPE parameter value: letters, digits and dashes only, so that nothing stored
    can end the parameter, add another, or end the line."""
    return "".join(ch for ch in str(value) if ch.isascii() and (ch.isalnum() or ch == "-"))


def vcard_lines(row: dict[str, Any]) -> list[str]:
    """The TEL, EMAIL and ADR lines (vCard 4.0, unfolded) of an exported contact row
    that `with_reach` filled: every phone and email with its TYPE, in order, so a
    vCard carries them all. Phones are `VALUE=text`, exactly as stored (a tel: URI
    would turn their spaces into dashes); a row without list cells gives its one
    phone and email. Read back by io/vcard_reader into the same points."""
    stored = row.get(POINTS)
    if stored is not None:  # never re-read from the list cells: a value may hold "; "
        phones, emails = list(stored.get("phone", ())), list(stored.get("email", ()))
    else:
        phones = reach.parse_points(row.get("phones") or "", "phone")
        emails = reach.parse_points(row.get("emails") or "", "email")
    if not phones and row.get("phone"):
        phones = [("work", str(row["phone"]))]
    if not emails and row.get("email"):
        emails = [("work", str(row["email"]))]
    lines = [
        f"TEL;VALUE=text;TYPE={reach.vcard_type(label)}:{_text(value)}" for label, value in phones
    ]
    for label, value in emails:
        typed = "" if label == "other" else f";TYPE={_param(label)}"
        lines.append(f"EMAIL{typed}:{_text(value)}")
    for a in row.get("addresses") or ():
        kind = _param(a.get("kind") or "other")
        typed = f";TYPE={kind if kind in ('home', 'work') else 'x-' + kind}"
        parts = ["", "", *(_text(a.get(k) or "") for k in reach.ADDRESS_FIELDS)]
        lines.append(f"ADR{typed}:" + ";".join(parts))
    return lines
