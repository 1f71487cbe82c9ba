"""Issue 17, place kept (Seen 1, 8): after snooze, a save, a screen left or the focus
run, the highlight is where the rep was; repeated keys never give a stream of errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import rows
from tests.test_tui_place import _day
from tests.tui_support import record_notices, settle

pytestmark = pytest.mark.sqlite_only


def _app(store, clock):
    from salesbench.tui.app import SalesbenchApp

    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


def _highlighted(screen) -> str | None:
    from textual.widgets import OptionList

    option_list = screen.query_one("#queue", OptionList)
    assert option_list.highlighted is not None
    return option_list.get_option_at_index(option_list.highlighted).id


async def _down(pilot, n: int) -> None:
    for _ in range(n):
        await pilot.press("j")
    await settle(pilot)


async def test_after_snooze_the_next_task_takes_the_place(store, clock) -> None:
    _day(store, clock)
    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        await _down(pilot, 6)
        assert screen.selected == order[6]
        await pilot.press("z")
        await settle(pilot)
        await pilot.click("#snooze-tomorrow")
        await settle(pilot)
        assert app.screen is screen
        assert screen.selected == order[7] == _highlighted(screen)


@pytest.mark.parametrize("key", ["u", "b", "p"])
async def test_back_from_a_screen_the_highlight_is_where_it_was(store, clock, key: str) -> None:
    _day(store, clock)
    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        await _down(pilot, 6)
        await pilot.press(key)
        await settle(pilot)
        assert app.screen is not screen
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert screen.selected == order[6] == _highlighted(screen)


def _day_with_a_deal(store, clock):
    """The day of test_tui_place, with a retail deal's tasks among its own."""
    from salesbench.services.opportunities import add_opportunity

    _day(store, clock)
    add_opportunity(store, "Customer 3", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return _app(store, clock)


async def test_back_from_a_deal_the_highlight_is_where_it_was(store, clock) -> None:
    app = _day_with_a_deal(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        deal_tasks = [i for i in order if screen.items[i].opportunity is not None]
        at = order.index(deal_tasks[1])
        await _down(pilot, at)
        assert screen.selected == deal_tasks[1]
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is not screen
        await pilot.press("escape")
        await settle(pilot)
        assert screen.selected == deal_tasks[1] == _highlighted(screen)


async def test_after_the_focus_run_the_highlight_is_where_the_run_was(store, clock) -> None:
    """Started on the seventh task, two done: the run wrapped round to the first, and
    that is where the rep left it, so that is where the queue's highlight is."""
    _day(store, clock)
    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        await _down(pilot, 6)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not screen
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.detail.task_id == order[0]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert screen.selected == order[0] == _highlighted(screen)


async def test_after_a_save_the_highlight_stays_on_the_task_or_its_successor(store, clock) -> None:
    from textual.widgets import Input, Select

    from salesbench.services.opportunities import add_opportunity

    _day(store, clock)
    add_opportunity(store, "Customer 3", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        form = next(i for i in order if screen.items[i].title.startswith("Fill in the customer"))
        await _down(pilot, order.index(form))
        assert screen.selected == form
        await pilot.press("f")
        screen.query_one("#field-age", Input).value = "34"
        await pilot.click("#save")  # the gender still missing: the task stays
        await settle(pilot)
        assert screen.selected == form == _highlighted(screen)
        await pilot.press("f")
        screen.query_one("#field-gender", Select).value = "female"
        await pilot.click("#save")  # done by itself: the one below takes its place
        await settle(pilot)
        assert form not in screen.order
        assert screen.selected == order[order.index(form) + 1] == _highlighted(screen)


async def test_x_pressed_five_times_quickly_never_toasts_an_error(
    store, db_path: Path, clock
) -> None:
    """Keys pressed while the skip is saved are dropped quietly; one pressed after it
    skips the task that took the skipped one's place."""
    from textual import events

    _day(store, clock)
    app = _app(store, clock)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        titles = [screen.items[i].title for i in order]
        await _down(pilot, 2)
        for _ in range(5):  # queued together, as a key held down or hit fast arrives
            app.post_message(events.Key("x", "x"))
        await settle(pilot)
        skipped = [r[0] for r in rows(db_path, "SELECT title FROM task WHERE status='skipped'")]
        assert 1 <= len(skipped) <= 5
        assert sorted(skipped) == sorted(titles[2 : 2 + len(skipped)])
        assert [n for n in notices if n.severity != "information"] == []
        assert screen.selected == order[2 + len(skipped)] == _highlighted(screen)
        # and once the writes are over, the next x skips the highlighted task
        await pilot.press("x")
        await settle(pilot)
        assert rows(db_path, "SELECT count(*) FROM task WHERE status='skipped'") == [
            (len(skipped) + 1,)
        ]


@pytest.mark.parametrize("key", ["b", "p", "v", "o"])  # u: q is typed into its search
async def test_q_one_screen_deep_goes_back_to_the_queue_not_out(store, clock, key: str) -> None:
    """On the queue q quits; on a screen opened from it (customer center, leaderboard,
    forecast, pipeline, a deal) q goes back as Esc does: a rep who reads q as "close
    this" keeps the workbench and their place."""
    app = _day_with_a_deal(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        order = list(screen.order)
        at = next(n for n, i in enumerate(order) if screen.items[i].opportunity is not None)
        await _down(pilot, at)
        await pilot.press(key)
        await settle(pilot)
        assert app.screen is not screen
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert app.screen is screen
        assert screen.selected == order[at] == _highlighted(screen)


async def test_a_key_pressed_twice_shows_its_warning_once(store, clock) -> None:
    """ "7" twice on a task with fewer scripts stacked two identical toasts."""
    from tests.test_i18n import _zh_app
    from tests.tui_support import settle_until

    app = await _zh_app(store, clock, 10)
    async with app.run_test(size=(160, 48)) as pilot:
        queue = app.screen
        assert await settle_until(pilot, lambda: bool(queue.query("#task-heading")))
        await pilot.press("9", "9")
        await settle(pilot)
        shown = [n.message for n in app._notifications]
        assert len(shown) == len(set(shown)) and shown, shown
