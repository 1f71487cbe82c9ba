"""Focus run: one open task at a time; done, skip or snooze moves straight on."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from salesbench.core.i18n import _
from salesbench.tui.actions import FOCUS_ACTIONS, bindings
from salesbench.tui.base import SalesbenchScreen
from salesbench.tui.footer import FittingFooter
from salesbench.tui.task_panel import TaskPanel

if TYPE_CHECKING:
    from salesbench.services.taskview import TaskDetail
    from salesbench.tui.undo import Undo


class FocusScreen(SalesbenchScreen[str | None]):
    """Dismissed with the task it was on (None: the run is over), so the queue comes
    back to where the rep left off."""

    BINDINGS = bindings(FOCUS_ACTIONS)
    ACTIONS = FOCUS_ACTIONS

    def __init__(self, task_ids: list[str]) -> None:
        super().__init__()
        self.task_ids = task_ids
        self.position = 0
        self.tally = {"done": 0, "skipped": 0, "snoozed": 0}
        self.detail: TaskDetail | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="focus-progress")
        yield TaskPanel(id="focus-panel")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.show_current()

    def show_current(self) -> None:
        if self.position >= len(self.task_ids):
            self.finished()
            return
        title = _("Focus")
        progress = _(
            "task {n} of {total}  ·  done {done} · skipped {skipped} · snoozed {snoozed}"
        ).format(n=self.position + 1, total=len(self.task_ids), **self.tally)
        self.query_one("#focus-progress", Static).update(f"[b]{title}[/b]  {progress}")
        self.load(self.task_ids[self.position])

    @work(thread=True, exclusive=True)
    def load(self, task_id: str) -> None:
        detail = self.app.task_detail(task_id)
        self.app.call_from_thread(self._show_now, detail)

    def _show_now(self, detail: TaskDetail) -> Awaitable[None] | None:
        """Called from the worker thread, which waits until the panel shows `detail`."""
        if not detail.is_open:  # finished elsewhere meanwhile: move on
            self.advance(None)
            return None
        self.detail = detail
        return self.query_one(TaskPanel).show(detail)

    def finished(self) -> None:
        self.detail = None
        t = self.tally
        self.query_one("#focus-progress", Static).update(
            f"[b]All done for now.[/b]  {t['done']} done · {t['skipped']} skipped · "
            f"{t['snoozed']} snoozed.  Press Esc to return to the queue."
        )
        self.run_worker(self.query_one(TaskPanel).show(None))

    def advance(self, outcome: str | None) -> None:
        if outcome is not None:
            self.tally[outcome] += 1
        self.detail = None  # a key repeated before the next task shows acts on nothing
        self.position += 1
        self.show_current()

    def _ready(self) -> bool:
        """A task shown and no write in flight: otherwise the key is dropped quietly."""
        return self.detail is not None and not self.app.busy_quietly()

    def action_done(self) -> None:
        if self._ready():
            assert self.detail is not None
            self.app.finish(self.detail.task_id, "done", then=lambda: self.advance("done"))

    def action_skip(self) -> None:
        if self._ready():
            assert self.detail is not None
            self.app.finish(self.detail.task_id, "skipped", then=lambda: self.advance("skipped"))

    def action_snooze(self) -> None:
        if self._ready():
            assert self.detail is not None
            self.app.snooze(self.detail.task_id, then=lambda: self.advance("snoozed"))

    def action_undo(self) -> None:
        self.app.undo(then=self._undone)

    def _undone(self, undone: Undo) -> None:
        """Back to the task taken back, if the run passed it: it is to do again."""
        if undone.task_id not in self.task_ids:
            self.show_current()
            return
        at = self.task_ids.index(undone.task_id)
        if at < self.position:  # counted when the run moved past it
            kind = "done" if undone.kind == "saved" else undone.kind  # a save that finished it
            self.tally[kind] = max(0, self.tally[kind] - 1)
            self.position = at
        self.show_current()

    def action_copy(self, n: int) -> None:
        self.app.copy_script(self.detail, n)

    def action_pick_script(self) -> None:
        self.app.pick_script(self.detail)

    def action_leave(self) -> None:
        at = self.task_ids[self.position] if self.position < len(self.task_ids) else None
        self.dismiss(at)

    def on_task_panel_save(self, message: TaskPanel.Save) -> None:
        def after(done: bool) -> None:
            if done:
                self.advance("done")
            else:
                self.load(message.detail.task_id)

        self.app.save_form(
            message.detail,
            message.pairs,
            then=message.after_saving(after),
            report_done=True,
            refused=message.refused,
        )

    def on_task_panel_tick(self, message: TaskPanel.Tick) -> None:
        from salesbench.tui.ticks import tick_checklist

        def ticked(done: bool) -> None:
            # the box shows its tick already (the panel is not drawn again, so the
            # cursor stays on it); the last one finished the task: on, as after `d`
            if done:
                self.advance("done")

        tick_checklist(self.app, message, then=ticked)
