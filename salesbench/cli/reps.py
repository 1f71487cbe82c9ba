"""`salesbench rep`: the people who sell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from salesbench.cli.common import (
    DbOpt,
    JsonOpt,
    LanguageOpt,
    clock,
    confirm_or_fail,
    emit_json,
    emit_table,
    fail,
    raw_fields,
    store,
)

app = typer.Typer(help="Add, list and edit reps; purge a departing one.", no_args_is_help=True)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Full name, e.g. 'Wang Fang' or '王芳'.")],
    email: Annotated[str, typer.Argument(help="Work email; must be unique.")],
    team: Annotated[str | None, typer.Option(help="Team or department.")] = None,
    region: Annotated[str | None, typer.Option(help="Sales region.")] = None,
    branch: Annotated[str | None, typer.Option(help="Branch office.")] = None,
    role: Annotated[
        str | None, typer.Option(help="rep (sees their own book) or lead (their team's).")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(help="IANA timezone, e.g. Asia/Shanghai (default: this machine's)."),
    ] = None,
    language: LanguageOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a rep."""
    from salesbench.core.ids import short_id
    from salesbench.core.reps import check_language
    from salesbench.services.reps import add_rep, checked_timezone
    from salesbench.services.serialize import record
    from salesbench.settings_env import machine_timezone

    zone = checked_timezone(timezone, field="--timezone") if timezone else machine_timezone()
    if language is not None:
        check_language(language, field="--language")
    rep = add_rep(
        store(db),
        raw_fields(
            name=name,
            email=email,
            team=team,
            region=region,
            branch=branch,
            role=role,
            timezone=zone,
            language=language,
        ),
        clock=clock(),
    )
    if as_json:
        emit_json(record(rep))
    else:
        typer.echo(f"added rep {short_id(rep.id)} {rep.name} <{rep.email}>")


@app.command("list")
def list_(
    team: Annotated[str | None, typer.Option(help="Only this team.")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List reps with their team, region and branch."""
    from salesbench.core.ids import short_id
    from salesbench.services.reps import list_reps
    from salesbench.services.serialize import record

    reps = list_reps(store(db), team=team)
    if as_json:
        emit_json([record(r) for r in reps])
        return
    emit_table(
        None,
        ["id", "name", "email", "team", "region", "branch", "role"],
        [(short_id(r.id), r.name, r.email, r.team, r.region, r.branch, r.role) for r in reps],
    )


@app.command("edit")
def edit(
    rep: Annotated[str, typer.Argument(help="Rep id, email or name.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    team: Annotated[str | None, typer.Option(help="Team or department.")] = None,
    region: Annotated[str | None, typer.Option(help="Sales region.")] = None,
    branch: Annotated[str | None, typer.Option(help="Branch office.")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA timezone, e.g. Asia/Shanghai.")] = None,
    workday_start: Annotated[
        str | None, typer.Option("--start", help="Workday starts, HH:MM.")
    ] = None,
    workday_end: Annotated[str | None, typer.Option("--end", help="Workday ends, HH:MM.")] = None,
    workdays: Annotated[
        str | None, typer.Option("--days", help="Working weekdays, e.g. mon-fri or mon,tue,sat.")
    ] = None,
    language: LanguageOpt = None,
    role: Annotated[
        str | None, typer.Option(help="rep (sees their own book) or lead (their team's).")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a rep's details, working week and language."""
    from salesbench.services.reps import edit_rep
    from salesbench.services.serialize import record

    updated = edit_rep(
        store(db),
        rep,
        raw_fields(
            name=name,
            team=team,
            region=region,
            branch=branch,
            timezone=timezone,
            workday_start=workday_start,
            workday_end=workday_end,
            workdays=workdays,
            language=language,
            role=role,
        ),
        clock=clock(),
    )
    if as_json:
        emit_json(record(updated))
    else:
        typer.echo(
            f"{updated.name}: {updated.timezone} {updated.workday_start}-"
            f"{updated.workday_end} days {updated.workdays} ({updated.language})"
        )


@app.command("purge")
def purge(
    rep: Annotated[str, typer.Argument(help="The departing rep (id, email or name).")],
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            "-o",
            help="Where to write their data first (default: purge-<email>-<date>.json here).",
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Remove a departing rep's book: their customers with contacts, deals, tasks,
    activities and complaints are written to a private JSON file, then deleted, and the
    rep's name and email are wiped. Hand over what the team keeps first (`handover`)."""
    from salesbench.services.team import plan_purge, purge_rep

    opened = store(db)
    plan = plan_purge(opened, rep)
    if export is None:
        day = clock().now().date().isoformat()
        export = Path(f"purge-{plan.rep.email.replace('@', '-at-')}-{day}.json")
    rows = sum(plan.rows.values())
    confirm_or_fail(
        f"This deletes {plan.customers} customers of {plan.rep.name} ({rows} records), "
        f"after writing them to {export}",
        yes,
    )
    if export.exists():
        fail(f"{export} exists already; choose another file", field="export")
    done = purge_rep(opened, rep, clock=clock(), save=_private_json(export))
    if as_json:
        emit_json({"export": str(export), "customers": done.customers, "rows": done.rows})
    else:
        typer.echo(f"wrote {rows} records to {export} (readable by you only) and removed them")


def _private_json(path: Path) -> Callable[[dict[str, Any]], None]:
    """A writer of one JSON document to `path`, readable by its owner only, that
    appears under its name only once it is whole."""

    def save(document: dict[str, Any]) -> None:
        import json

        from salesbench.io.private_files import private_output

        with private_output(path, "w", option="--export", forceable=False) as handle:
            json.dump(document, handle, ensure_ascii=False, indent=1, default=str)

    return save
