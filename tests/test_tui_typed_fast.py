"""Keys typed faster than the workbench draws (a paste of "name Tab email", tmux's
send-keys, a fast typist) land in the field they were typed for: Tab moved the cursor
on only after the keys behind it had already gone to the field it left, so the first
field got "Bobbob@x.exampleWest" (seen in the first-run form)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.first_run import FirstRepScreen
from salesbench.tui.modals import FormModal
from tests.conftest import CLOCK
from tests.test_tui import MONDAY_10
from tests.tui_support import settle


def burst(app: SalesbenchApp, text: str) -> None:
    """`text` as one burst of keys, none waiting for the last to be handled ("\\t": Tab)."""
    driver = app._driver
    assert driver is not None
    for char in text:
        key = "tab" if char == "\t" else "space" if char == " " else char
        event = events.Key(key, None if char == "\t" else char)
        event.set_sender(app)
        driver.send_message(event)


async def test_the_first_run_form_typed_in_one_burst(store, clock) -> None:
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FirstRepScreen)
        burst(app, "Bob\tbob@x.example\tWest")
        await settle(pilot)
        values = [form.query_one(f"#rep-{k}", Input).value for k in ("name", "email", "team")]
        assert values == ["Bob", "bob@x.example", "West"]


async def test_a_dialog_typed_in_one_burst(store, clock) -> None:
    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        day = form.query_one("#form-day", Input)
        day.value = ""
        form.query_one("#form-time", Input).value = ""
        burst(app, "Call back\t2026-11-24\t15:30")
        await settle(pilot)
        values = [form.query_one(f"#form-{k}", Input).value for k in ("title", "day", "time")]
        assert values == ["Call back", "2026-11-24", "15:30"]
