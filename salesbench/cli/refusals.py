"""How the CLI words a refusal: the option the person typed for a field, not the
record's field (`opp edit … --expected-close 2027-02-30` says "--expected-close: …",
where the service that refused it knows only `expected_close`); a usage error in one
line like every other."""

from __future__ import annotations

from typing import Any, NoReturn

import typer

# Typer 0.29 (pinned below 0.30 in pyproject.toml) carries its own click: its usage
# errors are these, not the click package's
from typer._click.exceptions import UsageError


def as_typed(ctx: Any, argv: list[str], exc: BaseException, message: str) -> str:
    """A refusal that names a record's field (expected_close) names the option the
    person typed for it (--expected-close) when the command has one."""
    from salesbench.core.errors import SalesbenchError

    field = getattr(exc, "field", None)
    if not isinstance(exc, SalesbenchError) or not field or not message.startswith(f"{field}: "):
        return message
    option = option_for(leaf_command(ctx, argv), field)
    return message if option is None else f"{option}: {exc.message}"


def leaf_command(ctx: Any, argv: list[str]) -> Any:
    """The command the person ran (opp edit), found again from the root's arguments:
    its own context is gone once the error has left it."""
    command, args = ctx.command, argv
    while hasattr(command, "resolve_command") and args:
        try:
            _name, found, args = command.resolve_command(ctx, args)
        except Exception:  # not a command name after all: stay with the group
            break
        if found is None:
            break
        command = found
    return command


def option_for(command: Any, field: str) -> str | None:
    """The long option of `command` that sets `field`: the parameter of that name
    (next_step_date -> --next-date), else the one the field's name ends with
    (lost_reason -> --reason, paused_until -> --until)."""
    options = [p for p in getattr(command, "params", ()) if getattr(p, "opts", None)]
    options = [p for p in options if any(o.startswith("--") for o in p.opts)]
    exact = [p for p in options if p.name == field]
    ending = [p for p in options if p.name and field.endswith(f"_{p.name}")]
    chosen = exact or (ending if len(ending) == 1 else [])
    if not chosen:
        return None
    return str(next(o for o in chosen[0].opts if o.startswith("--")))


def usage_refused(exc: UsageError) -> NoReturn:
    """A usage error in one line, as every other refusal, with where help is: Typer
    drew usage, a hint and a box (five lines) on stderr. A group run with no command
    shows its help as before."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        raise exc
    where = f" (see `{exc.ctx.command_path} -h`)" if exc.ctx is not None else ""
    from salesbench.cli.common import echo_error

    echo_error(f"{exc.format_message().rstrip('.')}{where}")
    raise typer.Exit(exc.exit_code) from None
