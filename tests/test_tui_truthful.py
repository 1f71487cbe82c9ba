"""Truthful screens (issue 17): every count one figure wherever it shows, every time in
the rep's day, the workbench's keys (never a CLI command) in its notices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Static

from salesbench.core.clock import FixedClock
from salesbench.services.demo import generate
from salesbench.store.open import open_store
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.sop_world import sh
from tests.tui_support import settle

REP = "rep3@demo.salesbench.dev"


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    store = open_store(str(path))
    generate(store, customers=24, seed=11, reps=3, now=sh(2026, 11, 23, 10))
    store.close()
    return path


def _figures(text: str) -> dict[str, int]:
    """`{"open": 12, "done": 3, ...}` from a line such as "12 open · 3 done today"."""
    return {word: int(n) for n, word in re.findall(r"(\d+) (open|done|overdue|skipped)", text)}


@pytest.mark.sqlite_only
async def test_the_header_and_the_end_of_day_panel_give_the_same_counts(demo_db: Path) -> None:
    at = sh(2026, 11, 23, 17)  # the end-of-day review, suggestions in the queue
    app = SalesbenchApp(
        open_store(str(demo_db)), clock=FixedClock(at), rep=REP, clipboard_tool=None
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        for key in ("x", "x"):  # two skips: the header counts no skip as done
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("m")  # morning, then back: both views count the same
        await settle(pilot)
        morning = _figures(str(screen.query_one("#counts", Static).render()))
        await pilot.press("m")
        await settle(pilot)
        header = _figures(str(screen.query_one("#counts", Static).render()))
        panel_text = str(screen.query_one("#eod", Static).render())
        panel = _figures(panel_text.splitlines()[0])
        q = screen.view.queue if screen.view else None
        assert q is not None and q.eod is not None
        assert len(q.eod.still_open) < q.counts.open, "suggestions beside today's work"
    assert header["open"] == panel["open"], (header, panel_text)
    assert header["done"] == panel["done"] == morning["done"], (header, panel_text)
    assert panel["skipped"] == 2, panel_text
    assert morning["open"] >= header["open"] - 2  # the morning lists what the evening does
