"""The `salesbench` command line (Typer)."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench import __version__
from salesbench.cli import activities, backup, demo, export, init, queue, remind, tui
from salesbench.cli.common import DbOpt, SalesbenchGroup

app = typer.Typer(
    name="salesbench",
    cls=SalesbenchGroup,
    help="Your sales SOP as today's queue: tasks, guidance and scripts for every opportunity.",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"salesbench {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
    db: DbOpt = None,
) -> None:
    """With no command: the workbench on a terminal, today's queue as text elsewhere.
    `--db` before a command is that command's `--db`."""
    from salesbench.cli.common import speak

    speak()  # the command may speak the rep's language once it knows the rep
    if ctx.invoked_subcommand is None:
        from salesbench.cli.common import is_interactive, settings

        # invoked directly, the command's options are not parsed: give it the database
        db = db or settings().db
        if is_interactive():
            ctx.invoke(tui.tui, db=db)
        else:
            ctx.invoke(queue.queue, db=db)


app.command("init")(init.init)
app.command("queue")(queue.queue)
app.command("log")(activities.log)
app.command("remind")(remind.remind)
app.command("demo")(demo.demo)
app.command("tui")(tui.tui)
app.command("export")(export.export)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)


def run() -> None:
    app(prog_name="salesbench")
