"""`m` and `h` rebuild the rows already read (QueueView.rebuilt) instead of reading the
queue again: the rebuilt view must be the one a fresh read gives."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from salesbench.services.demo import generate
from salesbench.services.queue import QueueView, load_queue
from salesbench.store.open import open_store
from tests.sop_world import sh

MONDAY_10 = sh(2026, 11, 23, 10)
REP = "rep1@demo.salesbench.dev"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("rebuilt") / "demo.db"
    store = open_store(str(path))
    generate(store, customers=80, seed=5, reps=2, now=MONDAY_10)
    yield store
    store.close()


def shape(view: QueueView) -> tuple:
    q = view.queue
    return (
        q.mode,
        q.counts,
        [(s.key, [[(i.item.id, i.score) for i in g.items] for g in s.groups]) for s in q.sections],
        q.eod,
        [o.id for _c, o in q.no_next_step],
        [(o.id, d) for _c, o, d in q.rotting],
    )


@pytest.mark.parametrize(
    ("mode", "include_done"), [("eod", False), ("morning", True), ("eod", True)]
)
def test_a_rebuilt_view_is_the_view_a_fresh_read_gives(store, mode, include_done) -> None:
    shown = load_queue(store, now=MONDAY_10, rep=REP, mode="morning")
    later = MONDAY_10 + timedelta(minutes=20)
    again = shown.rebuilt(now=later, mode=mode, include_done=include_done)
    assert again is not None
    fresh = load_queue(store, now=later, rep=REP, mode=mode, include_done=include_done)
    assert shape(again) == shape(fresh)
    assert [i.id for i in again.items] == [i.id for i in fresh.items]


def test_rows_read_yesterday_are_read_again(store) -> None:
    shown = load_queue(store, now=MONDAY_10, rep=REP)
    assert shown.rebuilt(now=MONDAY_10 + timedelta(days=1), mode="eod") is None
    moved = load_queue(store, now=MONDAY_10, rep=REP, on=MONDAY_10.date() + timedelta(days=2))
    assert moved.rebuilt(now=MONDAY_10, mode="eod") is None


async def test_m_and_h_in_the_workbench_show_the_rows_on_screen_without_reading(
    store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salesbench.core.clock import FixedClock
    from salesbench.services import queue as queue_service
    from salesbench.tui.app import SalesbenchApp
    from tests.tui_support import settle

    app = SalesbenchApp(store, clock=FixedClock(MONDAY_10), rep=REP, clipboard_tool=None)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        reads: list[object] = []
        real = queue_service.load_queue
        monkeypatch.setattr(
            queue_service, "load_queue", lambda *a, **kw: reads.append(kw) or real(*a, **kw)
        )
        await pilot.press("m")
        await settle(pilot)
        assert screen.view.queue.mode == "eod"
        assert "下班前盘点" in str(screen.query_one("#title").render())  # the rep reads Chinese
        await pilot.press("h")
        await settle(pilot)
        assert [s.key for s in screen.view.queue.sections][-1] == "done"
        assert reads == []
        await pilot.press("r")  # a refresh reads again
        await settle(pilot)
        assert len(reads) == 1
