"""The workbench while another process holds the database's write lock: it says what it
waits for, keeps answering keys, and writes once when the lock is free."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.services.session import Store, open_store
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.tui_support import Notice, record_notices, rows, settle

MONDAY_10 = sh(2026, 11, 23, 10)
WAITING = "waiting for another salesbench process to finish writing"
WELCOME = "Welcome the customer and introduce yourself"
STILL_SAVING = "Still saving the previous change"
PATIENCE_S = 60.0  # the machine is slow and loaded


@pytest.fixture
def shop(db_path: Path, clock) -> Iterator[Store]:
    clock.at = MONDAY_10
    store = open_store(str(db_path))
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    yield store
    store.close()


class WriteLock:
    """Another connection (as another process would) holding the write lock."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


async def until(pilot, seen: list[Notice], text: str) -> Notice:
    """The first notice containing `text`, waiting for it as long as the machine needs."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE_S
    while loop.time() < deadline:
        for notice in seen:
            if text.casefold() in notice.message.casefold():
                return notice
        await pilot.pause(0.1)
    raise AssertionError(f"no notice {text!r} in {[n.message for n in seen]}")


def highlighted(screen: QueueScreen) -> str | None:
    from textual.widgets import OptionList

    option_list = screen.query_one("#queue", OptionList)
    index = option_list.highlighted
    return None if index is None else screen.order[index]


async def test_done_while_another_process_writes_says_so_keeps_answering_and_writes_once(
    shop: Store, db_path: Path, clock
) -> None:
    app = SalesbenchApp(shop, clock=clock, clipboard_tool=None)
    seen = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        assert screen.items[screen.order[0]].title == WELCOME
        first = highlighted(screen)
        lock = WriteLock(db_path)
        try:
            await pilot.press("d")
            notice = await until(pilot, seen, WAITING)
            assert str(db_path) in notice.message
            await pilot.pause(0.2)
            assert [n for n in app._notifications if WAITING in n.message.casefold()]
            # the screen still answers while the write waits: the cursor moves and back
            await pilot.press("j")
            await pilot.pause(0.2)
            assert highlighted(screen) != first
            await pilot.press("k")
            await pilot.pause(0.2)
            assert highlighted(screen) == first
            await pilot.press("d")  # impatient: a second press must not write twice
            await until(pilot, seen, STILL_SAVING)
            welcome = f"SELECT status FROM task WHERE title = '{WELCOME}'"
            assert rows(db_path, welcome) == [("open",)]
        finally:
            lock.release()
        await until(pilot, seen, f"Done: {WELCOME}")
        await settle(pilot)
        # the notice went away with the wait
        assert not [n for n in app._notifications if WAITING in n.message.casefold()]
    assert rows(db_path, f"SELECT status, version FROM task WHERE title = '{WELCOME}'") == [
        ("done", 2)
    ]
    assert [n.message for n in seen if n.message.startswith("Done")] == [f"Done: {WELCOME}"]
    assert not [n for n in seen if n.severity == "error"]


async def test_a_contact_logged_while_another_process_writes_lands_once(
    shop: Store, db_path: Path, clock
) -> None:
    from textual.widgets import Input

    from salesbench.tui.modals import LogModal

    app = SalesbenchApp(shop, clock=clock, clipboard_tool=None)
    seen = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        lock = WriteLock(db_path)
        try:
            await pilot.press("l")
            await pilot.pause(0.3)
            app.screen.query_one("#log-summary", Input).value = "Talked about the sofa"
            await pilot.press("ctrl+s")
            await until(pilot, seen, WAITING)
            # the dialog stays until its write lands; a second save meanwhile is refused
            assert isinstance(app.screen, LogModal)
            await pilot.press("ctrl+s")
            await pilot.pause(0.3)
            await until(pilot, seen, STILL_SAVING)
            assert rows(db_path, "SELECT count(*) FROM activity") == [(0,)]
        finally:
            lock.release()
        await until(pilot, seen, "Logged")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
    assert rows(db_path, "SELECT summary FROM activity") == [("Talked about the sofa",)]
    assert not [n for n in seen if n.severity == "error"]
