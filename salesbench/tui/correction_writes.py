"""The workbench's corrections: a rep's own task, a logged contact edited or deleted.
Each runs one service call in a worker (tui/writes.py); a refused value comes back
as one toast naming the field by its label."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from salesbench.core import labels
from salesbench.core.errors import BadInput, DatabaseUnusable, SalesbenchError
from salesbench.core.i18n import N_, _, listed
from salesbench.tui.record_writes import RecordWritingApp

# the fields of a task or a contact as the dialogs label them (in English: shown translated)
LABELS = {
    "title": N_("Title"),
    "due": N_("Due"),
    "deal": N_("Deal"),
    "customer": N_("Customer"),
    "channel": N_("Channel"),
    "started_at": N_("Start time"),
    "ended_at": N_("End time"),
    "summary": N_("What happened"),
    "needs": N_("Needs"),
    "objections": N_("Objections"),
    "commitments": N_("Customer commitments"),
    "next_step_content": N_("Next step"),
    "next_step_date": N_("Next step date"),
    "next_step_owner": N_("Next step owner"),
    "help_needed": N_("Help needed from other teams"),
}


def _label(key: str) -> str:
    return _(LABELS[key]) if key in LABELS else key


def in_words(exc: SalesbenchError) -> str:
    if isinstance(exc, BadInput) and exc.field:
        return f"{_label(exc.field)}: {exc.message}"
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
            made = _("New task for {subject}: {title}")
            self.notify(made.format(subject=subject, title=task.title))
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
            changed = listed(_label(k) for k in fixed.changed)
            self.notify(
                _("Contact corrected: {fields}").format(fields=changed)
                if changed
                else _("Nothing changed")
            )
            for note in fixed.notes if fixed.changed else ():
                self.notify(note[:1].upper() + note[1:], timeout=8)
            then()

        self._correct(lambda: edit_activity(self.store, activity_id, raw, clock=self.clock), edited)

    def delete_activity(self, activity_id: str, *, then: Callable[[], object]) -> None:
        if self.write_busy():
            return
        from salesbench.services.activity_edits import delete_activity

        def deleted(fixed: Any) -> None:
            self.notify(
                _("Contact deleted ({channel}); the timeline keeps it").format(
                    channel=labels.channel(fixed.activity.channel)
                )
            )
            for note in fixed.notes:
                self.notify(note[:1].upper() + note[1:], timeout=8)
            then()

        self._correct(lambda: delete_activity(self.store, activity_id, clock=self.clock), deleted)
