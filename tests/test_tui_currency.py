"""Money typed into the workbench's forms: read as people write it, its currency kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from salesbench.services.customers import add_customer
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.customer_screen import CustomerScreen
from salesbench.tui.modals import FormModal
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.tui_support import record_notices, rows, settle


@pytest.fixture
def app(store, clock, monkeypatch) -> SalesbenchApp:
    monkeypatch.setenv("SALESBENCH_CURRENCY", "EUR")  # the team's, read once by the shell
    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


async def _deal(pilot, app: SalesbenchApp, title: str, amount: str) -> None:
    await pilot.press("ctrl+o")
    await pilot.pause()
    form = app.screen
    form.query_one("#form-title", Input).value = title
    form.query_one("#form-amount", Input).value = amount
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_deal_and_customer_forms_keep_the_currency(app: SalesbenchApp, db_path: Path) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("李")
        await settle(pilot)

        await _deal(pilot, app, "Dollar deal", "USD 1,200")
        await _deal(pilot, app, "Euro deal", "1.234,56")
        await _deal(pilot, app, "Unclear deal", "2.500")
        got = rows(db_path, "SELECT title, amount, currency FROM opportunity ORDER BY title")
        assert got == [("Dollar deal", 120000, "USD"), ("Euro deal", 123456, "EUR")]
        form = app.screen  # refused: the form stays open, the amount marked
        assert isinstance(form, FormModal) and form.query_one("#form-title").value == "Unclear deal"
        assert "could be 2500 or 2.5" in str(form.query_one("#error-amount").render())
        assert not [n for n in notices if n.severity == "error"]
        await pilot.press("escape")

        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-name", Input).value = "华东家具有限公司"
        form.query_one("#form-annual_purchase", Input).value = "35万元"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(
            db_path,
            "SELECT annual_purchase, currency FROM customer WHERE name = '华东家具有限公司'",
        ) == [(35000000, "CNY")]
