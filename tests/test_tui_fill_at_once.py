"""`f` at once after a move opens the form of the task now under the cursor, and the
typing that follows goes into it, never to the queue's one-key actions; typing kept
past Esc is added to, not replaced, when the rep comes back."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from salesbench.tui.queue_screen import QueueScreen
from salesbench.tui.task_panel import TaskPanel
from tests.test_tui_truthful import _app
from tests.tui_support import record_notices, settle

pytestmark = pytest.mark.sqlite_only
FORM_TASK = "Fill in the customer's basic data"


async def test_f_right_after_j_fills_the_task_under_the_cursor(store, clock) -> None:
    from tests.test_tui import select

    app = _app(store, clock)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await select(pilot, screen, "Welcome the customer and introduce yourself")
        assert screen.items[screen.order[1]].title == FORM_TASK
        await pilot.press("j", "f")  # before the panel has followed the cursor
        await settle(pilot)
        await pilot.press("3", "x")  # typed: a script's key and skip's, in the queue
        await settle(pilot)
        panel = screen.query_one(TaskPanel)
        assert panel.detail is not None and panel.detail.title == FORM_TASK
        focused = app.focused
        assert isinstance(focused, Input) and panel in focused.ancestors, focused
        assert focused.value.endswith("3x"), focused.value
        assert screen.items[screen.selected or ""].title == FORM_TASK  # nothing skipped
        assert not [n.message for n in notices], [n.message for n in notices]


async def test_typing_kept_past_esc_is_added_to(store, clock) -> None:
    from tests.test_tui import select

    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await select(pilot, screen, FORM_TASK)
        await pilot.press("f")
        await settle(pilot)
        box = app.focused
        assert isinstance(box, Input)
        there = box.value  # the customer's name, filled in already
        await pilot.press(*"Wang")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press(*" Fang")
        assert isinstance(app.focused, Input) and app.focused.value == there + "Wang Fang"
