"""The leaderboard, the forecast and the rep's standing in the workbench (Pilot), on
the hand-built team of tests/report_world.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from salesbench.core.clock import FixedClock
from salesbench.store.open import open_store
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.report_screens import ForecastScreen, LeaderboardScreen, bar
from tests import report_world
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.tui_support import record_notices, settle


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tui-reports") / "team.db"
    report_world.build(path)
    return path


def make_app(db: Path, rep: str = "bo@example.com", at=report_world.NOW) -> SalesbenchApp:
    return SalesbenchApp(open_store(str(db)), clock=FixedClock(at), rep=rep, clipboard_tool=None)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def test_bars_use_eighth_blocks() -> None:
    assert bar(0, 10) == "" and bar(5, 0) == ""
    assert bar(10, 10, width=4) == "████"
    assert bar(5, 10, width=4) == "██"
    assert bar(1, 16, width=4) == "▎"  # a quarter of a cell: two eighths
    assert bar(20, 10, width=4) == "████"  # never longer than the scale


async def test_leaderboard_screen_ranks_and_marks_me(team: Path) -> None:
    app = make_app(team)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LeaderboardScreen)
        assert "Won amount" in text_of(screen, "#title") and "2027-01" in text_of(screen, "#title")
        lines = text_of(screen, "#board").splitlines()
        # o3 (80,000) won by Ann on 2027-01-02; Bo and Cy share second place
        assert lines[0].split()[:2] == ["1", "Ann"] and lines[0].endswith("80,000.00 CNY")
        assert lines[1].split()[:2] == ["2=", "Bo"] and lines[1].endswith("← you")
        assert lines[2].split()[:2] == ["2=", "Cy"]
        await pilot.press("b")  # A customers
        await settle(pilot)
        assert "A customers" in text_of(screen, "#title")
        await pilot.press("g")  # by team
        await settle(pilot)
        lines = text_of(screen, "#board").splitlines()
        assert lines[0].split()[:2] == ["1", "East"] and lines[0].split()[-3:] == ["2", "←", "you"]
        await pilot.press("p")  # quarter
        await settle(pilot)
        assert "2027-Q1 (quarter)" in text_of(screen, "#title")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, LeaderboardScreen)


async def test_forecast_screen_explains_the_highlighted_deal(team: Path) -> None:
    app = make_app(team)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ForecastScreen)
        deals = screen.query_one("#deals", OptionList)
        assert deals.option_count == 1  # only Bo's own o2
        assert "rep Bo" in text_of(screen, "#title")
        factors = text_of(screen, "#factors")
        # first_contact 10 %, none of its tasks done, contact a day ago, grade C
        assert "stage First contact 10%" in factors
        assert "× 0.80  0% of First contact done" in factors
        assert "× 0.90  grade C" in factors
        assert factors.rstrip().endswith("= 7%")
        await pilot.press("a")  # everyone's deals
        await settle(pilot)
        assert deals.option_count == 2
        first = str(deals.get_option_at_index(0).prompt)
        assert "21%" in first and "o1" in first  # 100,000 at 21.37 % leads
        await pilot.press("down")
        await settle(pilot)
        assert "stage First contact" in text_of(screen, "#factors")


async def test_end_of_day_review_shows_my_rank_and_forecast(team: Path) -> None:
    app = make_app(team, at=sh(2027, 1, 5, 17, 30))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if app.screen.view.queue.mode != "eod":
            await pilot.press("m")
        await settle(pilot)
        await settle(pilot)
        eod = text_of(app.screen, "#eod")
        assert "2027-01: #2 of 3 on won amount (0.00 CNY)" in eod
        # o2: 50,000 at 7.2 %; its expected close is not set, so nothing this month
        assert (
            "forecast: 1 open deal, weighted 3,600.00 CNY, 0.00 CNY due to close this month" in eod
        )


async def test_an_edit_of_a_deal_changed_meanwhile_is_refused_and_reloaded(
    store, db_path: Path, clock
) -> None:
    from textual.widgets import Input

    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity, edit_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from tests.tui_support import rows

    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Big Co"}, clock=clock)
    add_opportunity(store, "Big Co", {"title": "ERP", "playbook_key": "retail-5"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OpportunityScreen)
        read = screen.view.opportunity.version
        # a colleague renames the deal while it is on screen
        edit_opportunity(store, "ERP", {"title": "ERP phase 2"}, clock=clock)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#form-amount", Input).value = "120000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db_path, "SELECT title, amount, version FROM opportunity") == [
            ("ERP phase 2", None, read + 1)
        ]
        refused = [n.severity for n in notices if "changed by someone else" in n.message]
        assert refused == ["error"], notices
        # the screen now shows the deal as it is, at its new version
        assert (
            screen.view.opportunity.title == "ERP phase 2"
            and screen.view.opportunity.version == read + 1
        )
