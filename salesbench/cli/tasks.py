"""`salesbench task`: add your own, finish, skip, snooze, reopen and explain tasks, one or many."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesbench.cli.common import (
    DbOpt,
    JsonOpt,
    RepOpt,
    acting,
    clock,
    emit_json,
    fail,
    is_interactive,
    settings,
    store,
)

if TYPE_CHECKING:
    from salesbench.core.queue import Item
    from salesbench.services.records import Task
    from salesbench.services.task_rows import Outcome

app = typer.Typer(help="Add, finish, skip, snooze or explain tasks.", no_args_is_help=True)

TaskArg = Annotated[
    str | None,
    typer.Argument(help="Task id or id prefix (from `queue`); cadence:<id> for a follow-up."),
]
FilterOpt = Annotated[
    str | None,
    typer.Option("--filter", help="Act on every open task matching, e.g. 'grade:A stage:quote'."),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before a bulk action.")]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Mark done anyway though its criteria are open (with --reason)."),
]
ReasonOpt = Annotated[
    str | None,
    typer.Option(
        "--reason", help="Why a task whose criteria are open is done anyway (kept on the task)."
    ),
]


def _report(outcome: Outcome, as_json: bool, task: Task) -> None:
    from salesbench.core.ids import short_id
    from salesbench.services.serialize import record

    if as_json:
        emit_json(
            {
                "task": record(task),
                "completed": [record(t) for t in outcome.completed],
                "created": [record(t) for t in outcome.created],
                "ready": outcome.ready,
                "notes": outcome.notes,
            }
        )
        return
    typer.echo(f"{task.status}: {task.title}")
    for t in outcome.created:
        typer.echo(f"  new task [{short_id(t.id)}] {t.title}")
    for note in outcome.notes:
        typer.echo(f"  {note}")
    if outcome.ready:
        typer.echo(f"  {outcome.ready}")


def _bulk(db: str | None, rep: str | None, spec: str, yes: bool) -> list[Item]:
    from salesbench.core.filters import matches, parse_filter
    from salesbench.services.queue import load_queue

    terms = parse_filter(spec)
    view = load_queue(store(db, lazy=True), now=clock().now(), rep=acting(rep, db))
    chosen = [
        i
        for i in view.items
        if not i.virtual and matches(i, terms, view.queue.now, view.rep.workday)
    ]
    if not chosen:
        from salesbench.core.errors import NotFound

        raise NotFound(f"no open task of {view.rep.name} matches {spec!r}")
    if not yes:
        if not is_interactive():
            fail(f"{len(chosen)} tasks match; add --yes to act on them without a terminal")
        for item in chosen[:10]:
            typer.echo(f"  {item.customer.name}: {item.title}")
        if len(chosen) > 10:
            typer.echo(f"  … and {len(chosen) - 10} more")
        typer.confirm(f"Act on {len(chosen)} tasks?", abort=True)
    return chosen


def _finish(
    status: str,
    task: str | None,
    spec: str | None,
    rep: str | None,
    yes: bool,
    force: bool,
    db: str | None,
    as_json: bool,
    reason: str | None = None,
) -> None:
    import uuid

    from salesbench.services.tasks import bulk_finish, finish_task

    if (task is None) == (spec is None):
        fail("give either a task id or --filter")
    if spec is not None:
        chosen = _bulk(db, rep, spec, yes)
        count = bulk_finish(
            store(db),
            [uuid.UUID(i.id) for i in chosen],
            status,
            clock=clock(),
            force=force,
            reason=reason,
        )
        emit_json({"count": count, "status": status}) if as_json else typer.echo(
            f"{status}: {count} tasks"
        )
        return
    assert task is not None  # one of the two is given, checked above
    from salesbench.core.criteria import CriteriaOpen

    try:
        done, outcome = finish_task(
            store(db), task, status, clock=clock(), force=force, reason=reason
        )
    except CriteriaOpen as refused:
        if as_json or not is_interactive():
            raise
        # at a terminal, offer "mark done anyway", which asks why
        typer.echo(f"“{refused.title}” is not done yet; still open: {'; '.join(refused.open)}")
        why = typer.prompt("Mark it done anyway? Say why (empty: leave it open)", default="")
        if not why.strip():
            raise typer.Exit(2) from None
        done, outcome = finish_task(store(db), task, status, clock=clock(), force=True, reason=why)
    _report(outcome, as_json, done)


@app.command("done")
def done(
    task: TaskArg = None,
    filter: FilterOpt = None,
    rep: RepOpt = None,
    yes: YesOpt = False,
    force: ForceOpt = False,
    reason: ReasonOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark a task (or every task matching --filter) done.

    A task whose check criteria are met is done; one with criteria still open says
    which, and is done anyway only with --reason (kept on the task)."""
    _finish("done", task, filter, rep, yes, force or reason is not None, db, as_json, reason)


