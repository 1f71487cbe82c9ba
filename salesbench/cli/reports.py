"""`salesbench report`: the team lead's weekly report in five formats."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from salesbench.cli.common import DbOpt, acting, clock, fail, settings, store

app = typer.Typer(no_args_is_help=True)


@app.callback()
def report() -> None:
    """Reports for team leads: the weekly report (see also `leaderboard` and `forecast`)."""


FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-F",
        help="md, csv, xlsx, html or json (default: from --out's extension, else md).",
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="File to write, readable by you only (default: standard output)."
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace --out if it exists (else refused, exit 4).")
]
TimezoneOpt = Annotated[
    str | None,
    typer.Option(
        "--timezone",
        envvar="SALESBENCH_TIMEZONE",
        show_envvar=True,
        help="Cut weeks in this timezone (default: the reps' own, e.g. Asia/Shanghai).",
    ),
]

LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="The report's language: en or zh-CN (default: yours)."),
]


def report_language(lang: str | None, db: str | None) -> None:
    """Words from now on in `lang` when given (checked before any reading), else in the
    language of whoever runs the report (SALESBENCH_LANG first, as every command)."""
    from salesbench.core import i18n
    from salesbench.core.reps import LANGUAGES

    if lang is None:
        from salesbench.cli.common import speak_as

        speak_as(store(db, lazy=True), db)
        return
    tag = i18n.language_tag(lang)
    if tag not in LANGUAGES:
        fail(f"unknown language {lang!r} (choose {' or '.join(LANGUAGES)})", field="--lang")
    i18n.use(str(tag))


def output_format(fmt: str | None, out: Path | None, force: bool = False) -> str:
    from salesbench.io.private_files import check_target
    from salesbench.io.reports import EXTENSIONS, FORMATS

    chosen = fmt or (EXTENSIONS.get(out.suffix.lower()) if out else None) or "md"
    if chosen not in FORMATS:
        fail(f"unknown format {chosen!r} ({', '.join(FORMATS)})", field="--format")
    if chosen == "xlsx" and out is None and sys.stdout.isatty():
        fail("xlsx is a binary file: give --out FILE.xlsx")
    if out is not None:
        check_target(out, force=force)  # before any work: a folder, or a file kept
    return chosen


@app.command("weekly")
def weekly(
    week: Annotated[
        str | None,
        typer.Option("--week", "-w", help="ISO week, e.g. 2026-W47 (default: this week)."),
    ] = None,
    rep: Annotated[
        str | None, typer.Option("--rep", help="Only this rep (name, email or id).")
    ] = None,
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Only this region.")] = None,
    branch: Annotated[str | None, typer.Option("--branch", help="Only this branch.")] = None,
    everyone: Annotated[
        bool,
        typer.Option(
            "--all", help="Every rep (default: your team if you lead one, else your own)."
        ),
    ] = False,
    format: FormatOpt = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    timezone: TimezoneOpt = None,
    lang: LangOpt = None,
    db: DbOpt = None,
) -> None:
    """Activities, tasks, SOP completion, stage moves, deals, pipeline, cadence and SLA
    breaches per rep, with team, region and branch subtotals and week-over-week change."""
    fmt = output_format(format, out, force)
    report_language(lang, db)
    if week is not None:  # its form and range, before any reading
        from salesbench.core.periods import parse_week

        parse_week(week, "UTC", field="--week")
    if sum(v is not None for v in (rep, team, region, branch)) > 1:
        fail("choose one of --rep, --team, --region and --branch")
    from salesbench.io.export import write
    from salesbench.io.report_documents import weekly_document
    from salesbench.io.reports import render
    from salesbench.services.reports import load_weekly

    report, scope = load_weekly(
        store(db, lazy=True),
        now=clock().now(),
        week=week,
        rep=rep,
        team=team,
        region=region,
        branch=branch,
        timezone=timezone,
        everyone=everyone,
        me=acting(None, db),
        currency=settings().currency,
    )
    write(render(weekly_document(report, scope.notes), fmt), out, force=force)
    if out is not None:
        typer.echo(f"wrote the {fmt} report for {report.period.label} to {out}", err=True)
