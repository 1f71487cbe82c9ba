"""`task show`: one task as the rep reads it, criteria met or open included."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from salesbench.cli.common import emit_json

if TYPE_CHECKING:
    from salesbench.core.clock import Clock
    from salesbench.services.session import Store


def print_task(db: Store, ref: str, clock: Clock, as_json: bool) -> None:
    from salesbench.services.taskview import task_detail

    d = task_detail(db, ref, clock=clock)
    if as_json:
        emit_json(
            {
                "id": d.task_id,
                "title": d.title,
                "status": d.status,
                "customer": d.customer_name,
                "opportunity": d.opportunity_title,
                "stage": d.stage_name,
                "purpose": d.purpose,
                "check": list(d.check),
                "checklist": [{"text": t, "ticked": m} for t, m in d.checklist],
                "criteria": [{"text": t, "met": m} for t, m in d.criteria],
                "role": d.role_with,
                "skills": list(d.skills),
                "done_anyway": d.done_anyway,
            }
        )
        return
    typer.echo(f"{d.title}  [{d.status}]")
    where = d.customer_name + (f" / {d.opportunity_title}" if d.opportunity_title else "")
    typer.echo(f"  {where}" + (f" · {d.stage_name}" if d.stage_name else ""))
    if d.role_with:
        typer.echo(f"  who: {d.role_with}")
    if d.purpose:
        typer.echo(f"  why: {d.purpose}")
    for n, (text, ticked) in enumerate(d.checklist, 1):  # tick with `task check TASK N`
        typer.echo(f"  [{'x' if ticked else ' '}] {text}  ({n})")
    for text, met in d.criteria:
        typer.echo(f"  [{'x' if met else ' '}] {text}")
    if d.skills:
        typer.echo(f"  key skills: {', '.join(d.skills)}")
    if d.done_anyway:
        still = "; ".join(d.done_anyway.get("open", []))
        typer.echo(f"  done anyway: {d.done_anyway.get('reason')} (open then: {still})")
