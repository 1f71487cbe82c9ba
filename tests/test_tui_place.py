"""Issue 17, place kept: after done or skip the highlight lands on the task that took the
finished one's place (the next below it, else the one above), never back on the top."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import rows

pytestmark = pytest.mark.sqlite_only


def _day(store, clock) -> None:
    from salesbench.services.activities import log_activity
    from salesbench.services.customers import add_customer
    from salesbench.services.reps import add_rep

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    for n in range(1, 9):  # eight follow-ups due today, one customer each
        add_customer(store, {"name": f"Customer {n}"}, clock=clock)
        log_activity(
            store,
            {
                "channel": "call",
                "next_step_content": f"Call back {n}",
                "next_step_date": "2026-11-23",
            },
            clock=clock,
            customer_ref=f"Customer {n}",
        )


@pytest.mark.parametrize("key", ["d", "x"])
async def test_after_an_action_the_highlight_stays_where_the_rep_was(
    store, db_path: Path, clock, key: str
) -> None:
    from textual.widgets import OptionList

    from salesbench.tui.app import SalesbenchApp
    from tests.tui_support import settle

    _day(store, clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        assert len(order) == 8
        for _ in range(3):
            await pilot.press("j")
        await settle(pilot)
        assert screen.selected == order[3]
        await pilot.press(key)
        await settle(pilot)
        assert screen.selected == order[4], (order.index(screen.selected), key)
        highlighted = screen.query_one("#queue", OptionList).highlighted
        assert (
            screen.query_one("#queue", OptionList).get_option_at_index(highlighted).id == order[4]
        )
        # the last one done: the one above takes its place
        screen.query_one("#queue", OptionList).highlighted = screen.query_one(
            "#queue", OptionList
        ).get_option_index(order[-1])
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert screen.selected == order[-2]
    finished = "SELECT count(*) FROM task WHERE status IN ('done', 'skipped')"
    assert rows(db_path, finished) == [(2,)]
