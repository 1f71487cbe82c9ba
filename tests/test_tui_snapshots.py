"""How the workbench looks, on seeded demo data at a fixed time (pytest-textual-snapshot).

Update after an intended change with `scripts/test tests/test_tui_snapshots.py
--snapshot-update` and review the SVGs in tests/__snapshots__.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.worker import WorkerCancelled

from salesbench.core.clock import FixedClock
from salesbench.services.demo import generate
from salesbench.store.open import open_store
from salesbench.tui.app import SalesbenchApp
from tests.sop_world import sh

SIZE = (130, 36)
MONDAY_10 = sh(2026, 11, 23, 10)
REP = "rep3@demo.salesbench.dev"  # reads English; rep1 and rep2 read Chinese


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snap") / "demo.db"
    store = open_store(str(path))
    # a seed whose English rep opens the day with an overdue task, a rotting deal and
    # work done this morning, so the queue's every section is on screen
    generate(store, customers=24, seed=8, reps=3, now=MONDAY_10)
    store.close()
    return path


def make_app(db: Path, at=MONDAY_10) -> SalesbenchApp:
    return SalesbenchApp(open_store(str(db)), clock=FixedClock(at), rep=REP, clipboard_tool=None)


async def settle(pilot) -> None:
    """Until the screen is still: the panel follows the cursor after a short rest."""
    for _ in range(3):
        await pilot.pause(0.15)
        # an exclusive worker displaced by a newer one reports itself cancelled
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_queue_morning(snap_compare, demo_db: Path) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=settle)


def test_queue_at_80_by_24(snap_compare, demo_db: Path) -> None:
    """The smallest terminal: the footer's keys that matter, wrapped titles indented."""
    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=settle)


def test_queue_end_of_day_at_80_by_24(snap_compare, demo_db: Path) -> None:
    assert snap_compare(
        make_app(demo_db, sh(2026, 11, 23, 17)), terminal_size=(80, 24), run_before=settle
    )


def test_queue_at_160_by_48(snap_compare, demo_db: Path) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=(160, 48), run_before=settle)


def test_queue_end_of_day(snap_compare, demo_db: Path) -> None:
    assert snap_compare(
        make_app(demo_db, sh(2026, 11, 23, 17)), terminal_size=SIZE, run_before=settle
    )


def test_task_panel_with_its_form(snap_compare, demo_db: Path) -> None:
    """Another task than the one the queue opens on, its form focused with `f`."""

    async def open_form(pilot) -> None:
        from textual.widgets import Input, OptionList

        await settle(pilot)
        screen = pilot.app.screen
        option_list = screen.query_one("#queue", OptionList)
        # the first task below the opened one that has a form (the demo's deals vary with the
        # bundled playbooks, so no task key is named here)
        for target in [i for i in screen.order if i != screen.selected]:
            option_list.highlighted = option_list.get_option_index(target)
            await settle(pilot)
            if screen.detail.task_id == target and screen.detail.fields:
                break
        assert screen.detail.task_id == target and screen.detail.fields
        for box in screen.query(Input):
            box.cursor_blink = False  # a still frame
        await pilot.press("f")
        await settle(pilot)
        assert pilot.app.focused is not None and pilot.app.focused.id.startswith("field-")

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=open_form)


def test_opportunity_screen(snap_compare, demo_db: Path) -> None:
    async def open_deal(pilot) -> None:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=open_deal)


def test_customer_center(snap_compare, demo_db: Path) -> None:
    async def search(pilot) -> None:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        pilot.app.screen.query_one("#search").cursor_blink = False  # a still frame
        await pilot.press(*"Group")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=search)


def test_leaderboard_screen(snap_compare, demo_db: Path) -> None:
    async def open_board(pilot) -> None:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=open_board)


def test_forecast_screen(snap_compare, demo_db: Path) -> None:
    async def open_forecast(pilot) -> None:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=open_forecast)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_pipeline_screen(snap_compare, demo_db: Path, size: tuple[int, int]) -> None:
    async def open_pipeline(pilot) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=open_pipeline)


async def bad_close_date(pilot) -> None:
    """The deal's edit dialog after Save with an impossible expected close: still open,
    the date kept and the message under it."""
    from textual.widgets import Input

    from salesbench.tui.modals import FormModal

    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, FormModal)
    for box in form.query(Input):
        box.cursor_blink = False  # a still frame
    form.query_one("#form-expected_close", Input).value = "2027-02-30"
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is form and form.query_one("#error-expected_close").display


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_a_dialog_with_a_refused_value(snap_compare, demo_db: Path, size) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=bad_close_date)
