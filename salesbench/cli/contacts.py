"""`salesbench contact`: people at a customer."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench.cli.common import (
    DbOpt,
    JsonOpt,
    clock,
    emit_json,
    emit_table,
    raw_fields,
    store,
)

app = typer.Typer(help="Add, list, show and edit contacts.", no_args_is_help=True)

TitleOpt = Annotated[str | None, typer.Option(help="Job title.")]
PhoneOpt = Annotated[
    list[str] | None,
    typer.Option(
        help="Phone as label: value or just the value (label mobile, work, home, fax "
        "or other); repeat for several, the first is the main one."
    ),
]
EmailOpt = Annotated[
    list[str] | None,
    typer.Option(help="Email as label: value or just the value; repeat for several."),
]
AddressOpt = Annotated[
    list[str] | None,
    typer.Option(
        help="Postal address as 'kind: street; city; region; postcode; country' "
        "(the kind home, work, billing, shipping or other, or left out; later parts "
        "too) or a JSON object; repeatable."
    ),
]
RoleOpt = Annotated[
    str | None,
    typer.Option(help="Decision role: decision_maker, influencer, user or coach."),
]


@app.command("add")
def add(
    customer: Annotated[str, typer.Argument(help="Customer id, id prefix, name or number.")],
    name: Annotated[str, typer.Argument(help="The contact's name.")],
    title: TitleOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    address: AddressOpt = None,
    role: RoleOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a contact to a customer."""
    from salesbench.core.ids import short_id
    from salesbench.services.contacts import add_contact
    from salesbench.services.serialize import record

    contact = add_contact(
        store(db),
        customer,
        raw_fields(name=name, title=title, decision_role=role),
        clock=clock(),
        phones=phone or (),
        emails=email or (),
        addresses=address or (),
    )
    if as_json:
        emit_json(record(contact))
    else:
        typer.echo(f"added contact {short_id(contact.id)} {contact.name}")


@app.command("list")
def list_(
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="Only this customer's contacts.")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Part of the name, email or phone.")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List contacts with their customer and decision role."""
    from salesbench.core.ids import short_id
    from salesbench.services.contacts import list_contacts
    from salesbench.services.serialize import record

    rows = list_contacts(store(db), customer=customer, search=search)
    if as_json:
        emit_json([record(c, customer_name=cust.name) for c, cust in rows])
        return
    emit_table(
        None,
        ["id", "name", "customer", "title", "role", "phone", "email"],
        [
            (short_id(c.id), c.name, cust.name, c.title, c.decision_role, c.phone, c.email)
            for c, cust in rows
        ],
    )


@app.command("edit")
def edit(
    contact: Annotated[str, typer.Argument(help="Contact id, id prefix, name or email.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    title: TitleOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    address: AddressOpt = None,
    role: RoleOpt = None,
    if_version: Annotated[
        int | None,
        typer.Option(
            "--if-version",
            help="Only if the contact is still at this version (from `contact show --json`); "
            "else exit 4 and change nothing.",
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a contact's details; give an empty value ('') to clear one. --phone,
    --email and --address replace all of that kind ('' alone: none)."""
    from salesbench.core.ids import short_id
    from salesbench.services.contacts import edit_contact
    from salesbench.services.serialize import record

    updated = edit_contact(
        store(db),
        contact,
        raw_fields(name=name, title=title, decision_role=role),
        clock=clock(),
        phones=phone,
        emails=email,
        addresses=address,
        expected_version=if_version,
    )
    if as_json:
        emit_json(record(updated))
    else:
        typer.echo(f"saved contact {short_id(updated.id)} {updated.name}")


@app.command("show")
def show(
    contact: Annotated[str, typer.Argument(help="Contact id, id prefix, name or email.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a contact with every phone, email and address."""
    from salesbench.core.ids import short_id
    from salesbench.services.contacts import contact_detail
    from salesbench.services.serialize import record

    found, customer, reach = contact_detail(store(db), contact)
    if as_json:
        emit_json(record(found, customer_name=customer.name, **reach.as_dict()))
        return
    lines = [
        f"{found.name}  [{short_id(found.id)}]  at {customer.name}",
        f"  title {found.title or '-'}   role {(found.decision_role or '-').replace('_', ' ')}",
    ]
    lines += ["  " + line for line in reach.lines()] or ["  no phone, email or address"]
    typer.echo("\n".join(lines))
