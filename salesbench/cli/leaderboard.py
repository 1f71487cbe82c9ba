"""`salesbench leaderboard`: who leads on won amount, A customers or tasks done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesbench.cli.common import DbOpt, JsonOpt, clock, emit_json, settings, store
from salesbench.core.i18n import _

if TYPE_CHECKING:
    from salesbench.services.rankings import Leaderboard

app = typer.Typer()


@app.command()
def leaderboard(
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="amount (won in the period), a_customers (A customers in the book) "
            "or tasks (done in the period).",
        ),
    ] = "amount",
    group: Annotated[
        str, typer.Option("--group", "-g", help="Rank each rep, team, region or branch.")
    ] = "rep",
    period: Annotated[
        str, typer.Option("--period", "-p", help="week, month or quarter (the current one).")
    ] = "month",
    at: Annotated[
        str | None,
        typer.Option("--at", help="Another period: 2026-W47, 2026-11 or 2026-Q4 (as --period)."),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", min=1, max=1000, help="How many places to list.")
    ] = 10,
    rep: Annotated[
        str | None,
        typer.Option("--rep", help="Whose place to show below the top (default: SALESBENCH_REP)."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            envvar="SALESBENCH_TIMEZONE",
            show_envvar=True,
            help="Cut periods in this timezone (default: the reps' own).",
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ranks with ties shared (1, 2, 2, 4); your own place is shown even outside the top."""
    from salesbench.core.periods import PERIOD_KINDS, parse_period
    from salesbench.services.rankings import load_leaderboard
    from salesbench.services.report_docs import leaderboard_dict

    if at is not None and period in PERIOD_KINDS:  # its form and range, before any reading
        parse_period(period, at, "UTC", field="--at")
    from salesbench.cli.common import speak_as

    opened = store(db, lazy=True)
    me = speak_as(opened, db, rep)  # in the words of whoever asks
    board = load_leaderboard(
        opened,
        now=clock().now(),
        metric=by,
        group=group,
        period=period,
        at=at,
        me=me,
        top=top,
        timezone=timezone,
        currency=settings().currency,
    )
    if as_json:
        emit_json(leaderboard_dict(board))
        return
    typer.echo(render_text(board))


def render_text(board: Leaderboard) -> str:
    from rich.cells import cell_len

    from salesbench.core.leaderboard import METRICS, Place
    from salesbench.core.tables import shown

    kind = "money" if board.metric == "amount" else "int"
    measure = _(METRICS[board.metric]) + (f" ({board.currency})" if board.currency else "")
    from salesbench.core import labels

    title = _("Leaderboard · {measure} · by {group} · {period} ({first} – {last}, {zone})").format(
        measure=measure,
        group=labels.label(labels.GROUPS, board.group),
        period=board.period.label,
        first=labels.month_day(board.period.first),
        last=labels.month_day(board.period.last),
        zone=board.scope.timezone,
    )
    if not board.places:
        return title + "\n  " + _("nobody to rank yet")
    boards = [(board.currency, board.shown, board.own)]
    boards += [(o.currency, o.shown, o.own) for o in board.others]
    width = max(
        cell_len(p.entry.name) for _, top, own in boards for p in [*top, *([own] if own else [])]
    )

    def line(p: Place, code: str | None) -> str:
        rank = f"{p.rank}=" if p.tied else str(p.rank)
        name = p.entry.name + " " * (width - cell_len(p.entry.name))
        you = "  ← " + _("you") if p.mine else ""
        value = shown(p.entry.value, kind) + (f" {code}" if code else "")
        return f"  {rank:>4}  {name}  {value:>20}{you}"

    lines = [title]
    for n, (code, top, own) in enumerate(boards):
        if n:  # amounts in another currency: ranked on their own, never added up
            lines += ["", f"{_(METRICS[board.metric])} ({code})"]
        lines += [line(p, code) for p in top]
        if own is not None:
            lines += ["     …", line(own, code)]
    return "\n".join(lines)
