"""A rep who makes the terminal smaller keeps the task they were on in view (at 80×24
the highlighted row could end up scrolled out of the list)."""

from __future__ import annotations

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import CLOCK
from tests.test_tui import MONDAY_10
from tests.tui_support import settle


def _in_view(screen: QueueScreen) -> bool:
    from textual.widgets import OptionList

    box = screen.query_one("#queue", OptionList)
    assert box.highlighted is not None
    box._update_lines()  # the line each option starts on, as Textual lays them out
    top = box._index_to_line[box.highlighted]
    seen = box.scroll_offset.y
    return seen <= top < seen + box.scrollable_content_region.height


async def test_the_highlighted_task_stays_in_view_when_the_terminal_shrinks(store, clock) -> None:
    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    for n in range(12):
        add_customer(store, {"name": f"顾客{n:02d}", "kind": "person"}, clock=clock)
        add_opportunity(
            store, f"顾客{n:02d}", {"title": f"Sofa {n}", "playbook_key": "retail-5"}, clock=clock
        )
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen) and len(screen.order) > 30
        for _ in range(len(screen.order) - 3):
            await pilot.press("j")
        await settle(pilot)
        assert _in_view(screen)
        for size in ((80, 24), (60, 16), (160, 48)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert _in_view(screen), size
