"""Issue 17, the command palette: one entry per thing to do (not nine "Copy script N"),
each showing its key, and the customer center's own entries there on that screen."""

from __future__ import annotations

import pytest

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.actions import CUSTOMER_ACTIONS, QUEUE_ACTIONS
from salesbench.tui.app import SalesbenchApp
from tests.conftest import CLOCK
from tests.tui_support import settle

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def app(store, clock) -> SalesbenchApp:
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


def entries(app: SalesbenchApp) -> dict[str, object]:
    return {c.title: c for c in app.get_system_commands(app.screen)}


async def test_the_palette_groups_the_copy_entries_and_shows_keys(app: SalesbenchApp) -> None:
    from salesbench.tui.modals import ScriptPickerModal

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        titles = entries(app)
        assert not [t for t in titles if t.startswith("Copy script")]
        assert {"Done  d", "Skip  x", "Snooze  z", "Copy  c", "Filter  /"} <= set(titles)
        picker = [t for t in titles if t.startswith("Copy a script")]
        assert picker == ["Copy a script…  0"]
        # every registry entry meant for the palette is there (undo too, once it is added)
        for action in QUEUE_ACTIONS:
            if action.palette:
                assert any(t.startswith(action.title + "  ") for t in titles), action.title
        await titles["Copy a script…  0"].callback()  # as the palette runs it
        await settle(pilot)
        assert isinstance(app.screen, ScriptPickerModal)


async def test_the_customer_center_offers_pause_and_complaint(app: SalesbenchApp) -> None:
    from salesbench.tui.customer_screen import CustomerScreen

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        titles = entries(app)
        assert {"Not needed now  ^y", "Complaint  ^r", "New customer  ^n"} <= set(titles)
        assert len([a for a in CUSTOMER_ACTIONS if a.palette]) == len(
            [t for t in titles if t.split("  ")[0] in {a.title for a in CUSTOMER_ACTIONS}]
        )
        assert "Done  d" not in titles  # the queue's keys are not this screen's
