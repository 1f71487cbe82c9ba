"""`salesbench backup` and `salesbench restore`: the whole database in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from salesbench.cli.common import DbOpt, fail, is_interactive, say_waiting


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (must not exist).")],
    db: DbOpt = None,
) -> None:
    """Copy the database to FILE while it is in use (SQLite's online backup)."""
    from salesbench.services.backup import backup as do_backup

    written = do_backup(db, file)
    typer.echo(f"backed up to {written}")


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made with `salesbench backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Replace the database without asking.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Replace the database with a backup (asks first; off a terminal it needs --yes)."""
    from salesbench.services.backup import restore as do_restore
    from salesbench.services.session import database_display

    target = database_display(db)
    if not yes:
        if not is_interactive():
            fail(f"restoring replaces everything in {target}; add --yes to confirm")
        typer.confirm(f"Replace everything in {target} with {file}?", abort=True)
    do_restore(db, file, waiting=say_waiting)
    typer.echo(f"restored {target} from {file}")
