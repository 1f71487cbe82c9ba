"""`f` pressed before the task panel has caught up with the cursor (`j` then `f` at
once): the form of the task under the cursor opens as soon as the panel shows it,
never the form of the task just left, whose remount would then take the focus away
and send what the rep types next to the queue's one-key actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salesbench.core.i18n import N_, _

if TYPE_CHECKING:
    from salesbench.services.taskview import TaskDetail
    from salesbench.tui.queue_screen import QueueScreen
    from salesbench.tui.task_panel import TaskPanel

NOTHING_TO_FILL = N_("This task has nothing to fill in.")


def fill(screen: QueueScreen, panel: TaskPanel) -> None:
    wanted = screen.selected
    if wanted is None or wanted in screen.deals:
        screen.notify(_(NOTHING_TO_FILL))
        return
    if panel.detail is not None and panel.detail.task_id == wanted:
        if not panel.focus_form():
            screen.notify(_(NOTHING_TO_FILL))
        return
    screen.fill_asked = wanted  # once shown (show_then_fill); read it now, not after a rest
    timer: Any = screen.detail_timer
    if timer is not None:
        timer.stop()
    screen.load_detail(wanted)


async def show_then_fill(screen: QueueScreen, panel: TaskPanel, detail: TaskDetail) -> None:
    await panel.show(detail)
    if screen.fill_asked == detail.task_id:
        screen.fill_asked = None
        if not panel.focus_form():
            screen.notify(_(NOTHING_TO_FILL))
