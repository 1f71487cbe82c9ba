"""The workbench's speed on a rep's book, via Textual's run_test (used by scripts/bench).

Prints, as JSON: seconds from process start (imports included) until the queue has
been read and drawn; every cursor move's time from the key to the repaint (moves come
after rests of varying length, so some land while the task panel is loading, as a
rep's taps do); and the time from `m` (morning/end-of-day) and `h` (show done) to
the repainted queue.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

START = time.perf_counter()
# the rests before each move: held down, quick taps, and taps that land just as the
# panel beside the cursor starts loading (its DETAIL_DELAY) or is half way through
RESTS = (0.0, 0.0, 0.05, 0.16, 0.2, 0.3)


async def main(db: str, rep: str) -> None:
    from datetime import UTC, datetime

    from salesbench.core.clock import FixedClock
    from salesbench.tui.app import SalesbenchApp

    app = SalesbenchApp(
        db=db, rep=rep, clipboard_tool=None, clock=FixedClock(datetime(2026, 11, 23, 2, tzinfo=UTC))
    )
    async with app.run_test(size=(140, 40)) as pilot:

        async def drawn() -> None:
            event = asyncio.Event()
            app.call_after_refresh(event.set)  # the refresh that puts it on screen
            await event.wait()

        while not getattr(app.screen, "items", None):
            await pilot.pause(0.005)
        await drawn()
        painted = time.perf_counter() - START
        await pilot.pause(0.5)  # let the background warm-up finish before timing keys
        moves = []
        for n in range(48):
            await asyncio.sleep(RESTS[n % len(RESTS)])
            start = time.perf_counter()
            await pilot.press("j" if n < 40 else "k")
            await drawn()
            moves.append(time.perf_counter() - start)

        async def toggle(key: str) -> float:
            await pilot.pause(0.3)
            before = app.screen.view
            start = time.perf_counter()
            await pilot.press(key)
            while app.screen.view is before:
                await asyncio.sleep(0.001)
            await drawn()
            return time.perf_counter() - start

        toggles = {key: [await toggle(key) for _ in range(4)] for key in ("m", "h")}
        shown = len(app.screen.items)
    print(json.dumps({"paint": painted, "moves": moves, "shown": shown, **toggles}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
