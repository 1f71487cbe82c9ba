"""Contacts: the people on a customer's decision chain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, or_, select

from salesbench.core import reach
from salesbench.core.clock import Clock
from salesbench.core.errors import BadInput, BadInputs
from salesbench.core.fields import CONTACT_FIELDS, parse_record
from salesbench.core.i18n import _
from salesbench.services import contact_reach as cr
from salesbench.services.customers import find_customer
from salesbench.services.refs import find
from salesbench.store.engine import Store
from salesbench.store.models import Contact, Customer


def check_every_field(raw: dict[str, str | None], *, partial: bool) -> None:
    """Each given field checked on its own, so a form hears of every wrong one at once
    (BadInputs) rather than one per save; one wrong field raises as the parse would."""
    problems: list[BadInput] = []
    for key, value in raw.items():
        try:
            parse_record(CONTACT_FIELDS, {key: value}, partial=True)
            if key in ("phone", "email") and value:  # then as a point of reach
                cr.parse_points([value], key, key)
        except BadInput as exc:
            problems.append(exc)
    if not partial and raw.get("name") is None:  # the one field a new contact needs
        problems.insert(0, BadInput(_("is required"), field="name"))
    if len(problems) > 1:
        raise BadInputs(problems)


def find_contact(session: Session, ref: str) -> Contact:
    return find(session, Contact, ref, label="contact", names=("name", "email"))


def add_contact(
    store: Store,
    customer_ref: str,
    raw: dict[str, str | None],
    *,
    clock: Clock,
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    addresses: Sequence[str] = (),
) -> Contact:
    """Add a contact; `phones` and `emails` as `[label:]value` (after a `phone` or
    `email` in `raw`, which comes first), `addresses` as `--address` takes them."""
    check_every_field(raw, partial=False)
    values = parse_record(CONTACT_FIELDS, raw)
    phone, email = values.pop("phone", None), values.pop("email", None)
    phone_points = cr.parse_points([phone] if phone else [], "phone", "phone")
    phone_points += cr.parse_points(phones, "phone", "--phone")
    email_points = cr.parse_points([email] if email else [], "email", "email")
    email_points += cr.parse_points(emails, "email", "--email")
    places = cr.parse_address_options(addresses, "other")
    with store.write(clock) as session:
        customer = find_customer(session, customer_ref)
        contact = Contact(
            **{k: v for k, v in values.items() if v is not None}, customer_id=customer.id
        )
        session.add(contact)
        session.flush()
        cr.replace_points(session, contact, "phone", reach.new_points("phone", (), phone_points))
        cr.replace_points(session, contact, "email", reach.new_points("email", (), email_points))
        if places:
            cr.replace_addresses(session, places, contact_id=contact.id)
    return contact


def list_contacts(
    store: Store, *, customer: str | None = None, search: str | None = None
) -> list[tuple[Contact, Customer]]:
    with store.read() as session:
        query = (
            select(Contact, Customer)
            .join(Customer, col(Customer.id) == Contact.customer_id)
            .order_by(Customer.name, Contact.name)
        )
        if customer:
            query = query.where(Contact.customer_id == find_customer(session, customer).id)
        if search:
            pattern = f"%{search.strip()}%"
            query = query.where(
                or_(
                    col(Contact.name).ilike(pattern),
                    col(Contact.email).ilike(pattern),
                    col(Contact.phone).ilike(pattern),
                    col(Contact.id).in_(cr.points_like(pattern)),  # a second phone, ...
                )
            )
        return [(contact, cust) for contact, cust in session.exec(query)]


def edit_contact(
    store: Store,
    ref: str,
    raw: dict[str, str | None],
    *,
    clock: Clock,
    customer_ref: str | None = None,
    phones: Sequence[str] | None = None,
    emails: Sequence[str] | None = None,
    addresses: Sequence[str] | None = None,
    started_from: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Contact:
    """Change a contact's fields; "" clears an optional one. With `customer_ref`, the
    contact is looked up among that customer's contacts only (names repeat across firms).
    A `phone` (or `email`) in `raw` is the first phone's new value; `phones` (`emails`,
    `addresses`), when given, become all of them ('' alone: none). Only the fields
    given are written; `started_from` (the contact as a form showed it) or
    `expected_version`: a Conflict, nothing saved, when someone else changed a field
    being changed (with the version: anything) meanwhile."""
    from salesbench.services.edits import check_started_from, check_version, flush, with_retries

    check_every_field(raw, partial=True)
    changes = parse_record(CONTACT_FIELDS, raw, partial=True)
    firsts = {k: changes.pop(k) for k in ("phone", "email") if k in changes}
    for which, first in firsts.items():
        if first is not None:  # one value, as a list cell would read it
            firsts[which] = cr.parse_points([first], which, which)[0][1]
    lists: dict[str, list[reach.Point] | None] = {
        "phone": None if phones is None else cr.parse_points(phones, "phone", "--phone"),
        "email": None if emails is None else cr.parse_points(emails, "email", "--email"),
    }
    places = None if addresses is None else cr.parse_address_options(addresses, "other")

    def write() -> Contact:
        with store.write(clock) as session:
            contact = _the_contact(session, ref, customer_ref)
            label = f"contact {contact.name}"
            check_version(label, contact, expected_version)
            check_started_from(label, contact, started_from, [*changes, *firsts])
            for key, value in changes.items():
                setattr(contact, key, value)
            session.add(contact)
            for first_kind, value in firsts.items():
                cr.set_first_point(session, contact, first_kind, value)
            for kind, points in lists.items():
                if points is not None:
                    cr.replace_points(session, contact, kind, points)
            if places is not None:
                cr.replace_addresses(session, places, contact_id=contact.id)
            flush(session)
        return contact

    return with_retries(f"contact {ref}", write)


def _the_contact(session: Session, ref: str, customer_ref: str | None) -> Contact:
    """The contact `ref` names, among `customer_ref`'s contacts when given."""
    if customer_ref is not None:
        customer = find_customer(session, customer_ref)
        matches = [
            c
            for c in session.exec(select(Contact).where(Contact.customer_id == customer.id))
            if ref in (str(c.id), c.name)
        ]
        if len(matches) != 1:
            from salesbench.core.errors import BadInput, NotFound

            if not matches:
                raise NotFound(f"{customer.name} has no contact {ref!r}")
            raise BadInput(f"{customer.name} has several contacts named {ref!r}")
        return matches[0]
    return find_contact(session, ref)


def contact_detail(store: Store, ref: str) -> tuple[Contact, Customer, reach.Reach]:
    """A contact, its customer, and every phone, email and address it has."""
    with store.read() as session:
        contact = find_contact(session, ref)
        customer = session.get_one(Customer, contact.customer_id)
        return contact, customer, cr.reach_of(session, [contact.id])[contact.id]
