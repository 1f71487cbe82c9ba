"""The workbench's corrections: a rep's own task, a logged contact edited or deleted.
Each runs one service call in a worker (tui/writes.py); a refused value comes back
as one toast naming the field by its label."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from salesbench.core.errors import BadInput, DatabaseUnusable, SalesbenchError
from salesbench.tui.record_writes import RecordWritingApp

# the fields of a task or a contact as the dialogs label them
LABELS = {
    "title": "Title",
    "due": "Due",
    "deal": "Deal",
    "customer": "Customer",
    "channel": "Channel",
    "started_at": "Start time",
    "ended_at": "End time",
    "summary": "What happened",
    "needs": "Needs",
    "objections": "Objections",
    "commitments": "Customer commitments",
    "next_step_content": "Next step",
    "next_step_date": "Next step date",
    "next_step_owner": "Next step owner",
    "help_needed": "Help needed from other teams",
}


def in_words(exc: SalesbenchError) -> str:
    if isinstance(exc, BadInput) and exc.field:
        return f"{LABELS.get(exc.field, exc.field)}: {exc.message}"
    return str(exc)


class CorrectionWritingApp(RecordWritingApp):
    def _correct(self, job: Callable[[], Any], done: Callable[[Any], object]) -> None:
        def run() -> None:
            try:
                self._open_services()
                result = job()
            except DatabaseUnusable:
                raise  # the app stops (tui/reads.py _handle_exception)
            except SalesbenchError as exc:
                self.call_from_thread(self.notify, in_words(exc), severity="error", timeout=8)
                return
            self.call_from_thread(done, result)

        self.write_worker(run)

    def add_own_task(
        self,
        title: str,
        due: str,
        *,
        opportunity_id: str | None,
        customer_id: str | None,
        then: Callable[[], object],
        refused: Callable[[SalesbenchError], object] | None = None,
    ) -> None:
        if self.write_busy():
            return
        self._open_services()
        from salesbench.services.own_tasks import add_own_task

        def added(result: Any) -> None:
            task, subject = result
            self.notify(f"New task for {subject}: {task.title}")
            then()

        self._call(
            lambda: add_own_task(
                self.store,
                title,
                due,
                clock=self.clock,
                opportunity_ref=opportunity_id,
                customer_ref=customer_id,
            ),
            added,
            refused,
        )

    def edit_activity(
        self, activity_id: str, raw: dict[str, str | None], *, then: Callable[[], object]
    ) -> None:
        if self.write_busy():
            return
        from salesbench.services.activity_edits import edit_activity

        def edited(fixed: Any) -> None:
            changed = ", ".join(LABELS.get(k, k) for k in fixed.changed)
            self.notify(f"Contact corrected: {changed}" if changed else "Nothing changed")
            for note in fixed.notes if fixed.changed else ():
                self.notify(note[:1].upper() + note[1:], timeout=8)
            then()

        self._correct(lambda: edit_activity(self.store, activity_id, raw, clock=self.clock), edited)

    def delete_activity(self, activity_id: str, *, then: Callable[[], object]) -> None:
        if self.write_busy():
            return
        from salesbench.services.activity_edits import delete_activity

        def deleted(fixed: Any) -> None:
            self.notify(f"Contact deleted ({fixed.activity.channel}); the timeline keeps it")
            for note in fixed.notes:
                self.notify(note[:1].upper() + note[1:], timeout=8)
            then()

        self._correct(lambda: delete_activity(self.store, activity_id, clock=self.clock), deleted)
