"""`salesbench log`: record a contact with the follow-up template's fields."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench.cli.common import DbOpt, JsonOpt, clock, emit_json, record_fields, store
from salesbench.core.fields import ACTIVITY_FIELDS


def log(
    ctx: typer.Context,
    channel: Annotated[str, typer.Argument(help="visit, call, email, message or meeting.")],
    opp: Annotated[str | None, typer.Option("--opp", "-o", help="The opportunity.")] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="The customer (without an opportunity).")
    ] = None,
    contact: Annotated[str | None, typer.Option(help="Whom you spoke with.")] = None,
    started_at: Annotated[
        str | None,
        typer.Option("--at", help="When it started (ISO time with offset; default now)."),
    ] = None,
    ended_at: Annotated[str | None, typer.Option("--until", help="When it ended.")] = None,
    summary: Annotated[str | None, typer.Option(help="What happened.")] = None,
    needs: Annotated[str | None, typer.Option(help="Needs the customer raised.")] = None,
    objections: Annotated[str | None, typer.Option(help="Objections raised.")] = None,
    commitments: Annotated[str | None, typer.Option(help="What the customer committed to.")] = None,
    next_step_owner: Annotated[
        str | None, typer.Option("--next-owner", help="Who owns the next step.")
    ] = None,
    next_step_date: Annotated[
        str | None, typer.Option("--next-date", help="Next step date; creates a task.")
    ] = None,
    next_step_content: Annotated[str | None, typer.Option("--next", help="The next step.")] = None,
    help_needed: Annotated[
        str | None, typer.Option("--help-needed", help="Help needed from other teams.")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a contact; a visit asks for a thank-you within 24 hours, and open follow-ups close."""
    from salesbench.core.ids import short_id
    from salesbench.services.activities import log_activity
    from salesbench.services.serialize import record

    raw = record_fields(ctx, ACTIVITY_FIELDS)
    activity, outcome = log_activity(
        store(db),
        raw,
        clock=clock(),
        customer_ref=customer,
        opportunity_ref=opp,
        contact_ref=contact,
    )
    if as_json:
        emit_json(
            {
                "activity": record(activity),
                "completed": [record(t) for t in outcome.completed],
                "created": [record(t) for t in outcome.created],
                "notes": outcome.notes,
            }
        )
        return
    typer.echo(f"logged {activity.channel} [{short_id(activity.id)}]")
    for t in outcome.completed:
        typer.echo(f"  done (auto): {t.title}")
    for t in outcome.created:
        typer.echo(f"  new task [{short_id(t.id)}]: {t.title}")
    for note in outcome.notes:
        typer.echo(f"  {note}")
