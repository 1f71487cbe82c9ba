"""How the customer center's keys move between its search box, its results and the
selected customer's deals, and back out (tui/customer_screen.py holds the rest)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, OptionList

from salesbench.tui.base import SalesbenchScreen, start_typing


class CustomerKeys(SalesbenchScreen[None]):
    selected: str | None  # the highlighted customer's id
    came_for: str | None  # the customer the screen was opened on, if any

    def on_key(self, event: Any) -> None:
        search = self.query_one("#search", Input)
        results = self.query_one("#results", OptionList)
        if event.key == "down" and search.has_focus:
            results.focus()  # from typing to choosing
            event.stop()
        elif event.key == "up" and results.has_focus and not results.highlighted:
            search.focus()  # up past the first result: typing again, as down came in
            event.stop()

    def action_search(self) -> None:
        """`/` from anywhere on the screen, e.g. back from a deal: type a new search."""
        start_typing(self.query_one("#search", Input))

    def action_leave(self) -> None:
        # come for one customer (the queue's `o` on a task of no deal): straight back
        came_for = self.came_for is not None and self.selected == self.came_for
        if self.query_one("#customer-deals", OptionList).has_focus and not came_for:
            self.query_one("#results", OptionList).focus()  # back to choosing a customer
            return
        self.dismiss(None)
