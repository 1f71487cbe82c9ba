"""The workbench, driven headless with Textual's Pilot and checked against the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import CLOCK, tick_checklists_in
from tests.sop_world import sh
from tests.tui_support import record_notices, rows, settle, settle_until

MONDAY_10 = sh(2026, 11, 23, 10)


@pytest.fixture
def app(store, db_path: Path, clock) -> SalesbenchApp:
    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


def titles(screen: QueueScreen) -> list[str]:
    return [screen.items[i].title for i in screen.order]


async def select(pilot, screen: QueueScreen, title: str) -> None:
    from textual.widgets import OptionList

    task_id = next(i for i in screen.order if screen.items[i].title == title)
    option_list = screen.query_one("#queue", OptionList)
    option_list.highlighted = option_list.get_option_index(task_id)
    await settle(pilot)
    assert screen.detail is not None and screen.detail.title == title


async def test_queue_shows_the_day(app: SalesbenchApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        assert titles(screen) == [
            "Welcome the customer and introduce yourself",
            "Fill in the customer's basic data",
            "Record the visit: source, companions, decision maker",
            "Capture the first intent: category and style",
        ]
        title = str(screen.query_one("#title").render())
        assert "Morning review" in title and "Wang Fang" in title
        assert "4 open · 0 overdue" in str(screen.query_one("#counts").render())


async def test_filling_the_form_completes_the_task_and_it_leaves_the_list(
    app: SalesbenchApp, db_path: Path
) -> None:
    from textual.widgets import Button, Input, Select

    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, "Fill in the customer's basic data")
        assert screen.detail.action_label == "Fill in"
        assert str(screen.query_one("#save", Button).label) == "Fill in"
        await pilot.press("f")
        assert screen.query_one("#field-name", Input).has_focus
        screen.query_one("#field-age", Input).value = "34"
        screen.query_one("#field-gender", Select).value = "female"
        await pilot.click("#save")
        await settle(pilot)
        assert "Fill in the customer's basic data" not in titles(screen)
        assert rows(
            db_path, "SELECT status, completed_how FROM task WHERE origin='basic_data'"
        ) == [("done", "auto")]
        assert [n.message for n in notices] == ["Done by itself: Fill in the customer's basic data"]


async def test_bad_form_value_is_refused_before_saving(app: SalesbenchApp, db_path: Path) -> None:
    from textual.widgets import Input

    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, "Fill in the customer's basic data")
        screen.query_one("#field-age", Input).value = "thirty"
        await pilot.click("#save")
        await settle(pilot)
        assert rows(db_path, "SELECT custom FROM customer") == [("{}",)]
        assert not notices  # said under the field instead (tests/test_tui_inline_form.py)
        assert "not a whole number" in str(screen.query_one("#field-error-age").render())


async def test_c_copies_the_exact_rendered_script(app: SalesbenchApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, "Welcome the customer and introduce yourself")
        await pilot.press("c")
        assert app.clipboard == (
            "Welcome to our showroom! Take your time and have a look around. If you would "
            "like to sit on anything or see other colours, just let me know."
        )
        first = app.clipboard
        await pilot.press("1")
        assert app.clipboard == first
        await pilot.press("2")
        assert app.clipboard == (
            "I'm Wang Fang, I look after customers here. Many people who come in are "
            "furnishing a new home: which rooms are you working on?"
        )


async def test_snooze_moves_the_task(app: SalesbenchApp, db_path: Path) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, "Welcome the customer and introduce yourself")
        await pilot.press("z")
        await pilot.pause()
        await pilot.click("#snooze-tomorrow")
        await settle(pilot)
        assert "Welcome the customer and introduce yourself" not in titles(screen)
        assert rows(db_path, "SELECT status, snoozed_until FROM task WHERE origin='welcome'") == [
            ("snoozed", "2026-11-24 01:00:00.000000")
        ]


async def test_logging_a_visit_creates_the_thank_you_task(
    app: SalesbenchApp, db_path: Path
) -> None:
    from textual.widgets import Input, Select

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#log-channel", Select).value = "visit"
        modal.query_one("#log-summary", Input).value = "tried the grey sofa"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db_path, "SELECT channel, summary FROM activity") == [
            ("visit", "tried the grey sofa")
        ]
        assert rows(db_path, "SELECT title, due_at FROM task WHERE origin='visit_thanks'") == [
            ("Thank 李娜 for the visit", "2026-11-24 02:00:00.000000")
        ]
        later = [i.title for i in app.screen.view.items]  # due tomorrow: not today's list
        assert "Thank 李娜 for the visit" in later


async def test_done_and_skip_and_show_done(app: SalesbenchApp, db_path: Path) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, "Welcome the customer and introduce yourself")
        await pilot.press("d")
        await settle(pilot)
        assert "Welcome the customer and introduce yourself" not in titles(screen)
        await select(pilot, screen, "Capture the first intent: category and style")
        await pilot.press("x")
        await settle(pilot)
        assert titles(screen) == [
            "Fill in the customer's basic data",
            "Record the visit: source, companions, decision maker",
        ]
        assert rows(db_path, "SELECT origin, status FROM task ORDER BY origin") == [
            ("basic_data", "open"),
            ("first_intent", "skipped"),
            ("visit_data", "open"),
            ("welcome", "done"),
        ]
        await pilot.press("h")
        await settle(pilot)
        done = [s for s in screen.view.queue.sections if s.key == "done"]
        assert sorted(s.item.title for g in done[0].groups for s in g.items) == [
            "Capture the first intent: category and style",
            "Welcome the customer and introduce yourself",
        ]
        assert titles(screen) == [
            "Fill in the customer's basic data",
            "Record the visit: source, companions, decision maker",
        ]


async def test_mode_toggle_and_filter(app: SalesbenchApp) -> None:
    from textual.widgets import Input

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("m")
        await settle(pilot)
        assert "End-of-day review" in str(screen.query_one("#title").render())
        assert screen.query_one("#eod").display
        await pilot.press("slash")
        await pilot.press(*"intent")
        await settle(pilot)
        assert titles(screen) == ["Capture the first intent: category and style"]
        assert screen.query_one("#filter", Input).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert len(titles(screen)) == 4


async def test_focus_run_moves_straight_on_and_ends_with_a_tally(
    app: SalesbenchApp, db_path: Path
) -> None:
    from salesbench.tui.focus import FocusScreen

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        focus = app.screen
        assert isinstance(focus, FocusScreen)
        assert focus.detail.title == "Welcome the customer and introduce yourself"
        await pilot.press("d")
        await settle(pilot)
        assert focus.detail.title == "Fill in the customer's basic data"
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("z")
        await pilot.pause()
        await pilot.click("#snooze-1h")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert focus.detail is None
        assert "1 done · 2 skipped · 1 snoozed" in str(focus.query_one("#focus-progress").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
    assert sorted(rows(db_path, "SELECT origin, status FROM task")) == [
        ("basic_data", "skipped"),
        ("first_intent", "skipped"),
        ("visit_data", "snoozed"),
        ("welcome", "done"),
    ]


async def test_palette_offers_every_queue_action(app: SalesbenchApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        titles_ = {c.title.rsplit("  ", 1)[0] for c in app.get_system_commands(app.screen)}
        assert {
            "Start", "Done", "Skip", "Snooze", "Fill in", "Copy", "Log", "Deal", "Customers",
            "Leaderboard", "Forecast", "Morning/EOD", "Show done", "Filter", "Refresh", "Down",
            "Up", "Copy a script…",
        } <= titles_  # fmt: skip
        keys = {b.key for b in app.screen.BINDINGS}
        assert {"d", "x", "z", "c", "m", "h", "slash", "j", "k", "s"} <= keys
        show_done = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Show done  h"
        )
        await show_done.callback()  # as the palette runs it
        await settle(pilot)
        assert app.screen.show_done


async def test_opportunity_screen_shows_the_path_and_answers_gates(
    store,
    db_path: Path,
    clock,
) -> None:
    from textual.widgets import Input

    from salesbench.services.sop import set_fields
    from salesbench.tui.modals import QuestionModal
    from salesbench.tui.opportunity_screen import OpportunityScreen

    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Big Co"}, clock=clock)
    add_opportunity(
        store,
        "Big Co",
        {"title": "ERP", "playbook_key": "solution-selling", "stage_key": "guide_needs"},
        clock=clock,
    )
    tick_checklists_in(store, db_path, clock)  # the visit checklist, ticked as prepared
    set_fields(
        store,
        "ERP",
        [
            "visit_on=2026-11-25",
            "visit_questions=q",
            "assessment_verified=yes",
            "pain_points=slow",
            "vision=fast",
            "letter1_on=2026-11-23",
            *("enjoys_talking=yes", "expertise_recognised=yes", "needs_agreed=yes"),
            *("pain_acknowledged=yes", "wants_pain_solved=yes", "reference_accepted=yes"),
        ],
        clock=clock,
    )
    from salesbench.services.activities import log_activity

    log_activity(
        store,
        {"channel": "call", "next_step_content": "Book the demo", "next_step_date": "2026-11-23"},
        clock=clock,
        opportunity_ref="ERP",
    )
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OpportunityScreen)
        path = str(screen.query_one("#stage-path").render())
        assert "✓ Develop opportunity" in path and "▶" in path and "Guide needs  4/4" in path
        tasks = str(screen.query_one("#opp-tasks").render())
        assert "? Does the decision maker share a buying vision" in tasks
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("n")
        await settle(pilot)
        assert rows(db_path, "SELECT stage_key FROM opportunity") == [("develop_opportunity",)]
        assert "turnaround" in str(screen.query_one("#opp-facts").render())
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-amount", Input).value = "120000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db_path, "SELECT amount FROM opportunity") == [(12000000,)]
        await pilot.press("L")
        await pilot.pause()
        await pilot.press(*"budget frozen", "enter")
        await settle(pilot)
        assert rows(db_path, "SELECT status, lost_reason FROM opportunity") == [
            ("lost", "budget frozen")
        ]


async def test_a_database_without_a_rep_offers_the_first_reps_form(store, clock) -> None:
    """Not a command to type elsewhere (`salesbench` may not be on the PATH of someone
    who started with scripts/run): the form that adds the first rep (tui/first_run.py)."""
    from salesbench.tui.first_run import FirstRepScreen

    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRepScreen)
        assert isinstance(app.screen_stack[-2], QueueScreen)
        assert "init" not in str(app.screen_stack[-2].query_one("#counts").render())
        assert not [n for n in notices if "init" in n.message]


async def test_question_mark_lists_the_keys(app: SalesbenchApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("KeyPanel") or app.screen.query("HelpPanel")
        await pilot.press("question_mark")  # the same key puts it away again
        await pilot.pause()
        assert not app.screen.query("HelpPanel")


async def test_escape_puts_the_keys_away_before_it_leaves_a_screen(app: SalesbenchApp) -> None:
    """Esc closed every dialog but not `?`; on the deal screen it left the screen with
    the keys still up on the queue's behalf. Esc now puts the keys away first."""
    from salesbench.tui.opportunity_screen import OpportunityScreen

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("HelpPanel") and isinstance(app.screen, QueueScreen)
        await pilot.press("o")
        assert await settle_until(pilot, lambda: isinstance(app.screen, OpportunityScreen))
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OpportunityScreen) and not app.screen.query("HelpPanel")
        await pilot.press("escape")  # with nothing to put away, Esc leaves as before
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


def test_the_cli_and_the_workbench_head_a_group_alike() -> None:
    from salesbench.core.queue import CustomerFacts, Group, OppFacts, group_heading

    customer = CustomerFacts("c1", "李娜", "A")
    deal = OppFacts(
        "o1", "Sofa", "retail-5", "intent", "Intent", 1, 5, 0.25, None, None, None, None
    )
    assert group_heading(Group(customer, None)) == "李娜"
    assert (
        group_heading(Group(customer, deal, flags=["rotting", "no next step"]))
        == "李娜 / Sofa  [Intent · 25%]  (rotting, no next step)"
    )


async def test_the_queue_heads_each_group_with_its_deal(app: SalesbenchApp) -> None:
    from textual.widgets import OptionList

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#queue", OptionList)
        heads = [
            str(options.get_option_at_index(n).prompt)
            for n in range(options.option_count)
            if options.get_option_at_index(n).disabled
        ]
        # retail-5, stage 1
        assert heads == ["Due within 24 hours (4)", "李娜 / Sofa  [First contact · 10%]"]
