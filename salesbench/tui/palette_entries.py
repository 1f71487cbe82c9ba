"""The palette's entries: the screen's and the app's actions from the registry
(tui/actions.py) with their keys, then Textual's own in the rep's language; searched by
tui/palette.py, which is imported only when the palette opens."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from salesbench.core.i18n import _
from salesbench.tui.actions import APP_ACTIONS

if TYPE_CHECKING:
    from textual.command import Provider


def described_commands() -> type[Provider]:
    # imported when the palette opens, as Textual's own provider is
    from salesbench.tui.palette import DescribedCommands

    return DescribedCommands


class PaletteApp(App[object]):
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {described_commands}

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The screen's actions from the registry (tui/actions.py), then the app's, each
        titled with its key as the footer shows it ("Done  d"), so the palette also
        teaches the keys; then Textual's own that have no key (Theme, Screenshot), its
        Keys and Quit given way to ours. A key the screen takes (q in the customer
        center goes back) is not the app's there: its entry names no key."""
        own = tuple(getattr(screen, "ACTIONS", ()))
        taken = {k for a in own for k in a.keys.split(",")}
        for action, target in [(a, screen) for a in own] + [(a, self) for a in APP_ACTIONS]:
            if not action.palette:
                continue
            first = action.keys.split(",")[0]
            keyed = target is screen or first not in taken
            key = self.get_key_display(Binding(first, action.action)) if keyed else ""
            yield SystemCommand(
                f"{_(action.title)}  {key}".rstrip(),
                _(action.help),
                partial(self.run_action, action.action, target),
            )
        ours = {a.title for a in APP_ACTIONS}  # Textual's own are titled in English
        for command in super().get_system_commands(screen):
            if command.title not in ours:  # its words: tui/textual_words.py
                yield command._replace(title=_(command.title), help=_(command.help))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            placeholder = _("Search for commands…")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))
