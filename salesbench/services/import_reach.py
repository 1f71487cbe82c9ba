"""Planning an import's phones, emails and addresses: `contact_point` and `address` rows.

A row's phone columns (phone, mobile_phone, work_phone, home_phone, fax,
other_phone, then the `phones` list cell) become the contact's phones in that
order, and its email columns likewise; the address columns and the `addresses`
list cell become addresses of the contact (a contacts file) or of the customer
(a customers file). A point or address already stored is not added again, and an
update only ever adds at the end: `contact.phone` and `contact.email` stay the
first of each, as store/reach.py has it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from salesbench.core import reach
from salesbench.core.enums import PointKind
from salesbench.core.import_identity import Known
from salesbench.services.import_plan import Planner


@dataclass
class Points:
    """The phones and emails one row gives a contact, in order, and its addresses."""

    phones: list[reach.Point] = field(default_factory=list)
    emails: list[reach.Point] = field(default_factory=list)
    addresses: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Stored:
    """A stored contact as the points planning needs it."""

    phone: str | None
    email: str | None
    updated_at: Any
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    position: int = -1  # the highest position of its points


@dataclass
class _State:
    named: dict[tuple[uuid.UUID, str], uuid.UUID] | None = None  # stored, by customer, name
    contacts: dict[uuid.UUID, _Stored] | None = None
    addresses: dict[tuple[str, uuid.UUID], list[tuple[str, ...]]] | None = None
    positions: dict[tuple[str, uuid.UUID], int] = field(default_factory=dict)
    new: set[uuid.UUID] = field(default_factory=set)  # contacts this import creates


def _state(planner: Planner) -> _State:
    if planner.reach is None:
        planner.reach = _State()
    state: _State = planner.reach
    return state


# ---------------------------------------------------------------- a row's values


def take_points(values: dict[str, Any]) -> Points:
    """Take the phone and email columns out of a row's values; `phone` and `email`
    are set to the first of each (what matching and the contact row use)."""
    found = Points()
    found.phones = _columns(values, PointKind.PHONE, reach.PHONE_FIELDS, "phones")
    found.emails = _columns(values, PointKind.EMAIL, reach.EMAIL_FIELDS, "emails")
    if found.phones:
        values["phone"] = found.phones[0][1]
    if found.emails:
        values["email"] = found.emails[0][1]
    return found


def _columns(
    values: dict[str, Any], kind: str, columns: dict[str, str], cell: str
) -> list[reach.Point]:
    """Each column's points (parsed as lists), in the file's column order, then the list
    cell's.
    A number in both the unlabelled column and the list (`phone` beside `phones`, as an
    export writes them) is the list's entry, with its label, not one more."""
    listed: list[reach.Point] = values.pop(cell, None) or []
    given: list[reach.Point] = []
    plain = next(iter(columns))  # phone or email
    for name in [n for n in values if n in columns]:  # values keep the file's order
        found: list[reach.Point] | None = values.pop(name, None)
        if found and name == plain and listed:  # `phone` (no label said) yields to the list
            keys = {reach.point_key(kind, v) for _, v in listed}
            found = [p for p in found if reach.point_key(kind, p[1]) not in keys]
        if found:
            given.extend(found)
    given += listed
    return given if len(given) < 2 else reach.new_points(kind, (), given)


def take_addresses(values: dict[str, Any], default_kind: str) -> list[dict[str, Any]]:
    """Take the address columns out of a row's values: the one the columns spell
    (street, city, ...), then those of the `addresses` list cell."""
    found: list[dict[str, Any]] = []
    parts = {k: values.pop(k, None) for k in reach.ADDRESS_FIELDS}
    kind = values.pop("address_kind", None) or default_kind
    if any(parts.values()):  # each part parsed and within its width already
        found.append({"kind": kind, **parts})
    found.extend(values.pop("addresses", None) or ())
    return found if len(found) < 2 else _distinct(found)


def take_reach(values: dict[str, Any], default_kind: str) -> Points:
    """Both of the above, for a contacts file (whose addresses are the contact's)."""
    found = take_points(values)
    found.addresses = take_addresses(values, default_kind)
    return found


def _distinct(addresses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[str, ...]] = set()
    kept = []
    for a in addresses:
        key = reach.address_key(a)
        if key not in seen:
            seen.add(key)
            kept.append(a)
    return kept


# ---------------------------------------------------------------- planning


def plan_contact(planner: Planner, contact_id: uuid.UUID | None, found: Points) -> None:
    """The contact_point and address rows of `found` for the contact (created by this
    import or stored); nothing for a row that planned no contact."""
    if contact_id is None:
        return
    state = _state(planner)
    inserts = planner.inserts["contact"]
    if contact_id in state.new or (inserts and inserts[-1]["id"] == contact_id):
        state.new.add(contact_id)
        phones, emails, position = found.phones, found.emails, -1
    else:
        stored = _stored_contact(planner, state, contact_id)
        if stored is None:  # not stored, not created: nothing to hang points on
            return
        old_phones = stored.phones or ([stored.phone] if stored.phone else [])
        old_emails = stored.emails or ([stored.email] if stored.email else [])
        # a contact from before points were kept: its phone and email become points
        legacy = [(PointKind.PHONE.value, "other", p) for p in old_phones[:1] if not stored.phones]
        legacy += [(PointKind.EMAIL.value, "other", e) for e in old_emails[:1] if not stored.emails]
        phones = reach.new_points(PointKind.PHONE, old_phones, found.phones)
        emails = reach.new_points(PointKind.EMAIL, old_emails, found.emails)
        position = stored.position
        for kind, label, value in legacy:
            position += 1
            _create_point(planner, contact_id, kind, label, value, position)
        changes: dict[str, Any] = {}
        if stored.phone is None and phones:
            changes["phone"] = phones[0][1]
        if stored.email is None and emails:
            changes["email"] = emails[0][1]
        if changes:
            _update_contact(planner, contact_id, stored, changes)
        stored.phones = old_phones + [v for _, v in phones]
        stored.emails = old_emails + [v for _, v in emails]
        stored.position = position + len(phones) + len(emails)
    for kind, points in ((PointKind.PHONE.value, phones), (PointKind.EMAIL.value, emails)):
        for label, value in points:
            position += 1
            _create_point(planner, contact_id, kind, label, value, position)
    plan_addresses(planner, "contact", contact_id, found.addresses, new=contact_id in state.new)


