"""The workbench open on a database while batch commands write to it from other
processes: neither side errs, and a refresh shows what the commands wrote."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from salesbench.core.clock import FixedClock
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import subprocess_env
from tests.sop_world import sh
from tests.tui_support import record_notices, settle

NOW = sh(2026, 11, 23, 10)


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = subprocess_env(db, SALESBENCH_NOW=NOW.isoformat())
    return subprocess.run(
        [sys.executable, "-m", "salesbench", *args], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


async def test_commands_write_while_the_workbench_is_open(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    assert cli(db, "init", "--name", "Wang Fang", "--email", "wf@example.com").returncode == 0
    assert cli(db, "customer", "add", "Walk-in", "--kind", "person").returncode == 0
    assert cli(db, "opp", "add", "Walk-in", "Sofa", "--playbook", "retail-5").returncode == 0
    people = tmp_path / "people.csv"
    people.write_text(
        "name,phone\n" + "".join(f"Customer {n},+86 138 0000 {n:04d}\n" for n in range(200)),
        encoding="utf-8",
    )

    app = SalesbenchApp(db=str(db), clock=FixedClock(NOW), clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen) and screen.view is not None
        before = screen.view.queue.counts.open
        assert before == 4

        # batch commands in other processes, one after another, with the app up
        for args in (
            ("import", "customers", str(people)),
            ("opp", "add", "Customer 7", "Bed", "--playbook", "retail-5"),
            ("log", "call", "--customer", "Walk-in", "--summary", "asked about delivery"),
            ("opp", "set", "Sofa", "name=李娜", "age=34", "gender=Female"),
        ):
            done = cli(db, *args)
            assert done.returncode == 0, (args, done.stderr)
            await pilot.pause(0.05)  # the app keeps running meanwhile

        await pilot.press("r")
        await settle(pilot)
        # the new deal's four first-stage tasks; basic data of Sofa completed itself
        assert screen.view.queue.counts.open == before + 4 - 1
        titles = [screen.items[i].title for i in screen.order]
        assert "Fill in the customer's basic data" in titles  # Bed's, still open
        assert sum(1 for t in titles if t == "Fill in the customer's basic data") == 1
        errors = [n for n in notices if n.severity == "error"]
        assert errors == []

        await pilot.press("u")
        await settle(pilot)
        found = app.search_customers("Customer 199")
        assert [c.name for c, _ in found] == ["Customer 199"]
