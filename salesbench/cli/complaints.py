"""`salesbench complaint`: answer within an hour, solve within a day."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench.cli.common import DbOpt, JsonOpt, clock, emit_json, emit_table, raw_fields, store

app = typer.Typer(help="Record, answer and resolve complaints.", no_args_is_help=True)
RefArg = Annotated[str, typer.Argument(help="Complaint id or id prefix.")]


@app.command("add")
def add(
    customer: Annotated[str, typer.Argument(help="Customer id, id prefix, name or number.")],
    content: Annotated[str, typer.Argument(help="What the customer complains about.")],
    complainant: Annotated[str | None, typer.Option(help="Who complained.")] = None,
    contact_info: Annotated[
        str | None, typer.Option("--contact-info", help="How to reach them.")
    ] = None,
    received_at: Annotated[
        str | None, typer.Option("--at", help="When it came in (ISO time; default now).")
    ] = None,
    opp: Annotated[str | None, typer.Option("--opp", help="The opportunity it concerns.")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a complaint: a task to respond within 1 hour and one to solve within 24 hours."""
    from salesbench.core.ids import short_id
    from salesbench.services.complaints import add_complaint
    from salesbench.services.serialize import record
    from salesbench.services.task_rows import owner_workdays

    opened = store(db)
    complaint, tasks = add_complaint(
        opened,
        customer,
        raw_fields(
            content=content,
            complainant=complainant,
            contact_info=contact_info,
            received_at=received_at,
        ),
        clock=clock(),
        opportunity_ref=opp,
    )
    if as_json:
        emit_json(record(complaint, tasks=[record(t) for t in tasks]))
        return
    typer.echo(f"complaint [{short_id(complaint.id)}] recorded")
    zone = owner_workdays(opened, [complaint.owner_id])[complaint.owner_id]  # the rep's time
    for t in tasks:
        due = f" due {zone.local(t.due_at):%m-%d %H:%M}" if t.due_at else ""
        typer.echo(f"  new task [{short_id(t.id)}]{due}: {t.title}")


@app.command("respond")
def respond(ref: RefArg, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Record that the customer has had a first answer."""
    from salesbench.services.complaints import respond_complaint
    from salesbench.services.serialize import record

    complaint = respond_complaint(store(db), ref, clock=clock())
    emit_json(record(complaint)) if as_json else typer.echo("responded")


@app.command("resolve")
def resolve(
    ref: RefArg,
    resolution: Annotated[str, typer.Option(help="What was done (required).")],
    cause: Annotated[str | None, typer.Option(help="Cause analysis.")] = None,
    feedback: Annotated[str | None, typer.Option(help="The customer's feedback.")] = None,
    improvement: Annotated[str | None, typer.Option(help="What changes to prevent it.")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the solution; both complaint tasks close."""
    from salesbench.services.complaints import resolve_complaint
    from salesbench.services.serialize import record

    complaint = resolve_complaint(
        store(db),
        ref,
        raw_fields(
            resolution=resolution,
            cause_analysis=cause,
            customer_feedback=feedback,
            improvement=improvement,
        ),
        clock=clock(),
    )
    emit_json(record(complaint)) if as_json else typer.echo("resolved")


@app.command("list")
def list_(
    open_only: Annotated[bool, typer.Option("--open", help="Only unresolved ones.")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List complaints, oldest first."""
    from salesbench.core.ids import short_id
    from salesbench.services.complaints import list_complaints
    from salesbench.services.serialize import record
    from salesbench.services.task_rows import owner_workdays

    opened = store(db)
    rows = list_complaints(opened, open_only=open_only)
    if as_json:
        emit_json([record(c, customer_name=cu.name) for c, cu in rows])
        return
    zones = owner_workdays(opened, [c.owner_id for c, _cu in rows])
    emit_table(
        None,
        ["id", "customer", "received", "responded", "resolved", "content"],
        [
            (
                short_id(c.id),
                cu.name,
                f"{zones[c.owner_id].local(c.received_at):%m-%d %H:%M}",
                "yes" if c.responded_at else "",
                "yes" if c.resolved_at else "",
                c.content[:40],
            )
            for c, cu in rows
        ],
    )
