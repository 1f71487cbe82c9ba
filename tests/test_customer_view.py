"""The customer center's typed view: records as stored (money in cents), formatted
only on screen; and a customer gone by the time it is read leaves the center open."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from salesbench.services.contacts import add_contact
from salesbench.services.customers import CustomerView, add_customer, customer_view
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.customer_screen import CustomerScreen
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.tui_support import record_notices, rows, settle

MONDAY_10 = sh(2026, 11, 23, 10)


@pytest.fixture
def world(store, clock) -> None:
    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Alder", "annual_purchase": "12345.6"}, clock=clock)
    add_customer(store, {"name": "Alpine"}, clock=clock)
    add_contact(store, "Alder", {"name": "Li Na", "phone": "1"}, clock=clock)
    add_opportunity(store, "Alder", {"title": "Sofa", "amount": "1500"}, clock=clock)


@pytest.fixture
def app(world, store, clock) -> SalesbenchApp:
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


def test_the_view_keeps_records_and_cents(world, store) -> None:
    view = customer_view(store, "Alder")
    assert isinstance(view, CustomerView)
    assert view.customer.annual_purchase == 1234560  # cents, not 12345.6
    assert [o.amount for o in view.opportunities] == [150000]
    assert [c.name for c in view.contacts] == ["Li Na"]
    assert view.owner.name == "Wang Fang" and view.handovers == ()


async def test_a_customer_removed_meanwhile_is_a_toast_not_a_crash(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen)
        await pilot.press(*"Al")
        await settle(pilot)
        results = screen.query_one("#results", OptionList)
        assert results.option_count == 2
        detail = str(screen.query_one("#customer-detail").render())
        deals = [str(o.prompt) for o in screen.query_one("#customer-deals", OptionList).options]
        assert "annual purchase 12,345.60" in detail and "  Sofa  [-]  open  1,500.00 CNY" in deals

        # a colleague removes Alpine between the search and the selection
        rows(db_path, "DELETE FROM customer WHERE name = 'Alpine'")
        results.focus()
        await pilot.press("down")
        await settle(pilot)

        assert app.is_running and app.screen is screen  # still the customer center
        assert [(n.severity, n.message) for n in notices] == [
            ("error", "no customer with id " + str(results.get_option_at_index(1).id))
        ]
        assert screen.view is None  # Alder's detail is not left under Alpine's name
        assert str(screen.query_one("#customer-detail").render()) == ""
