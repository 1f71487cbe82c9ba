"""The live reread (tui/live.py) never moves the highlight silently: when another
process finishes or snoozes the task the rep rests on, a notice names it."""

from __future__ import annotations

import pytest

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.sop_world import sh
from tests.test_tui_truthful import _other_process, _until
from tests.tui_support import record_notices, settle

pytestmark = pytest.mark.sqlite_only


@pytest.mark.parametrize("language", ["en", "zh-CN"])
async def test_a_task_snoozed_elsewhere_is_named_when_the_highlight_moves(
    store, db, clock, language: str
) -> None:
    from tests.test_tui import titles

    clock.at = sh(2026, 11, 23, 10)
    rep = {"name": "Wang Fang", "email": "wf@example.com", "language": language}
    add_rep(store, rep, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await pilot.press("j")
        await settle(pilot)
        rested = screen.selected
        assert rested is not None
        gone = screen.items[rested].title
        assert gone.isascii() == (language == "en"), gone  # the playbook's own words
        _other_process(db, "task", "snooze", rested, "--until", "tomorrow")
        assert await _until(pilot, lambda: gone not in titles(screen)), titles(screen)
        await settle(pilot)
        assert screen.selected != rested  # the highlight moved on...
        said = [n.message for n in notices]
        # ...and the rep is told which task went, and why, in the task's own words
        assert any(gone in m and "snoozed elsewhere" in m for m in said), said
        await pilot.press("d")  # their own action next says nothing of the kind again
        await settle(pilot)
        assert sum("elsewhere" in n.message for n in notices) == 1
