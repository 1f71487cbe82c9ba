"""A small world for engine tests: one rep in Shanghai, a fixed clock, helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from salesbench.core.clock import FixedClock
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.queue import QueueView, load_queue
from salesbench.services.reps import add_rep
from salesbench.store.engine import Store

SHANGHAI = ZoneInfo("Asia/Shanghai")


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


class World:
    def __init__(self, store: Store, db_path: Path, start: datetime) -> None:
        self.store, self.db, self.clock = store, str(db_path), FixedClock(start)
        self.rep = add_rep(
            store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=self.clock
        )

    def at(self, when: datetime) -> World:
        self.clock.at = when
        return self

    def customer(self, name: str, **raw: str):
        return add_customer(self.store, {"name": name, **raw}, clock=self.clock)

    def opp(self, customer: str, title: str, playbook: str, stage: str | None = None):
        raw = {"title": title, "playbook_key": playbook, "stage_key": stage}
        return add_opportunity(self.store, customer, raw, clock=self.clock)

    def queue(self, **kw) -> QueueView:
        return load_queue(self.store, now=self.clock.now(), **kw)

    def where(self, origin: str) -> str | None:
        """Which queue section shows the (first) item with this origin, if any."""
        view = self.queue()
        for section in view.queue.sections:
            for group in section.groups:
                for scored in group.items:
                    if scored.item.origin == origin:
                        return section.key
        return None

    def due_of(self, origin: str) -> datetime | None:
        for item in self.queue().items:
            if item.origin == origin:
                return item.due_at
        return None
