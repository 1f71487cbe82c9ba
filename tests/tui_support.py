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


async def settle_until(pilot: Pilot[Any], ok: Any, seconds: float = 10.0) -> bool:
    """Settle, then keep pausing until `ok()` holds (a loaded machine can need more
    than one settle for a reload and a screen's lazy import); its last answer."""
    await settle(pilot)
    for _ in range(int(seconds / 0.1)):
        if ok():
            return True
        await pilot.pause(0.1)
    return bool(ok())


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
