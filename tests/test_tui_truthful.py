"""Truthful screens (issue 17): every count one figure wherever it shows, every time in
the rep's day, the workbench's keys (never a CLI command) in its notices."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual.widgets import Static

from salesbench.core.clock import FixedClock
from salesbench.services.demo import generate
from salesbench.store.open import open_store
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.sop_world import sh
from tests.tui_support import settle

REP = "rep3@demo.salesbench.dev"


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    store = open_store(str(path))
    generate(store, customers=24, seed=11, reps=3, now=sh(2026, 11, 23, 10))
    store.close()
    return path


def _figures(text: str) -> dict[str, int]:
    """`{"open": 12, "done": 3, ...}` from a line such as "12 open · 3 done today"."""
    return {word: int(n) for n, word in re.findall(r"(\d+) (open|done|overdue|skipped)", text)}


@pytest.mark.sqlite_only
async def test_the_header_and_the_end_of_day_panel_give_the_same_counts(demo_db: Path) -> None:
    at = sh(2026, 11, 23, 17)  # the end-of-day review, suggestions in the queue
    app = SalesbenchApp(
        open_store(str(demo_db)), clock=FixedClock(at), rep=REP, clipboard_tool=None
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        skipped_before = _figures(str(screen.query_one("#eod", Static).render())).get("skipped", 0)
        for key in ("x", "x"):  # two skips: the header counts no skip as done
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("m")  # morning, then back: both views count the same
        await settle(pilot)
        morning = _figures(str(screen.query_one("#counts", Static).render()))
        await pilot.press("m")
        await settle(pilot)
        header = _figures(str(screen.query_one("#counts", Static).render()))
        panel_text = str(screen.query_one("#eod", Static).render())
        panel = _figures(panel_text.splitlines()[0])
        q = screen.view.queue if screen.view else None
        assert q is not None and q.eod is not None
        assert len(q.eod.still_open) < q.counts.open, "suggestions beside today's work"
    assert header["open"] == panel["open"], (header, panel_text)
    assert header["done"] == panel["done"] == morning["done"], (header, panel_text)
    assert panel["skipped"] == skipped_before + 2, panel_text
    assert morning["open"] >= header["open"] - 2  # the morning lists what the evening does


def _app(store, clock) -> SalesbenchApp:
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep

    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


def _other_process(db, *args: str) -> None:
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    done = subprocess.run(
        [sys.executable, "-m", "salesbench", *args],
        env=subprocess_env(None, SALESBENCH_DB=str(db)),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


async def _until(pilot, ok, seconds: float = 8.0) -> bool:
    for _ in range(int(seconds / 0.2)):
        if ok():
            return True
        await pilot.pause(0.2)
    return ok()


@pytest.mark.both_backends
async def test_a_write_by_another_process_shows_without_a_key(store, db, clock) -> None:
    from tests.test_tui import titles

    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        first, second = screen.order[:2]
        gone = screen.items[second].title
        await pilot.press("j")  # the rep is on the second task...
        await settle(pilot)
        assert screen.selected == second
        before = _figures(str(screen.query_one("#counts", Static).render()))["open"]
        _other_process(db, "task", "skip", second)  # ...which another process skips
        assert await _until(pilot, lambda: gone not in titles(screen)), titles(screen)
        assert _figures(str(screen.query_one("#counts", Static).render()))["open"] == before - 1
        assert screen.selected in screen.order and screen.selected != first  # the place kept
        await settle(pilot)
        assert screen.detail is not None and screen.detail.task_id == screen.selected


@pytest.mark.sqlite_only
async def test_the_reread_waits_while_the_rep_types_in_the_form(store, db, clock) -> None:
    from textual.widgets import Input

    from tests.test_tui import select, titles

    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await select(pilot, screen, "Fill in the customer's basic data")
        other = next(i for i in screen.order if i != screen.selected)
        gone = screen.items[other].title
        await pilot.press("f")
        await settle(pilot)
        box = screen.query_one("#field-age", Input)
        box.value = "3"
        _other_process(db, "task", "skip", other)
        await pilot.pause(4.5)  # two looks at the change mark, and more
        assert gone in titles(screen)  # not under the rep's hands
        assert screen.query_one("#field-age", Input).value == "3"
        screen.query_one("#queue").focus()  # back on the list: now it is read again
        assert await _until(pilot, lambda: gone not in titles(screen)), titles(screen)


@pytest.mark.sqlite_only
async def test_a_reread_that_lands_while_the_rep_types_keeps_the_form(store, clock) -> None:
    """A reread begun before `f` (the first look at the change mark, an action's reload)
    finishes after it: the list may change, the form under the rep's hands does not."""
    from textual.widgets import Input

    from tests.test_tui import select

    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await select(pilot, screen, "Fill in the customer's basic data")
        await pilot.press("f")
        await settle(pilot)
        box = screen.query_one("#field-age", Input)
        box.focus()
        await pilot.pause()
        await pilot.press("3")
        screen.reload()  # as if it had started a moment before the key
        await settle(pilot)
        assert screen.query_one("#field-age", Input) is box and box.value == "3"
        assert box.has_focus  # the next key still types into the form
        await pilot.press("escape")  # out of the form: what is shown is read again
        await settle(pilot)
        assert screen.detail is not None and screen.detail.task_id == screen.selected


@pytest.mark.sqlite_only
async def test_the_deal_screen_shows_another_processs_edit_without_a_key(store, db, clock) -> None:
    from salesbench.tui.opportunity_screen import OpportunityScreen

    app = _app(store, clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OpportunityScreen)
        _other_process(db, "opp", "edit", "Sofa", "--title", "Corner sofa")
        title = screen.query_one("#title", Static)
        assert await _until(pilot, lambda: "Corner sofa" in str(title.render())), title.render()


@pytest.mark.sqlite_only
async def test_at_80_columns_the_footer_shows_the_keys_that_matter_and_help_shows_all(
    store, db, clock
) -> None:
    from textual.widgets._footer import FooterKey

    from salesbench.tui.actions import QUEUE_ACTIONS

    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = list(app.screen.query(FooterKey))
        shown = {k.action for k in keys if k.region.right <= 80 and k.region.width > 0}
        # the task's own keys and the palette's: the rest are in `?` and the palette
        matter = {"start_focus", "done", "skip", "snooze", "fill", "copy(1)", "log"}
        matter |= {"open_opportunity", "help"}
        assert all(k.region.right <= 80 for k in keys), [(k.action, k.region) for k in keys]
        assert matter <= shown, (
            sorted(matter - shown),
            [(k.action, k.region.x, k.region.width) for k in keys][-4:],
        )
        assert "command_palette" in shown, [(k.action, k.region.x, k.region.width) for k in keys][
            -4:
        ]
        assert all(k.region.right <= 80 for k in keys), [(k.action, k.region) for k in keys]
        await pilot.press("question_mark")
        await settle(pilot)
        from rich.console import Console
        from textual.widgets import KeyPanel

        table = app.screen.query_one(KeyPanel).query_one("BindingsTable").render()
        console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(table)
        listed = console.export_text()
        first = {a.action: a.title for a in reversed(QUEUE_ACTIONS)}  # `c` and `1`: one row
        for title in first.values():
            if not title.startswith("Copy script "):  # 1-9: one row (tests/test_tui_palette)
                assert title in listed, title  # every key, those the footer leaves out too
        assert "1-9 Copy script" in listed


def test_every_palette_entry_shows_its_key(store, db, clock) -> None:
    app = _app(store, clock)
    screen = QueueScreen()
    titles = {c.title for c in app.get_system_commands(screen)}
    assert {"Leaderboard  b", "Filter  /", "Done  d"} <= titles, titles


@pytest.mark.sqlite_only
async def test_a_wrapped_title_keeps_its_indent_at_80_columns(store, db, clock) -> None:
    from textual.widgets import OptionList

    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        listed = screen.query_one("#queue", OptionList)
        width = listed.scrollable_content_region.width
        title = "Record the visit: source, companions, decision maker"
        assert len(title) + 17 > width, width  # it wraps here
        lines = [listed.render_line(y).text for y in range(listed.scrollable_content_region.height)]
        at = next(n for n, line in enumerate(lines) if "Record the visit:" in line)
        start = lines[at].index("Record")
        nxt = lines[at + 1]
        assert nxt[:start].strip() == "" and nxt[start] != " ", lines[at : at + 2]


@pytest.mark.sqlite_only
async def test_at_80_by_24_the_end_of_day_block_leaves_the_queue_its_rows(demo_db: Path) -> None:
    at = sh(2026, 11, 23, 17)
    app = SalesbenchApp(
        open_store(str(demo_db)), clock=FixedClock(at), rep=REP, clipboard_tool=None
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        box, listed = screen.query_one("#eod"), screen.query_one("#queue")
        assert box.display and box.region.height <= 3, box.region
        assert listed.region.height >= 16, listed.region
        assert "open" in str(box.render())


@pytest.mark.sqlite_only
async def test_times_show_in_the_reps_day_on_the_deal_and_in_the_customer_center(
    store, db, clock
) -> None:
    from datetime import UTC, datetime

    from salesbench.services.activities import log_activity
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from tests.test_tui_customers import open_center

    app = _app(store, clock)  # Wang Fang works in Asia/Shanghai (UTC+8)
    clock.at = datetime(2026, 11, 23, 7, 44, tzinfo=UTC)  # 15:44 in Shanghai
    log_activity(store, {"channel": "visit", "summary": "showroom"}, clock=clock,
                 opportunity_ref="Sofa")  # fmt: skip
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)
        facts = str(app.screen.query_one("#opp-facts", Static).render())
        assert "2026-11-23 15:44  visit" in facts and "07:44" not in facts, facts
        await pilot.press("escape")
        screen = await open_center(pilot, "李")
        detail = str(screen.query_one("#customer-history", Static).render())
        assert "2026-11-23 15:44  visit" in detail and "07:44" not in detail, detail


@pytest.mark.sqlite_only
async def test_a_tick_that_completes_the_stage_says_the_workbench_keys(store, db, clock) -> None:
    from textual.widgets import Checkbox

    from salesbench.services.tasks import finish_task
    from tests.test_tui import select
    from tests.tui_support import record_notices

    app = _app(store, clock)
    welcome = "Welcome the customer and introduce yourself"
    for task_id, title in rows_of(db, "SELECT id, title FROM task WHERE status = 'open'"):
        if title != welcome:  # the stage's other work done: ticking Welcome completes it
            finish_task(store, task_id, "done", clock=clock, reason="done at the counter")
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await select(pilot, screen, welcome)
        for n in (1, 2):  # the panel is drawn again after each tick: find the box anew
            screen.query_one(f"#check-{n}", Checkbox).value = True
            await settle(pilot)
        said = [n.message for n in notices if "complete" in n.message]
    assert rows_of(db, "SELECT status FROM task WHERE title = ?", welcome) == [("done",)], [
        n.message for n in notices
    ]
    assert said and "press a" in said[-1] and "opp " not in said[-1], [n.message for n in notices]


def rows_of(db, sql: str, *args: object) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def test_the_done_section_counts_what_the_header_counts_and_names_the_skips() -> None:
    """The header says "52 done today" (a skip is not done); the section of today's
    finished tasks, which lists the skips too, said "Done today (54)"."""
    from types import SimpleNamespace

    from salesbench.core.queue import SECTION_TITLES, Section
    from salesbench.core.queue_heads import section_heading

    section = Section("done", SECTION_TITLES["done"], [])
    items = [SimpleNamespace(status=s) for s in ("done", "done", "skipped", "done")]
    assert section_heading(section, items, sh(2026, 11, 23, 17)) == "Done today (3, 1 skipped)"
    only_done = [SimpleNamespace(status="done")] * 2
    assert section_heading(section, only_done, sh(2026, 11, 23, 17)) == "Done today (2)"