def plan_named(
    planner: Planner, customer_id: uuid.UUID, name_key: str, found: Points | None
) -> None:
    """A customers file's main contact that the customer has already (by its name,
    normalised as `name_key`): its new points, if it is a stored one."""
    if not found or not (found.phones or found.emails or found.addresses):
        return
    state = _state(planner)
    if state.named is None:
        from salesbench.core.import_identity import norm_name

        contacts = planner.table("contact")
        query = select(contacts.c.id, contacts.c.customer_id, contacts.c.name).where(
            planner.before(contacts)
        )
        state.named = {}
        for r in planner.conn.execute(query.order_by(contacts.c.created_at, contacts.c.id)):
            state.named.setdefault((r.customer_id, norm_name(r.name)), r.id)
    contact_id = state.named.get((customer_id, name_key))
    if contact_id is not None:
        plan_contact(planner, contact_id, found)


def plan_customer(
    planner: Planner, customer_id: uuid.UUID | None, addresses: Sequence[dict[str, Any]]
) -> None:
    """The customer's addresses a customers file gives, unless stored already."""
    if customer_id is not None and addresses:
        inserts = planner.inserts["customer"]
        new = bool(inserts) and inserts[-1]["id"] == customer_id  # created just now
        plan_addresses(planner, "customer", customer_id, addresses, new=new)


def plan_addresses(
    planner: Planner,
    owner: str,
    owner_id: uuid.UUID,
    addresses: Sequence[dict[str, Any]],
    *,
    new: bool = False,
) -> None:
    """Address rows for the owner; for a stored owner, only those it has not."""
    if not addresses:
        return
    if new:  # a record this import creates has only these (told apart already)
        for position, a in enumerate(addresses):
            _create_address(planner, owner, owner_id, a, position)
        return
    state = _state(planner)
    if state.addresses is None:
        state.addresses = {}
        table = planner.table("address")
        query = select(table).where(planner.before(table)).order_by(table.c.position)
        for r in planner.conn.execute(query):
            key = ("customer", r.customer_id) if r.customer_id else ("contact", r.contact_id)
            state.addresses.setdefault(key, []).append(reach.address_key(dict(r._mapping)))
            state.positions[key] = max(state.positions.get(key, -1), r.position)
    key = (owner, owner_id)
    known = state.addresses.setdefault(key, [])
    for a in addresses:
        ident = reach.address_key(a)
        if ident in known:
            continue
        known.append(ident)
        position = state.positions.get(key, -1) + 1
        state.positions[key] = position
        _create_address(planner, owner, owner_id, a, position)


def _create_address(
    planner: Planner, owner: str, owner_id: uuid.UUID, a: dict[str, Any], position: int
) -> None:
    values = {k: a.get(k) for k in reach.ADDRESS_KEYS}
    values[f"{owner}_id"] = owner_id
    values["position"] = position
    planner.create("address", values)


def _create_point(
    planner: Planner, contact_id: uuid.UUID, kind: str, label: str, value: str, position: int
) -> None:
    planner.create(
        "contact_point",
        {
            "contact_id": contact_id,
            "kind": kind,
            "label": label,
            "value": value,
            "position": position,
        },
    )


def _stored_contact(planner: Planner, state: _State, contact_id: uuid.UUID) -> _Stored | None:
    if state.contacts is None:
        state.contacts = {}
        contacts = planner.table("contact")
        query = select(contacts.c.id, contacts.c.phone, contacts.c.email, contacts.c.updated_at)
        for r in planner.conn.execute(query.where(planner.before(contacts))):
            state.contacts[r.id] = _Stored(r.phone, r.email, r.updated_at)
        points = planner.table("contact_point")
        query = select(points).where(planner.before(points))
        for p in planner.conn.execute(query.order_by(points.c.position, points.c.id)):
            held = state.contacts.get(p.contact_id)
            if held is None:
                continue
            (held.phones if p.kind == PointKind.PHONE else held.emails).append(p.value)
            held.position = max(held.position, p.position)
    return state.contacts.get(contact_id)


def _update_contact(
    planner: Planner, contact_id: uuid.UUID, stored: _Stored, changes: dict[str, Any]
) -> None:
    """Set the contact's first phone or email: into this import's update of the contact
    if it has one, else as an update of its own (undo restores it)."""
    for table_name, record_id, pending, before in planner.updates:
        if table_name == "contact" and record_id == contact_id:
            for key, value in changes.items():
                before.setdefault(key, getattr(stored, key))
                pending[key] = value
            break
    else:
        values = {"phone": stored.phone, "email": stored.email, "updated_at": stored.updated_at}
        planner.update("contact", Known(contact_id, "", values, {}), changes)
    if "phone" in changes:
        stored.phone = changes["phone"]
    if "email" in changes:
        stored.email = changes["email"]
