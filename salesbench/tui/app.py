"""The salesbench workbench app: screens on top of the same services as the CLI.

Screens reach the services only through this façade (see tui/base.py); the reads live
in tui/reads.py, the writes here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import Screen

from salesbench.core.clock import Clock
from salesbench.io import clipboard
from salesbench.tui.actions import APP_ACTIONS, bindings
from salesbench.tui.base import INERT_FILTER
from salesbench.tui.opportunity_screen import ready_words
from salesbench.tui.record_writes import RecordWritingApp

if TYPE_CHECKING:
    from salesbench.services.session import Store
    from salesbench.services.taskview import TaskDetail

AUTO = object()


class SalesbenchApp(RecordWritingApp):
    CSS_PATH = "app.tcss"
    TITLE = "salesbench"
    BINDINGS = bindings(APP_ACTIONS)

    def __init__(
        self,
        store: Store | None = None,
        *,
        clock: Clock,
        db: str | None = None,
        rep: str | None = None,
        clipboard_tool: Any = AUTO,
    ) -> None:
        super().__init__(store, clock=clock, db=db, rep=rep)
        self.clipboard_tool = clipboard.local_tool() if clipboard_tool is AUTO else clipboard_tool

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then one that keeps stored control characters off the
        terminal (tui/base.InertFilter)."""
        return [*super().get_line_filters(), INERT_FILTER]

    def on_mount(self) -> None:
        from salesbench.tui.queue_screen import QueueScreen

        self.push_screen(QueueScreen())

    # ------------------------------------------------------------ the palette

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for action in getattr(screen, "ACTIONS", ()):
            key = self.get_key_display(Binding(action.keys.split(",")[0], action.action))
            yield SystemCommand(  # the key beside it: next time, no palette needed
                action.title,
                f"{action.help} (key: {key})",
                partial(self.run_action, action.action, screen),
            )

    def action_help(self) -> None:
        self.action_show_help_panel()

    def finish(self, task_id: str, status: str, *, then: Callable[[], object]) -> None:
        self._open_services()

        def done(result: Any) -> None:
            task, outcome = result
            self.notify(f"{'Done' if status == 'done' else 'Skipped'}: {task.title}")
            for created in outcome.created:
                self.notify(f"Next: {created.title}")
            if outcome.ready:
                self.notify(ready_words(outcome) or outcome.ready, timeout=8)
            then()

        from salesbench.tui.done_anyway import ask_done_anyway, finish_or_open

        def attempt(reason: str | None = None) -> None:
            self._call(
                lambda: finish_or_open(self.store, task_id, status, self.clock, reason), result
            )

        def result(value: Any) -> None:
            from salesbench.core.criteria import CriteriaOpen

            if isinstance(value, CriteriaOpen):
                ask_done_anyway(self, value, attempt)
            else:
                done(value)

        attempt()

    def snooze(self, task_id: str, *, then: Callable[[], object]) -> None:
        if self.write_busy():
            return
        self._open_services()
        from salesbench.services.tasks import snooze_task
        from salesbench.tui.modals import SnoozeModal

        def chosen(spec: str | None) -> None:
            if spec is None:
                return

            def snoozed(task: Any) -> None:
                self.notify(f"Snoozed: {task.title}")
                then()

            self._call(lambda: snooze_task(self.store, task_id, spec, clock=self.clock), snoozed)

        self.push_screen(SnoozeModal(), callback=chosen)

    def log_contact(self, item: Any, *, then: Callable[[], object]) -> None:
        if self.write_busy():
            return
        self._open_services()
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
        then: Callable[..., object],
        report_done: bool = False,
    ) -> None:
        self._open_services()
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
                self.notify(ready_words(outcome) or outcome.ready, timeout=8)
            then(detail.task_id in completed) if report_done else then()

        opp_id = detail.opportunity_id
        self._call(
            lambda: set_fields(self.store, opp_id, pairs, clock=self.clock, currency=self.currency),
            saved,
        )

    def pick_script(self, detail: TaskDetail | None) -> None:
        """Choose any of the task's scripts, however many (keys 1-9 reach nine)."""
        if detail is None or not detail.scripts:
            self.notify("This task has no scripts.", severity="warning")
            return
        from salesbench.tui.modals import ScriptPickerModal

        titles = [r.script.title + ("" if r.sendable else " (not ready)") for r in detail.scripts]
        self.push_screen(
            ScriptPickerModal(titles), lambda n: None if n is None else self.copy_script(detail, n)
        )

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
        if not chosen.sendable:
            missing = f", not ready to send: missing {', '.join(chosen.not_ready)}"
        self.notify(f"Copied “{chosen.script.title}”{missing}")


def run_tui(db: str | None, *, clock: Clock, rep: str | None = None) -> None:
    from salesbench.services.session import prepare

    app = SalesbenchApp(clock=clock, db=prepare(db), rep=rep)  # created or upgraded first
    try:
        app.run()
    finally:
        app.close_store()
    if app.return_code:
        raise SystemExit(app.return_code)  # its line was printed as the screen closed
