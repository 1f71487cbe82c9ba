"""The focus run ticks a checklist as the queue does: the tick is saved, and the tick
that completes the task moves the run on (issue 17, walkthrough)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.services.tasks import finish_task
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.focus import FocusScreen
from tests.sop_world import sh
from tests.test_tui import select
from tests.test_tui_form_kept import footer_keys
from tests.tui_support import record_notices, rows, settle

WELCOME = "Welcome the customer and introduce yourself"


@pytest.fixture
def app(store, clock) -> SalesbenchApp:
    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


async def test_ticking_the_last_box_in_the_focus_run_finishes_the_task(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await select(pilot, app.screen, WELCOME)
        await pilot.press("s")
        await settle(pilot)
        focus = app.screen
        assert isinstance(focus, FocusScreen) and focus.detail is not None
        assert focus.detail.title == WELCOME
        focus.query_one("#check-1", Checkbox).value = True
        await settle(pilot)
        ticked = rows(db_path, f"SELECT custom FROM task WHERE title = '{WELCOME}'")
        assert "1" in str(ticked), ticked  # saved, as in the queue
        assert focus.detail is not None and focus.detail.title == WELCOME  # one left
        focus.query_one("#check-2", Checkbox).value = True
        await settle(pilot)
        assert rows(db_path, f"SELECT status FROM task WHERE title = '{WELCOME}'") == [("done",)]
        assert f"Done by itself: {WELCOME}" in [n.message for n in notices]
        assert focus.detail is None or focus.detail.title != WELCOME  # the run moved on
        assert focus.tally["done"] == 1


async def test_a_tick_in_the_queue_still_finishes_the_task(
    app: SalesbenchApp, db_path: Path, store, clock
) -> None:
    for task_id, title in rows(db_path, "SELECT id, title FROM task WHERE status = 'open'"):
        if title != WELCOME:
            finish_task(store, task_id, "done", clock=clock, reason="done at the counter")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, WELCOME)
        for n in (1, 2):
            screen.query_one(f"#check-{n}", Checkbox).value = True
            await settle(pilot)
        assert rows(db_path, f"SELECT status FROM task WHERE title = '{WELCOME}'") == [("done",)]


BASIC = "Fill in the customer's basic data"  # a form: customer name, age, gender


async def test_esc_in_the_focus_runs_form_leaves_the_form_and_a_second_esc_the_run(
    app: SalesbenchApp,
) -> None:
    """The footer said "esc Leave form" and one Esc ended the whole focus run."""
    from textual.widgets import Input

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await select(pilot, app.screen, BASIC)
        await pilot.press("s")
        await settle(pilot)
        focus = app.screen
        assert isinstance(focus, FocusScreen) and focus.detail is not None
        assert focus.detail.title == BASIC
        # on the task, not in a field: the footer offers Back (it said Leave form)
        keys = footer_keys(focus)
        assert "Back" in keys and "Leave form" not in keys, keys
        focus.query_one("#field-age", Input).focus()
        await pilot.press(*"41")
        await settle(pilot)
        keys = footer_keys(focus)
        assert "Leave form" in keys and "Back" not in keys, keys
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is focus, "one Esc left the run"
        assert "Back" in footer_keys(focus)
        assert focus.focused is None or focus.query_one("#focus-panel") not in (
            focus.focused.ancestors
        )
        assert focus.query_one("#field-age", Input).value == "41"  # what was typed stays
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, FocusScreen)


async def test_a_ticked_item_is_told_from_an_unticked_one_without_colour() -> None:
    """Textual draws an X in every box, ticked or not, the state in its colour only
    (walkthrough: both showed ▐X▌); an unticked item's box is now empty."""
    from textual.app import App, ComposeResult

    from salesbench.tui.form_typing import ChecklistBox

    class Boxes(App[None]):
        def compose(self) -> ComposeResult:
            yield ChecklistBox("Measure the room", False, id="off")
            yield ChecklistBox("Know the room", True, id="on")

    app = Boxes()
    async with app.run_test(size=(60, 6)) as pilot:
        off, on = app.query_one("#off", ChecklistBox), app.query_one("#on", ChecklistBox)
        assert str(off.render()).startswith("▐ ▌"), str(off.render())
        assert str(on.render()).startswith("▐X▌"), str(on.render())
        off.toggle()
        await pilot.pause()
        assert str(off.render()).startswith("▐X▌")  # ticking draws the X
