"""Planning customers and contacts, and finding (or creating) a row's customer."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from salesbench.core import import_identity as matching
from salesbench.core import importing as im
from salesbench.core.errors import BadInput
from salesbench.core.grading import apply_customer_rules
from salesbench.services import import_reach
from salesbench.services.import_plan import Planner


def customer_index(planner: Planner) -> matching.Index:
    if planner.customers is not None:
        return planner.customers
    contacts: dict[uuid.UUID, dict[str, set[str]]] = {}
    for c in planner.stored("contact"):
        ident = contacts.setdefault(
            c.customer_id, {"email": set(), "phone": set(), "people": set()}
        )
        if c.email:
            ident["email"].add(matching.norm_email(c.email))
        if c.phone:
            ident["phone"].add(matching.norm_phone(c.phone))
        ident["people"].add(matching.norm_name(c.name))

    def identity(r: Any) -> dict[str, set[str]]:
        planner.customer_owner[r.id] = r.owner_id  # gathered in the same pass
        ident = planner.ident(
            id=str(r.id), external_id=r.external_id, natural=matching.norm_name(r.name)
        )
        extra = contacts.get(r.id, {})
        ident["email"] = set(extra.get("email", ()))
        ident["phone"] = set(extra.get("phone", ()))
        return ident

    planner.customers = planner.index("customer", identity, lambda r: r.name)
    planner.people = {cid: ident["people"] for cid, ident in contacts.items()}
    return planner.customers


def row_parent(
    planner: Planner, row: im.Row, *, create: bool
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The row's customer (id, owner); by id, external id or name; created if allowed."""
    index = customer_index(planner)
    given_id, ext, name = (
        row.refs.get("customer_id"),
        row.refs.get("customer_external_id"),
        row.refs.get("customer"),
    )
    if ext:
        ext = planner.first_parent(row, ext)  # HubSpot lists several associated ids
    for key, value, label in (
        ("id", given_id, "customer_id"),
        ("external_id", ext, "customer_external_id"),
        ("natural", name and matching.norm_name(name), "customer"),
    ):
        if not value:
            continue
        found = index.find({key: {value}})
        if found is not None:
            known = found[0]
            return known.id, planner.customer_owner[known.id]
        if key != "natural" and not (create and name):
            planner.problem(
                row,
                planner.column(label),
                f"no customer with that {key.replace('_', ' ')} (import the customers first)",
            )
            return None
    if not create:
        if name:
            planner.problem(row, planner.column("customer"), "no customer of that name")
        else:
            planner.problem(
                row,
                None,
                "names no customer (customer, customer_id or customer_external_id column)",
            )
        return None
    # A contact or deal for a company we do not have yet: create the company.
    customer_name = name or row.values.get("name")
    owner = planner.owner(row, None)
    if owner is None or not customer_name:
        if not customer_name:
            planner.problem(row, None, "names no customer")
        return None
    values = apply_customer_rules({}, {"name": customer_name[:200]})
    if not name:
        values["kind"] = "person"  # a person on their own is a retail customer
    created = planner.create("customer", {**values, "owner_id": owner, "external_id": ext or None})
    index.add(
        matching.Known(
            created["id"],
            customer_name,
            {},
            planner.ident(
                id=str(created["id"]),
                external_id=ext,
                natural=matching.norm_name(customer_name),
            ),
            line=row.line,
        )
    )
    planner.customer_owner[created["id"]] = owner
    planner.people[created["id"]] = set()
    return created["id"], owner


