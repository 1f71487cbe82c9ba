"""Closing a deal (issue 17): `w` asks first, as every change that cannot be taken back
does, and says what the close ends; a won deal's steps toward the sale leave the queue,
on the workbench as with `opp won` (one service), while the rep's own tasks stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.own_tasks import add_own_task
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.opportunity_screen import OpportunityScreen
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.tui_support import record_notices, rows, settle

pytestmark = pytest.mark.sqlite_only

OPEN_STEPS = (
    "SELECT title FROM task WHERE status IN ('open', 'snoozed') AND origin_kind = 'playbook'"
)


@pytest.fixture
def deal(store, clock):
    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    add_own_task(store, "Send the delivery photos", "tomorrow", clock=clock, opportunity_ref="Sofa")
    return store


async def open_sofa(pilot) -> OpportunityScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, QueueScreen)
    await pilot.press("o")
    await settle(pilot)
    assert isinstance(pilot.app.screen, OpportunityScreen)
    return pilot.app.screen


async def test_w_asks_first_and_a_won_deal_leaves_no_step_in_the_queue(
    deal, clock, db_path: Path
) -> None:
    from salesbench.tui.modals import ConfirmModal

    assert rows(db_path, OPEN_STEPS)  # the first stage's steps, in today's queue
    app = SalesbenchApp(deal, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_sofa(pilot)
        await pilot.press("w")
        await settle(pilot)
        ask = app.screen
        assert isinstance(ask, ConfirmModal), [n.message for n in notices]
        said = ask.message
        assert "Sofa" in ask.title_text and "cannot be undone" in said
        assert "Welcome the customer" in said  # the steps the close skips, named
        assert "Send the delivery photos" in said  # and what stays
        await pilot.press("escape")  # no: nothing changes
        await settle(pilot)
        assert app.screen is screen
        assert rows(db_path, "SELECT status FROM opportunity") == [("open",)]
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")  # Enter confirms, as y does
        await settle(pilot)
        assert rows(db_path, "SELECT status FROM opportunity") == [("won",)]
        await pilot.press("escape")
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        titles = [queue.items[i].title for i in queue.order]
        assert titles == ["Send the delivery photos"], titles  # the rep's own task goes on
    assert rows(db_path, OPEN_STEPS) == []


def test_opp_won_ends_the_same_steps_on_the_cli(deal, clock, cli, db_path, monkeypatch) -> None:
    monkeypatch.setenv("SALESBENCH_NOW", (clock.now() + timedelta(minutes=1)).isoformat())
    assert cli("opp", "won", "Sofa").exit_code == 0
    assert rows(db_path, OPEN_STEPS) == []
    assert rows(db_path, "SELECT status FROM task WHERE origin_kind = 'manual'") == [("open",)]


async def test_lost_asks_for_the_reason_and_says_it_cannot_be_undone(
    deal, clock, db_path: Path
) -> None:
    from salesbench.tui.modals import FormModal

    app = SalesbenchApp(deal, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_sofa(pilot)
        await pilot.press("L")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormModal) and form.note is not None
        assert "cannot be undone" in form.note and "Send the delivery photos" in form.note
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert rows(db_path, "SELECT status FROM opportunity") == [("open",)]


async def test_a_deal_won_here_is_not_told_as_done_elsewhere(
    deal, clock, db_path: Path, monkeypatch
) -> None:
    """The queue under the deal screen saw the win's change mark and reread as if another
    process wrote: the highlighted step "was skipped elsewhere", though the rep won the
    deal here a moment before. Its own writes are its own."""
    from salesbench.tui.live import LiveScreen

    monkeypatch.setattr(LiveScreen, "LIVE_EVERY", 0.2)
    deal.close()
    app = SalesbenchApp(db=str(db_path), clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_sofa(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.6)  # the queue beneath looks at the change mark meanwhile
        await pilot.press("escape")
        await settle(pilot)
        await pilot.pause(0.6)
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
    said = [n.message for n in notices]
    assert rows(db_path, "SELECT status FROM opportunity") == [("won",)]
    assert not [m for m in said if "elsewhere" in m], said
