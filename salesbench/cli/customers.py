"""`salesbench customer`: the customer center from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench.cli.common import (
    AllOpt,
    CustomOpt,
    DbOpt,
    JsonOpt,
    RepOpt,
    acting,
    clock,
    custom_fields,
    emit_json,
    emit_table,
    record_fields,
    settings,
    speak_as,
    store,
)
from salesbench.core.fields import CUSTOMER_FIELDS

app = typer.Typer(help="Add, list, show and edit customers.", no_args_is_help=True)

KindOpt = Annotated[str | None, typer.Option(help="company or person (default company).")]
NumberOpt = Annotated[str | None, typer.Option(help="Your customer number, e.g. CRM-2024-001.")]
IndustryOpt = Annotated[str | None, typer.Option(help="Industry.")]
SizeOpt = Annotated[str | None, typer.Option(help="Size, e.g. 50-200 staff.")]
SourceOpt = Annotated[
    str | None,
    typer.Option("--source", help="Source channel: trade show, referral, web, ..."),
]
GradeOpt = Annotated[
    str | None,
    typer.Option(help="A, B or C, set by hand; left out, it follows the annual purchase."),
]
StatusOpt = Annotated[str | None, typer.Option(help="active, nurture, paused or closed.")]
PausedOpt = Annotated[
    str | None, typer.Option("--paused-until", help="Pause follow-up until YYYY-MM-DD.")
]
AnnualOpt = Annotated[
    str | None, typer.Option("--annual-purchase", help="Yearly purchase amount, e.g. 1200000.")
]
AddressOpt = Annotated[
    list[str] | None,
    typer.Option(
        help="Postal address as 'kind: street; city; region; postcode; country' "
        "(the kind billing, shipping, work, home or other; billing if left out) or a JSON "
        "object; repeatable. On edit they replace all ('' alone: none)."
    ),
]


def _print_customer(customer_id: str, db: str | None, as_json: bool) -> None:
    from salesbench.services.customers import customer_detail, customer_reach
    from salesbench.services.serialize import record

    opened = store(db)
    customer, owner, contacts, opps, custom = customer_detail(opened, customer_id)
    places, reach = customer_reach(opened, customer.id, [c.id for c in contacts])
    if as_json:
        emit_json(
            record(
                customer,
                owner=record(owner),
                addresses=places.as_dict()["addresses"],
                contacts=[record(c, **reach[c.id].as_dict()) for c in contacts],
                opportunities=[record(o) for o in opps],
            )
        )
        return
    from salesbench.core import i18n, labels
    from salesbench.core.grading import grade_note
    from salesbench.core.i18n import _
    from salesbench.core.ids import short_id
    from salesbench.core.money import format_amount
    from salesbench.services.customers import stage_names

    speak_as(opened, db)
    state = labels.label(labels.CUSTOMER_STATES, customer.status)
    until = _(" until {day}").format(day=customer.paused_until) if customer.paused_until else ""
    lines = [
        f"{customer.name}  [{short_id(customer.id)}]  "
        + labels.label(labels.CUSTOMER_KINDS, customer.kind),
        "  "
        + _("grade {grade} ({set_by})   status {state}").format(
            grade=customer.grade or "-",
            set_by=labels.label(labels.GRADE_SET_BY, customer.grade_set_by),
            state=state,
        )
        + until,
        "  "
        + _("owner {owner}   number {number}   industry {industry}   source {source}").format(
            owner=owner.name,
            number=customer.number or "-",
            industry=customer.industry or "-",
            source=customer.source_channel or "-",
        ),
        "  "
        + _("annual purchase {amount}").format(
            amount=format_amount(customer.annual_purchase, customer.currency)
        ),
    ]
    note = grade_note(customer.model_dump(), settings().currency)
    lines += [f"  {note}"] if note else []
    lines += [f"  {label}: {value}" for label, value in custom]
    lines += ["  " + line for line in places.lines()]
    typer.echo("\n".join(lines))
    if contacts:
        emit_table(
            _("Contacts"),
            [_("id"), _("name"), _("job title"), _("role"), _("phone"), _("email")],
            [
                (
                    short_id(c.id),
                    c.name,
                    c.title,
                    labels.label(labels.DECISION_ROLES, c.decision_role, ""),
                    c.phone,
                    c.email,
                )
                for c in contacts
            ],
        )
        details = [(c, reach[c.id].lines()) for c in contacts if reach[c.id].lines()]
        if details:
            typer.echo(_("Phones, emails and addresses"))
            for c, found in details:
                typer.echo("\n".join([f"  {c.name}", *("    " + line for line in found)]))
    if opps:
        stages = stage_names(opened, opps, i18n.language())  # the playbook's words
        emit_table(
            _("Opportunities"),
            [_("id"), _("title"), _("stage"), _("status"), _("amount"), _("close")],
            [
                (
                    short_id(o.id),
                    o.title,
                    stages.get(o.id, o.stage_key),
                    labels.deal_state(o.status),
                    format_amount(o.amount, o.currency),
                    o.expected_close,
                )
                for o in opps
            ],
        )


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Company or person name.")],
    kind: KindOpt = None,
    number: NumberOpt = None,
    industry: IndustryOpt = None,
    size: SizeOpt = None,
    source_channel: SourceOpt = None,
    grade: GradeOpt = None,
    status: StatusOpt = None,
    paused_until: PausedOpt = None,
    annual_purchase: AnnualOpt = None,
    address: AddressOpt = None,
    field: CustomOpt = None,
    rep: RepOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a customer, owned by the acting rep."""
    from salesbench.core.grading import grade_note
    from salesbench.core.ids import short_id
    from salesbench.services.customers import add_customer
    from salesbench.services.serialize import record

    raw = record_fields(ctx, CUSTOMER_FIELDS)
    customer = add_customer(
        store(db),
        raw,
        clock=clock(),
        owner=acting(rep, db),
        custom=custom_fields(field),
        addresses=address or (),
        currency=settings().currency,
    )
    if as_json:
        emit_json(record(customer))
    else:
        typer.echo(
            f"added customer {short_id(customer.id)} {customer.name} (grade {customer.grade})"
        )
        note = grade_note(customer.model_dump(), settings().currency)
        if note:
            typer.echo(note)


