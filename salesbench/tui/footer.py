"""A footer that fits: on a narrow terminal (80 columns) Textual's footer is cut off
mid-row, hiding whatever comes last. This one shows the keys in their registry order but
drops, when they do not all fit, those whose UIAction.priority is lowest first (and the
palette key stays, with `?` listing every key, so nothing is out of reach).

While the cursor is in a form (a widget with OWN_FOOTER, the task panel's), the keys of
the screen behind it do not apply (a letter is typed, not acted on): the footer shows
the form's own keys instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from salesbench.core.i18n import _
from salesbench.tui.actions import APP_ACTIONS, UIAction

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.dom import DOMNode

COMPACT_BELOW = 120  # columns: narrower, the keys go closer together
PALETTE_WIDTH = {True: 12, False: 14}  # "^p palette" with its divider: compact or not


class Entry(NamedTuple):
    """One key of the footer, as plain values: two equal plans look the same."""

    key: str
    shown: str
    description: str
    action: str
    disabled: bool = False
    tooltip: str = ""
    classes: str = ""


class FittingFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._width = 0
        self._shown: tuple[bool, tuple[Entry, ...]] | None = None  # the plan on screen

    def _priorities(self) -> dict[str, tuple[int, int]]:
        """Each action's priority and place in the registry (the screen's, then the app's)."""
        actions: tuple[UIAction, ...] = (*getattr(self.screen, "ACTIONS", ()), *APP_ACTIONS)
        ranks: dict[str, tuple[int, int]] = {}
        for n, a in enumerate(actions):  # the first entry of an action is its footer's
            ranks.setdefault(a.action, (a.priority, n))
        return ranks

    def _form(self) -> DOMNode | None:
        """The form the cursor is in, if any (the nearest widget with OWN_FOOTER around
        the focused field; the form itself focused is the task, not one of its fields)."""
        focused = self.screen.focused
        if focused is None:
            return None
        return next((w for w in focused.ancestors if getattr(w, "OWN_FOOTER", False)), None)

    def _form_keys(self, form: DOMNode) -> list[Entry]:
        entries = []
        for a in getattr(form, "ACTIONS", ()):
            if a.footer:
                key = a.keys.split(",")[0]
                shown = self.app.get_key_display(Binding(key, a.action, a.title))
                entries.append(Entry(key, shown, _(a.title), a.action))
        return entries

    def _plan(self) -> tuple[bool, tuple[Entry, ...]] | None:
        """What the footer shows, as plain values: compact or not, and its keys."""
        if not self._bindings_ready:
            return None
        width = self.size.width or self.app.size.width
        compact = width < COMPACT_BELOW
        form = self._form()
        if form is not None:
            return compact, (*self._form_keys(form), *self._palette())
        seen: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen[binding.action] = (binding, enabled, tooltip)
        ranks = self._priorities()
        order = sorted(seen, key=lambda a: (-ranks.get(a, (0, 999))[0], ranks.get(a, (0, 999))[1]))
        room = width - PALETTE_WIDTH[compact]
        chosen: set[str] = set()
        for action in order:
            need = self._cells(seen[action][0], compact)
            if need <= room:
                chosen.add(action)
                room -= need
        keys = [
            self._entry(binding, enabled, tooltip)
            for action, (binding, enabled, tooltip) in seen.items()
            if action in chosen
        ]
        return compact, (*keys, *self._palette())

    async def recompose(self) -> None:
        # Textual asks again on every change of focus or bindings (each cursor rest
        # remounts the task panel): rebuilding some twenty keys restyles each of them,
        # tens of milliseconds, so only a footer that would look different is rebuilt
        if not self.is_attached or self._pruning:
            return  # its screen is going (popped): Textual's own recompose stops here too
        if self._plan() == self._shown and self.children:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        plan = self._shown = self._plan()
        if plan is None:
            return
        self.compact, entries = plan
        for e in entries:
            key = FooterKey(
                e.key,
                e.shown,
                e.description,
                e.action,
                disabled=e.disabled,
                tooltip=e.tooltip,
                classes=e.classes,
            )
            yield key if e.classes else key.data_bind(compact=Footer.compact)

    def _entry(self, binding: Binding, enabled: bool, tooltip: str, classes: str = "") -> Entry:
        shown = self.app.get_key_display(binding)
        words = _(binding.description)
        return Entry(binding.key, shown, words, binding.action, not enabled, tooltip, classes)

    def _palette(self) -> list[Entry]:
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                tip = binding.tooltip or _(binding.description)
                return [self._entry(binding, enabled, tip, "-command-palette")]
        return []

    def _cells(self, binding: Binding, compact: bool) -> int:
        """Columns the key takes: key, description and the space around them."""
        # the words as shown, in the rep's language: 完成 is as wide as Done, 跳过 not Skip
        words = _(binding.description)
        text = cell_len(self.app.get_key_display(binding)) + cell_len(words)
        return text + (2 if compact else 3)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.call_after_refresh(self.recompose)
