"""`salesbench db`: where the database is and which schema revision it has."""

from __future__ import annotations

import typer

from salesbench.cli.common import DbOpt, JsonOpt, emit_json

app = typer.Typer(help="Inspect and upgrade the database.", no_args_is_help=True)


@app.command("path")
def path(db: DbOpt = None) -> None:
    """Print where the database is (a file path, or a URL without its password)."""
    from salesbench.services.session import database_display

    typer.echo(database_display(db))


@app.command("current")
def current(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Print the database's schema revision and whether it is at the newest one."""
    from salesbench.services.database import schema_revision

    rev = schema_revision(db)
    if as_json:
        emit_json({"revision": rev.current, "head": rev.head, "up_to_date": rev.up_to_date})
        return
    state = "(head)" if rev.up_to_date else f"(head is {rev.head})"
    typer.echo(f"{rev.current or 'empty'} {state}")


@app.command("upgrade")
def upgrade(db: DbOpt = None) -> None:
    """Upgrade the database to the newest schema (every command also does this on open)."""
    from salesbench.services.database import upgrade_schema

    before = upgrade_schema(db)
    if before.up_to_date:
        typer.echo(f"already at {before.head}")
    else:
        typer.echo(f"upgraded {before.current or 'empty'} -> {before.head}")