@app.command("edit")
def edit(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer id, id prefix, name or number.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    kind: KindOpt = None,
    number: NumberOpt = None,
    industry: IndustryOpt = None,
    size: SizeOpt = None,
    source_channel: SourceOpt = None,
    grade: GradeOpt = None,
    status: StatusOpt = None,
    paused_until: PausedOpt = None,
    annual_purchase: AnnualOpt = None,
    address: AddressOpt = None,
    field: CustomOpt = None,
    owner: Annotated[str | None, typer.Option(help="Hand the customer to this rep.")] = None,
    if_version: Annotated[
        int | None,
        typer.Option(
            "--if-version",
            help="Only if the customer is still at this version (from `customer show --json`); "
            "else exit 4 and change nothing.",
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a customer's fields; give an empty value ('') to clear one. Only
    the fields given are written: a colleague's change to another field stays."""
    from salesbench.services.customers import edit_customer

    raw = record_fields(ctx, CUSTOMER_FIELDS)
    updated = edit_customer(
        store(db),
        customer,
        raw,
        clock=clock(),
        owner=owner,
        custom=custom_fields(field),
        addresses=address,
        currency=settings().currency,
        expected_version=if_version,
    )
    _print_customer(str(updated.id), db, as_json)


@app.command("list")
def list_(
    grade: Annotated[str | None, typer.Option(help="Only this grade.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    rep: Annotated[str | None, typer.Option("--rep", help="Only this rep's customers.")] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Part of the name or number.")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    everyone: AllOpt = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List customers, by name (yours, or your team's if you lead one, when
    SALESBENCH_REP says who you are)."""
    from salesbench.core import i18n, labels
    from salesbench.core.i18n import _
    from salesbench.core.ids import short_id
    from salesbench.core.money import format_amount
    from salesbench.services.customers import list_customers
    from salesbench.services.serialize import record
    from salesbench.services.team import default_owners

    opened = store(db)
    me = speak_as(opened, db)  # a Chinese reader's list is in pinyin order
    rows = list_customers(
        opened,
        grade=grade,
        status=status,
        owner=rep,
        search=search,
        limit=limit,
        owners=None if everyone or rep else default_owners(opened, me),
        pinyin_at=clock() if i18n.language().startswith("zh") else None,
    )
    if as_json:
        emit_json([record(c) for c in rows])
        return
    emit_table(
        None,
        [_("id"), _("name"), _("grade"), _("status"), _("industry"), _("annual purchase")],
        [
            (
                short_id(c.id),
                c.name,
                c.grade,
                labels.label(labels.CUSTOMER_STATES, c.status),
                c.industry,
                format_amount(c.annual_purchase, c.currency)
                if c.annual_purchase is not None
                else None,
            )
            for c in rows
        ],
    )


@app.command("show")
def show(
    customer: Annotated[str, typer.Argument(help="Customer id, id prefix, name or number.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a customer with contacts and opportunities."""
    _print_customer(customer, db, as_json)


@app.command("pause")
def pause(
    customer: Annotated[str, typer.Argument(help="Customer id, id prefix, name or number.")],
    months: Annotated[
        int | None, typer.Option(min=1, max=2, help="Pause for one or two months (default 1).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Pause until this date, YYYY-MM-DD.")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """'Not needed for now': pause follow-up for one or two months; no cadence tasks meanwhile."""
    from salesbench.core.errors import BadInput
    from salesbench.core.fields import iso_date
    from salesbench.services.customers import pause_customer
    from salesbench.services.serialize import record

    if months is not None and until is not None:
        raise BadInput("give --months or --until, not both")
    try:
        day = iso_date(until) if until else None
    except ValueError as exc:
        raise BadInput(str(exc), field="until") from None
    paused = pause_customer(store(db), customer, clock=clock(), months=months, until=day)
    if as_json:
        emit_json(record(paused))
    else:
        typer.echo(f"{paused.name} paused until {paused.paused_until}")


@app.command("merge")
def merge(
    keep: Annotated[
        str, typer.Argument(help="The customer to keep: id, id prefix, name or number.")
    ],
    other: Annotated[str, typer.Argument(help="The customer folded into KEEP, then deleted.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would move; change nothing.")
    ] = False,
    rep: RepOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fold OTHER's contacts, deals, tasks, activities, complaints, handovers and
    addresses into KEEP and delete OTHER, in one step `salesbench import undo` takes back."""
    from salesbench.services.merge import merge_customers

    report = merge_customers(
        store(db), keep, other, clock=clock(), rep=acting(rep, db), dry_run=dry_run
    )
    if as_json:
        emit_json(report.as_dict())
        return
    moved = ", ".join(f"{n:,} {table}" for table, n in report.moved.items()) or "nothing"
    if dry_run:
        typer.echo(f"would merge {report.other} into {report.keep}: would move {moved}")
        typer.echo("  dry run: nothing was written")
        return
    typer.echo(f"merged {report.other} into {report.keep}: moved {moved}")
    if report.batch_id:
        from salesbench.core.ids import short_id

        short = short_id(report.batch_id)
        typer.echo(f"  batch {short}: take it back with `salesbench import undo {short}`")
