"""ctrl+z: take back the last done, skip, snooze or form save made since the workbench
opened, one more with each press (services/reopen.py does the work and its rule: what
the finish set off goes too while nobody has worked it; worked follow-ups stay)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from salesbench.core.i18n import N_, _, listed
from salesbench.tui.record_writes import RecordWritingApp

if TYPE_CHECKING:
    from salesbench.core.clock import Clock
    from salesbench.services.reopen import SetOff, TakenBack
    from salesbench.services.session import Store

NOTHING = N_("Nothing to undo: no task finished, snoozed or saved since the workbench opened.")
# what ctrl+z says it took back ("Undone done" read as a stutter)
UNDONE = {
    "done": N_("No longer done: “{task}” is open again"),
    "skipped": N_("No longer skipped: “{task}” is open again"),
    "snoozed": N_("Snooze taken back: “{task}” is back in the queue"),
}


@dataclass(frozen=True)
class Undo:
    kind: str  # done, skipped, snoozed or saved
    task_id: str
    title: str
    set_off: SetOff
    opportunity_id: str | None = None  # a save: the deal, its fields before and after
    previous: dict[str, Any] = field(default_factory=dict)
    saved: dict[str, Any] = field(default_factory=dict)


def set_off_of(outcome: Any) -> SetOff:
    """What a finish or save set off, by id, from the Outcome it returned."""
    from salesbench.services.reopen import SetOff

    return SetOff(
        tuple(str(t.id) for t in outcome.created), tuple(str(t.id) for t in outcome.completed)
    )


class UndoingApp(RecordWritingApp):
    def __init__(
        self, store: Store | None = None, *, clock: Clock, db: str | None, rep: str | None
    ) -> None:
        super().__init__(store, clock=clock, db=db, rep=rep)
        self.undo_stack: list[Undo] = []
        self._said_nothing = False  # "nothing to undo" once, not once per press

    def remember(self, undo: Undo) -> None:
        self.undo_stack.append(undo)
        self._said_nothing = False

    def undo(self, *, then: Callable[[Undo], object]) -> None:
        """Take back the newest change on the stack; `then` gets it once it is undone."""
        if self.busy_quietly():
            return  # a repeat while the last change saves: dropped quietly
        if not self.undo_stack:
            if not self._said_nothing:
                self.notify(_(NOTHING))
            self._said_nothing = True
            return
        self._open_services()
        last = self.undo_stack.pop()
        if last.kind == "saved":
            self._undo_save(last, then)
            return
        from salesbench.services.reopen import reopen_task

        def undone(back: Any) -> None:
            self.notify(_(UNDONE[last.kind]).format(task=last.title))
            self._say_taken_back(back)
            then(last)

        self._call(
            lambda: reopen_task(self.store, last.task_id, clock=self.clock, set_off=last.set_off),
            undone,
        )

    def _undo_save(self, last: Undo, then: Callable[[Undo], object]) -> None:
        from salesbench.services.reopen import restore_fields

        assert last.opportunity_id is not None

        def undone(restored: Any) -> None:
            what = listed(restored.restored) or _("nothing")
            self.notify(
                _("Undone the save on “{task}”: {what} set back").format(task=last.title, what=what)
            )
            if restored.changed_since:
                self.notify(
                    _("Left as changed since: {fields}").format(
                        fields=listed(restored.changed_since)
                    ),
                    severity="warning",
                    timeout=8,
                )
            self._say_taken_back(restored.back)
            then(last)

        opp_id = last.opportunity_id
        self._call(
            lambda: restore_fields(
                self.store, opp_id, last.previous, last.saved, last.set_off, clock=self.clock
            ),
            undone,
        )

    def _say_taken_back(self, back: TakenBack) -> None:
        for task in back.reopened:
            self.notify(_("Open again: {task}").format(task=task.title))
        for title in back.withdrawn:
            self.notify(_("Withdrawn, not started yet: {task}").format(task=title))
        for task in back.kept:
            kept = _("Kept, already worked on: {task}").format(task=task.title)
            self.notify(kept, severity="warning", timeout=8)

    def reopen(self, task_id: str, title: str, *, then: Callable[[], object]) -> None:
        """Open a finished task again (`d` on it with finished tasks shown)."""
        self._open_services()
        from salesbench.services.reopen import reopen_task

        def reopened(back: Any) -> None:
            self.notify(_("Reopened: “{task}”").format(task=title))
            self._say_taken_back(back)
            then()

        self._call(lambda: reopen_task(self.store, task_id, clock=self.clock), reopened)
