"""A closed deal's screen offers nothing that only an open deal can do (Next stage,
Won, Lost were in its footer and answered with an error), and its stage history ends
with the close: won, or lost with the reason, on the day it happened."""

from __future__ import annotations

import pytest

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.services.sop import close_opportunity
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.opportunity_screen import OpportunityScreen
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.test_tui_form_kept import footer_keys
from tests.tui_support import record_notices, settle, settle_until


@pytest.mark.parametrize("status", ["won", "lost"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_closed_deal_offers_no_stage_or_close_keys_and_shows_its_close(
    store, clock, status: str, size
) -> None:
    clock.at = sh(2026, 11, 20, 11)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    opp = add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    clock.at = sh(2026, 11, 21, 16, 30)  # Shanghai: the 21st, whatever UTC says
    reason = "买了别家的" if status == "lost" else None
    close_opportunity(store, "Sofa", status, clock=clock, reason=reason)
    clock.at = sh(2026, 11, 23, 10)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.push_screen(OpportunityScreen(str(opp.id)))
        screen = app.screen
        assert await settle_until(pilot, lambda: screen.view is not None)
        keys = footer_keys(screen)
        assert "Back" in keys and "Log" in keys
        assert not {"Next stage", "Won", "Lost"} & set(keys), keys
        for key in ("a", "w", "L"):  # pressed anyway: nothing happens, nothing is said
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
        assert not [n for n in notices if "already" in n.message], notices
        history = str(screen.query_one("#opp-facts").render())
        closed = "won" if status == "won" else "lost (买了别家的)"
        last = history.rstrip().splitlines()[-1]
        assert last.strip().startswith("2026-11-21") and last.strip().endswith(closed), history
