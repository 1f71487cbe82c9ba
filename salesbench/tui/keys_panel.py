"""`?`: every key of the screen, the workbench's own first (the screen's, then the
app's), the focused list's generic keys (scrolling, first, last) after them, and the
nine "copy script N" keys as one row."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable

from salesbench.core.i18n import _
from salesbench.tui.actions import APP_ACTIONS

COPY_NTH = "copy("  # the actions copy(1) .. copy(9), on the keys 1 .. 9


def _digit_copy(binding: Binding) -> bool:
    return binding.action.startswith(COPY_NTH) and binding.key.isdigit()


class KeysTable(BindingsTable):
    def render_bindings_table(self) -> Table:
        screen, app = self.screen, self.app

        own = {a.action: n for n, a in enumerate(getattr(screen, "ACTIONS", ()))}
        apps = {a.action for a in APP_ACTIONS}

        def rank(entry: Any) -> int:  # the screen's registry, the app's, then Textual's
            action = entry[1].action
            return 0 if action in own else 1 if entry[0] is app and action in apps else 2

        # in the registry's order, as the footer and the palette list them
        active = sorted(
            screen.active_bindings.values(),
            key=lambda e: (rank(e), own.get(e[1].action, 0)),
        )
        key_style = self.get_component_rich_style("bindings-table--key")
        text_style = self.get_component_rich_style("bindings-table--description")
        table = Table(padding=(0, 0), show_header=False, box=box.SIMPLE)
        table.add_column("", justify="right")
        for _rank, entries in groupby(active, key=rank):
            rows: dict[str, list[Binding]] = {}
            for entry in entries:
                binding = entry[1]
                if not binding.system:
                    row = "copy(n)" if _digit_copy(binding) else binding.action
                    rows.setdefault(row, []).append(binding)
            for action, found in rows.items():
                if action == "copy(n)":
                    digits = sorted(b.key for b in found)
                    keys, words = f"{digits[0]}-{digits[-1]}", _("Copy script")
                else:
                    keys = " ".join(dict.fromkeys(app.get_key_display(b) for b in found))
                    words = _(found[0].description)
                table.add_row(Text(keys, style=key_style), Text(words, style=text_style))
            table.add_section()
        return table


class Keys(KeyPanel):
    def compose(self) -> ComposeResult:
        yield KeysTable(shrink=True, expand=False)


class KeysHelp(HelpPanel):
    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield Keys(id="keys-help")
