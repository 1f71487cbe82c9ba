"""`--help` in the reader's language. The help of every command and option is written
in English where it is declared (a command's docstring, an option's `help=`); here it
is given through the catalog once the language is known (cli/common.py speak), with
Typer's own words around it (Options, [default: …]). scripts/i18n.py extracts the
same texts from the same command tree (help_texts), so a new option's help fails the
catalog check until it is translated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from salesbench.core.i18n import N_, _

# Typer's panel titles and marks (typer/rich_utils.py), read when help is printed
TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
}


HELP_OPTION = N_("Show this message and exit.")  # Typer's words for -h, --help


def say_typer_words() -> None:
    """Typer's own words in the language spoken now. Its help option is made as help
    is printed (typer/_click/core.py get_help_option): its maker is wrapped."""
    from typer import rich_utils
    from typer._click import decorators

    for name, english in TYPER_WORDS.items():
        setattr(rich_utils, name, _(english))
    made = getattr(decorators.help_option, "__wrapped__", decorators.help_option)

    def help_option(param_decls: list[str]) -> Any:
        add = made(param_decls)

        def decorator(command: Any) -> Any:
            command = add(command)
            command.params[-1].help = _(HELP_OPTION)
            return command

        return decorator

    help_option.__wrapped__ = made  # type: ignore[attr-defined]
    decorators.help_option = help_option
    _fold_long_words(rich_utils)


def _fold_long_words(rich_utils: Any) -> None:
    """A Chinese sentence is one word to Rich (no spaces to break at): in a help column
    it was cut with "…". Help texts fold such a word over lines instead."""
    made = getattr(rich_utils._make_rich_text, "__wrapped__", rich_utils._make_rich_text)

    def folded(**kwargs: Any) -> Any:
        text = made(**kwargs)
        if hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    folded.__wrapped__ = made  # type: ignore[attr-defined]
    rich_utils._make_rich_text = folded


def say_help(command: Any) -> Any:
    """`command` with its help and its parameters' in the language spoken now, and the
    commands under it (of the root, those loaded: LazyCommands gives a group its words
    as it loads it)."""
    from salesbench.cli.lazy import LazyCommands

    for thing in (command, *getattr(command, "params", ())):
        english = getattr(thing, "_english_help", None)
        if english is None:
            english = thing.help
            thing._english_help = english
        if english:
            thing.help = _(english)
    commands = getattr(command, "commands", None)
    if commands is not None:
        subs = commands.loaded() if isinstance(commands, LazyCommands) else commands.values()
        for sub in list(subs):
            say_help(sub)
    return command


def help_texts(command: Any) -> Iterator[tuple[str, str]]:
    """(English help, the module declaring it) for `command` and everything under it,
    lazy groups loaded: what `--help` can show."""
    module = getattr(getattr(command, "callback", None), "__module__", "salesbench.cli")
    for thing in (command, *getattr(command, "params", ())):
        text = getattr(thing, "_english_help", None) or thing.help
        if text:
            yield text, module
    if hasattr(command, "list_commands"):
        import typer

        context = typer.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None:
                yield from help_texts(sub)
