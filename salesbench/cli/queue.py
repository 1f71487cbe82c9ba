"""`salesbench queue`: what to do today."""

from __future__ import annotations

import typer

from salesbench.cli.common import DbOpt, JsonOpt, RepOpt, clock, emit_json, store


def queue(rep: RepOpt = None, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Show today's open tasks (overdue and due today), grouped by opportunity."""
    from salesbench.services.queue import todays_queue
    from salesbench.services.serialize import record

    q = todays_queue(store(db), rep=rep, now=clock().now())
    if as_json:
        emit_json(
            {
                "rep": record(q.rep),
                "until": q.day_end,
                "groups": [
                    {
                        "customer": record(g.customer),
                        "opportunity": record(g.opportunity) if g.opportunity else None,
                        "tasks": [record(t) for t in g.tasks],
                    }
                    for g in q.groups
                ],
            }
        )
        return
    if not q.groups:
        typer.echo(f"Nothing due today for {q.rep.name}.")
        return
    for group in q.groups:
        heading = group.customer.name
        if group.opportunity is not None:
            heading += f" / {group.opportunity.title}"
        typer.echo(heading)
        for task in group.tasks:
            due = task.due_at.astimezone().strftime("%m-%d %H:%M") if task.due_at else "any time"
            typer.echo(f"  [{task.id.hex[:8]}] {due}  {task.title}")