@app.command("check")
def check(
    task: Annotated[str, typer.Argument(help="Task id or id prefix.")],
    number: Annotated[int, typer.Argument(help="The checklist item, as `task show` numbers it.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Tick an item of a task's checklist (again: untick it). A task whose criteria are
    met and whose items are all ticked is done by itself."""
    from salesbench.services.checklist import tick

    ticked, outcome = tick(store(db), task, number, clock=clock())
    if as_json:
        _report(outcome, as_json, ticked)
        return
    marks = (ticked.custom or {}).get("ticked", [])
    typer.echo(f"item {number} {'ticked' if number in marks else 'unticked'}")
    _report(outcome, as_json, ticked)


@app.command("skip")
def skip(
    task: TaskArg = None,
    filter: FilterOpt = None,
    rep: RepOpt = None,
    yes: YesOpt = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Skip a task (or every task matching --filter): it will not be done."""
    _finish("skipped", task, filter, rep, yes, True, db, as_json)


@app.command("snooze")
def snooze(
    task: TaskArg = None,
    until: Annotated[
        str,
        typer.Option(
            "--until", "-u", help="1h, 3h, tomorrow, next-week, YYYY-MM-DD or an ISO time."
        ),
    ] = "tomorrow",
    filter: FilterOpt = None,
    rep: RepOpt = None,
    yes: YesOpt = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Put a task (or every task matching --filter) out of sight until later."""
    import uuid

    from salesbench.services.serialize import record
    from salesbench.services.tasks import bulk_snooze, snooze_task

    if (task is None) == (filter is None):
        fail("give either a task id or --filter")
    if filter is not None:
        chosen = _bulk(db, rep, filter, yes)
        count = bulk_snooze(store(db), [uuid.UUID(i.id) for i in chosen], until, clock=clock())
        emit_json({"count": count}) if as_json else typer.echo(f"snoozed {count} tasks")
        return
    assert task is not None  # one of the two is given, checked above
    opened = store(db)
    snoozed = snooze_task(opened, task, until, clock=clock())
    if as_json:
        emit_json(record(snoozed))
    else:
        from salesbench.services.task_rows import owner_workdays

        assert snoozed.snoozed_until is not None
        zone = owner_workdays(opened, [snoozed.owner_id])[snoozed.owner_id]  # the rep's time
        typer.echo(
            f"snoozed until {zone.local(snoozed.snoozed_until):%Y-%m-%d %H:%M}: {snoozed.title}"
        )


@app.command("reopen")
def reopen(
    task: Annotated[str, typer.Argument(help="Task id or id prefix.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open a done or skipped task again (a snoozed one: wake it now).

    The follow-up tasks its finish made are withdrawn while nobody has worked them;
    those already worked stay, and are named. An open task is refused (exit 2)."""
    from salesbench.core.ids import short_id
    from salesbench.services.reopen import reopen_task
    from salesbench.services.serialize import record

    back = reopen_task(store(db), task, clock=clock())
    if as_json:
        emit_json(
            {
                "task": record(back.task),
                "was": back.was,
                "reopened": [record(t) for t in back.reopened],
                "withdrawn": back.withdrawn,
                "kept": [record(t) for t in back.kept],
            }
        )
        return
    typer.echo(f"reopened ({back.was} before): {back.task.title}")
    for t in back.reopened:
        typer.echo(f"  open again [{short_id(t.id)}] {t.title}")
    for title in back.withdrawn:
        typer.echo(f"  withdrawn, not started yet: {title}")
    for t in back.kept:
        typer.echo(f"  kept, already {t.status if t.status != 'open' else 'worked on'}: {t.title}")


@app.command("add")
def add(
    title: Annotated[str, typer.Argument(help="What to do, e.g. 'Call back about the quote'.")],
    due: Annotated[
        str,
        typer.Option(
            "--due",
            help="When: 'YYYY-MM-DD HH:MM' on the rep's clock, YYYY-MM-DD, 1h, tomorrow, "
            "next-week or an ISO time with offset.",
        ),
    ],
    opp: Annotated[
        str | None, typer.Option("--opp", "--deal", "-o", help="The opportunity it is for.")
    ] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="The customer (without a deal).")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add your own task or reminder to a deal or a customer, due at a time of day.

    It is the owner's task and comes up in the queue at its time like any other."""
    from salesbench.core.errors import BadInput
    from salesbench.services.own_tasks import add_own_task

    if (opp is None) == (customer is None):
        fail("give the deal (--opp) or the customer (--customer) the task is for, one of them")
    options = {"due": "--due", "title": "TITLE", "deal": "--opp", "customer": "--customer"}
    opened = store(db)
    try:
        task, subject = add_own_task(
            opened, title, due, clock=clock(), opportunity_ref=opp, customer_ref=customer
        )
    except BadInput as exc:  # name the option the person typed, not the service's key
        fail(exc.message, field=options.get(exc.field or "", exc.field))
    if as_json:
        from salesbench.services.serialize import record

        emit_json(record(task))
        return
    from salesbench.core.ids import short_id
    from salesbench.services.task_rows import owner_workdays

    assert task.due_at is not None
    zone = owner_workdays(opened, [task.owner_id])[task.owner_id]  # the rep's time
    typer.echo(
        f"new task [{short_id(task.id)}] {task.title}: {subject}, "
        f"due {zone.local(task.due_at):%Y-%m-%d %H:%M}"
    )


@app.command("show")
def show(
    task: Annotated[str, typer.Argument(help="Task id or id prefix.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a task: what it is for, its criteria (met or open), who does it, and why it
    was done anyway if it was."""
    from salesbench.cli.task_show import print_task

    print_task(store(db, lazy=True), task, clock(), as_json)


@app.command("why")
def why(
    task: Annotated[str, typer.Argument(help="Task id or id prefix.")],
    rep: RepOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Explain a task's priority score, term by term."""
    from salesbench.services.queue import load_queue
    from salesbench.services.queue_json import item_dict

    view = load_queue(
        store(db, lazy=True), now=clock().now(), rep=acting(rep, db), currency=settings().currency
    )
    item, terms = view.why(task)
    if as_json:
        emit_json(item_dict(item, terms))
        return
    typer.echo(f"{item.title}  ({item.customer.name})")
    for term in terms:
        typer.echo(f"  {term.value:+6.2f}  {term.name:<9} {term.note}")
    typer.echo(f"  {sum(t.value for t in terms):6.2f}  total")
