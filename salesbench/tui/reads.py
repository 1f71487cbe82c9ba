"""The workbench app's reading half: the database opened once, off the UI thread, and
the views the screens show. SalesbenchApp (tui/app.py) adds the writes on top."""

from __future__ import annotations

import os
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App
from textual.worker import WorkerFailed

from salesbench.core.clock import Clock
from salesbench.core.errors import DatabaseReplaced, DatabaseUnusable, NotFound, SalesbenchError
from salesbench.core.render import inert
from salesbench.settings_env import from_environ
from salesbench.tui import memory

if TYPE_CHECKING:
    from salesbench.services.customers import CustomerView
    from salesbench.services.forecasting import Forecast
    from salesbench.services.opportunities import OpportunityView
    from salesbench.services.pipeline import PipelineView
    from salesbench.services.playbooks import Catalog
    from salesbench.services.queue import QueueView
    from salesbench.services.rankings import Leaderboard, Standing
    from salesbench.services.session import Store
    from salesbench.services.sop import Closing
    from salesbench.services.taskview import TaskDetail


def _file_key(path: Path | None) -> tuple[int, int] | None:
    """The file `path` names (device and inode), or None if there is none."""
    try:
        found = os.stat(path) if path is not None else None
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino) if found is not None else None


class ReadingApp(App[None]):
    REPEAT = 2.0  # seconds: the same toast again within them is already on screen
    _last_notice: tuple[Any, ...] = ()  # what notify showed last, and when

    def notify(self, message: str, *, severity: Any = "information", **kw: Any) -> None:
        """A toast, unless the very same one was shown a moment ago: a key pressed twice
        ("7" on a task with four scripts) stacked two identical toasts."""
        now = time.monotonic()
        said = (str(message), severity, kw.get("title", ""))
        if self._last_notice[:3] == said and now - self._last_notice[3] < self.REPEAT:
            return
        self._last_notice = (*said, now)
        super().notify(message, severity=severity, **kw)

    def __init__(
        self, store: Store | None = None, *, clock: Clock, db: str | None, rep: str | None
    ) -> None:
        """`store` when the caller has one open; else `db`, opened lazily: the first
        paint only needs the queue, which is read without SQLAlchemy."""
        memory.starting()  # until the warm-up is over (tui/memory.py)
        super().__init__()
        self._store = store
        if store is not None:
            from salesbench.services.session import address

            db = address(store)
            store.tell_waits(self.waited)
        self._db = db
        from salesbench.services.queue import FIRST_ENGINE, reader
        from salesbench.services.session import sqlite_path

        self._path = sqlite_path(db)
        self._file = _file_key(self._path)  # the file opened, before the store is

        # the queue's reader opens no engine for a SQLite file at head
        self._reader = store if store is not None else reader(db)
        self._store_lock = FIRST_ENGINE  # guards _open_services (store/raw.py)
        self._watch: Any = None  # the change mark's watch (services/live.py), made on use
        self._catalog: Catalog | None = None
        self.stopped_by: str | None = None  # why the workbench stopped (its database)
        self.clock = clock
        self.rep = rep
        # resolved once, in the shell, like every setting
        settings = from_environ()
        self.timezone = settings.timezone
        self.currency = settings.currency  # the team's: of amounts typed without one
        self.launcher = settings.launcher  # how the person started it: messages name it
        self.asking_rep = False  # the first-rep form or the rep picker is open (first_run)
        self.config_notice: str | None = None  # why the remembered choice was ignored
        from salesbench.settings_user import acting_rep

        # --rep and SALESBENCH_REP win over the rep chosen last time, as on the CLI
        who = acting_rep(rep, self.database_key)
        self.rep, self._rep_remembered, self.config_notice = who.ref, who.remembered, who.notice

    @property
    def database_key(self) -> str:
        """The database as the user's config remembers choices for it (no password)."""
        from salesbench.services.session import database_display

        return database_display(self._db)

    def _handle_exception(self, error: Exception) -> None:
        """Textual's one hook for an error nothing caught, on the UI thread or in a
        worker (readers and writers let DatabaseUnusable through to it): a database file
        removed, replaced or damaged under the workbench stops it, with its one line
        printed once the screen is closed and exit code 4, never a traceback and never
        a new file. Any other error is Textual's."""
        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, DatabaseUnusable):
            self.stop_unusable(cause)
            return
        super()._handle_exception(error)

    def stop_unusable(self, error: DatabaseUnusable) -> None:
        if self.stopped_by is not None:
            return  # told once: other workers may meet it too
        self.stopped_by = str(error)
        self.notify(self.stopped_by, severity="error", markup=False)
        line = Text(f"salesbench: error: {inert(self.stopped_by)}")
        self.exit(return_code=error.exit_code, message=line)

    def _open_services(self) -> None:
        """Import the service layer and open the database, once, in one thread at a time.

        Two worker threads importing SQLAlchemy at the same moment can see it half
        initialised ("cannot import name ... partially initialized module"), so every
        worker that needs the database comes through here first.
        """
        with self._store_lock:
            if self._catalog is not None:
                return
            import salesbench.services.activities
            import salesbench.services.complaints
            import salesbench.services.contacts
            import salesbench.services.customers
            import salesbench.services.opportunities
            import salesbench.services.sop
            import salesbench.services.taskview  # noqa: F401
            from salesbench.services.playbooks import load_catalog
            from salesbench.services.session import open_store

            if self._store is None:
                self._same_file()  # never open (and so create) a file moved in or gone
                self._store = open_store(self._db, on_wait=self.waited)
            self._catalog = load_catalog(self._store)

    def on_ui_thread(self) -> bool:
        """Called on the app's own thread (Textual's call_from_thread refuses that)."""
        return threading.get_ident() == self._thread_id

    def waited(self, message: str) -> None:
        """Told by the store when it waits for another process (WritingApp shows it)."""

    @property
    def store(self) -> Store:
        self._open_services()
        assert self._store is not None
        return self._store

    @property
    def catalog(self) -> Catalog:
        self._open_services()
        assert self._catalog is not None
        return self._catalog

    def on_unmount(self) -> None:
        """The app is closing: its watch's connection goes with it (no timer asks again)."""
        if self._watch is not None:
            self._watch.close()
        memory.stopped()

    def close_store(self) -> None:
        if self._watch is not None:
            self._watch.close()
        if self._store is not None:
            self._store.close()

    def warm_up(self) -> None:
        """Open the database engine and the playbooks off the UI thread once the queue
        is on screen; earlier, the imports would compete with the first paint."""
        if self._catalog is None:
            self.run_worker(self._warm_up, thread=True, group="warm-up", exclusive=True)
        else:
            memory.started()

    def _warm_up(self) -> None:
        try:
            self._open_services()
        finally:
            memory.started()

    # ------------------------------------------------------------ off the UI thread

    def _same_file(self) -> None:
        """The fast readers read the path afresh: once the store is open, check first
        that the path still names the file it opened (DatabaseReplaced if not), so a
        file moved in under the workbench is never shown as if it were its own."""
        if self._store is not None and self._catalog is not None:
            with self._store.read() as session:
                session.connection()  # beginning checks the file (store/engine.py)
        elif self._path is not None and _file_key(self._path) != self._file:
            # not open yet: the reader would open (and create) whatever the path names
            raise DatabaseReplaced.at(self._path)

    def data_mark(self, *, open_services: bool = False) -> Any:
        """A mark that moves when anyone commits a write (another process included):
        screens compare it, off the UI thread, to the one read with what they show.

        None before the services are open (unless `open_services`): opening them reads
        the file's header with a plain open() and close(), which would drop the locks
        SQLite holds for the watch's connection (POSIX locks belong to the process), and
        another process could then take the write-ahead log away under it."""
        from salesbench.services.live import change_watch

        if self._catalog is None:
            if not open_services:
                return None
            self._open_services()
        if self._watch is None:
            self._watch = change_watch(self._reader)
        return self._watch.mark()

    def load_queue(self, again: QueueView | None = None, **kw: Any) -> QueueView:
        """The rep's queue; with `again` (the view on screen), the same rows rebuilt as
        another view (`m`, `h`) when they are still today's, without reading again."""
        from salesbench.services.queue import load_queue

        if again is not None:
            view = again.rebuilt(
                now=self.clock.now(),
                mode=kw.get("mode"),
                include_done=kw.get("include_done", False),
            )
            if view is not None:
                return view
        self._same_file()
        kw.setdefault("currency", self.currency)  # the team's: deal sizes are scored in it
        # Before the services are open, a file gone makes the reader import SQLAlchemy:
        # never while warm-up imports it too (see _open_services).
        with self._store_lock if self._catalog is None else nullcontext():
            try:
                return load_queue(self._reader, now=self.clock.now(), rep=self.rep, **kw)
            except NotFound:
                if not self._rep_remembered:
                    raise
        # the rep chosen last time is no longer there (purged, another database file):
        # forget it, and ask again if there is more than one rep to choose from
        self._rep_remembered, self.rep = False, None
        return self.load_queue(**kw)

    def small_queue(self, limit: int) -> bool:
        """True when the rep's queue is read from a SQLite file by the fast reader and
        has at most `limit` open tasks: short enough to read before the first frame.
        A server, or any problem (no rep yet, several), goes the worker's way, which
        waits without freezing the screen and says what is wrong."""
        if self._path is None or self._store is not None:
            return False
        from salesbench.services.queue import open_task_count

        try:
            with self._store_lock:
                return open_task_count(self._reader, self.rep) <= limit
        except SalesbenchError:
            return False

    def load_pipeline(self) -> PipelineView:
        from salesbench.services.pipeline import load_pipeline

        self._same_file()
        with self._store_lock if self._catalog is None else nullcontext():  # as load_queue
            return load_pipeline(self._reader, now=self.clock.now(), rep=self.rep)

    def load_leaderboard(self, **kw: Any) -> Leaderboard:
        from salesbench.services.rankings import load_leaderboard

        self._same_file()
        kw.setdefault("me", self.rep)
        kw.setdefault("timezone", self.timezone)
        kw.setdefault("currency", self.currency)
        return load_leaderboard(self._reader, now=self.clock.now(), **kw)

    def load_forecast(self, **kw: Any) -> Forecast:
        from salesbench.services.forecasting import load_forecast

        self._same_file()
        kw.setdefault("me", self.rep)
        kw.setdefault("timezone", self.timezone)
        kw.setdefault("currency", self.currency)
        return load_forecast(self._reader, now=self.clock.now(), **kw)

    def load_standing(self, rep: str) -> Standing:
        """The rep's place on this month's leaderboard and their forecast, for the
        end-of-day review."""
        from salesbench.services.rankings import load_standing

        self._same_file()
        return load_standing(
            self._reader,
            now=self.clock.now(),
            rep=rep,
            timezone=self.timezone,
            currency=self.currency,
        )

    def task_detail(self, task_id: str) -> TaskDetail:
        self._open_services()
        from salesbench.services.taskview import task_detail

        return task_detail(self.store, task_id, clock=self.clock, catalog=self.catalog)

    def opportunity_view(self, opportunity_id: str) -> OpportunityView:
        self._open_services()
        from salesbench.services.opportunities import opportunity_view

        return opportunity_view(self.store, opportunity_id, clock=self.clock)

    def closing(self, opportunity_id: str, status: str) -> Closing:
        """What closing the deal as `status` would end and keep, to ask first."""
        self._open_services()
        from salesbench.services.sop import closing

        return closing(self.store, opportunity_id, status)

    def search_customers(self, text: str) -> list[tuple[Any, str]]:
        self._open_services()
        from salesbench.services.customers import search

        return search(self.store, text, clock=self.clock)

    def customer_view(self, customer_id: str) -> CustomerView:
        self._open_services()
        from salesbench.services.customers import customer_view

        return customer_view(self.store, customer_id)

    def playbook_keys(self) -> list[str]:
        """Read again, not from the cached catalog: a playbook may have been imported
        since the workbench opened."""
        from salesbench.services.playbooks import load_catalog

        return load_catalog(self.store).keys()
