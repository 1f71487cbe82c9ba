"""Where the queue's highlight goes after an action: a finished task leaves at once
(the next key acts on the one that took its place), a pushed screen hands back the
task it was on, `d` on a finished task offers to reopen it, ctrl+z undoes, and a write
elsewhere that takes the task away from under the highlight says so."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from textual.widgets import OptionList
from textual.widgets.option_list import OptionDoesNotExist

from salesbench.core.errors import SalesbenchError
from salesbench.core.i18n import _
from salesbench.core.queue import Item
from salesbench.tui.live import LiveScreen
from salesbench.tui.queue_lines import next_in_place

if TYPE_CHECKING:
    from salesbench.services.queue import QueueView


class PlaceKeeping(LiveScreen):
    """The queue screen's place-keeping (tui/queue_screen.py holds the list itself)."""

    order: list[str]  # open task ids in display order
    items: dict[str, Item]
    selected: str | None
    reopen_asked: str | None  # the finished task `d` was pressed on once
    view: QueueView | None
    live_look = False  # the list being read comes from a write elsewhere (tui/live.py)
    _filled_view: QueueView | None = None  # the view the list was last filled from

    def reload(self) -> None:
        raise NotImplementedError

    def live_reload(self, elsewhere: bool) -> None:
        """A write since the list was read: read again, the place kept as after an
        action; a task gone is told only when the write was another process's."""
        self.live_look = elsewhere
        self.reload()

    def say_gone_elsewhere(self, was: dict[str, Item], shown: bool) -> None:
        """Once the list is filled again: if a write elsewhere took away the task the
        highlight was on, it moved on; say which task went, and why, never silently.
        (A task the rep finished here has left `was` already, see _left.)"""
        if self.view is self._filled_view:
            return  # the same list filled again (the filter): nothing was read
        self._filled_view = self.view
        looked, self.live_look = self.live_look, False
        item = was.get(self.selected or "")
        if looked and not shown and item is not None:
            self.run_worker(lambda: self._why_gone(item), thread=True, group="gone")

    def _why_gone(self, item: Item) -> None:
        try:
            status: str | None = self.app.task_detail(item.id).status
        except SalesbenchError:  # removed, or no longer the rep's to see
            status = None
        self.app.call_from_thread(self.notify, gone_words(item.title, status), markup=False)

    def _offer_reopen(self, item: Item, status: str) -> None:
        """`d` (or `x`) on a finished task: the same key again reopens it."""
        if self.reopen_asked == item.id:
            self.reopen_asked = None
            self.app.reopen(item.id, item.title, then=lambda: self.place(item.id))
            return
        self.reopen_asked = item.id
        key = "d" if status == "done" else "x"
        words = (
            _("“{title}” is done already: press {key} again to reopen it")
            if status == "done"
            else _("“{title}” is skipped already: press {key} again to reopen it")
        )
        self.notify(words.format(title=item.title, key=key))

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


GONE = {
    "snoozed": "was snoozed elsewhere",
    "done": "was marked done elsewhere",
    "skipped": "was skipped elsewhere",
}


def gone_words(title: str, status: str | None) -> str:
    """Why a task left the list, as the rep would say it (the title in the task's own
    language, the playbook's)."""
    if status is None:
        return f"“{title}” was removed elsewhere"
    return f"“{title}” " + GONE.get(status, "was changed elsewhere and left the list")
