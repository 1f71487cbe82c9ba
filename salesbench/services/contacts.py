"""Contacts: the people on a customer's decision chain."""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from salesbench.core.clock import Clock
from salesbench.core.fields import CONTACT_FIELDS, parse_record
from salesbench.services.customers import find_customer
from salesbench.services.refs import find
from salesbench.store.engine import Store
from salesbench.store.models import Contact, Customer


def find_contact(session: Session, ref: str) -> Contact:
    return find(session, Contact, ref, label="contact", names=("name", "email"))


def add_contact(
    store: Store, customer_ref: str, raw: dict[str, str | None], *, clock: Clock
) -> Contact:
    values = parse_record(CONTACT_FIELDS, raw)
    with store.write(clock) as session:
        customer = find_customer(session, customer_ref)
        contact = Contact(
            **{k: v for k, v in values.items() if v is not None}, customer_id=customer.id
        )
        session.add(contact)
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
) -> Contact:
    """Change a contact's fields; "" clears an optional one. With `customer_ref`, the
    contact is looked up among that customer's contacts only (names repeat across firms)."""
    changes = parse_record(CONTACT_FIELDS, raw, partial=True)
    with store.write(clock) as session:
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
            contact = matches[0]
        else:
            contact = find_contact(session, ref)
        for key, value in changes.items():
            setattr(contact, key, value)
        session.add(contact)
    return contact
