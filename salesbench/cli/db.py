"""`salesbench db`: where the database is and which schema revision it has."""

from __future__ import annotations

import typer

from salesbench.cli.common import DbOpt, JsonOpt, emit_json

app = typer.Typer(help="Inspect and upgrade the database.", no_args_is_help=True)


@app.command("path")
def path(db: DbOpt = None) -> None:
    """Print where the database is (a file path, or a URL without its password)."""
    from salesbench.store.location import resolve

    typer.echo(resolve(db).display())


@app.command("current")
def current(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Print the database's schema revision and whether it is at the newest one."""
    from salesbench.store.engine import make_engine
    from salesbench.store.location import resolve
    from salesbench.store.migrate import HEAD_REVISION, current_revision

    location = resolve(db)
    engine = make_engine(location)
    try:
        rev = current_revision(location, engine)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"revision": rev, "head": HEAD_REVISION, "up_to_date": rev == HEAD_REVISION})
        return
    state = "(head)" if rev == HEAD_REVISION else f"(head is {HEAD_REVISION})"
    typer.echo(f"{rev or 'empty'} {state}")


@app.command("upgrade")
def upgrade(db: DbOpt = None) -> None:
    """Upgrade the database to the newest schema (every command also does this on open)."""
    from salesbench.store.engine import make_engine
    from salesbench.store.location import resolve
    from salesbench.store.migrate import HEAD_REVISION, current_revision, ensure_head

    location = resolve(db)
    engine = make_engine(location)
    try:
        before = current_revision(location, engine)
        ensure_head(location, engine)
    finally:
        engine.dispose()
    if before == HEAD_REVISION:
        typer.echo(f"already at {HEAD_REVISION}")
    else:
        typer.echo(f"upgraded {before or 'empty'} -> {HEAD_REVISION}")
