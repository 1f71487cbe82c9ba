"""Input is never lost: a dialog with a bad value stays open with what was typed and
says, under the field, what is wrong with it in the rep's words (issue 17, seen 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.customer_screen import CustomerScreen
from salesbench.tui.modals import FormModal, LogModal, SnoozeModal
from salesbench.tui.opportunity_screen import OpportunityScreen
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


def error_text(screen, key: str) -> str:
    """The message shown under field `key`, or "" while it is hidden."""
    line = screen.query_one(f"#error-{key}", Label)
    return str(line.render()) if line.display else ""


def no_error_toasts(notices) -> bool:
    return not [n for n in notices if n.severity == "error"]


async def open_deal(pilot) -> OpportunityScreen:
    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OpportunityScreen)
    return screen


async def test_a_bad_expected_close_keeps_the_deal_form_open_with_what_was_typed(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_deal(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#form-title", Input).value = "Sofa and armchair"
        form.query_one("#form-expected_close", Input).value = "2027-02-30"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is form  # still open
        assert form.query_one("#form-title", Input).value == "Sofa and armchair"
        assert form.query_one("#form-expected_close", Input).value == "2027-02-30"
        message = error_text(form, "expected_close")
        assert message.startswith("Expected close: ") and "2027-02-30" in message
        assert "is not a day of the calendar" in message and "expected_close" not in message
        assert form.query_one("#form-expected_close", Input).has_focus
        assert form.query_one("#form-expected_close").has_class("has-error")
        assert no_error_toasts(notices)
        assert rows(db_path, "SELECT title, expected_close FROM opportunity") == [("Sofa", None)]

        form.query_one("#form-expected_close", Input).value = "2027-02-28"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)  # saved, so closed
        assert rows(db_path, "SELECT title, expected_close FROM opportunity") == [
            ("Sofa and armchair", "2027-02-28")
        ]


async def test_lost_without_a_reason_asks_for_it_in_place(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_deal(pilot)
        await pilot.press("L")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert error_text(form, "reason") == "Reason is required when an opportunity is lost"
        assert no_error_toasts(notices)
        assert rows(db_path, "SELECT status FROM opportunity") == [("open",)]

        await pilot.press(*"too far")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)
        assert rows(db_path, "SELECT status, lost_reason FROM opportunity") == [("lost", "too far")]


async def open_center(pilot) -> CustomerScreen:
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    await pilot.press(*"李")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomerScreen) and screen.view is not None
    return screen


async def test_a_contact_with_a_bad_email_stays_in_its_form(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_center(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#form-name", Input).value = "王伟"
        form.query_one("#form-email", Input).value = "john@acme"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#form-name", Input).value == "王伟"
        assert error_text(form, "email") == "Email: 'john@acme' is not an email address"
        assert form.query_one("#form-email", Input).has_focus
        assert no_error_toasts(notices)
        assert rows(db_path, "SELECT count(*) FROM contact") == [(0,)]

        form.query_one("#form-email", Input).value = "john@acme.com"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert rows(db_path, "SELECT name, email FROM contact") == [("王伟", "john@acme.com")]

        await pilot.press("ctrl+g")  # the only contact: its form opens
        await pilot.pause()
        form = app.screen
        form.query_one("#form-email", Input).value = "wang@"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and error_text(form, "email").startswith("Email: 'wang@'")
        assert rows(db_path, "SELECT email FROM contact") == [("john@acme.com",)]


async def test_a_new_customer_with_a_bad_amount_keeps_its_name(
    app: SalesbenchApp, db_path: Path
) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await open_center(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-name", Input).value = "华东家具有限公司"
        form.query_one("#form-annual_purchase", Input).value = "lots"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#form-name", Input).value == "华东家具有限公司"
        message = error_text(form, "annual_purchase")
        assert message.startswith("Annual purchase") and "annual_purchase" not in message
        assert rows(db_path, "SELECT count(*) FROM customer") == [(1,)]


async def test_a_complaint_without_its_content_stays_open(
    app: SalesbenchApp, db_path: Path
) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await open_center(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-complainant", Input).value = "李娜"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and form.query_one("#form-complainant", Input).value == "李娜"
        assert error_text(form, "content") == "What is wrong is required"
        assert rows(db_path, "SELECT count(*) FROM complaint") == [(0,)]


async def test_a_snooze_to_a_bad_date_stays_open(app: SalesbenchApp, db_path: Path) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SnoozeModal)
        dialog.query_one("#snooze-date", Input).focus()
        await pilot.press(*"2026-11-31", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#snooze-date", Input).value == "2026-11-31"
        assert error_text(dialog, "date").startswith("Date: ")
        assert no_error_toasts(notices)
        assert rows(db_path, "SELECT count(*) FROM task WHERE status='snoozed'") == [(0,)]


async def test_a_log_with_a_bad_next_step_date_keeps_the_record(
    app: SalesbenchApp, db_path: Path
) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LogModal)
        dialog.query_one("#log-summary", Input).value = "tried the grey sofa"
        dialog.query_one("#log-next_step_date", Input).value = "next tuesday"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#log-summary", Input).value == "tried the grey sofa"
        assert error_text(dialog, "next_step_date").startswith("Next step date: ")
        assert rows(db_path, "SELECT count(*) FROM activity") == [(0,)]

        dialog.query_one("#log-next_step_date", Input).value = "2026-11-26"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, LogModal)
        assert rows(db_path, "SELECT summary FROM activity") == [("tried the grey sofa",)]


async def test_a_contact_form_marks_every_bad_field_at_once(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_center(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#form-name", Input).value = "王伟"
        form.query_one("#form-phone", Input).value = "call me"
        form.query_one("#form-email", Input).value = "john@acme"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert error_text(form, "email") == "Email: 'john@acme' is not an email address"
        assert error_text(form, "phone").startswith("Phone")
        assert form.query_one("#form-phone", Input).has_focus  # the first of them
        assert no_error_toasts(notices)
        assert rows(db_path, "SELECT count(*) FROM contact") == [(0,)]
        # the phone put right: its message goes as it is typed (it stayed until the next
        # save), the email's, not yet put right, stays
        await pilot.press(*"13800138000")
        await pilot.pause()
        assert error_text(form, "phone") == ""
        assert error_text(form, "email").startswith("Email")


async def test_the_deal_forms_mode_shows_its_name_not_its_key(store, clock) -> None:
    from textual.widgets import Select

    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Big Co"}, clock=clock)
    add_opportunity(
        store, "Big Co", {"title": "ERP", "playbook_key": "solution-selling"}, clock=clock
    )
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_deal(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        mode = form.query_one("#form-mode", Select)
        mode.value = "quick_knife"  # stored by its key
        await pilot.pause()
        assert "Quick knife" in str(mode.query_one("SelectCurrent Static").render())
        assert "quick_knife" not in str(mode.query_one("SelectCurrent Static").render())


async def test_a_choice_picked_with_enter_in_the_last_field_leads_to_save(
    store, clock, db_path: Path
) -> None:
    """The deal form ends on Mode, a list: Enter opened it, Enter picked, and the next
    Enter opened it again (nothing saved). Picking now moves on to Save, as Enter in
    a typed field moves on, so the next Enter saves."""
    from textual.widgets import Button, Select

    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Big Co"}, clock=clock)
    add_opportunity(
        store, "Big Co", {"title": "ERP", "playbook_key": "solution-selling"}, clock=clock
    )
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_deal(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        mode = form.query_one("#form-mode", Select)
        mode.focus()
        await pilot.pause()
        await pilot.press("enter")  # opens the list
        await pilot.pause()
        assert mode.expanded
        await pilot.press("down", "enter")  # picks the first mode
        await pilot.pause()
        assert isinstance(app.screen.focused, Button) and app.screen.focused.id == "save"
        # the value it already shows picked again (keeping it): on to Save just the same
        mode.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert mode.expanded
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen.focused, Button) and app.screen.focused.id == "save"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormModal)
    stored = rows(db_path, "SELECT mode FROM opportunity")[0][0]
    assert stored is not None and stored == mode.value
