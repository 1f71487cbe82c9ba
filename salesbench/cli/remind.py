"""`salesbench remind`: the review prompt for the moment, and the cron lines to schedule it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from salesbench.cli.common import (
    DbOpt,
    JsonOpt,
    RepOpt,
    acting,
    clock,
    emit_json,
    fail,
    speak,
    store,
)


def _command(db: str | None, rep_email: str) -> str:
    """The crontab command that runs the prompt: quoted, `%` escaped; a path with a
    line break is refused (exit 2) naming the option it came from."""
    from salesbench.core.remind import cron_command

    exe = Path(sys.argv[0])
    program = (
        [str(exe.resolve())]
        if exe.name == "salesbench" and exe.exists()
        else [sys.executable, "-m", "salesbench"]
    )
    parts = [*program, "remind", "--rep", rep_email, *(["--db", db] if db else [])]
    try:
        return cron_command(parts)
    except ValueError as exc:
        (part,) = exc.args
        option = "--db" if part == db else "--rep" if part == rep_email else None
        fail(
            f"{part!r} holds a line break, which a crontab line cannot carry"
            if option
            else "the program's path holds a line break, which a crontab line cannot carry",
            field=option,
        )


def remind(
    rep: RepOpt = None,
    mode: Annotated[str | None, typer.Option("--mode", "-m", help="morning or eod.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Remind even outside working hours.")
    ] = False,
    notify: Annotated[
        bool, typer.Option("--notify/--no-notify", help="Ring a desktop notification too.")
    ] = True,
    install: Annotated[
        bool, typer.Option("--install", help="Print crontab lines for the two daily prompts.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="With --install: write them to your crontab.")
    ] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the review that fits the time (never after hours unless --force)."""
    from salesbench.core.errors import SalesbenchError
    from salesbench.core.remind import cron_lines, replace_block, summary
    from salesbench.services.queue import load_queue

    if install and db:
        _command(db, "")  # a --db no crontab line can carry is refused before it is opened
    now = clock().now()
    view = load_queue(store(db, lazy=True), now=now, rep=acting(rep, db), mode=mode)
    speak(view.rep.language)  # the prompt is the rep's: in their language
    workday = view.rep.workday
    if install:
        from salesbench.core.workday import zone
        from salesbench.settings_env import machine_timezone

        # cron reads the lines in the machine's zone; the one rule that names it, rather
        # than the C library's idea of TZ, which Python reads once at start
        machine_tz = zone(machine_timezone())
        lines = cron_lines(workday, machine_tz, _command(db, view.rep.email), workday.today(now))
        if not yes:
            typer.echo("\n".join(lines))
            typer.echo("# add these with `crontab -e`, or run again with --yes", err=True)
            return
        if shutil.which("crontab") is None:
            raise SalesbenchError(
                "crontab is not installed; add the lines printed without --yes by hand"
            )
        current = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
        existing = current.stdout if current.returncode == 0 else ""
        done = subprocess.run(
            ["crontab", "-"], input=replace_block(existing, lines), text=True, capture_output=True
        )
        if done.returncode != 0:
            raise SalesbenchError(f"crontab refused the update: {done.stderr.strip()}")
        typer.echo("installed the review prompts in your crontab")
        return

    if mode is None and workday.review_mode(now) is None and not force:
        if as_json:
            emit_json({"mode": None, "reason": "outside working hours"})
        return  # prompts never come after hours
    title, body = summary(view.queue, view.rep.name)
    if as_json:
        emit_json({"mode": view.queue.mode, "title": title, "body": body})
    else:
        typer.echo(f"{title}\n{body}")
    if notify and shutil.which("notify-send"):
        subprocess.run(
            ["notify-send", "--app-name=salesbench", title, body],
            capture_output=True,
            timeout=10,
            check=False,
        )
