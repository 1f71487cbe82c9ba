"""How the workbench writes: one change at a time, in a worker thread, saying what it
waits for.

A write may wait up to the store's busy timeout for another process's (a long import's
final transaction). It waits in a worker thread, so keys and painting go on; after a
moment a notice says what it waits for, and goes when the write ends with its normal
result ("Done: …" or the refusal). A key pressed again meanwhile never writes twice:
the queue and focus run drop it (saying once that the change is still being saved when
the write waits), other writes are told so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from salesbench.core.errors import DatabaseUnusable, SalesbenchError
from salesbench.tui.reads import ReadingApp

if TYPE_CHECKING:
    from salesbench.core.clock import Clock
    from salesbench.services.session import Store

STILL_SAVING = "Still saving the previous change: wait for it to finish"
WAIT_NOTICE_S = 3600.0  # shown until the write ends, however long it waits


class WritingApp(ReadingApp):
    def __init__(
        self, store: Store | None = None, *, clock: Clock, db: str | None, rep: str | None
    ) -> None:
        super().__init__(store, clock=clock, db=db, rep=rep)
        self._writing = False  # a write is in flight (read and set on the UI thread only)
        self._waiting_notice: str | None = None
        self._told_still_saving = False  # said once per write (busy_quietly)
        # the change mark just after this workbench's last write: a screen that sees the
        # mark move to it rereads without taking the change for another process's
        self.own_mark: Any = None

    # ------------------------------------------------------------ what a write waits for

    def waited(self, message: str) -> None:
        """The store's `on_wait`: called from the thread that waits (a worker's write, or
        the UI thread opening the database)."""
        if self.on_ui_thread():
            self._show_waiting(message)
        else:
            self.call_from_thread(self._show_waiting, message)

    def _show_waiting(self, message: str) -> None:
        self._clear_waiting()
        text = message[0].upper() + message[1:]
        self._waiting_notice = text
        self.notify(text, severity="warning", timeout=WAIT_NOTICE_S, markup=False)

    def _clear_waiting(self) -> None:
        text, self._waiting_notice = self._waiting_notice, None
        if text is None:
            return
        # Textual (pinned 8.2) hands out no handle for a toast: find it by its text
        for notification in list(self._notifications):
            if notification.message == text:
                self._unnotify(notification)

    # ------------------------------------------------------------ one write at a time

    @property
    def writing(self) -> bool:
        """A write is in flight (its change mark is recorded before it ends)."""
        return self._writing

    def busy_quietly(self) -> bool:
        """True while a write is in flight: a key repeated meanwhile is dropped. While
        the write is quick it is dropped without a word (`x` pressed five times fast is
        one skip, not four warnings); once the write waits for another process and the
        rep was told so, the first repeat hears that it is still saving."""
        if not self._writing:
            return False
        if self._waiting_notice is not None and not self._told_still_saving:
            self._told_still_saving = True
            self.notify(STILL_SAVING, severity="warning")
        return True

    def write_busy(self) -> bool:
        """True (and the person told so) while a write is still in flight."""
        if self._writing:
            self.notify(STILL_SAVING, severity="warning")
        return self._writing

    def write_worker(self, run: Callable[[], object]) -> None:
        """Run `run` (a write, reporting its own result through call_from_thread) in a
        worker thread, unless a write is in flight already."""
        if self.write_busy():
            return
        self._writing = True

        def work() -> None:
            try:
                run()
                self.own_mark = self.data_mark(open_services=True)
            finally:
                self.call_from_thread(self._write_ended)

        self.run_worker(work, thread=True, group="write")

    def _write_ended(self) -> None:
        self._writing = False
        self._told_still_saving = False
        self._clear_waiting()

    def _call(
        self,
        job: Callable[[], Any],
        then: Callable[[Any], object] | None = None,
        refused: Callable[[SalesbenchError], object] | None = None,
    ) -> None:
        """Run a service call as the one write in flight; errors go to `refused` (the
        dialog that asked, to show in place) or become toasts, never crashes."""

        def run() -> None:
            try:
                self._open_services()
                result = job()
            except DatabaseUnusable:
                raise  # the app stops (tui/reads.py _handle_exception)
            except SalesbenchError as exc:
                if refused is not None:
                    self.call_from_thread(refused, exc)
                else:
                    self.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
                return
            if then is not None:
                self.call_from_thread(then, result)

        self.write_worker(run)
