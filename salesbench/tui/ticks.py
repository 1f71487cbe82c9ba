"""A checklist tick from the task panel, the one way for every screen that shows it
(the queue and the focus run): saved, what it finished said, and the screen told
whether the task is done so it moves on as after `d`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from salesbench.core.i18n import _

if TYPE_CHECKING:
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.task_panel import TaskPanel


def tick_checklist(
    app: SalesbenchApp, message: TaskPanel.Tick, *, then: Callable[[bool], object]
) -> None:
    """Tick (or untick) the item; `then(done)` once saved, `done` when the tick
    finished the task itself."""
    from salesbench.services.checklist import tick

    task_id = message.detail.task_id

    def ticked(result: Any) -> None:
        _task, outcome = result
        for task in outcome.completed:
            app.notify(_("Done by itself: {task}").format(task=task.title))
        for note in outcome.notes:  # e.g. a standard the deal's mode enforces
            app.notify(note, severity="warning", timeout=8)
        if outcome.ready:  # the stage is complete: where to go, in workbench keys
            from salesbench.tui.opportunity_screen import ready_words

            app.notify(ready_words(outcome) or outcome.ready, timeout=8)
        then(any(str(t.id) == task_id for t in outcome.completed))

    app._call(lambda: tick(app.store, task_id, message.number, clock=app.clock), ticked)
