"""Keys typed faster than the workbench draws (a paste of "name Tab email", tmux's
send-keys, a fast typist) land in the field they were typed for: Tab moved the cursor
on only after the keys behind it had already gone to the field it left, so the first
field got "Bobbob@x.exampleWest" (seen in the first-run form)."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key
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
        # the key names a terminal's keys arrive with ("slash" for /), as Pilot names them
        key = "tab" if char == "\t" else char if char.isalnum() else _character_to_key(char)
        event = events.Key(key, None if char == "\t" else char)
        event.set_sender(app)
        driver.send_message(event)


def one_deal(store, clock) -> SalesbenchApp:
    clock.at = MONDAY_10
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


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
    app = one_deal(store, clock)
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


async def test_a_filter_typed_in_one_burst_goes_into_the_filter_and_does_nothing_else(
    store, clock, db_path
) -> None:
    """`/dx` sent at once (tmux, a fast typist) marked the highlighted task done: the
    filter box took the cursor only after d and x had been taken as the queue's keys.
    The same burst on the pipeline lost every letter."""
    from salesbench.tui.pipeline_screen import PipelineScreen
    from salesbench.tui.queue_screen import QueueScreen
    from tests.tui_support import rows

    app = one_deal(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        burst(app, "/dxn")
        await settle(pilot)
        assert app.screen is queue  # no new-task dialog either
        assert queue.query_one("#filter", Input).value == "dxn"
        assert rows(db_path, "SELECT count(*) FROM task WHERE status != 'open'") == [(0,)]
        burst(app, "/")  # in the box, / is typed like any other key
        await settle(pilot)
        assert queue.query_one("#filter", Input).value == "dxn/"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        pipeline = app.screen
        assert isinstance(pipeline, PipelineScreen)
        burst(app, "/sofa")
        await settle(pilot)
        assert pipeline.query_one("#pipeline-filter", Input).value == "sofa"
        assert pipeline.sort == "amount"  # `s` was not taken as Sort
