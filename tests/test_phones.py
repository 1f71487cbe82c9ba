"""A contact's phone is a phone number: `abc` is refused on the CLI (exit 2, one line,
nothing written), in the workbench's contact form and in a list cell, while numbers as
people write them pass (issue 17, seen 13)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from salesbench.core import reach
from salesbench.core.errors import BadInput
from salesbench.core.fields import CONTACT_FIELDS, parse_record
from tests.conftest import rows

WRITTEN = [
    "+86 138 0013 8000",
    "(010) 6552-1234",
    "010-6552 1234 ext 8",
    "+1 (415) 555-0100 x123",
    "6552 1234 转 808",
    "+49 711.123.456",
    "１３８００１３８０００",  # full-width digits, as a Chinese input method types them
    "95588",
]


@pytest.mark.parametrize("number", WRITTEN)
def test_phones_as_people_write_them_pass(number: str) -> None:
    assert parse_record(CONTACT_FIELDS, {"name": "李雷", "phone": number})["phone"] == number
    assert reach.parse_points(number, "phone") == [("other", number)]


@pytest.mark.parametrize("text", ["abc", "call me", "138-abcd-0000", "+", "--", "12a34"])
def test_what_is_no_phone_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_record(CONTACT_FIELDS, {"name": "李雷", "phone": text})
    assert caught.value.field == "phone"
    assert caught.value.message == (
        f"{text!r} is not a phone number (e.g. +86 138 0013 8000, (010) 6552-1234 ext 8)"
    )
    with pytest.raises(ValueError, match="is not a phone number"):
        reach.parse_points(f"mobile: 138 0000 0001; work: {text}", "phone")


def test_the_cli_refuses_a_phone_that_is_none_and_writes_nothing(cli, db) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Acme").exit_code == 0
    before = rows(db, "SELECT count(*) FROM contact")
    for args in (
        ("contact", "add", "Acme", "李雷", "--phone", "abc"),
        ("contact", "add", "Acme", "李雷", "--phone", "mobile:abc"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1 and "not a phone number" in (
            result.output
        )
    assert rows(db, "SELECT count(*) FROM contact") == before
    assert cli("contact", "add", "Acme", "李雷", "--phone", "+86 138 0013 8000").exit_code == 0
    result = cli("contact", "edit", "李雷", "--phone", "abc")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert rows(db, "SELECT phone FROM contact") == [("+86 138 0013 8000",)]


async def test_the_contact_form_marks_a_phone_that_is_none(store, clock) -> None:
    from salesbench.services.customers import add_customer
    from salesbench.services.reps import add_rep
    from salesbench.tui.app import SalesbenchApp
    from tests.conftest import CLOCK
    from tests.test_tui_forms import MONDAY_10, error_text, open_center
    from tests.tui_support import settle

    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_center(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-name", Input).value = "王伟"
        form.query_one("#form-phone", Input).value = "abc"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert error_text(form, "phone").startswith("Phone: 'abc' is not a phone number")
