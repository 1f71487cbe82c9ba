"""The collector waits while the workbench starts, then leaves start-up's objects out of
its walks (tui/memory.py): a full collection over them took 0.16-0.2 s and landed on a
cursor move (the bench's slowest move, issue 17) or on the first paint."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tests.conftest import NOW

pytestmark = pytest.mark.xdist_group("writers")


async def test_start_up_is_frozen_out_of_collection_then_given_back(book: Path) -> None:
    from salesbench.core.clock import FixedClock
    from salesbench.tui.app import SalesbenchApp
    from tests.tui_support import settle

    assert gc.isenabled() and gc.get_freeze_count() == 0
    app = SalesbenchApp(db=str(book), clock=FixedClock(NOW), clipboard_tool=None)
    collecting: list[bool] = []
    app.post_display_hook = lambda: collecting.append(gc.isenabled())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app._catalog is not None  # the warm-up is over
        assert collecting[0] is False  # no walk before the first paint
        assert gc.isenabled() and gc.get_freeze_count() > 0
        await pilot.press("j")
        await settle(pilot)
        assert gc.isenabled()
    # the app is gone: its objects can be collected like any others
    assert gc.isenabled() and gc.get_freeze_count() == 0


async def test_a_failed_warm_up_still_gives_collection_back(book: Path, monkeypatch) -> None:
    from salesbench.core.clock import FixedClock
    from salesbench.core.errors import DatabaseReplaced
    from salesbench.tui.app import SalesbenchApp
    from tests.tui_support import settle

    app = SalesbenchApp(db=str(book), clock=FixedClock(NOW), clipboard_tool=None)

    def broken() -> None:
        raise DatabaseReplaced.at(book)

    monkeypatch.setattr(app, "_open_services", broken)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert gc.isenabled()  # told while the workbench stops
    assert app.return_code == 4
    assert gc.isenabled() and gc.get_freeze_count() == 0
