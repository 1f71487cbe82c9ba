"""Issue 17, smaller items: the end-of-day block names each customer once, the forecast
says which close months are already past, and every amount carries its currency."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.widgets import Static

from salesbench.core.clock import FixedClock
from salesbench.tui.app import SalesbenchApp
from tests.tui_support import settle

pytestmark = pytest.mark.sqlite_only

BEFORE = FixedClock(datetime(2026, 11, 20, 2, tzinfo=UTC))  # three days before the tests' now


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def _rep(store) -> None:
    from salesbench.services.reps import add_rep

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=BEFORE)


def _follow_up(store, customer_id: str, what: str) -> None:
    """A call logged days ago whose next step is due today: today's work, not yet logged."""
    from salesbench.services.activities import log_activity

    log_activity(
        store,
        {"channel": "call", "next_step_content": what, "next_step_date": "2026-11-23"},
        clock=BEFORE,
        customer_ref=customer_id,
    )


async def test_end_of_day_names_each_customer_once(store, clock) -> None:
    from salesbench.services.customers import add_customer

    _rep(store)
    for n in range(4):  # four customers who share a name, as the demo's do
        twin = add_customer(store, {"name": "Northwind Home"}, clock=BEFORE)
        _follow_up(store, str(twin.id), f"Call back {n}")
    other = add_customer(store, {"name": "李娜", "kind": "person"}, clock=BEFORE)
    _follow_up(store, str(other.id), "Send the photos")
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)  # 17:30 in Shanghai
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        if app.screen.view.queue.mode != "eod":
            await pilot.press("m")
            await settle(pilot)
        line = next(x for x in text_of(app.screen, "#eod").splitlines() if "Not logged today" in x)
        assert line.count("Northwind Home") == 1, line
        assert "Northwind Home (4 customers)" in line and "李娜" in line


async def _forecast_screen(app: SalesbenchApp, pilot) -> object:
    from salesbench.tui.report_screens import ForecastScreen

    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    assert isinstance(app.screen, ForecastScreen)
    return app.screen


async def test_forecast_says_a_close_month_is_past(store, clock) -> None:
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity

    _rep(store)
    add_customer(store, {"name": "Acme"}, clock=BEFORE)
    for title, close in (("Late", "2026-10-15"), ("Now", "2026-11-28"), ("Next", "2026-12-10")):
        add_opportunity(
            store,
            "Acme",
            {"title": title, "amount": "10000", "expected_close": close},
            clock=BEFORE,
        )
    app = SalesbenchApp(store, clock=clock, rep="wf@example.com", clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _forecast_screen(app, pilot)
        months = text_of(screen, "#months").splitlines()
        assert [" ".join(m.split()[:2]) for m in months] == ["Oct 2026", "Nov 2026", "Dec 2026"]
        assert "past: expected close passed" in months[0]
        assert not any("past" in m for m in months[1:])  # this month is still to come
        assert all(m.rstrip().endswith("CNY") for m in months[1:])
        deals = screen.query_one("#deals")
        lines = {str(deals.get_option_at_index(i).prompt) for i in range(deals.option_count)}
        late = next(x for x in lines if "Late" in x)
        assert "! close 2026-10-15 passed" in late and "10,000.00 CNY" in late
        assert not [x for x in lines - {late} if "passed" in x]


async def test_an_empty_forecast_says_its_currency(store, clock) -> None:
    _rep(store)
    app = SalesbenchApp(store, clock=clock, rep="wf@example.com", clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _forecast_screen(app, pilot)
        assert "weighted pipeline 0.00 CNY" in text_of(screen, "#counts")


async def test_leaderboard_amounts_carry_the_currency(store, clock) -> None:
    from salesbench.tui.report_screens import LeaderboardScreen

    _rep(store)
    app = SalesbenchApp(store, clock=clock, rep="wf@example.com", clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, LeaderboardScreen)
        lines = text_of(app.screen, "#board").splitlines()
        assert lines and all("CNY" in line for line in lines), lines
