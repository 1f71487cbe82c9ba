"""`salesbench handover`: a rep's customers, open deals and open tasks to a colleague."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench.cli.common import DbOpt, JsonOpt, clock, confirm_or_fail, emit_json, store

app = typer.Typer()


@app.command()
def handover(
    from_rep: Annotated[
        str, typer.Option("--from", help="The rep handing over (name, email or id).")
    ],
    to_rep: Annotated[str, typer.Option("--to", help="The rep taking over.")],
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="Only this customer (default: all).")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why, for the customers' timelines.")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Move customers with their open deals and open tasks to another rep, record it in
    each customer's timeline, and print what the new owner needs to carry on."""
    from salesbench.services.team import handover as do_handover
    from salesbench.services.team import plan_handover

    opened = store(db)
    plan = plan_handover(opened, from_rep, to_rep, customer)
    if not plan.customers:
        typer.echo(f"{plan.from_rep.name} has no customers to hand over")
        return
    confirm_or_fail(f"This moves {plan.describe()}", yes)
    done = do_handover(opened, from_rep, to_rep, clock=clock(), customer_ref=customer, note=note)
    if as_json:
        emit_json(
            {
                "from": done.from_rep.email,
                "to": done.to_rep.email,
                "customers": len(done.customers),
                "opportunities": done.opportunities,
                "tasks": done.tasks,
                "briefs": [vars(b) for b in done.briefs],
            }
        )
        return
    typer.echo(f"handed over {done.describe()}")
    for b in done.briefs:
        typer.echo(f"\n{b.customer}")
        for label, value in (
            ("deals", ", ".join(b.deals)),
            ("open tasks", ", ".join(b.open_tasks)),
            ("last contact", b.last_contact),
            ("needs", b.needs),
            ("objections", b.objections),
            ("commitments", b.commitments),
            ("next step", b.next_step),
        ):
            if value:
                typer.echo(f"  {label}: {value}")
