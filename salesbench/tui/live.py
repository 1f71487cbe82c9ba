"""Writes from other processes (another workbench, an import, the CLI) shown without a
key: every few seconds a worker asks for the database's change mark (tui/reads.py
data_mark) and the screen rereads only when the mark moved since what it shows was
read. Never under the rep's hands: while a dialog or another screen is on top, or the
rep is in a form, the reread waits until they are back."""

from __future__ import annotations

from typing import Any

from textual import events

from salesbench.tui.base import SalesbenchScreen


class LiveScreen(SalesbenchScreen[None]):
    LIVE_EVERY = 2.0  # seconds between two looks at the change mark

    def __init__(self) -> None:
        super().__init__()
        self._shown_mark: Any = None  # the mark read before what is on screen
        self._live_due = False  # a change waits for the rep to leave a form or dialog
        self._elsewhere = False  # ... and one of the changes waiting was another's

    def live_reload(self, elsewhere: bool) -> None:
        """Read what the screen shows again (each screen's own reload); `elsewhere`:
        the change is not (only) this workbench's own write."""
        raise NotImplementedError

    def typing(self) -> bool:
        """The rep is in a form on this screen: rereading would disturb it."""
        return False

    def start_live(self) -> None:
        self.set_interval(self.LIVE_EVERY, self._look)

    def read_mark(self) -> None:
        """Called in the reload's worker before it reads: a write after this moment
        moves the mark again, so it is never missed."""
        self._shown_mark = self.app.data_mark()

    def _look(self) -> None:
        if self._live_due:
            self._when_free()
            return
        self.run_worker(self._ask, thread=True, exclusive=True, group="live")

    def _ask(self) -> None:
        mark = self.app.data_mark(open_services=True)
        # no mark read with what is shown (it was read before the database was open):
        # read it again once, now with one
        if mark is not None and mark != self._shown_mark:
            self.app.call_from_thread(self._changed, mark)

    def _changed(self, mark: Any) -> None:
        """On the UI thread, where a write's end is known: while one is in flight its
        mark may not be recorded yet, so this look counts for nothing (the next one
        sees the mark it left, and knows it for this workbench's own)."""
        if self.app.writing:
            return
        self._live_due = True
        self._elsewhere = self._elsewhere or mark != self.app.own_mark
        self._when_free()

    def _when_free(self) -> None:
        if not self._live_due or self.app.screen is not self or self.typing():
            return
        elsewhere, self._live_due, self._elsewhere = self._elsewhere, False, False
        self.live_reload(elsewhere)

    def on_screen_resume(self, _event: events.ScreenResume) -> None:
        self._when_free()

    def on_descendant_blur(self, _event: events.DescendantBlur) -> None:
        self.call_after_refresh(self._when_free)  # once the focus has landed elsewhere
