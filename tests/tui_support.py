"""Helpers shared by the workbench's Pilot tests."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot[Any]) -> None:
    """Until the screen is still: the panel follows the cursor after a short rest."""
    for _ in range(3):
        await pilot.pause(0.15)
        # an exclusive worker displaced by a newer one reports itself cancelled
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@dataclass(frozen=True)
class Notice:
    message: str
    severity: str


def record_notices(app: App[Any]) -> list[Notice]:
    """Every toast the app is asked to show, in order, seen through its public `notify`
    (screens and widgets reach the same method through `self.app`)."""
    seen: list[Notice] = []
    original = app.notify

    def notify(message: str, **kw: Any) -> None:
        seen.append(Notice(str(message), kw.get("severity", "information")))
        original(message, **kw)

    app.notify = notify  # type: ignore[method-assign]
    return seen
