"""Issue 17, undo (Seen 3): ctrl+z takes back the last done, skip, snooze or form save
made since the workbench opened, one more with each press; `d` on a finished task
offers to reopen it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import rows
from tests.test_tui_place import _day
from tests.test_tui_place_kept import _app, _down, _highlighted
from tests.tui_support import record_notices, settle

pytestmark = pytest.mark.sqlite_only

STATUS = "SELECT status, completed_at, snoozed_until FROM task WHERE title = ?"


def _status(db_path: Path, title: str) -> tuple:
    (row,) = rows(db_path, STATUS, title)
    return row


async def test_ctrl_z_restores_a_done_task(store, db_path: Path, clock) -> None:
    _day(store, clock)
    app = _app(store, clock)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        title = screen.items[order[3]].title
        await _down(pilot, 3)
        await pilot.press("d")
        await settle(pilot)
        assert _status(db_path, title)[0] == "done"
        assert screen.selected == order[4]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _status(db_path, title) == ("open", None, None)
        assert screen.order == order
        assert screen.selected == order[3] == _highlighted(screen)
        assert f"No longer done: “{title}” is open again" in [n.message for n in notices]
        seen = len(notices)
        for _ in range(3):  # nothing left: said once, not once a press
            await pilot.press("ctrl+z")
        await settle(pilot)
        assert [n.message for n in notices[seen:]] == [
            "Nothing to undo: no task finished, snoozed or saved since the workbench opened."
        ]
        assert _status(db_path, title) == ("open", None, None)


async def test_ctrl_z_undoes_one_more_each_press(store, db_path: Path, clock) -> None:
    _day(store, clock)
    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        names = [screen.items[i].title for i in order]
        await _down(pilot, 1)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        await pilot.click("#snooze-tomorrow")
        await settle(pilot)
        assert [_status(db_path, n)[0] for n in names[1:4]] == ["done", "skipped", "snoozed"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [_status(db_path, n)[0] for n in names[1:4]] == ["done", "skipped", "open"]
        assert screen.selected == order[3]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [_status(db_path, n)[0] for n in names[1:4]] == ["done", "open", "open"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [_status(db_path, n) for n in names[1:4]] == [("open", None, None)] * 3
        assert screen.selected == order[1] == _highlighted(screen)


async def test_ctrl_z_sets_a_form_save_back_and_reopens_what_it_finished(
    store, db_path: Path, clock
) -> None:
    from textual.widgets import Input, Select

    from salesbench.services.opportunities import add_opportunity

    _day(store, clock)
    add_opportunity(store, "Customer 3", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    app = _app(store, clock)
    notices = record_notices(app)
    custom = "SELECT custom FROM customer WHERE name = 'Customer 3'"
    form = "SELECT status, completed_how FROM task WHERE origin = 'basic_data'"
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        task = next(i for i in order if screen.items[i].title.startswith("Fill in the customer"))
        await _down(pilot, order.index(task))
        await pilot.press("f")
        screen.query_one("#field-age", Input).value = "34"
        await pilot.click("#save")
        await settle(pilot)
        await pilot.press("f")
        screen.query_one("#field-gender", Select).value = "female"
        await pilot.click("#save")  # done by itself
        await settle(pilot)
        assert json.loads(rows(db_path, custom)[0][0]) == {"age": 34, "gender": "female"}
        assert rows(db_path, form) == [("done", "auto")]
        await pilot.press("ctrl+z")  # the second save: the gender, and the task it finished
        await settle(pilot)
        assert json.loads(rows(db_path, custom)[0][0]) == {"age": 34}
        assert rows(db_path, form) == [("open", None)]
        assert screen.selected == task == _highlighted(screen)
        await pilot.press("ctrl+z")  # the first: the age
        await settle(pilot)
        assert json.loads(rows(db_path, custom)[0][0]) == {}
        said = [n.message for n in notices]
        assert any(m.startswith("Undone the save on") and "Gender" in m for m in said), said
        assert not [n for n in notices if n.severity == "error"]


async def test_ctrl_z_withdraws_the_follow_up_a_done_task_made(store, db_path: Path, clock) -> None:
    from salesbench.services.activities import log_activity
    from salesbench.services.customers import add_customer
    from salesbench.services.reps import add_rep

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "Acme"}, clock=clock)
    log_activity(store, {"channel": "visit"}, clock=clock, customer_ref="Acme")
    app = _app(store, clock)
    origins = "SELECT origin, status FROM task ORDER BY origin"
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        thanks = next(i for i in screen.order if screen.items[i].origin == "visit_thanks")
        await _down(pilot, screen.order.index(thanks))
        await pilot.press("d")
        await settle(pilot)
        assert ("no_reply_call", "open") in rows(db_path, origins)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [r for r in rows(db_path, origins) if r[0] in ("visit_thanks", "no_reply_call")] == [
            ("visit_thanks", "open")
        ]


async def test_d_on_a_finished_task_offers_to_reopen_it(store, db_path: Path, clock) -> None:
    _day(store, clock)
    app = _app(store, clock)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        title = screen.items[order[0]].title
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("h")  # show what was finished
        await settle(pilot)
        from textual.widgets import OptionList

        option_list = screen.query_one("#queue", OptionList)
        option_list.highlighted = option_list.get_option_index(order[0])
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert _status(db_path, title)[0] == "done"
        assert notices[-1].message == f"“{title}” is done already: press d again to reopen it"
        assert notices[-1].severity == "information"
        await pilot.press("d")
        await settle(pilot)
        assert _status(db_path, title) == ("open", None, None)
        assert screen.selected == order[0]
        assert not [n for n in notices if n.severity == "error"]


async def test_ctrl_z_in_the_focus_run_goes_back_to_the_task(store, db_path: Path, clock) -> None:
    _day(store, clock)
    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        await pilot.press("enter")
        await settle(pilot)
        focus = app.screen
        await pilot.press("d")
        await settle(pilot)
        assert focus.detail.task_id == order[1]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert focus.detail.task_id == order[0]
        assert focus.tally["done"] == 0
        assert _status(db_path, screen.items[order[0]].title)[0] == "open"
