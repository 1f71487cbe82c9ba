"""`salesbench doctor`: checks the database, the settings and the tools around it."""

from __future__ import annotations

import typer

from salesbench.cli.common import DbOpt, JsonOpt, emit_json, settings

app = typer.Typer()

MARKS = {"ok": "ok  ", "warn": "warn", "fail": "FAIL", "info": "info"}


@app.command()
def doctor(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Check the database (integrity, references, schema, WAL, file mode), the settings
    and the clipboard and notification tools; say what to do about each problem.
    Exits 1 when something needs fixing."""
    from salesbench.io.clipboard import local_tool
    from salesbench.services.doctor import diagnose
    from salesbench.services.doctor_checks import FAIL

    checks = diagnose(db, clipboard_tool=local_tool(), settings=settings())
    failed = any(c.status == FAIL for c in checks)
    if as_json:
        emit_json({"ok": not failed, "checks": [vars(c) for c in checks]})
    else:
        for c in checks:
            typer.echo(f"{MARKS[c.status]}  {c.area:<9} {c.name:<14} {c.detail}")
            if c.fix and c.status != "ok":
                typer.echo(f"{'':6}{'':9} {'':14} → {c.fix}")
        typer.echo("needs fixing: see FAIL above" if failed else "all good")
    if failed:
        raise typer.Exit(1)
