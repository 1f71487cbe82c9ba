"""How the first run looks at 80x24 (issue 17): the first rep's form with a value it
refused, and the rep picker on a three-rep demo. Update with `--snapshot-update`."""

from __future__ import annotations

from pathlib import Path

from salesbench.core.clock import FixedClock
from salesbench.services.demo import generate
from salesbench.store.open import open_store
from salesbench.tui.app import SalesbenchApp
from tests.sop_world import sh
from tests.test_tui_snapshots import settle

SMALL = (80, 24)
MONDAY_10 = sh(2026, 11, 23, 10)


def test_first_rep_form_with_an_error(snap_compare, db_path: Path) -> None:
    app = SalesbenchApp(open_store(str(db_path)), clock=FixedClock(MONDAY_10), clipboard_tool=None)

    async def refused(pilot) -> None:
        await settle(pilot)
        await pilot.press(*"Wang Fang")
        app.screen.query_one("#rep-email").value = "wf@acme"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        # a still frame: the refused field has the focus, scrolled into sight, no blink
        for _ in range(40):
            if getattr(app.focused, "id", None) == "rep-email":
                break
            await pilot.pause(0.05)
        for box in app.screen.query("Input"):
            box.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.wait_for_scheduled_animations()
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=refused)


def test_rep_picker(snap_compare, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "demo.db"))
    generate(store, customers=12, seed=11, reps=3, now=MONDAY_10)
    app = SalesbenchApp(store, clock=FixedClock(MONDAY_10), clipboard_tool=None)
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)
