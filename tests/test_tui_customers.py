"""The customer center, driven headless with Pilot and checked against the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select

from salesbench.core.ids import short_id
from salesbench.services.contacts import add_contact
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.customer_screen import CustomerScreen
from salesbench.tui.modals import FormModal
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.tui_support import record_notices, rows, settle

MONDAY_10 = sh(2026, 11, 23, 10)


@pytest.fixture
def app(store, clock) -> SalesbenchApp:
    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


async def open_center(pilot, search: str) -> CustomerScreen:
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomerScreen)
    await pilot.press(*search)
    await settle(pilot)
    return screen


async def test_customer_center_finds_chinese_names_and_adds_records(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_center(pilot, "李")
        results = screen.query_one("#results", OptionList)
        assert results.option_count == 1 and "李娜" in str(results.get_option_at_index(0).prompt)
        deals = screen.query_one("#customer-deals", OptionList)
        assert deals.option_count == 1 and "Sofa" in str(deals.get_option_at_index(0).prompt)

        await pilot.press("ctrl+t")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-name", Input).value = "王伟"
        form.query_one("#form-decision_role", Select).value = "decision_maker"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db_path, "SELECT name, decision_role FROM contact") == [
            ("王伟", "decision_maker")
        ]

        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-name", Input).value = "华东家具有限公司"
        form.query_one("#form-annual_purchase", Input).value = "lots"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db_path, "SELECT count(*) FROM customer") == [(1,)]  # refused, nothing written
        assert app.screen is form  # the form stays, the amount marked under its field
        assert str(form.query_one("#error-annual_purchase").render()).startswith("Annual purchase")
        assert not [n for n in notices if "annual_purchase" in n.message]
        await pilot.press("escape")

        await pilot.press("ctrl+y")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db_path, "SELECT status, paused_until FROM customer") == [
            ("paused", "2026-12-23")
        ]


async def test_editing_the_only_contact_saves_it(app: SalesbenchApp, store, db_path: Path) -> None:
    add_contact(store, "李娜", {"name": "王伟", "phone": "+86 138 0000 0001"}, clock=CLOCK)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_center(pilot, "李")
        await pilot.press("ctrl+g")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal) and form.title_text == "Edit 王伟"
        form.query_one("#form-phone", Input).value = "+86 139 1111 2222"
        form.query_one("#form-title", Input).value = "Purchasing"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # still the customer center, the app alive
        assert rows(db_path, "SELECT name, title, phone FROM contact") == [
            ("王伟", "Purchasing", "+86 139 1111 2222")
        ]
        assert "Purchasing" in str(screen.query_one("#customer-detail").render())
        assert [n.message for n in notices] == ["Contact saved"]


async def test_editing_one_of_two_contacts_with_the_same_name(
    app: SalesbenchApp, store, db_path: Path
) -> None:
    first = add_contact(store, "李娜", {"name": "王伟", "phone": "1"}, clock=CLOCK)
    second = add_contact(store, "李娜", {"name": "王伟", "phone": "2"}, clock=CLOCK)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_center(pilot, "李")
        await pilot.press("ctrl+g")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, FormModal) and picker.title_text == "Which contact?"
        picker.query_one("#form-contact", Select).value = f"王伟 ({short_id(second.id)})"
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#form-phone", Input).value = "22"
        await pilot.press("ctrl+s")
        await settle(pilot)
        phones = dict(rows(db_path, "SELECT id, phone FROM contact"))
        assert phones == {first.id.hex: "1", second.id.hex: "22"}


def test_customer_center_keys_are_not_taken_by_the_search_field() -> None:
    from salesbench.tui.actions import CUSTOMER_ACTIONS

    taken = {k for b in Input.BINDINGS for k in b.key.split(",")}  # type: ignore[union-attr]
    ours = {k for a in CUSTOMER_ACTIONS for k in a.keys.split(",") if k != "escape"}
    assert ours.isdisjoint(taken), ours & taken


async def test_q_in_the_customer_center_goes_back_and_slash_finds_the_search(
    app: SalesbenchApp,
) -> None:
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from salesbench.tui.queue_screen import QueueScreen

    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_center(pilot, "李q")  # q typed in the search box is text
        search = screen.query_one("#search", Input)
        assert search.value == "李q" and app.screen is screen
        search.value = "李"
        await settle(pilot)
        await pilot.press("down", "enter")  # the customer, then its deals
        await settle(pilot)
        await pilot.press("enter")  # the deal
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("slash")  # from the deals straight back to searching
        assert app.focused is search
        await pilot.press("down", "up")  # up from the top result: the search again
        assert app.focused is search
        await pilot.press("down", "q")  # like Esc: back, never out of the workbench
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, QueueScreen)
