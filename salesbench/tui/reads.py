"""The workbench app's reading half: the database opened once, off the UI thread, and
the views the screens show. SalesbenchApp (tui/app.py) adds the writes on top."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual.app import App

from salesbench.core.clock import Clock
from salesbench.settings_env import from_environ

if TYPE_CHECKING:
    from salesbench.services.customers import CustomerView
    from salesbench.services.forecasting import Forecast
    from salesbench.services.opportunities import OpportunityView
    from salesbench.services.playbooks import Catalog
    from salesbench.services.queue import QueueView
    from salesbench.services.rankings import Leaderboard, Standing
    from salesbench.services.session import Store
    from salesbench.services.taskview import TaskDetail


class ReadingApp(App[None]):
    def __init__(
        self, store: Store | None = None, *, clock: Clock, db: str | None, rep: str | None
    ) -> None:
        """`store` when the caller has one open; else `db`, opened lazily: the first
        paint only needs the queue, which is read without SQLAlchemy."""
        super().__init__()
        self._store = store
        if store is not None:
            from salesbench.services.session import address

            db = address(store)
            store.tell_waits(self.waited)
        self._db = db
        from salesbench.services.queue import reader

        # the queue's reader opens no engine for a SQLite file at head
        self._reader = store if store is not None else reader(db)
        self._store_lock = threading.Lock()  # guards _open_services
        self._catalog: Catalog | None = None
        self.clock = clock
        self.rep = rep
        # resolved once, in the shell, like every setting
        settings = from_environ()
        self.timezone = settings.timezone
        self.currency = settings.currency  # the team's: of amounts typed without one

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
                self._store = open_store(self._db, on_wait=self.waited)
            self._catalog = load_catalog(self._store)

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

    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()

    def warm_up(self) -> None:
        """Open the database engine and the playbooks off the UI thread once the queue
        is on screen; earlier, the imports would compete with the first paint."""
        if self._catalog is None:
            self.run_worker(self._open_services, thread=True, group="warm-up", exclusive=True)

    # ------------------------------------------------------------ off the UI thread

    def load_queue(self, **kw: Any) -> QueueView:
        from salesbench.services.queue import load_queue

        kw.setdefault("currency", self.currency)  # the team's: deal sizes are scored in it
        return load_queue(self._reader, now=self.clock.now(), rep=self.rep, **kw)

    def load_leaderboard(self, **kw: Any) -> Leaderboard:
        from salesbench.services.rankings import load_leaderboard

        kw.setdefault("me", self.rep)
        kw.setdefault("timezone", self.timezone)
        kw.setdefault("currency", self.currency)
        return load_leaderboard(self._reader, now=self.clock.now(), **kw)

    def load_forecast(self, **kw: Any) -> Forecast:
        from salesbench.services.forecasting import load_forecast

        kw.setdefault("me", self.rep)
        kw.setdefault("timezone", self.timezone)
        kw.setdefault("currency", self.currency)
        return load_forecast(self._reader, now=self.clock.now(), **kw)

    def load_standing(self, rep: str) -> Standing:
        """The rep's place on this month's leaderboard and their forecast, for the
        end-of-day review."""
        from salesbench.services.rankings import load_standing

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

    def search_customers(self, text: str) -> list[tuple[Any, str]]:
        self._open_services()
        from salesbench.services.customers import search

        return search(self.store, text)

    def customer_view(self, customer_id: str) -> CustomerView:
        self._open_services()
        from salesbench.services.customers import customer_view

        return customer_view(self.store, customer_id)

    def playbook_keys(self) -> list[str]:
        """Read again, not from the cached catalog: a playbook may have been imported
        since the workbench opened."""
        from salesbench.services.playbooks import load_catalog

        return load_catalog(self.store).keys()
