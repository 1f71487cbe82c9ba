"""`salesbench init`: create the database (and, on a terminal, the first rep)."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench.cli.common import (
    DbOpt,
    LanguageOpt,
    clock,
    is_interactive,
    raw_fields,
    store,
)


def init(
    name: Annotated[
        str | None, typer.Option(help="Add yourself as the first rep: your name.")
    ] = None,
    email: Annotated[str | None, typer.Option(help="... and your email.")] = None,
    team: Annotated[str | None, typer.Option(help="... and your team.")] = None,
    timezone: Annotated[
        str | None,
        typer.Option(help="... and your timezone, e.g. Asia/Shanghai (default: this machine's)."),
    ] = None,
    language: LanguageOpt = None,
    db: DbOpt = None,
) -> None:
    """Create or upgrade the database; on a terminal, ask for the first rep if there is none."""
    from salesbench.core.ids import short_id
    from salesbench.core.reps import check_language
    from salesbench.services.reps import add_rep, checked_timezone, has_rep
    from salesbench.settings_env import machine_timezone

    # checked before the database is created: a bad option writes nothing
    zone = checked_timezone(timezone, field="--timezone") if timezone else machine_timezone()
    if language is not None:
        check_language(language, field="--language")
    opened = store(db)
    typer.echo(f"database ready at {opened.location.display()}")
    if name is None and email is None and not has_rep(opened) and is_interactive():
        typer.echo("No rep yet. Who are you? (leave empty to skip)")
        name = typer.prompt("Name", default="", show_default=False) or None
        if name:
            email = typer.prompt("Email")
    if name is not None or email is not None:
        raw = raw_fields(name=name, email=email, team=team, timezone=zone, language=language)
        rep = add_rep(opened, raw, clock=clock())
        typer.echo(f"added rep {short_id(rep.id)} {rep.name} <{rep.email}> ({rep.timezone})")
