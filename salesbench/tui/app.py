"""The salesbench workbench app: screens on top of the same services as the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from salesbench.core.clock import Clock
from salesbench.core.errors import SalesbenchError
from salesbench.services.queue import QueueView, load_queue
from salesbench.services.taskview import TaskDetail, task_detail
from salesbench.store.engine import Store
from salesbench.tui import clipboard
from salesbench.tui.actions import APP_ACTIONS, FOCUS_ACTIONS, QUEUE_ACTIONS, bindings

AUTO = object()


class SalesbenchApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "salesbench"
    BINDINGS = bindings(APP_ACTIONS)

    def __init__(
        self, store: Store, *, clock: Clock, rep: str | None = None, clipboard_tool: Any = AUTO
    ) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.rep = rep
        self.clipboard_tool = clipboard.local_tool() if clipboard_tool is AUTO else clipboard_tool

    def on_mount(self) -> None:
        from salesbench.tui.queue_screen import QueueScreen

        self.push_screen(QueueScreen())

    # ------------------------------------------------------------ the palette

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from salesbench.tui.focus import FocusScreen
        from salesbench.tui.queue_screen import QueueScreen

        actions = (
            QUEUE_ACTIONS
            if isinstance(screen, QueueScreen)
            else (FOCUS_ACTIONS if isinstance(screen, FocusScreen) else ())
        )
        for action in actions:
            yield SystemCommand(
                action.title, action.help, partial(self.run_action, action.action, screen)
            )

    def action_help(self) -> None:
        self.action_show_help_panel()

    # ------------------------------------------------------------ services, off the UI thread

    def load_queue(self, **kw: Any) -> QueueView:
        return load_queue(
            str(
                self.store.location.url
                if self.store.location.path is None
                else self.store.location.path
            ),
            now=self.clock.now(),
            rep=self.rep,
            **kw,
        )

    def task_detail(self, task_id: str) -> TaskDetail:
        return task_detail(self.store, task_id, clock=self.clock)

    def _call(self, job: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None:
        """Run a service call in a worker thread; errors become toasts, never crashes."""

        def run() -> None:
            try:
                result = job()
            except SalesbenchError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
                return
            if then is not None:
                self.call_from_thread(then, result)

        self.run_worker(run, thread=True, group="write")

    def finish(self, task_id: str, status: str, *, then: Callable[[], None]) -> None:
        from salesbench.services.sop import finish_task

        def done(result: Any) -> None:
            task, outcome = result
            self.notify(f"{'Done' if status == 'done' else 'Skipped'}: {task.title}")
            for created in outcome.created:
                self.notify(f"Next: {created.title}")
            if outcome.ready:
                self.notify(outcome.ready, timeout=8)
            then()

        self._call(lambda: finish_task(self.store, task_id, status, clock=self.clock), done)

    def snooze(self, task_id: str, *, then: Callable[[], None]) -> None:
        from salesbench.services.sop import snooze_task
        from salesbench.tui.modals import SnoozeModal

        def chosen(spec: str | None) -> None:
            if spec is None:
                return

            def snoozed(task: Any) -> None:
                self.notify(f"Snoozed: {task.title}")
                then()

            self._call(lambda: snooze_task(self.store, task_id, spec, clock=self.clock), snoozed)

        self.push_screen(SnoozeModal(), callback=chosen)

    def log_contact(self, item: Any, *, then: Callable[[], None]) -> None:
        from salesbench.services.activities import log_activity
        from salesbench.tui.modals import LogModal

        subject = item.customer.name + (f" / {item.opportunity.title}" if item.opportunity else "")

        def save(raw: dict[str, Any] | None) -> None:
            if raw is None:
                return

            def logged(result: Any) -> None:
                activity, outcome = result
                self.notify(f"Logged {activity.channel} with {item.customer.name}")
                for created in outcome.created:
                    self.notify(f"New task: {created.title}")
                then()

            self._call(
                lambda: log_activity(
                    self.store,
                    raw,
                    clock=self.clock,
                    customer_ref=item.customer.id,
                    opportunity_ref=item.opportunity.id if item.opportunity else None,
                ),
                logged,
            )

        self.push_screen(LogModal(subject), callback=save)

    def save_form(
        self,
        detail: TaskDetail,
        pairs: list[str],
        *,
        then: Callable[..., None],
        report_done: bool = False,
    ) -> None:
        from salesbench.services.sop import set_fields

        if detail.opportunity_id is None:
            self.notify("This task has no opportunity to fill in.", severity="warning")
            return

        def saved(result: Any) -> None:
            _opp, outcome = result
            completed = {str(t.id) for t in outcome.completed}
            for task in outcome.completed:
                self.notify(f"Done by itself: {task.title}")
            if detail.task_id not in completed:
                self.notify("Saved")
            if outcome.ready:
                self.notify(outcome.ready, timeout=8)
            then(detail.task_id in completed) if report_done else then()

        opp_id = detail.opportunity_id
        self._call(lambda: set_fields(self.store, opp_id, pairs, clock=self.clock), saved)

    def copy_script(self, detail: TaskDetail | None, n: int) -> None:
        if detail is None or not detail.scripts:
            self.notify("This task has no scripts.", severity="warning")
            return
        if n > len(detail.scripts):
            self.notify(f"There are only {len(detail.scripts)} scripts here.", severity="warning")
            return
        chosen = detail.scripts[n - 1]
        self.copy_to_clipboard(chosen.rendered.text)
        tool = self.clipboard_tool
        if tool:
            self.run_worker(
                partial(clipboard.copy_local, chosen.rendered.text, tool),
                thread=True,
                group="clipboard",
            )
        missing = (
            f" (not filled: {', '.join(chosen.rendered.missing)})"
            if chosen.rendered.missing
            else ""
        )
        self.notify(f"Copied “{chosen.script.title}”{missing}")


def run_tui(db: str | None, *, clock: Clock, rep: str | None = None) -> None:
    from salesbench.store.open import open_store

    store = open_store(db)
    try:
        SalesbenchApp(store, clock=clock, rep=rep).run()
    finally:
        store.close()
