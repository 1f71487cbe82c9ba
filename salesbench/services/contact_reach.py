"""A contact's phones and emails and the postal addresses of customers and contacts,
as the CLI and the TUI add and edit them. `contact.phone` and `contact.email` are
kept equal to the first phone and email on every write (see store/reach.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session, col, select

from salesbench.core import reach
from salesbench.core.enums import PointKind
from salesbench.core.errors import BadInput
from salesbench.store.models import Contact
from salesbench.store.reach import Address, ContactPoint


def parse_points(values: Iterable[str], kind: str, option: str) -> list[reach.Point]:
    """`--phone [label:]value` options, each checked; BadInput naming the option."""
    found: list[reach.Point] = []
    for text in values:
        if not text.strip():
            continue  # `--phone ''`: none
        try:
            found.append(reach.parse_point_option(text, kind))
        except ValueError as exc:
            raise BadInput(str(exc), field=option) from None
    return reach.new_points(kind, (), found)


def parse_address_options(values: Iterable[str], default_kind: str) -> list[dict[str, Any]]:
    found = []
    for text in values:
        if not text.strip():
            continue  # `--address ''`: none
        try:
            found.append(reach.parse_address_option(text, default_kind))
        except ValueError as exc:
            raise BadInput(str(exc), field="--address") from None
    return found


def points_of(session: Session, contact_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """Each contact's points, phones and emails mixed, in their order."""
    found: dict[uuid.UUID, list[Any]] = {c: [] for c in contact_ids}
    if not contact_ids:
        return found
    for start in range(0, len(contact_ids), 500):
        chunk = list(contact_ids[start : start + 500])
        for p in session.exec(
            select(ContactPoint)
            .where(col(ContactPoint.contact_id).in_(chunk))
            .order_by(col(ContactPoint.position), col(ContactPoint.id))
        ):
            found[p.contact_id].append(p)
    return found


def addresses_of(
    session: Session, *, customer_id: uuid.UUID | None = None, contact_id: uuid.UUID | None = None
) -> list[Address]:
    query = select(Address).order_by(col(Address.position), col(Address.id))
    if customer_id is not None:
        query = query.where(Address.customer_id == customer_id)
    else:
        query = query.where(Address.contact_id == contact_id)
    return list(session.exec(query))


def _stored(session: Session, contact: Contact) -> list[ContactPoint]:
    return points_of(session, [contact.id])[contact.id] if contact.id else []


def _renumber(session: Session, contact: Contact, kept: list[ContactPoint]) -> None:
    for n, p in enumerate(kept):
        if p.position != n:
            p.position = n
            session.add(p)
    first = {k: next((p.value for p in kept if p.kind == k), None) for k in PointKind}
    contact.phone, contact.email = first[PointKind.PHONE], first[PointKind.EMAIL]
    session.add(contact)


def replace_points(
    session: Session, contact: Contact, kind: str, points: Sequence[reach.Point]
) -> None:
    """The contact's phones (or emails) become `points`, in that order; the other
    kind stays as it is."""
    session.flush()
    stored = _stored(session, contact)
    kept = [p for p in stored if p.kind != kind]
    by_key = {reach.point_key(kind, p.value): p for p in stored if p.kind == kind}
    for label, value in points:
        same = by_key.pop(reach.point_key(kind, value), None)
        if same is None:
            same = ContactPoint(contact_id=contact.id, kind=kind, label=label, value=value)
        same.label, same.value = label, value
        kept.append(same)
    for gone in by_key.values():
        session.delete(gone)
    for p in kept:
        session.add(p)
    session.flush()
    _renumber(session, contact, kept)


def set_first_point(session: Session, contact: Contact, kind: str, value: str | None) -> None:
    """A form's one phone (or email) field: the first of that kind takes the value,
    keeping its label (a new one is `other`); None removes the first one."""
    session.flush()
    stored = _stored(session, contact)
    first = next((p for p in stored if p.kind == kind), None)
    if value is None:
        if first is not None:
            stored.remove(first)
            session.delete(first)
    elif first is not None:
        first.value = value
        session.add(first)
    else:
        stored.insert(0, ContactPoint(contact_id=contact.id, kind=kind, value=value))
        session.add(stored[0])
    session.flush()
    _renumber(session, contact, stored)


def replace_addresses(
    session: Session,
    addresses: Sequence[dict[str, Any]],
    *,
    customer_id: uuid.UUID | None = None,
    contact_id: uuid.UUID | None = None,
) -> None:
    """The record's addresses become `addresses`, in that order."""
    for gone in addresses_of(session, customer_id=customer_id, contact_id=contact_id):
        session.delete(gone)
    session.flush()
    for n, a in enumerate(addresses):
        session.add(
            Address.model_validate(
                {
                    **{k: a.get(k) for k in reach.ADDRESS_KEYS},
                    "customer_id": customer_id,
                    "contact_id": contact_id,
                    "position": n,
                }
            )
        )


def _address_dict(a: Address) -> dict[str, Any]:
    return {k: getattr(a, k) for k in reach.ADDRESS_KEYS if getattr(a, k) is not None}


def reach_of(session: Session, contact_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, reach.Reach]:
    """Each contact's phones, emails and addresses, in their order."""
    points = points_of(session, contact_ids)
    places: dict[uuid.UUID, list[dict[str, Any]]] = {c: [] for c in contact_ids}
    for start in range(0, len(contact_ids), 500):
        chunk = list(contact_ids[start : start + 500])
        for a in session.exec(
            select(Address)
            .where(col(Address.contact_id).in_(chunk))
            .order_by(col(Address.position), col(Address.id))
        ):
            if a.contact_id is not None:
                places[a.contact_id].append(_address_dict(a))
    return {
        c: reach.Reach(
            tuple((p.label, p.value) for p in points[c] if p.kind == PointKind.PHONE),
            tuple((p.label, p.value) for p in points[c] if p.kind == PointKind.EMAIL),
            tuple(places[c]),
        )
        for c in contact_ids
    }


def customer_addresses(session: Session, customer_id: uuid.UUID) -> reach.Reach:
    found = addresses_of(session, customer_id=customer_id)
    return reach.Reach(addresses=tuple(_address_dict(a) for a in found))


def points_like(pattern: str) -> Any:
    """The ids of contacts with a phone or email like `pattern` (a subquery)."""
    return select(ContactPoint.contact_id).where(col(ContactPoint.value).ilike(pattern))
