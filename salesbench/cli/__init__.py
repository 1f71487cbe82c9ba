"""The `salesbench` command line (Typer)."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench import __version__
from salesbench.cli import (
    activities,
    complaints,
    contacts,
    customers,
    db,
    demo,
    init,
    opps,
    playbooks,
    queue,
    reps,
    scripts,
    tasks,
)
from salesbench.cli.common import SalesbenchGroup

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
) -> None:
    """With no command, show today's queue."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(queue.queue)


app.command("init")(init.init)
app.command("queue")(queue.queue)
app.command("log")(activities.log)
app.command("demo")(demo.demo)
app.add_typer(db.app, name="db")
app.add_typer(reps.app, name="rep")
app.add_typer(customers.app, name="customer")
app.add_typer(contacts.app, name="contact")
app.add_typer(opps.app, name="opp")
app.add_typer(tasks.app, name="task")
app.add_typer(complaints.app, name="complaint")
app.add_typer(scripts.app, name="script")
app.add_typer(playbooks.app, name="playbook")


def run() -> None:
    app(prog_name="salesbench")
