"""One figure for overdue (issue 17): a complaint clock run out is overdue too, so the
header's count is what the queue's headings add up to, on the workbench and the CLI."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from textual.widgets import OptionList, Static

from salesbench.services.complaints import add_complaint
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import CLOCK
from tests.sop_world import sh
from tests.tui_support import settle

pytestmark = pytest.mark.sqlite_only


def headings_overdue(lines: list[str]) -> int:
    """What the section headings say is overdue: the Overdue section's rows, and the
    complaint clocks run out, which head the queue in their own section."""
    late = [re.match(r"Overdue \((\d+)\)", line) for line in lines]
    late += [
        re.search(r"(\d+) overdue", line) for line in lines if line.startswith("Complaint clocks")
    ]
    return sum(int(m[1]) for m in late if m)


@pytest.fixture
def late_world(store, clock):
    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    clock.at += timedelta(days=3)  # the deal's first tasks are late by now
    add_complaint(store, "李娜", {"content": "Late delivery"}, clock=clock)
    clock.at += timedelta(hours=2)  # the hour to respond has run out, the day not yet
    return store


async def test_the_header_overdue_is_what_the_headings_add_up_to(late_world, clock) -> None:
    app = SalesbenchApp(late_world, clock=clock, clipboard_tool=None)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen) and screen.view is not None
        header = str(screen.query_one("#counts", Static).render())
        said = int(re.search(r"(\d+) overdue", header)[1])  # type: ignore[index]
        heads = [
            str(o.prompt)
            for o in screen.query_one("#queue", OptionList).options
            if o.disabled and str(o.prompt)[:1].isupper()
        ]
        assert said == screen.view.queue.counts.overdue >= 2, header
        assert headings_overdue(heads) == said, (header, heads)


def test_the_cli_queue_overdue_is_what_the_headings_add_up_to(
    late_world, clock, cli, monkeypatch
) -> None:
    monkeypatch.setenv("SALESBENCH_NOW", clock.now().isoformat())
    shown = cli("queue", "--rep", "wf@example.com")
    assert shown.exit_code == 0, shown.output
    said = int(re.search(r"(\d+) overdue", shown.output)[1])  # type: ignore[index]
    assert said >= 2 and headings_overdue(shown.output.splitlines()) == said, shown.output
