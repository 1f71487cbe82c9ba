"""Corrections in the workbench, driven with Pilot and checked in the database: a
logged contact edited (the log dialog, filled in) and deleted (after a yes) from the
deal screen, and a rep's own task added at a time of day from the queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label, OptionList, Select

from salesbench.services.activities import log_activity
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.correction_modals import ConfirmModal, ContactPickerModal
from salesbench.tui.modals import FormModal, LogModal
from salesbench.tui.opportunity_screen import OpportunityScreen
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.tui_support import record_notices, rows, settle

MONDAY_10 = sh(2026, 11, 23, 10)


@pytest.fixture
def app(store, clock) -> SalesbenchApp:
    clock.at = sh(2026, 11, 23, 9, 15)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    log_activity(
        store, {"channel": "call", "summary": "谈了价格"}, clock=clock, opportunity_ref="Sofa"
    )
    clock.at = MONDAY_10
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


async def open_deal(pilot) -> OpportunityScreen:
    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OpportunityScreen)
    return screen


def facts(screen: OpportunityScreen) -> str:
    return str(screen.query_one("#opp-facts").render())


async def test_an_activity_edited_from_the_deal_timeline(app: SalesbenchApp, db_path: Path) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_deal(pilot)
        assert "2026-11-23 09:15  call  谈了价格" in facts(screen)  # on the rep's clock

        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ContactPickerModal)
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LogModal)
        summary = dialog.query_one("#log-summary", Input)
        assert summary.value == "谈了价格"  # the dialog opens filled in
        assert dialog.query_one("#log-channel", Select).value == "call"
        summary.value = "谈了交期和价格"
        dialog.query_one("#log-needs", Input).value = "灰色沙发"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert rows(db_path, "SELECT summary, needs, edited_at FROM activity") == [
            ("谈了交期和价格", "灰色沙发", "2026-11-23 02:00:00.000000")
        ]
        assert rows(db_path, "SELECT kind FROM activity_change") == [("edited",)]
        assert app.screen is screen
        assert "09:15  call  谈了交期和价格  (edited 11-23 10:00)" in facts(screen)


async def test_an_activity_deleted_after_a_yes_stays_in_the_timeline(
    app: SalesbenchApp, db_path: Path
) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_deal(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # kept: nothing happens
        await settle(pilot)
        assert rows(db_path, "SELECT count(*) FROM activity") == [(1,)]

        await pilot.press("t")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert rows(db_path, "SELECT count(*) FROM activity") == [(0,)]
        assert rows(db_path, "SELECT kind FROM activity_change") == [("deleted",)]
        shown = facts(screen)
        assert "谈了价格" in shown and "(deleted 11-23 10:00)" in shown


async def test_an_own_task_added_with_a_time_from_the_queue(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        assert form.query_one("#form-day", Input).value == "2026-11-23"  # today, rep's clock
        assert str(form.query_one("#form-subject", Select).value) == "Deal: Sofa"
        form.query_one("#form-title", Input).value = "回访：确认报价"
        form.query_one("#form-time", Input).value = "15:00"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert rows(
            db_path, "SELECT title, due_at, origin_kind, origin FROM task WHERE origin = 'own'"
        ) == [("回访：确认报价", "2026-11-23 07:00:00.000000", "manual", "own")]
        lines = [str(o.prompt) for o in screen.query_one("#queue", OptionList).options]
        assert any("11-23 15:00  回访：确认报价" in line for line in lines)
        assert any("New task for 李娜 / Sofa" in n.message for n in notices)


async def test_an_own_task_at_an_impossible_time_is_refused_naming_the_field(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        for day, time, where, said in (
            ("2026-02-30", "15:00", "day", "is not a day of the calendar"),
            ("2026-11-23", "09:00", "day", "is already past"),
            ("2026-11-23", "25:00", "time", "is not a time of day"),
            ("2026-11-23", "", "time", "give the time of day, as HH:MM"),
            ("next friday", "15:00", "day", "is not a day: write it as YYYY-MM-DD"),
            ("2026-11-23", "3pm", "time", "is not a time of day: write it as HH:MM"),
        ):
            if not isinstance(app.screen, FormModal):
                await pilot.press("n")
                await pilot.pause()
            form = app.screen
            assert isinstance(form, FormModal)
            form.query_one("#form-title", Input).value = "Call back"
            form.query_one("#form-day", Input).value = day
            form.query_one("#form-time", Input).value = time
            await pilot.press("ctrl+s")
            await settle(pilot)
            # the form stays with what was typed, the refusal under the field it is about
            # (a time was blamed on the day, and a day said "is not a snooze time")
            assert app.screen is form, [n.message for n in notices]
            assert form.query_one("#form-title", Input).value == "Call back"
            assert form.query_one("#form-time", Input).value == time
            message = str(form.query_one(f"#error-{where}", Label).render())
            assert message.startswith(f"{where.title()}: ") and said in message, message
            assert "snooze" not in message
        assert rows(db_path, "SELECT count(*) FROM task WHERE origin = 'own'") == [(0,)]


async def test_an_own_task_from_the_deal_screen(app: SalesbenchApp, db_path: Path) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await open_deal(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-title", Input).value = "Bring the fabric samples"
        form.query_one("#form-day", Input).value = "2026-11-24"
        form.query_one("#form-time", Input).value = "9:30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db_path, "SELECT title, due_at FROM task WHERE origin = 'own'") == [
            ("Bring the fabric samples", "2026-11-24 01:30:00.000000")
        ]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_new_task_dialog_shows_its_save_button_without_scrolling(
    app: SalesbenchApp, size: tuple[int, int]
) -> None:
    """At 80x24 the New task form ran past the bottom: Save was off the screen and a
    rep who does not know ctrl+s saw no way to keep what they typed (walkthrough)."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        for button in ("#save", "#cancel"):
            shown = form.find_widget(form.query_one(button))
            # the whole button in sight, not only its top edge above the dialog's border
            assert shown.visible_region == shown.region, (button, shown)
        # the first field keeps the focus and is in sight too
        assert form.focused is not None
        shown = form.find_widget(form.focused)
        assert shown.visible_region == shown.region
