"""`salesbench opp`: opportunities, the unit the SOP follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesbench.cli.common import (
    AllOpt,
    CustomOpt,
    DbOpt,
    JsonOpt,
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
from salesbench.cli.opp_show import print_opportunity
from salesbench.core.fields import OPPORTUNITY_FIELDS

if TYPE_CHECKING:
    from salesbench.services.records import Opportunity
    from salesbench.services.task_rows import Outcome

app = typer.Typer(help="Add, list, show and edit opportunities.", no_args_is_help=True)

PlaybookOpt = Annotated[str | None, typer.Option("--playbook", help="Playbook key.")]
StageOpt = Annotated[str | None, typer.Option("--stage", help="Stage key within the playbook.")]
ModeOpt = Annotated[str | None, typer.Option(help="Sales mode, e.g. quick_knife.")]
AmountOpt = Annotated[
    str | None,
    typer.Option(
        help="Deal amount, e.g. 250000, 1.234,56, 35万 or USD 1,200 (which sets the currency)."
    ),
]
CurrencyOpt = Annotated[
    str | None,
    typer.Option(help="Currency code (default: the amount's, else SALESBENCH_CURRENCY, CNY)."),
]
CloseOpt = Annotated[
    str | None, typer.Option("--expected-close", help="Expected close date, YYYY-MM-DD.")
]


@app.command("add")
def add(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help="Customer id, id prefix, name or number.")],
    title: Annotated[str, typer.Argument(help="What the deal is, e.g. 'Sofa set for the villa'.")],
    playbook_key: PlaybookOpt = None,
    stage_key: StageOpt = None,
    mode: ModeOpt = None,
    amount: AmountOpt = None,
    currency: CurrencyOpt = None,
    expected_close: CloseOpt = None,
    field: CustomOpt = None,
    rep: Annotated[
        str | None, typer.Option("--rep", help="Owner (default: the customer's owner).")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open an opportunity for a customer."""
    from salesbench.core.ids import short_id
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.serialize import record

    raw = record_fields(ctx, OPPORTUNITY_FIELDS)
    opp = add_opportunity(
        store(db),
        customer,
        raw,
        clock=clock(),
        owner=rep,
        custom=custom_fields(field),
        currency=settings().currency,
    )
    if as_json:
        emit_json(record(opp))
    else:
        typer.echo(f"added opportunity {short_id(opp.id)} {opp.title}")


@app.command("edit")
def edit(
    ctx: typer.Context,
    opp: Annotated[str, typer.Argument(help="Opportunity id, id prefix or title.")],
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    playbook_key: PlaybookOpt = None,
    stage_key: StageOpt = None,
    mode: ModeOpt = None,
    amount: AmountOpt = None,
    currency: CurrencyOpt = None,
    expected_close: CloseOpt = None,
    status: Annotated[str | None, typer.Option(help="open, won or lost.")] = None,
    lost_reason: Annotated[
        str | None, typer.Option("--lost-reason", help="Why it was lost (needed for lost).")
    ] = None,
    field: CustomOpt = None,
    owner: Annotated[str | None, typer.Option(help="Hand the opportunity to this rep.")] = None,
    if_version: Annotated[
        int | None,
        typer.Option(
            "--if-version",
            help="Only if the deal is still at this version (from `opp show --json`); "
            "else exit 4 and change nothing.",
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an opportunity's fields; give an empty value ('') to clear one."""
    from salesbench.services.opportunities import edit_opportunity

    raw = record_fields(ctx, OPPORTUNITY_FIELDS)
    updated = edit_opportunity(
        store(db),
        opp,
        raw,
        clock=clock(),
        owner=owner,
        custom=custom_fields(field),
        expected_version=if_version,
    )
    print_opportunity(str(updated.id), db, as_json)


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(help="open, won or lost.")] = None,
    rep: Annotated[str | None, typer.Option("--rep", help="Only this rep's.")] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="Only this customer's.")
    ] = None,
    playbook_key: PlaybookOpt = None,
    stage_key: StageOpt = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    everyone: AllOpt = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List opportunities, soonest expected close first (yours, or your team's if you
    lead one, when SALESBENCH_REP says who you are)."""
    from salesbench.core.ids import short_id
    from salesbench.core.money import format_amount
    from salesbench.services.opportunities import list_opportunities, nurture_since
    from salesbench.services.serialize import record
    from salesbench.services.team import default_owners

    opened = store(db)
    rows = list_opportunities(
        opened,
        status=status,
        owner=rep,
        owners=None if everyone or rep else default_owners(opened, acting(None, db)),
        customer=customer,
        playbook=playbook_key,
        stage=stage_key,
        limit=limit,
    )
    if as_json:
        emit_json([record(o, customer_name=c.name) for o, c in rows])
        return
    from salesbench.core import i18n, labels
    from salesbench.core.i18n import _
    from salesbench.services.customers import stage_names

    speak_as(opened, db)
    stages = stage_names(opened, [o for o, _c in rows], i18n.language())
    emit_table(
        None,
        [_("id"), _("title"), _("customer"), _("stage"), _("status"), _("amount"), _("close")],
        [
            (
                short_id(o.id),
                o.title,
                c.name,
                stages.get(o.id, o.stage_key),
                labels.label(labels.CUSTOMER_STATES, "nurture")
                if nurture_since(o)
                else labels.deal_state(o.status),
                format_amount(o.amount, o.currency) if o.amount is not None else None,
                o.expected_close,
            )
            for o, c in rows
        ],
    )


@app.command("show")
def show(
    opp: Annotated[str, typer.Argument(help="Opportunity id, id prefix or title.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one opportunity."""
    print_opportunity(opp, db, as_json)


