"""`salesbench forecast`: each open deal's chance, explained, and the weighted pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesbench.cli.common import (
    DbOpt,
    JsonOpt,
    acting,
    clock,
    emit_json,
    settings,
    speak,
    store,
)
from salesbench.core.i18n import _, n_

if TYPE_CHECKING:
    from salesbench.services.forecasting import Forecast

app = typer.Typer()


@app.command()
def forecast(
    rep: Annotated[str | None, typer.Option("--rep", help="Only this rep's deals.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="Only this team's deals.")] = None,
    everyone: Annotated[
        bool,
        typer.Option(
            "--all", help="Every rep's deals (default: your team's if you lead one, else yours)."
        ),
    ] = False,
    month: Annotated[
        str | None,
        typer.Option("--month", "-m", help="Only deals expected to close in this month, YYYY-MM."),
    ] = None,
    backtest: Annotated[
        bool,
        typer.Option(
            "--backtest",
            help="Score the forecast on closed deals (Brier score, raw and calibrated).",
        ),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=0, help="Deals to list (default: 15; JSON: all)."),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Win probability per open deal from its stage, SOP completion, last contact, grade
    and sales-mode standards, calibrated on closed deals; weighted pipeline by month."""
    from salesbench.core.periods import parse_month
    from salesbench.services.forecasting import load_forecast
    from salesbench.services.report_docs import forecast_dict
    from salesbench.services.report_facts import language_of

    if month is not None:  # its form and range, before any reading
        parse_month(month, "UTC", field="--month")
    me = acting(None, db)
    opened = store(db, lazy=True)
    speak(language_of(opened, me or rep))  # the factors' reasons are told as they are made
    result = load_forecast(
        opened,
        currency=settings().currency,
        now=clock().now(),
        rep=rep,
        team=team,
        month=month,
        backtest=backtest,
        everyone=everyone,
        me=me,
        timezone=settings().timezone,
    )
    if as_json:
        emit_json(forecast_dict(result, limit, asked_backtest=backtest))
        return
    typer.echo(render_text(result, 15 if limit is None else limit, backtest))


def render_text(f: Forecast, limit: int, backtest: bool) -> str:
    from salesbench.core.forecast import BACKTEST_HORIZON, MIN_CLOSED, is_past, month_label
    from salesbench.core.tables import shown
    from salesbench.core.text_cells import pad, rpad

    how = (
        _("calibrated on {n} closed deals").format(n=f"{f.calibration.n:,}")
        if f.calibration
        else _("not calibrated: {n} closed deals, {needed} needed").format(
            n=f.closed, needed=MIN_CLOSED
        )
    )
    deals = n_("{n} open deal", "{n} open deals", len(f.predictions))
    title = _("Forecast")
    lines = [f"{title} · {f.scope.label} · {deals.format(n=f'{len(f.predictions):,}')} · {how}"]
    heads = (_("close month"), _("deals"), _("amount"), _("weighted"))
    lines += [
        "",
        f"  {pad(heads[0], 12)}{rpad(heads[1], 7)}{rpad(heads[2], 22)}{rpad(heads[3], 22)}",
    ]

    def money(minor: float, code: str) -> str:
        return f"{shown(minor, 'money')} {code}"

    for month, code, n, amount, weighted in f.months:
        past = _("  ! past: expected close passed") if is_past(month, f.this_month) else ""
        lines.append(
            f"  {pad(month_label(month, ''), 12)}{n:>7,}{money(amount, code):>22}"
            f"{money(weighted, code):>22}{past}"
        )
    total_word = _("total")
    for code, n, total, weighted_total in f.totals or [(f.currency, 0, 0, 0.0)]:
        lines.append(
            f"  {pad(total_word, 12)}{n:>7,}{money(total, code).strip():>22}"
            f"{money(weighted_total, code).strip():>22}"
        )
    if limit and f.predictions:
        top = _("Top {n} by weighted amount:").format(n=min(limit, len(f.predictions)))
        lines += ["", top]
        for p in f.predictions[:limit]:
            o = p.opp
            close = _(" · close {date}").format(date=o.expected_close) if o.expected_close else ""
            if f.close_passed(o.expected_close):
                close += _(" (passed)")
            lines.append(
                f"  {p.probability:>4.0%}  {o.title} · {o.customer_name} · {p.stage_name or '-'}"
                f" · {shown(o.amount, 'money')} {o.currency}{close}"
            )
            # each factor by its reason, in the language in use; its key is in --json
            why = " × ".join(f"{f.multiplier:.2f} ({f.note})" for f in p.factors)
            tail = f" → {p.raw:.0%}" + (
                " → " + _("calibrated {p}").format(p=f"{p.calibrated:.0%}")
                if p.calibrated is not None
                else ""
            )
            stage = _("stage {base}").format(base=f"{p.base:.0%}")
            lines.append(f"        {stage} × {why}{tail}")
    if backtest:
        lines.append("")
        bt = f.backtest
        if bt is None:
            lines.append(f"Back-test: needs {MIN_CLOSED} closed deals, there are {f.closed}.")
        else:
            lines.append(
                f"Back-test on {bt.closed:,} closed deals ({bt.won:,} won), each judged "
                f"{BACKTEST_HORIZON.days} days before it closed — Brier score (lower is better): "
                f"raw {bt.brier_raw:.4f}, calibrated {bt.brier_calibrated:.4f} "
                f"({bt.folds}-fold cross-validated)."
            )
    return "\n".join(lines)
