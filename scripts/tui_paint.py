"""The workbench's speed on a rep's book, via Textual's run_test (used by scripts/bench).

    tui_paint.py DB REP             the workbench on REP's queue
    tui_paint.py --reference N      a plain Textual app doing the same work: N rows in an
                                    OptionList beside a panel, with a footer

Both are timed by the one harness below, to the display that shows the change (Textual's
post_display_hook, called after every frame even headless), not to the next message the
app happens to receive. Prints, as JSON: seconds from process start (imports included)
to the first frame showing the rows; every cursor move's time from the key to its frame
(moves come after rests of varying length, so some land while the panel beside the
cursor is loading, as a rep's taps do); the time from `m` (morning/end-of-day) and `h`
(show done) to the frame with the rebuilt list.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar

START = time.perf_counter()
# the rests before each move: held down, quick taps, and taps that land just as the
# panel beside the cursor starts loading (its DETAIL_DELAY) or is half way through
RESTS = (0.0, 0.0, 0.05, 0.16, 0.2, 0.3)
SIZE = (140, 40)


def workbench(db: str, rep: str) -> tuple[Any, Callable[[Any], object], Callable[[Any], int]]:
    from datetime import UTC, datetime

    from salesbench.tui import memory

    memory.starting()  # as `salesbench tui` does before it imports Textual (cli/tui.py)
    from salesbench.core.clock import FixedClock
    from salesbench.tui.app import SalesbenchApp

    app = SalesbenchApp(
        db=db, rep=rep, clipboard_tool=None, clock=FixedClock(datetime(2026, 11, 23, 2, tzinfo=UTC))
    )
    # what changes when `m` or `h` has rebuilt the list: the view on screen
    return app, lambda a: a.screen.view, lambda a: len(getattr(a.screen, "items", None) or ())


def reference(rows: int) -> tuple[Any, Callable[[Any], object], Callable[[Any], int]]:
    """The same work with nothing of salesbench: `rows` lines of queue-like text in an
    OptionList, a panel whose text follows the cursor, `m`/`h` rebuild every option."""
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal
    from textual.widgets import Footer, OptionList, Static
    from textual.widgets.option_list import Option

    def lines(flip: bool) -> list[Option]:
        word = "due today" if flip else "overdue 2 d"
        return [
            Option(f"  Call the customer about the quote  ·  Customer {n}  ·  {word}", id=str(n))
            for n in range(rows)
        ]

    class Reference(App[None]):
        CSS = "#queue { width: 1fr; height: 1fr; } #panel { width: 1fr; }"
        BINDINGS: ClassVar = [("j", "down"), ("k", "up"), ("m", "flip", "Mode"), ("h", "flip")]

        def __init__(self) -> None:
            super().__init__()
            self.generation = 0
            self.token = object()  # a new one with every rebuilt list
            self.shown = 0

        def compose(self) -> ComposeResult:
            with Horizontal():
                yield OptionList(id="queue")
                yield Static("", id="panel")
            yield Footer()

        def on_mount(self) -> None:
            self.action_flip()

        def action_down(self) -> None:
            self.query_one(OptionList).action_cursor_down()

        def action_up(self) -> None:
            self.query_one(OptionList).action_cursor_up()

        def action_flip(self) -> None:
            box = self.query_one(OptionList)
            box.clear_options()
            box.add_options(lines(self.generation % 2 == 1))
            box.highlighted = 0
            self.shown = rows
            self.generation += 1
            self.token = object()

        def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
            self.query_one("#panel", Static).update(f"Task {event.option.id}\nWhy and how")

    app = Reference()
    return app, lambda a: a.token, lambda a: a.shown


async def measure(app: Any, state: Callable[[Any], object], shown: Callable[[Any], int]) -> None:
    # every frame: when it was drawn, and what it showed (rows at all, which list)
    frames: list[tuple[float, int, object]] = []
    app.post_display_hook = lambda: frames.append((time.perf_counter(), shown(app), state(app)))

    async def frame(after: float, ok: Callable[[int, object], bool] = lambda n, s: True) -> float:
        """The first frame drawn after `after` that `ok` accepts, waiting for it."""
        while True:
            for at, count, token in frames:
                if at > after and ok(count, token):
                    return at
            await asyncio.sleep(0.001)

    async with app.run_test(size=SIZE) as pilot:
        painted = await frame(0.0, lambda count, _token: count > 0) - START
        await pilot.pause(0.5)  # let the background warm-up finish before timing keys
        moves = []
        for n in range(48):
            await asyncio.sleep(RESTS[n % len(RESTS)])
            start = time.perf_counter()
            await pilot.press("j" if n < 40 else "k")
            moves.append(await frame(start) - start)

        async def toggle(key: str) -> float:
            await pilot.pause(0.3)
            before = state(app)
            start = time.perf_counter()
            await pilot.press(key)
            return await frame(start, lambda _count, token: token is not before) - start

        toggles = {key: [await toggle(key) for _ in range(4)] for key in ("m", "h")}
        count = shown(app)
    print(json.dumps({"paint": painted, "moves": moves, "shown": count, **toggles}))


if __name__ == "__main__":
    if sys.argv[1] == "--reference":
        made = reference(int(sys.argv[2]))
    else:
        made = workbench(sys.argv[1], sys.argv[2])
    asyncio.run(measure(*made))