def _outcome(opp: Opportunity, outcome: Outcome, as_json: bool) -> None:
    from salesbench.core.ids import short_id
    from salesbench.services.serialize import record

    if as_json:
        emit_json(
            {
                "opportunity": record(opp),
                "completed": [record(t) for t in outcome.completed],
                "created": [record(t) for t in outcome.created],
                "ready": outcome.ready,
                "notes": outcome.notes,
            }
        )
        return
    for t in outcome.completed:
        typer.echo(f"done (auto): {t.title}")
    for t in outcome.created:
        typer.echo(f"new task [{short_id(t.id)}]: {t.title}")
    for note in outcome.notes:
        typer.echo(note)
    if outcome.ready:
        typer.echo(outcome.ready)
    if not (outcome.completed or outcome.created or outcome.notes or outcome.ready):
        typer.echo("saved")


@app.command("set")
def set_(
    opp: Annotated[str, typer.Argument(help="Opportunity id, id prefix or title.")],
    values: Annotated[
        list[str], typer.Argument(help="field=value pairs from the playbook (field= clears).")
    ],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fill in playbook fields; tasks whose fields are all filled complete themselves."""
    from salesbench.services.sop import set_fields

    updated, outcome = set_fields(
        store(db), opp, values, clock=clock(), currency=settings().currency
    )
    _outcome(updated, outcome, as_json)


@app.command("move")
def move(
    opp: Annotated[str, typer.Argument(help="Opportunity id, id prefix or title.")],
    to: Annotated[
        str | None, typer.Option("--to", help="Stage key (default: the next stage).")
    ] = None,
    yes_answer: Annotated[
        bool, typer.Option("--yes-answer", help="Answer the stage's decision with yes.")
    ] = False,
    no_answer: Annotated[
        bool, typer.Option("--no-answer", help="Answer no: take the turnaround path.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Move even with required tasks open.")
    ] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Move to the next stage (or --to one); a decision gate needs --yes-answer/--no-answer."""
    from salesbench.core.ids import short_id
    from salesbench.services.serialize import record
    from salesbench.services.sop import move_opportunity

    if yes_answer and no_answer:
        from salesbench.cli.common import fail

        fail("--yes-answer and --no-answer exclude each other")
    answer = "yes" if yes_answer else "no" if no_answer else None
    moved, plan, created = move_opportunity(
        store(db), opp, clock=clock(), to=to, answer=answer, force=force
    )
    if as_json:
        emit_json(
            {"opportunity": record(moved), "via": plan.via, "created": [record(t) for t in created]}
        )
        return
    typer.echo(f"{moved.title}: now at {plan.target_name or moved.stage_key} ({plan.via})")
    for t in created:
        typer.echo(f"  new task [{short_id(t.id)}]: {t.title}")


@app.command("won")
def won(
    opp: Annotated[str, typer.Argument(help="Opportunity id, id prefix or title.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Win it though the last stage is open (with --reason)."),
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason", help="Why it is won though the last stage is open (kept on the deal)."
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Close the opportunity as won. On the last stage its required tasks must be done,
    or say with --reason why it is won anyway (kept on the deal)."""
    from salesbench.core.errors import BadInput, Conflict
    from salesbench.services.serialize import record
    from salesbench.services.sop import close_opportunity
    from salesbench.services.task_rows import LastStageOpen

    if force and not (reason or "").strip():
        raise BadInput('--force: say why it is won anyway with --reason "why"')
    try:
        closed = close_opportunity(store(db), opp, "won", clock=clock(), reason=reason)
    except LastStageOpen as exc:
        raise Conflict(f'{exc} (finish them, or win it anyway with --reason "why")') from None
    emit_json(record(closed)) if as_json else typer.echo(f"won: {closed.title}")


@app.command("lost")
def lost(
    opp: Annotated[str, typer.Argument(help="Opportunity id, id prefix or title.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why it was lost (required).")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Close the opportunity as lost, with a reason; its open tasks are skipped."""
    from salesbench.services.serialize import record
    from salesbench.services.sop import close_opportunity

    closed = close_opportunity(store(db), opp, "lost", clock=clock(), reason=reason)
    shown = f"lost: {closed.title} ({closed.lost_reason})"  # as kept, trimmed
    emit_json(record(closed)) if as_json else typer.echo(shown)
