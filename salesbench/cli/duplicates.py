"""`salesbench duplicates`: the records imports let in beside a look-alike."""

from __future__ import annotations

from typing import Annotated

import typer

from salesbench.cli.common import DbOpt, JsonOpt, clock, emit_json, emit_table, store

app = typer.Typer(
    help="Possible duplicates imports found (same name, phone or email): review them, "
    "merge them with `salesbench customer merge KEEP OTHER`, or dismiss them.",
    invoke_without_command=True,
)


@app.callback()
def duplicates(
    ctx: typer.Context,
    all: Annotated[
        bool, typer.Option("--all", help="Also the pairs merged or dismissed already.")
    ] = False,
    json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """List the unresolved possible duplicates, oldest first."""
    if ctx.invoked_subcommand is not None:
        return
    from salesbench.services.duplicates import list_duplicates

    found = list_duplicates(store(db), include_resolved=all)
    if json:
        emit_json(found)
        return
    if not found:
        typer.echo("no possible duplicates")
        return
    emit_table(
        None,
        ["id", "table", "record", "looks like", "reason", "batch", *(["resolution"] * all)],
        [
            [
                d["id"],
                d["table"],
                f"{d['record']} {d['record_name']}",
                f"{d['other']} {d['other_name']}",
                d["reason"],
                d["batch"] or "",
                *([d["resolution"] or ""] * all),
            ]
            for d in found
        ],
    )


@app.command("dismiss")
def dismiss(
    pair: Annotated[str, typer.Argument(help="The pair's id (its first 8 characters will do).")],
    db: DbOpt = None,
) -> None:
    """Say the two records of a pair are different: it leaves the list."""
    from salesbench.services.duplicates import dismiss as dismiss_pair

    done = dismiss_pair(store(db), pair, clock=clock())
    typer.echo(f"pair {done['id']}: marked as different {done['table']} records")
