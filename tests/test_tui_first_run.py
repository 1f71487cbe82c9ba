"""First run from the workbench alone (issue 17, item 6): with no rep the workbench
offers a form to add the first one; with several reps and none named, a picker whose
choice is remembered in the user's config for the next start."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, Static

from salesbench.services.reps import add_rep
from salesbench.settings_user import config_path, load, remember_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.first_run import FirstRepScreen, RepPickerScreen
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import CLOCK
from tests.tui_support import record_notices, rows, settle


def title_of(app: SalesbenchApp) -> str:
    return str(app.screen.query_one("#title", Static).render())


async def test_first_rep_form_on_an_empty_database(
    store, db_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")  # the machine's zone: the form's default
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FirstRepScreen)
        assert form.query_one("#rep-timezone", Input).value == "Europe/Berlin"
        assert form.query_one("#rep-name", Input).has_focus

        await pilot.press(*"Wang Fang")
        await pilot.press("enter")  # Enter moves on to the next field
        assert form.query_one("#rep-email", Input).has_focus
        await pilot.press(*"wf@acme")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # refused in place: the form stays with what was typed and says why by the field
        assert app.screen is form
        assert rows(db_path, "SELECT count(*) FROM rep") == [(0,)]
        assert form.query_one("#rep-name", Input).value == "Wang Fang"
        error = form.query_one("#rep-email-error", Static)
        assert error.display and "'wf@acme' is not an email address" in str(error.render())
        await pilot.press(*".com")  # put right: the message goes as it is typed
        await pilot.pause()
        assert not error.display

        form.query_one("#rep-email", Input).value = "wf@example.com"
        form.query_one("#rep-team", Input).value = "East"
        form.query_one("#rep-language", Select).value = "zh-CN"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert rows(db_path, "SELECT name, email, team, timezone, language FROM rep") == [
            ("Wang Fang", "wf@example.com", "East", "Europe/Berlin", "zh-CN")
        ]
        assert isinstance(app.screen, QueueScreen)
        assert "Wang Fang" in title_of(app)
        # the language chosen in the form is the workbench's from the first queue on,
        # its welcome too (it said "Welcome, Wang Fang: here is your queue")
        assert "0 个待办" in str(app.screen.query_one("#counts", Static).render())
        assert any(n.message == "欢迎，Wang Fang：这是你的待办" for n in notices), notices


async def test_an_empty_name_or_a_bad_timezone_is_marked_beside_its_field(
    store, db_path: Path, clock
) -> None:
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FirstRepScreen)
        form.query_one("#rep-email", Input).value = "wf@example.com"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = form.query_one("#rep-name-error", Static)
        assert error.display and str(error.render()) == "Your name is required"

        form.query_one("#rep-name", Input).value = "Wang Fang"
        form.query_one("#rep-timezone", Input).value = "Mars/Olympus"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not form.query_one("#rep-name-error", Static).display
        error = form.query_one("#rep-timezone-error", Static)
        assert error.display and "'Mars/Olympus' is not a known timezone" in str(error.render())
        assert app.screen is form and rows(db_path, "SELECT count(*) FROM rep") == [(0,)]


async def test_with_no_rep_the_customer_center_cannot_save_an_ownerless_customer(
    store, db_path: Path, clock
) -> None:
    """The first-rep form comes first: the customer center's keys (u, then ctrl+n and
    ctrl+s) cannot reach a form whose save would have nobody to own the customer."""
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "u")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FirstRepScreen)
        assert rows(db_path, "SELECT count(*) FROM customer") == [(0,)]


def two_reps(store) -> None:
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com", "team": "East"}, clock=CLOCK)
    add_rep(store, {"name": "Li Lei", "email": "ll@example.com", "team": "West"}, clock=CLOCK)


async def test_rep_picker_on_a_two_rep_database(store, db_path: Path, clock) -> None:
    two_reps(store)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, RepPickerScreen)
        options = picker.query_one("#rep-picker", OptionList)
        shown = [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
        assert shown == [
            "Li Lei  ·  ll@example.com  ·  West",
            "Wang Fang  ·  wf@example.com  ·  East",
        ]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "Wang Fang" in title_of(app)

    (wang,) = rows(db_path, "SELECT id FROM rep WHERE email = 'wf@example.com'")
    remembered = json.loads(config_path().read_text(encoding="utf-8"))["reps"]
    assert [k for k in remembered] == [str(db_path)]
    assert remembered[str(db_path)].replace("-", "") == wang[0].replace("-", "")
    assert [p.name for p in config_path().parent.iterdir()] == ["config.json"]  # no temp left

    again = SalesbenchApp(store, clock=clock, clipboard_tool=None)  # the next start
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, QueueScreen)
        assert "Wang Fang" in title_of(again)

    named = SalesbenchApp(store, clock=clock, clipboard_tool=None, rep="ll@example.com")
    async with named.run_test(size=(140, 40)) as pilot:  # --rep / SALESBENCH_REP still win
        await settle(pilot)
        assert isinstance(named.screen, QueueScreen)
        assert "Li Lei" in title_of(named)


async def test_a_corrupt_config_file_is_ignored_with_a_notice(store, clock) -> None:
    two_reps(store)
    config_path().parent.mkdir(parents=True)
    config_path().write_text('{"reps": {"half', encoding="utf-8")
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RepPickerScreen)  # asked again, no traceback
        assert [n.severity for n in notices if "was ignored" in n.message] == ["warning"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and "Li Lei" in title_of(app)
    assert load().notice is None and len(load().reps) == 1  # written anew, whole


async def test_a_remembered_rep_that_is_gone_is_asked_again(store, db_path: Path, clock) -> None:
    two_reps(store)
    remember_rep(str(db_path), "0123456789abcdef0123456789abcdef")
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RepPickerScreen)


def test_the_config_file_is_replaced_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    path = tmp_path / "conf" / "config.json"
    remember_rep("/a.db", "rep-a", path)
    before = path.read_text(encoding="utf-8")

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        remember_rep("/b.db", "rep-b", path)
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in path.parent.iterdir()] == ["config.json"]
    monkeypatch.undo()
    remember_rep("/b.db", "rep-b", path)
    assert load(path).reps == {"/a.db": "rep-a", "/b.db": "rep-b"}


async def test_a_new_reps_empty_queue_says_where_the_work_comes_from(store, clock) -> None:
    """A new rep's first queue said only "Nothing left for today." (walkthrough): it
    names the key to the customers, where the first one is added."""
    from textual.widgets import OptionList

    from salesbench.services.reps import add_rep

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = [str(o.prompt) for o in app.screen.query_one("#queue", OptionList).options]
        assert shown == [
            "Nothing left for today.",
            "u opens your customers; ctrl+n there adds one.",
        ]
        await pilot.press("u")
        await settle(pilot)
        from salesbench.tui.customer_screen import CustomerScreen

        assert isinstance(app.screen, CustomerScreen)
