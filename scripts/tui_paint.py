"""Time to the workbench's first paint, via Textual's run_test (used by scripts/bench).

Prints seconds from process start (imports included) until the queue has been
read and drawn, and the time per cursor move afterwards.
"""

from __future__ import annotations

import asyncio
import sys
import time

START = time.perf_counter()


async def main(db: str, rep: str) -> None:
    from datetime import UTC, datetime

    from salesbench.core.clock import FixedClock
    from salesbench.tui.app import SalesbenchApp

    app = SalesbenchApp(
        db=db, rep=rep, clipboard_tool=None, clock=FixedClock(datetime(2026, 11, 23, 2, tzinfo=UTC))
    )
    async with app.run_test(size=(140, 40)) as pilot:
        while not getattr(app.screen, "items", None):
            await pilot.pause(0.005)
        drawn = asyncio.Event()
        app.call_after_refresh(drawn.set)  # the refresh that puts the list on screen
        await drawn.wait()
        painted = time.perf_counter() - START
        await pilot.pause(0.5)  # let the background warm-up finish before timing keys
        moves = 40
        start = time.perf_counter()
        for _ in range(moves):
            await pilot.press("j")
        per_move = (time.perf_counter() - start) / moves
        shown = len(app.screen.items)
    print(f"{painted:.3f} {per_move:.4f} {shown}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
