"""The first frame of a rep's day shows the day (issue 17, speed on a rep's book).

Read in a worker thread, the first queue competed for the GIL with Textual's own first
frames ("loading today's queue…" drawn seven times) and took three times as long as
read on the UI thread before the first frame (0.45 s against 0.15 s on a 161-row book).
A small book is read before the first frame; a big one still shows "loading" first and
stays responsive while its worker reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NOW

pytestmark = pytest.mark.xdist_group("writers")


async def _frames(db: Path) -> list[bool]:
    """For each frame drawn until the queue is on screen: were its rows in it?"""
    from salesbench.core.clock import FixedClock
    from salesbench.tui.app import SalesbenchApp
    from tests.tui_support import settle

    app = SalesbenchApp(db=str(db), clock=FixedClock(NOW), clipboard_tool=None)
    frames: list[bool] = []
    app.post_display_hook = lambda: frames.append(bool(getattr(app.screen, "order", None)))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app.screen.order  # type: ignore[attr-defined]
    return frames


async def test_a_small_book_is_on_the_first_frame(book: Path) -> None:
    frames = await _frames(book)
    assert frames and frames[0], frames  # no "loading" frame before the rows


async def test_a_big_book_shows_loading_first_and_reads_in_a_worker(
    book: Path, monkeypatch
) -> None:
    from salesbench.tui import queue_screen

    monkeypatch.setattr(queue_screen, "READ_AT_ONCE", 0)  # every book counts as big
    frames = await _frames(book)
    assert not frames[0] and any(frames), frames
