"""`salesbench activity`: correct a logged contact (edit its fields, delete it). Each
correction is kept for the timeline's audit; what the contact set off is reported."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesbench.cli.common import (
    DbOpt,
    JsonOpt,
    clock,
    confirm_or_fail,
    emit_json,
    fail,
    raw_fields,
    store,
)

if TYPE_CHECKING:
    from salesbench.services.activity_edits import Correction

app = typer.Typer(help="Edit or delete a logged contact.", no_args_is_help=True)

ActivityArg = Annotated[str, typer.Argument(help="Activity id or id prefix (from `log`).")]
# the options as `salesbench log` names them, by field
OPTIONS = {
    "channel": "--channel",
    "started_at": "--at",
    "ended_at": "--until",
    "next_step_owner": "--next-owner",
    "next_step_date": "--next-date",
    "next_step_content": "--next",
    "help_needed": "--help-needed",
}


def _report(done: str, fixed: Correction, as_json: bool) -> None:
    from salesbench.core.ids import short_id
    from salesbench.services.serialize import record

    if as_json:
        emit_json(
            {"activity": record(fixed.activity), "changed": fixed.changed, "notes": fixed.notes}
        )
        return
    changed = f": {', '.join(fixed.changed)}" if fixed.changed else ""
    typer.echo(f"{done} {fixed.activity.channel} [{short_id(fixed.activity.id)}]{changed}")
    for note in fixed.notes:
        typer.echo(f"  {note}")


@app.command("edit")
def edit(
    activity: ActivityArg,
    channel: Annotated[
        str | None, typer.Option(help="visit, call, email, message or meeting.")
    ] = None,
    started_at: Annotated[
        str | None, typer.Option("--at", help="When it started (ISO time with offset).")
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
        str | None,
        typer.Option("--next-date", help="Next step date; moves the open next-step task."),
    ] = None,
    next_step_content: Annotated[str | None, typer.Option("--next", help="The next step.")] = None,
    help_needed: Annotated[
        str | None, typer.Option("--help-needed", help="Help needed from other teams.")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct the given fields of a logged contact ('' clears one); the rest stay.

    Its channel and start time change only if logging it finished or made no task;
    the timeline marks it edited, and the values it had are kept."""
    from salesbench.core.errors import BadInput
    from salesbench.services.activity_edits import edit_activity

    raw = raw_fields(
        channel=channel,
        started_at=started_at,
        ended_at=ended_at,
        summary=summary,
        needs=needs,
        objections=objections,
        commitments=commitments,
        next_step_owner=next_step_owner,
        next_step_date=next_step_date,
        next_step_content=next_step_content,
        help_needed=help_needed,
    )
    if all(v is None for v in raw.values()):
        fail("say what to change, e.g. --summary '…' (see --help)")
    try:
        fixed = edit_activity(store(db), activity, raw, clock=clock())
    except BadInput as exc:  # name the option the person typed, not the field's key
        key = exc.field or ""
        fail(exc.message, field=OPTIONS.get(key, f"--{key.replace('_', '-')}") if key else None)
    _report("edited", fixed, as_json)


@app.command("delete")
def delete(
    activity: ActivityArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Delete a logged contact: it leaves the counts and rules, the timeline shows it as
    deleted (its record is kept), and the tasks it finished or made stay as they are."""
    from salesbench.services.activity_edits import delete_activity, find_activity
    from salesbench.services.task_rows import owner_workdays

    opened = store(db)
    with opened.read() as session:
        found = find_activity(session, activity)
    at = owner_workdays(opened, [found.owner_id])[found.owner_id].local(found.started_at)
    what = f"{found.channel} of {at:%Y-%m-%d %H:%M}: {found.summary or '(no summary)'}"
    confirm_or_fail(f"delete the {what}", yes)
    _report("deleted", delete_activity(opened, str(found.id), clock=clock()), as_json)
