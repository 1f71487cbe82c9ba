"""What every command shares: options, output, and errors as exit codes.

Command modules import only this and typer at load time; services, SQLModel and
the rest are imported inside the command that needs them.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.exceptions import UsageError  # Typer's own click (see cli/refusals)
from typer.core import TyperGroup

from salesbench.cli.refusals import usage_refused
from salesbench.core.errors import SalesbenchError
from salesbench.core.settings import DEBUG_ENV

if TYPE_CHECKING:
    from salesbench.core.clock import Clock
    from salesbench.core.settings import Settings
    from salesbench.services.session import Store


def _root_db(ctx: typer.Context, value: str | None) -> str | None:
    """`salesbench --db X cmd …` means cmd's --db: a command's own --db wins, then the
    one before the command, then SALESBENCH_DB."""

    def typed(c: Any) -> bool:  # the source by name: Typer carries its own copy of Click
        source = c.get_parameter_source("db")
        return source is not None and source.name == "COMMANDLINE"

    root = ctx.find_root()
    if typed(ctx) or root is ctx or not typed(root):
        return value
    given = root.params.get("db")
    return given if isinstance(given, str) else value


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="SALESBENCH_DB",
        show_envvar=True,
        callback=_root_db,
        help="Database file or URL (default: salesbench.db in your user data folder).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
RepOpt = Annotated[
    str | None,
    typer.Option("--rep", help="Act as this rep (name, email or id); else SALESBENCH_REP."),
]
LanguageOpt = Annotated[
    str | None,
    typer.Option(
        "--language", "--lang", help="Language of playbooks, tasks and scripts: en or zh-CN."
    ),
]
AllOpt = Annotated[
    bool,
    typer.Option("--all", help="Everyone's (default: yours, or your team's if you lead one)."),
]
CustomOpt = Annotated[
    list[str] | None,
    typer.Option("--field", "-f", help="Custom field as key=value (repeatable; key= removes it)."),
]

NOW_ENV = "SALESBENCH_NOW"


def echo_error(message: str) -> None:
    from salesbench.core.render import inert
    from salesbench.core.settings import as_launched
    from salesbench.settings_env import launcher

    # the commands it names as the person types them (`scripts/run init …`)
    typer.echo(f"salesbench: error: {inert(as_launched(message, launcher()))}", err=True)


def fail(message: str, *, field: str | None = None) -> NoReturn:
    """Stop the command with a bad-input error (exit 2), reported like any other."""
    from salesbench.core.errors import BadInput

    raise BadInput(message, field=field)


def error_exit_code(exc: BaseException) -> tuple[int, str] | None:
    """The exit code and one-line message for an error a user may cause, else None.

    The one place an error becomes an exit status: each error class carries its own.
    """
    from salesbench.core.errors import Conflict, SalesbenchError

    if isinstance(exc, SalesbenchError):
        return exc.exit_code, str(exc)
    storage = _storage_problem(exc)
    if storage is not None:
        return storage.exit_code, str(storage)
    module = type(exc).__module__
    if module.startswith("sqlalchemy"):
        orig = getattr(exc, "orig", None) or exc
        text = str(orig).splitlines()[0]
        if type(exc).__name__ == "IntegrityError":  # explained by the constraint that failed
            from salesbench.services.import_errors import reason

            why = reason(exc)  # type: ignore[arg-type]
            return Conflict.exit_code, f"{why}; nothing was written: run the command again"
        return 1, f"database error: {text}"
    if isinstance(exc, OSError):
        import errno

        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):  # as io.private_files
            where = f"cannot write {exc.filename}: " if exc.filename else ""
            return 2, f"{where}no space left on the device; nothing was written"
        return 1, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return None


# The SQLite files this process opened, newest last: an error from the driver names
# no file, and a damaged or read-only database is reported with its path.
OPENED: list[Path] = []


def _storage_problem(exc: BaseException) -> SalesbenchError | None:
    """A damaged or read-only SQLite file behind an error no other class explains."""
    if not OPENED or isinstance(exc, KeyboardInterrupt | MemoryError):
        return None
    from salesbench.services.doctor import storage_problem

    return storage_problem(exc, OPENED[-1])


class SalesbenchGroup(TyperGroup):
    """The root group: lazy command groups, and errors raised by any command turned
    into one line on stderr and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from salesbench.cli.help_words import say_help, say_typer_words
        from salesbench.cli.inert_output import inert_output

        # before the options are read: `--help` is given in the reader's words (a wrong
        # SALESBENCH_LANG is refused in one line by the root's own speak())
        with suppress(SalesbenchError):
            speak()
        argv = kwargs.get("args") or (args[0] if args else sys.argv[1:])
        if {"-h", "--help"} & set(argv or ()):
            say_typer_words()  # Typer's help imports Rich: only for a help asked for
        say_help(self)
        with inert_output():  # stored text reaches the terminal inert (cli/inert_output)
            return super().main(*args, **kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from salesbench.cli.lazy import LAZY_GROUPS, LazyCommands

        self.commands = LazyCommands(self.commands, LAZY_GROUPS)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        # the root's own options (`salesbench --bogus`) are parsed here, not in invoke
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:
            usage_refused(exc)

    def invoke(self, ctx: Any) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            while _STORES:  # let go of the database (and its "open" lock) with the command
                _STORES.pop().close()

    def _invoke(self, ctx: Any) -> Any:
        argv = [*getattr(ctx, "_protected_args", ()), *ctx.args]  # click empties them
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            usage_refused(exc)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # Typer's own usage errors already print and exit 2
        except BrokenPipeError:
            raise  # the reader left; salesbench.__main__ ends quietly
        except Exception as exc:
            from salesbench.settings_env import debugging

            if debugging():  # not settings(): the error may be a bad setting
                raise
            known = error_exit_code(exc)
            if known is None:
                known = (
                    1,
                    f"internal error: {type(exc).__name__}: {exc} "
                    f"(run with {DEBUG_ENV}=1 for the traceback)",
                )
            code, message = known
            from salesbench.cli.refusals import as_typed

            echo_error(as_typed(ctx, argv, exc, message))
            raise typer.Exit(code) from None


_STORES: list[Store] = []  # the stores this command opened, closed when it ends


def say_waiting(message: str) -> None:
    """What a command waits for (another process's write, a restore), on stderr."""
    typer.echo(f"salesbench: {message}", err=True)


def store(db: str | None, *, lazy: bool = False) -> Store:
    """The database; `lazy` for fast readers, which open the engine only if they need it."""
    from salesbench.services.session import open_store, sqlite_path

    path = sqlite_path(db)
    if path is not None:
        OPENED.append(path)
    opened = open_store(db, lazy=lazy, on_wait=say_waiting)
    _STORES.append(opened)
    return opened


def settings() -> Settings:
    from salesbench.settings_env import from_environ

    return from_environ()


def speak(rep_language: str | None = None) -> None:
    """Messages from now on in the language asked for (SALESBENCH_LANG), else the
    rep's when the command is about one, else the machine locale's (core/i18n.py)."""
    from salesbench.core import i18n

    i18n.use(settings().language_for(rep_language))


def speak_as(opened: Store, db: str | None, rep: str | None = None) -> str | None:
    """Words from now on in the acting rep's language (SALESBENCH_LANG first): the
    command is about their book. Who acts (`acting`), for the command to go on with."""
    from salesbench.services.report_facts import language_of

    me = acting(rep, db)
    speak(language_of(opened, me))
    return me


def named(rep: str | None) -> str | None:
    """The rep the person named: `--rep`, else SALESBENCH_REP (what the workbench is
    started with; it looks up the remembered choice itself)."""
    return rep or settings().rep


def acting(rep: str | None, db: str | None) -> str | None:
    """Who a command acts as, by the workbench's rule (settings_user.acting_rep): the
    rep named, else the one chosen for this database in the workbench's picker."""
    from salesbench.services.session import database_display
    from salesbench.settings_user import acting_rep

    who = acting_rep(named(rep), database_display(db))
    if who.notice:
        typer.echo(f"salesbench: {who.notice}", err=True)
    if who.remembered and who.ref is not None:
        from salesbench.services.reps import known_rep

        if not known_rep(store(db, lazy=True), who.ref):
            return None  # the choice outlived its rep (purged, a new file): forgotten
    return who.ref


def clock() -> Clock:
    """The system clock, or the fixed time in SALESBENCH_NOW (for demos and tests)."""
    from salesbench.core.clock import FixedClock, SystemClock

    fixed = settings().now
    if not fixed:
        return SystemClock()
    from salesbench.core.fields import iso_datetime

    try:
        return FixedClock(iso_datetime(fixed))
    except ValueError as exc:
        fail(str(exc), field=NOW_ENV)


def emit_json(data: Any) -> None:
    """Indented for a person at a terminal; one compact line (C-encoded, fast) for pipes."""
    from salesbench.cli.inert_output import raw_stdout
    from salesbench.core.jsonable import plain

    out = raw_stdout()  # exact: JSON escapes C0 control characters itself
    indent = 2 if out.isatty() else None
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=plain)
    # DEL and C1 (U+0080..U+009F, CSI among them) it leaves raw: escape them too, which
    # keeps every value exact for a JSON reader and inert for a terminal
    out.write(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


_C1 = re.compile("[\x7f-\x9f]")


def emit_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from salesbench.cli.inert_output import raw_stdout
    from salesbench.core.render import inert

    def shown(value: Any) -> str:  # inert, and no stored "[bold]" taken for markup
        return escape(inert("" if value is None else str(value)))

    table = Table(
        title=None if title is None else shown(title),
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    for name in columns:
        table.add_column(shown(name), overflow="fold")
    for row in rows:
        table.add_row(*(shown(v) for v in row))
    # the real stream: the cells are inert already, and Rich's own styling must pass
    Console(file=raw_stdout(), soft_wrap=False).print(table)


def raw_fields(**values: Any) -> dict[str, str | None]:
    """Option values as the raw strings the core parses (None = not given)."""
    return {k: (None if v is None else str(v)) for k, v in values.items()}


def record_fields(ctx: typer.Context, specs: dict[str, Any]) -> dict[str, str | None]:
    """The command's parameters that are fields of the record (named as in `specs`)."""
    return raw_fields(**{k: v for k, v in ctx.params.items() if k in specs})


def custom_fields(pairs: list[str] | None) -> dict[str, str]:
    from salesbench.core.fields import parse_custom_fields

    return parse_custom_fields(pairs or [])


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def confirm_or_fail(what: str, yes: bool) -> None:
    """Ask on a terminal; off one, go ahead only with --yes (exit 2 otherwise)."""
    if yes:
        return
    if not is_interactive():
        fail(f"{what}: add --yes to confirm")
    typer.confirm(f"{what}. Go ahead?", abort=True)
