"""The root's command groups, each imported and converted only when used."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

# Command groups are imported and converted only when used: building every
# command's parameters from its signature costs more than a whole queue read.
LAZY_GROUPS = {
    "db": "salesbench.cli.db",
    "rep": "salesbench.cli.reps",
    "customer": "salesbench.cli.customers",
    "contact": "salesbench.cli.contacts",
    "opp": "salesbench.cli.opps",
    "task": "salesbench.cli.tasks",
    "activity": "salesbench.cli.activity_edits",
    "complaint": "salesbench.cli.complaints",
    "script": "salesbench.cli.scripts",
    "playbook": "salesbench.cli.playbooks",
    "import": "salesbench.cli.imports",
    "report": "salesbench.cli.reports",
    "leaderboard": "salesbench.cli.leaderboard",
    "forecast": "salesbench.cli.forecast",
    "handover": "salesbench.cli.handover",
    "doctor": "salesbench.cli.doctor",
    "duplicates": "salesbench.cli.duplicates",
    "search": "salesbench.cli.search",
}


class LazyCommands(MutableMapping[str, Any]):
    """The root's commands, loading each lazy group on first lookup."""

    def __init__(self, eager: MutableMapping[str, Any], lazy: dict[str, str]) -> None:
        self._loaded = dict(eager)
        self._lazy = dict(lazy)

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded and name in self._lazy:
            from importlib import import_module

            from typer.main import get_command

            from salesbench.cli.help_words import say_help

            command = say_help(get_command(import_module(self._lazy[name]).app))
            command.name = name
            self._loaded[name] = command
        return self._loaded[name]

    def loaded(self) -> list[Any]:
        return list(self._loaded.values())

    def __setitem__(self, name: str, command: Any) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._loaded.pop(name, None)
        self._lazy.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._loaded
        yield from (n for n in self._lazy if n not in self._loaded)

    def __len__(self) -> int:
        return len(set(self._loaded) | set(self._lazy))

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in self._lazy
