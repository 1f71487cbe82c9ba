"""Every deal within reach (issue 17): the pipeline screen, the customer center's deals,
and `o` on a task that belongs to no deal. Driven headless with Pilot on the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Input, OptionList, Static

from salesbench.core.clock import FixedClock
from salesbench.services.customers import add_customer
from salesbench.services.demo import generate
from salesbench.services.reps import add_rep
from salesbench.store.open import open_store
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.customer_screen import CustomerScreen
from salesbench.tui.opportunity_screen import OpportunityScreen
from salesbench.tui.pipeline_screen import PipelineScreen
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.tui_support import record_notices, rows, settle

MONDAY_10 = sh(2026, 11, 23, 10)
REP = "rep3@demo.salesbench.dev"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reach") / "demo.db"
    store = open_store(str(path))
    generate(store, customers=24, seed=11, reps=3, now=MONDAY_10)
    store.close()
    return path


def make_app(db: Path, now=MONDAY_10) -> SalesbenchApp:
    return SalesbenchApp(open_store(str(db)), clock=FixedClock(now), rep=REP)


def deal_ids(screen: PipelineScreen) -> list[str]:
    found = screen.query_one("#pipeline", OptionList)
    return [o.id for o in (found.get_option_at_index(n) for n in range(found.option_count)) if o.id]


async def test_the_pipeline_lists_sorts_filters_and_opens_every_deal(demo_db: Path) -> None:
    mine = {
        r[0]
        for r in rows(
            demo_db,
            "SELECT o.id FROM opportunity o JOIN rep r ON r.id = o.owner_id "
            f"WHERE r.email = '{REP}' AND o.status = 'open'",
        )
    }
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PipelineScreen)
        listed = deal_ids(screen)
        assert {i.replace("-", "") for i in listed} == mine  # every open deal, once
        assert len(listed) == len(mine)
        counts = str(screen.query_one("#counts", Static).render())
        assert f"{len(mine)} open deals" in counts and "sorted by amount" in counts

        # each line: the amount with its currency; CJK names keep the columns straight
        found = screen.query_one("#pipeline", OptionList)
        lines = [str(found.get_option(i).prompt) for i in listed]
        assert all(" CNY" in line or " USD" in line or " - " in line for line in lines)
        assert len({cell_len(line) for line in lines}) == 1, lines
        assert any(cell_len(line) != len(line) for line in lines)  # some are CJK

        await pilot.press("s")
        await settle(pilot)
        assert "sorted by days in stage" in str(screen.query_one("#counts", Static).render())
        in_stage = [screen.shown[i].days_in_stage or 0 for i in deal_ids(screen)]
        first_group = in_stage[: len(screen.view.groups("days")[0].deals)]
        assert first_group == sorted(first_group, reverse=True)

        # type to filter: one customer's deals only
        target = screen.shown[deal_ids(screen)[-1]]
        await pilot.press("slash")
        await pilot.press(*target.customer.name)
        await settle(pilot)
        kept = deal_ids(screen)
        assert target.opportunity.id in kept
        assert all(target.customer.name in screen.shown[i].label() for i in kept)
        await pilot.press("down")  # from the filter into the deals
        await settle(pilot)
        assert app.focused is screen.query_one("#pipeline", OptionList)
        found.highlighted = found.get_option_index(target.opportunity.id)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)
        assert app.screen.opportunity_id == target.opportunity.id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.selected == target.opportunity.id
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_o_on_a_cadence_task_opens_its_customer_and_its_deals(demo_db: Path) -> None:
    from datetime import timedelta

    app = make_app(demo_db, MONDAY_10 + timedelta(days=45))  # follow-ups come due by then
    notices = record_notices(app)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        cadence = next(i for i in queue.order if queue.items[i].opportunity is None)
        customer = queue.items[cadence].customer
        option_list = queue.query_one("#queue", OptionList)
        option_list.highlighted = option_list.get_option_index(cadence)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen), [n.message for n in notices]
        assert screen.view is not None and str(screen.view.customer.id) == customer.id
        assert screen.query_one("#search", Input).value == customer.name
        results = screen.query_one("#results", OptionList)
        assert results.highlighted_option is not None
        assert results.highlighted_option.id == customer.id  # not a namesake
        assert not any("belongs to no opportunity" in n.message for n in notices)
        # come for this one customer: one Esc goes back to the queue (it took two, the
        # first only moving from its deals to the search results)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is queue


async def test_enter_on_a_customer_then_on_a_deal_opens_the_deal(demo_db: Path) -> None:
    with_deals = rows(
        demo_db,
        "SELECT c.name, o.id FROM customer c JOIN opportunity o ON o.customer_id = c.id "
        "JOIN rep r ON r.id = c.owner_id "
        f"WHERE r.email = '{REP}' ORDER BY o.created_at DESC",
    )
    name, newest = with_deals[0]
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen)
        await pilot.press(*name)
        await settle(pilot)
        await pilot.press("down")  # from the search box into the results
        assert app.focused is screen.query_one("#results", OptionList)
        await pilot.press("enter")  # opens the customer: its deals take the keys
        await settle(pilot)
        deals = screen.query_one("#customer-deals", OptionList)
        assert app.focused is deals and deals.option_count >= 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)
        assert app.screen.opportunity_id.replace("-", "") == newest
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")  # from the deals back to the results
        assert app.screen is screen and app.focused is screen.query_one("#results", OptionList)


async def test_no_match_clears_the_detail_and_namesakes_are_told_apart(store, clock) -> None:
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    first = add_customer(store, {"name": "唐磊", "kind": "person"}, clock=clock)
    second = add_customer(store, {"name": "唐磊", "kind": "person", "number": "C-7"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen)
        await pilot.press(*"唐磊")
        await settle(pilot)
        results = screen.query_one("#results", OptionList)
        lines = {
            results.get_option_at_index(n).id: str(results.get_option_at_index(n).prompt)
            for n in range(results.option_count)
        }
        assert len(set(lines.values())) == 2, lines  # two lines a rep can tell apart
        assert "C-7" in lines[str(second.id)] and first.id.hex[:8] in lines[str(first.id)]
        assert "唐磊" in str(screen.query_one("#customer-detail", Static).render())

        await pilot.press(*"xyz")
        await settle(pilot)
        assert screen.view is None
        assert str(screen.query_one("#customer-detail", Static).render()) == ""
        assert str(screen.query_one("#customer-history", Static).render()) == ""


async def test_a_filter_typed_fast_leaves_no_rows_of_the_list_before_it(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long list is shown a screenful first and the rest after the next refresh; a
    filter typed before that refresh got the old list's rest appended under "No deal
    matches the filter." (seen in tmux typing `rotting` quickly)."""
    monkeypatch.setattr(PipelineScreen, "FIRST_LINES", 3)
    monkeypatch.setattr(QueueScreen, "FIRST_LINES", 3)
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen) and len(queue.order) > 3
        queue.filter_text = ""
        queue._fill_list()
        queue.filter_text = "no such customer or task"
        queue._fill_list()
        await settle(pilot)
        box = queue.query_one("#queue", OptionList)
        assert [box.get_option_at_index(n).id for n in range(box.option_count)] == [None]

        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PipelineScreen) and len(deal_ids(screen)) > 3
        screen.filter_text = ""
        screen._fill()
        screen.filter_text = "no such deal"
        screen._fill()
        await settle(pilot)
        assert deal_ids(screen) == []


async def test_one_open_deal_is_counted_in_the_singular(store, clock) -> None:
    """The header said "1 open deals" (walkthrough)."""
    from salesbench.services.opportunities import add_opportunity

    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, PipelineScreen)
        counts = str(app.screen.query_one("#counts", Static).render())
        assert counts.startswith("1 open deal ·"), counts