def plan_customers(planner: Planner, rows: Iterable[im.Row]) -> None:
    index = customer_index(planner)
    mapped = set(planner.columns.fields.values()) if planner.columns else set()
    contact_cols = set(im.CUSTOMER_CONTACT) & mapped  # most customer lists have none
    contact: dict[str, Any] = {}
    for row in rows:
        if contact_cols:
            contact = {k: row.values.pop(k) for k in list(row.values) if k in contact_cols}
            if contact.get("contact_name"):
                contact["name"] = contact.pop("contact_name")
        values = row.values  # each row is planned once: no copy needed
        addresses, points = (
            import_reach.take_addresses(values, "billing"),
            import_reach.take_points(contact),
        )
        if row.custom:
            values["custom"] = row.custom
        identity = {"natural": {matching.norm_name(values["name"])}}
        if row.refs.get("id"):
            identity["id"] = {row.refs["id"]}
        if values.get("external_id"):
            identity["external_id"] = {values["external_id"]}
        if contact.get("email"):
            identity["email"] = {matching.norm_email(contact["email"])}
        if contact.get("phone"):
            identity["phone"] = {matching.norm_phone(contact["phone"])}
        decision = planner.decide(index, row, identity, values, "customer")
        customer_id: uuid.UUID | None = None
        if decision.verb == "create":
            owner = planner.owner(row, None)
            try:
                values = apply_customer_rules({}, values)
            except BadInput as exc:
                planner.problem(row, planner.column(exc.field or ""), exc.message)
                continue
            if owner is None:
                continue
            created = planner.create(
                "customer", {**values, "id": planner.new_id(row), "owner_id": owner}
            )
            customer_id = created["id"]
            index.add(matching.Known(customer_id, values["name"], {}, identity, line=row.line))
            import_reach.plan_customer(planner, customer_id, addresses)
            if contact:  # a new customer has no contacts yet: no need to compare names
                planner.people[customer_id] = set()
                customer_contact(planner, customer_id, values["name"], contact, True, points)
            continue
        elif decision.verb in ("update", "unchanged") and decision.known:
            customer_id = decision.known.id
            if decision.verb == "update":
                try:
                    changes = apply_customer_rules(decision.known.values, decision.changes)
                except BadInput as exc:
                    planner.problem(row, planner.column(exc.field or ""), exc.message)
                    continue
                changes = matching.changed_values(decision.known.values, changes)
                if changes:
                    planner.update("customer", decision.known, changes)
                else:
                    planner.report.unchanged += 1
        import_reach.plan_customer(planner, customer_id, addresses)
        if customer_id is not None and contact:
            customer_contact(planner, customer_id, values.get("name", ""), contact, False, points)


def customer_contact(
    planner: Planner,
    customer_id: uuid.UUID,
    customer_name: str,
    contact: dict[str, Any],
    new: bool = False,
    points: import_reach.Points | None = None,
) -> None:
    """The main contact a customers file describes, unless the customer has them already."""
    name = contact.get("name") or customer_name
    if not new:
        people = planner.people.setdefault(customer_id, set())
        key = matching.norm_name(name)
        if key in people:
            return import_reach.plan_named(planner, customer_id, key, points)
        people.add(key)
    created = planner.create(
        "contact",
        {
            "customer_id": customer_id,
            "name": name[:200],
            **{k: contact.get(k) for k in ("title", "phone", "email")},
        },
    )
    import_reach.plan_contact(planner, created["id"], points or import_reach.Points())


def plan_contacts(planner: Planner, rows: Iterable[im.Row]) -> None:
    def identity(r: Any) -> dict[str, set[str]]:
        return planner.ident(
            id=str(r.id),
            external_id=r.external_id,
            email=r.email and matching.norm_email(r.email),
            phone=r.phone and matching.norm_phone(r.phone),
            natural=f"{r.customer_id}|{matching.norm_name(r.name)}",
        )

    index = planner.index("contact", identity, lambda r: r.name)
    for row in rows:
        parent = row_parent(planner, row, create=True)
        if parent is None:
            continue
        customer_id, _owner = parent
        values = dict(row.values)
        points = import_reach.take_reach(values, "other")
        if row.custom:
            values["custom"] = row.custom
        ident = planner.ident(
            id=planner.given_id(row),
            external_id=values.get("external_id"),
            email=values.get("email") and matching.norm_email(values["email"]),
            phone=values.get("phone") and matching.norm_phone(values["phone"]),
            natural=f"{customer_id}|{matching.norm_name(values['name'])}",
        )
        contact_id = planner.apply(
            "contact", index, row, ident, values, {"customer_id": customer_id}, values["name"]
        )
        import_reach.plan_contact(planner, contact_id, points)
