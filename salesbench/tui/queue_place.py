"""Where the queue's highlight goes after an action: a finished task leaves at once
(the next key acts on the one that took its place), a pushed screen hands back the
task it was on, `d` on a finished task offers to reopen it, ctrl+z undoes."""

from __future__ import annotations

from contextlib import suppress

from textual.widgets import OptionList
from textual.widgets.option_list import OptionDoesNotExist

from salesbench.core.queue import Item
from salesbench.tui.live import LiveScreen
from salesbench.tui.queue_lines import next_in_place


class PlaceKeeping(LiveScreen):
    """The queue screen's place-keeping (tui/queue_screen.py holds the list itself)."""

    order: list[str]  # open task ids in display order
    items: dict[str, Item]
    selected: str | None
    reopen_asked: str | None  # the finished task `d` was pressed on once

    def reload(self) -> None:
        raise NotImplementedError

    def _offer_reopen(self, item: Item, status: str) -> None:
        """`d` (or `x`) on a finished task: the same key again reopens it."""
        if self.reopen_asked == item.id:
            self.reopen_asked = None
            self.app.reopen(item.id, item.title, then=lambda: self.place(item.id))
            return
        self.reopen_asked = item.id
        key = "d" if status == "done" else "x"
        self.notify(f"“{item.title}” is {item.status} already: press {key} again to reopen it")

    def action_undo(self) -> None:
        self.app.undo(then=lambda undone: self.place(undone.task_id))

    def _left(self, task_id: str) -> None:
        """The task just finished leaves the list at once, before the queue is read
        again: a key pressed meanwhile acts on the task that took its place, never on
        the finished one a second time."""
        if task_id not in self.order:
            return
        successor = next_in_place(self.order, task_id, [i for i in self.order if i != task_id])
        self.order.remove(task_id)
        self.items.pop(task_id, None)
        if self.selected != task_id or successor is None:
            return
        self.selected = successor
        option_list = self.query_one("#queue", OptionList)
        with suppress(OptionDoesNotExist):  # not painted yet: the reload places it
            option_list.highlighted = option_list.get_option_index(successor)

    def place(self, task_id: str | None) -> None:
        """Come back to `task_id` (where a pushed screen left off) once the queue is
        read again; a task no longer open gives way to the one that took its place."""
        if task_id is not None:
            self.selected = task_id
        self.reload()
