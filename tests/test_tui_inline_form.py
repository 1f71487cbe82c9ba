"""The task panel's inline form: Esc leaves it, Enter in its last field and ctrl+s save
it, a bad value is marked under its field, and a save that leaves the task open says
what is still open (issue 17, seen 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Label, OptionList

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.test_tui import select, titles
from tests.tui_support import record_notices, rows, settle

MONDAY_10 = sh(2026, 11, 23, 10)
BASIC = "Fill in the customer's basic data"  # its form: customer name, age, gender


@pytest.fixture
def app(store, clock) -> SalesbenchApp:
    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


def custom(db_path: Path) -> dict:
    return json.loads(rows(db_path, "SELECT custom FROM customer")[0][0])


async def test_escape_leaves_the_form_and_j_moves_the_cursor_again(app: SalesbenchApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f")
        name = screen.query_one("#field-name", Input)
        assert name.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#queue", OptionList).has_focus
        order = titles(screen)
        await pilot.press("j")
        await settle(pilot)
        assert name.value == "李娜"  # nothing typed into the field
        assert screen.detail.title == order[order.index(BASIC) + 1]


async def test_enter_moves_through_the_form_and_saves_from_its_last_field(
    app: SalesbenchApp, db_path: Path
) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f", "enter")  # from the name on to the age
        assert screen.query_one("#field-age", Input).has_focus
        await pilot.press(*"34", "enter")
        await settle(pilot)
        # the gender, a choice, follows: Enter goes on to it and saves nothing yet (it
        # saved from the age and left the form, the footer saying "⏎ Next field")
        assert screen.query_one("#field-gender").has_focus
        assert custom(db_path) == {}
        await pilot.press("ctrl+s")  # saved as it stands: what is still open is named
        await settle(pilot)
        assert custom(db_path) == {"age": 34}
        assert "Saved; still open: Gender" in [n.message for n in notices]
        assert "Saved" not in [n.message for n in notices]
        assert BASIC in titles(screen)


async def test_enter_on_the_last_choice_goes_to_save_and_enter_saves(
    app: SalesbenchApp, db_path: Path
) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f", "enter", *"34", "enter")
        await pilot.press("enter", "down", "enter")  # open the choices, pick the first
        await settle(pilot)
        assert screen.query_one("#save").has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert custom(db_path) == {"age": 34, "gender": "female"}
        assert BASIC not in titles(screen)  # done by itself


async def test_ctrl_s_saves_the_form_from_any_field(app: SalesbenchApp, db_path: Path) -> None:
    from textual.widgets import Select

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f")
        screen.query_one("#field-age", Input).value = "41"
        screen.query_one("#field-gender", Select).value = "female"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert custom(db_path) == {"age": 41, "gender": "female"}
        assert BASIC not in titles(screen)  # done by itself
        assert rows(db_path, "SELECT status FROM task WHERE origin='basic_data'") == [("done",)]


async def test_a_bad_value_is_marked_under_its_field(app: SalesbenchApp, db_path: Path) -> None:
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f")
        age = screen.query_one("#field-age", Input)
        age.value = "thirty"
        await pilot.press("ctrl+s")
        await settle(pilot)
        line = screen.query_one("#field-error-age", Label)
        assert line.display and str(line.render()).startswith("Age: ")
        assert "not a whole number" in str(line.render())
        assert age.has_focus and age.value == "thirty"
        assert not [n for n in notices if n.severity == "error"]
        assert custom(db_path) == {}


async def test_an_english_form_lists_its_choices_capitalised_like_its_labels(
    app: SalesbenchApp, db_path: Path
) -> None:
    """The inline form listed "female", "male", "qualified", "nurture" in lower case
    beside "Gender" and "Screening result" (walkthrough); the stored value stays the
    playbook's key, and a script keeps the label as written, mid-sentence."""
    from textual.widgets import Select

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, BASIC)
        await pilot.press("f")
        gender = screen.query_one("#field-gender", Select)
        assert [(str(p), v) for p, v in gender._options if v != Select.NULL] == [
            ("Female", "female"),
            ("Male", "male"),
            ("Other", "other"),
        ]
        gender.value = "female"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert custom(db_path)["gender"] == "female"


def test_every_bundled_choice_reads_as_words_not_a_key() -> None:
    """'quick_knife' was offered as is to an English rep of the solution-selling
    playbook: every choice of a bundled playbook has words without an underscore."""
    from salesbench.core.playbook_load import load_playbook
    from salesbench.playbooks import bundled_sources

    for (key, language), text in bundled_sources().items():
        for field in load_playbook(text, f"{key}.{language}.toml").fields:
            for choice in field.choices:
                assert "_" not in field.label_of(choice), (key, language, field.key, choice)
