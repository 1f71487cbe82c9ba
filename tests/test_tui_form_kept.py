"""The inline form keeps what was typed when the rep leaves it with Esc: back with `f`,
it is still there until saved or another task is shown; in the form the footer shows
the form's keys (issue 17, walkthrough)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from tests.sop_world import sh
from tests.test_tui import select, titles
from tests.tui_support import settle

BASIC = "Fill in the customer's basic data"  # its form: customer name, age, gender


@pytest.fixture
def app(store, clock) -> SalesbenchApp:
    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


async def test_esc_keeps_the_typing_and_f_shows_it_again(app: SalesbenchApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f", "enter", *"34")
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_one("#queue", OptionList).has_focus
        await pilot.pause(2.5)  # a live look at the database meanwhile
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert screen.query_one("#field-age", Input).value == "34"


async def test_a_choice_is_kept_too_and_another_task_lets_the_typing_go(
    app: SalesbenchApp,
) -> None:
    from textual.widgets import Select

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f")
        screen.query_one("#field-gender", Select).value = "female"
        screen.query_one("#field-age", Input).value = "29"
        await pilot.press("escape")
        await settle(pilot)
        await screen.query_one("#panel").show(app.task_detail(screen.detail.task_id))  # a reread
        await settle(pilot)
        assert screen.query_one("#field-gender", Select).value == "female"
        assert screen.query_one("#field-age", Input).value == "29"
        order = titles(screen)
        await select(pilot, screen, order[order.index(BASIC) + 1])  # another task
        await select(pilot, screen, BASIC)
        assert screen.query_one("#field-age", Input).value == ""
        assert screen.query_one("#field-gender", Select).value is Select.NULL


async def test_a_saved_value_is_not_typed_again_after_an_undo(app: SalesbenchApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f", "enter", *"34", "ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+z")  # the age set back to nothing
        await settle(pilot)
        await screen.query_one("#panel").show(app.task_detail(screen.detail.task_id))
        await settle(pilot)
        assert screen.query_one("#field-age", Input).value == ""


def footer_keys(screen) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [k.description for k in screen.query(FooterKey)]


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
@pytest.mark.parametrize("field", ["age", "gender"])
async def test_in_the_form_the_footer_shows_the_forms_keys(
    app: SalesbenchApp, size: tuple[int, int], field: str
) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        assert "Done" in footer_keys(screen)
        await pilot.press("f")
        screen.query_one(f"#field-{field}").focus()
        await settle(pilot)
        keys = footer_keys(screen)
        assert {"Leave form", "Save", "Next field"} <= set(keys), keys
        assert not {"Done", "Skip", "Snooze", "Start", "Deal"} & set(keys), keys
        await pilot.press("escape")
        await settle(pilot)
        assert "Done" in footer_keys(screen)


async def test_a_choice_made_with_enter_moves_on_to_the_next_field(app: SalesbenchApp) -> None:
    visit = "Record the visit: source, companions, decision maker"
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, visit)
        await pilot.press("f")  # the visit's source, a choice
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        assert screen.query_one("#field-companions", Input).has_focus


async def test_a_choice_made_with_enter_in_the_last_field_moves_on_to_save(
    app: SalesbenchApp, db_path
) -> None:
    """The last field a list: Enter picked, then Enter opened the list again and the
    form never saved from the keyboard alone. Picking moves on to Save; Enter saves."""
    from textual.widgets import Button, Select

    from tests.tui_support import rows

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f")
        screen.query_one("#field-age", Input).value = "29"
        gender = screen.query_one("#field-gender", Select)
        fields = [w for w in screen.query_one("#panel").query("Input, Select") if not w.disabled]
        assert fields[-1] is gender
        gender.focus()
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        focused = screen.focused
        assert isinstance(focused, Button) and focused.id == "save", focused
        await pilot.press("enter")
        await settle(pilot)
    done = rows(db_path, "SELECT title FROM task WHERE status = 'done'")
    assert (BASIC,) in done, done
