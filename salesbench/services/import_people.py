"""Planning customers and contacts, and finding (or creating) a row's customer."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from salesbench.core import import_identity as matching
from salesbench.core import importing as im
from salesbench.core import reach
from salesbench.core.errors import BadInput
from salesbench.core.grading import apply_customer_rules
from salesbench.services import import_reach
from salesbench.services.import_plan import Planner


def customer_index(planner: Planner) -> matching.Index:
    """Stored customers by id, source id and name, with their contacts' emails and
    phones (and the company's own phone) as weak evidence."""
    if planner.customers is not None:
        return planner.customers
    contacts: dict[uuid.UUID, dict[str, set[str]]] = {}
    for c in planner.stored("contact"):
        ident = contacts.setdefault(
            c.customer_id, {"contact_email": set(), "phone": set(), "people": set()}
        )
        if c.email:
            ident["contact_email"].add(matching.norm_email(c.email))
            ident["people"].add("@" + matching.norm_email(c.email))
        if c.phone:
            ident["phone"].add(matching.norm_phone(c.phone))
        ident["people"].add(matching.norm_name(c.name))

    def identity(r: Any) -> dict[str, set[str]]:
        planner.customer_owner[r.id] = r.owner_id  # gathered in the same pass
        ident = planner.ident(
            id=str(r.id),
            ext=matching.ext_key(r.external_source, r.external_id),
            natural=matching.norm_name(r.name),
        )
        extra = contacts.get(r.id, {})
        ident["contact_email"] = set(extra.get("contact_email", ()))
        ident["phone"] = set(extra.get("phone", ()))
        phone = (r.custom or {}).get("phone")
        if isinstance(phone, str) and phone:
            ident["phone"].add(matching.norm_phone(phone))
        return ident

    planner.customers = planner.index("customer", identity, lambda r: r.name)
    planner.people = {cid: ident["people"] for cid, ident in contacts.items()}
    return planner.customers


def row_parent(
    planner: Planner, row: im.Row, *, create: bool
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The row's customer (id, owner); by id, source id or name; created if allowed.
    A contact with no company is its own (person) customer, found again by the
    contact's identity so a re-import adds none."""
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
        ("ext", planner.ext(row, ext), "customer_external_id"),
        ("natural", name and matching.norm_name(name), "customer"),
    ):
        if not value:
            continue
        hits = {known.id: known for known in index.hits(key, value)}
        if len(hits) > 1:
            planner.problem(
                row,
                planner.column(label),
                f"{len(hits)} customers have that name (give customer_id or "
                "customer_external_id, or merge them: `salesbench duplicates`)",
            )
            return None
        if hits:
            known = next(iter(hits.values()))
            return known.id, planner.customer_owner[known.id]
        if key != "natural" and not (create and name):
            planner.problem(
                row,
                planner.column(label),
                f"no customer with that {key.replace('ext', 'external id')} "
                "(import the customers first)",
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
    if not name and not given_id:
        found = person_of(planner, row)
        if found is not None:
            return found, planner.customer_owner[found]
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
    source = planner.source(row) if ext else None
    created = planner.create(
        "customer",
        {**values, "owner_id": owner, "external_id": ext or None, "external_source": source},
    )
    planner.parent_made = matching.Known(
        created["id"],
        customer_name,
        {},
        planner.ident(
            id=str(created["id"]),
            ext=matching.ext_key(source, ext),
            natural=matching.norm_name(customer_name),
        ),
        line=row.line,
    )
    index.add(planner.parent_made, removable=True)
    planner.customer_owner[created["id"]] = owner
    planner.people[created["id"]] = set()
    return created["id"], owner


def keep_parent(planner: Planner, kept: bool) -> None:
    """A company made for a row whose own record is not written goes too."""
    made, planner.parent_made = planner.parent_made, None
    if kept or made is None:
        return
    customers = planner.inserts["customer"]
    if customers and customers[-1]["id"] == made.id:
        customers.pop()
        planner.report.created["customer"] -= 1
        if not planner.report.created["customer"]:
            del planner.report.created["customer"]
        customer_index(planner).remove(made)
        planner.customer_owner.pop(made.id, None)
        planner.people.pop(made.id, None)


def person_of(planner: Planner, row: im.Row) -> uuid.UUID | None:
    """The stored person-customer a company-less contact row is: by the contact's id,
    source id or email, else by its name where its phone and email do not differ."""
    if planner.persons is None:
        contact, customer = planner.table("contact"), planner.table("customer")
        found: dict[str, Any] = {}
        query = (
            select(contact)
            .join(customer, customer.c.id == contact.c.customer_id)
            .where(customer.c.kind == "person", planner.before(contact))
        )
        for c in planner.conn.execute(query):
            found.setdefault(f"id:{c.id}", c.customer_id)
            ext = matching.ext_key(c.external_source, c.external_id)
            if ext:
                found.setdefault(f"ext:{ext}", c.customer_id)
            if c.email:
                found.setdefault(f"email:{matching.norm_email(c.email)}", c.customer_id)
            found.setdefault(f"name:{matching.norm_name(c.name)}", []).append(
                (
                    c.customer_id,
                    c.phone and matching.norm_phone(c.phone),
                    c.email and matching.norm_email(c.email),
                )
            )
        planner.persons = found
    persons = planner.persons
    phone, email = row.values.get("phone"), row.values.get("email")
    phone, email = phone and matching.norm_phone(phone), email and matching.norm_email(email)
    for key in (
        f"id:{row.refs.get('id')}" if row.refs.get("id") else None,
        f"ext:{planner.ext(row, row.values.get('external_id'))}",
        f"email:{email}" if email else None,
    ):
        if key and key in persons:
            return uuid.UUID(str(persons[key]))
    for customer_id, their_phone, their_email in persons.get(
        f"name:{matching.norm_name(row.values.get('name') or '')}", ()
    ):
        if (phone and their_phone and phone != their_phone) or (
            email and their_email and email != their_email
        ):
            continue
        return uuid.UUID(str(customer_id))
    return None


def plan_customers(planner: Planner, rows: Iterable[im.Row]) -> None:
    index = customer_index(planner)
    mapped = set(planner.columns.fields.values()) if planner.columns else set()
    contact_cols = set(im.CUSTOMER_CONTACT) & mapped  # most customer lists have none
    if contact_cols:
        contact_cols.add("contact_name")  # or composed of first and last name
    contact: dict[str, Any] = {}
    for row in rows:
        values = planner.sourced(row, row.values)  # each row is planned once: no copy
        if contact_cols:
            contact = {k: values.pop(k) for k in list(values) if k in contact_cols}
            if contact.get("contact_name"):
                contact["name"] = contact.pop("contact_name")
        addresses = import_reach.take_addresses(values, "billing")
        points = import_reach.take_points(contact)  # contact's phone, email: the first
        custom = dict(row.custom)
        if contact and not (contact.get("name") or contact.get("email")):
            # the company's own phone: no contact named after the company
            custom.update({k: v for k, v in contact.items() if v})
            if len(points.phones) > 1:
                custom["phone"] = reach.format_points(points.phones)
            contact, points = {}, import_reach.Points()
        if custom:
            values["custom"] = custom
        first_phone = contact.get("phone") or custom.get("phone") or None
        identity = planner.ident(
            id=row.refs.get("id"),
            ext=matching.ext_key(values.get("external_source"), values.get("external_id")),
            natural=matching.norm_name(values["name"]),
            contact_email=contact.get("email") and matching.norm_email(contact["email"]),
            phone=first_phone and matching.norm_phone(str(first_phone).split(";")[0]),
        )
        decision = planner.decide(index, row, identity, values, "customer")
        customer_id: uuid.UUID | None = None
        if decision.verb == "create":
            owner = planner.owner(row, None)
            try:
                values = apply_customer_rules({}, values, planner.options.default_currency)
            except BadInput as exc:
                planner.problem(row, planner.column(exc.field or ""), exc.message)
                continue
            if owner is None:
                continue
            created = planner.create(
                "customer", {**values, "id": planner.new_id(row), "owner_id": owner}
            )
            customer_id = created["id"]
            planner.lookalike("customer", decision, customer_id)
            index.add(matching.Known(customer_id, values["name"], {}, identity, line=row.line))
            import_reach.plan_customer(planner, customer_id, addresses)
            planner.customer_owner[customer_id] = owner
            if contact:
                customer_contact(planner, customer_id, contact, new=True, points=points)
            continue
        elif decision.verb in ("update", "unchanged") and decision.known:
            customer_id = decision.known.id
            if decision.verb == "update" and planner.ext_taken(
                "customer", index, row, identity, decision.known
            ):
                continue
            if decision.verb == "update":
                try:
                    changes = apply_customer_rules(
                        decision.known.values, decision.changes, planner.options.default_currency
                    )
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
            customer_contact(planner, customer_id, contact, points=points)


def customer_contact(
    planner: Planner,
    customer_id: uuid.UUID,
    contact: dict[str, Any],
    new: bool = False,
    points: import_reach.Points | None = None,
) -> None:
    """The main contact a customers file describes, unless the customer has them
    already (by name or email); only a name or an email makes a contact."""
    email = contact.get("email")
    name = contact.get("name") or email
    if not name:
        return
    if not new:  # a new customer has no contacts to compare with, nor gets them later
        keys = {matching.norm_name(name)}
        if email:
            keys.add("@" + matching.norm_email(email))
        people = planner.people.setdefault(customer_id, set())
        if keys & people:
            return import_reach.plan_named(planner, customer_id, matching.norm_name(name), points)
        people.update(keys)
    created = planner.create(
        "contact",
        {
            "customer_id": customer_id,
            "name": name[:200],
            **{k: contact.get(k) for k in ("title", "phone", "email")},
        },
    )
    import_reach.plan_contact(planner, created["id"], points or import_reach.Points())


def contact_identity(
    planner: Planner,
    customer_id: uuid.UUID,
    *,
    id: str | None,
    ext: str | None,
    name: str,
    email: str | None,
    phone: str | None,
) -> dict[str, set[str]]:
    """A contact's keys, all inside its company but `any_email` (weak, for look-alikes
    elsewhere); a work email at the company is strong, a free-mail one is not."""
    mail = email and matching.norm_email(email)
    return planner.ident(
        id=id,
        ext=ext,
        email=mail and not matching.free_mail(mail) and f"{customer_id}|{mail}",
        any_email=mail,
        phone=phone and f"{customer_id}|{matching.norm_phone(phone)}",
        natural=f"{customer_id}|{matching.norm_name(name)}",
    )


def plan_contacts(planner: Planner, rows: Iterable[im.Row]) -> None:
    def identity(r: Any) -> dict[str, set[str]]:
        return contact_identity(
            planner,
            r.customer_id,
            id=str(r.id),
            ext=matching.ext_key(r.external_source, r.external_id),
            name=r.name,
            email=r.email,
            phone=r.phone,
        )

    index = planner.index("contact", identity, lambda r: r.name, lambda r: r.customer_id)
    for row in rows:
        planner.parent_made = None
        # phones and emails to the first of each before anything compares them
        points = import_reach.take_reach(row.values, "other")
        parent = row_parent(planner, row, create=True)
        if parent is None:
            continue
        customer_id, _owner = parent
        values = planner.sourced(row, dict(row.values))
        if row.custom:
            values["custom"] = row.custom
        ident = contact_identity(
            planner,
            customer_id,
            id=planner.given_id(row),
            ext=matching.ext_key(values.get("external_source"), values.get("external_id")),
            name=values["name"],
            email=values.get("email"),
            phone=values.get("phone"),
        )
        decision = planner.apply(
            "contact",
            index,
            row,
            ident,
            values,
            {"customer_id": customer_id},
            values["name"],
            scope=customer_id,
        )
        keep_parent(planner, decision.verb == "create")
        if decision.record_id is not None:
            import_reach.plan_contact(planner, decision.record_id, points)
