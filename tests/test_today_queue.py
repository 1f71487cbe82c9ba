"""Today's queue is the next 24 hours, ranked by time left, with every complaint clock
first (issue 16, item 9): on the command line and in the workbench."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from salesbench.core.clock import FixedClock
from salesbench.services.complaints import add_complaint
from salesbench.services.customers import add_customer
from salesbench.services.opportunities import add_opportunity
from salesbench.services.reps import add_rep
from salesbench.tui.app import SalesbenchApp
from salesbench.tui.queue_screen import QueueScreen
from tests.conftest import CLOCK, NOW, rows
from tests.sop_world import sh
from tests.tui_support import settle

# conftest's cli fixture pins SALESBENCH_NOW to Monday 2026-11-23 09:30 UTC (17:30 in Shanghai)
MIDNIGHT = "2026-11-23 16:00:00"  # Tuesday 00:00 in Shanghai, in UTC as the database keeps it


def js(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def ok(result) -> None:
    assert result.exit_code == 0, result.output


def in_order(queue: dict) -> list[tuple[str, str]]:
    """(section, origin) of every task as the queue lists them, top to bottom."""
    return [
        (s["key"], t["origin"]) for s in queue["sections"] for g in s["groups"] for t in g["tasks"]
    ]


@pytest.mark.both_backends
def test_a_task_due_within_24_hours_is_todays_work(rep, db) -> None:
    ok(rep("customer", "add", "Beta Ltd"))
    ok(rep("opp", "add", "Beta Ltd", "Platform", "--playbook", "b2b-lifecycle"))
    # the first email is due in 24 hours: tomorrow on the calendar
    (due,) = rows(db, "SELECT due_at FROM task WHERE origin = 'first_email'")[0]
    assert str(due) > MIDNIGHT
    queue = js(rep("queue", "--json"))
    listed = in_order(queue)
    assert ("today", "first_email") in listed
    # ranked by time left: the channel (due at today's close) before the email
    assert listed.index(("today", "record_channel")) < listed.index(("today", "first_email"))
    assert queue["counts"]["due_today"] == 2
    # the end-of-day panel still previews it as tomorrow's first work
    eod = js(rep("queue", "--mode", "eod", "--json"))
    assert [t["origin"] for t in eod["eod"]["tomorrow"]] == ["first_email"]


@pytest.mark.both_backends
def test_a_task_due_in_two_days_waits(rep, db, monkeypatch) -> None:
    ok(rep("customer", "add", "Gamma"))
    ok(
        rep(
            "opp",
            "add",
            "Gamma",
            "Deal",
            "--playbook",
            "b2b-lifecycle",
            "--stage",
            "lead_screening",
        )
    )
    # the screening call is due in three days: not today's work
    assert ("today", "screening_call") not in in_order(js(rep("queue", "--json")))
    monkeypatch.setenv("SALESBENCH_NOW", (NOW + timedelta(days=2, hours=3)).isoformat())
    assert ("today", "screening_call") in in_order(js(rep("queue", "--json")))


@pytest.mark.both_backends
def test_every_complaint_clock_is_ranked_first(rep, db) -> None:
    ok(rep("customer", "add", "Acme", "--grade", "A"))
    ok(rep("opp", "add", "Acme", "Big sofa", "--playbook", "retail-5", "--amount", "900000"))
    ok(rep("customer", "add", "Small Co", "--grade", "C"))
    ok(rep("complaint", "add", "Small Co", "The delivery is a week late"))
    assert rows(
        db, "SELECT origin, status FROM task WHERE origin LIKE 'complaint%' ORDER BY 1"
    ) == [
        ("complaint_respond", "open"),
        ("complaint_solve", "open"),
    ]
    listed = in_order(js(rep("queue", "--json")))
    # a small customer's complaint comes before a grade-A deal's tasks due at 18:00
    assert listed[:2] == [("complaints", "complaint_respond"), ("complaints", "complaint_solve")]
    assert {section for section, _origin in listed[2:]} == {"today"}
    assert len(listed) == 6


@pytest.mark.both_backends
def test_task_why_names_the_complaint_clock(rep, db) -> None:
    ok(rep("customer", "add", "Small Co"))
    ok(rep("complaint", "add", "Small Co", "Broken leg on the chair"))
    (task_id,) = rows(db, "SELECT id FROM task WHERE origin = 'complaint_respond'")[0]
    out = js(rep("task", "why", str(task_id)[:8], "--json"))
    assert out["terms"]["complaint"] == {"value": 10.0, "why": "a complaint's clock"}


# ------------------------------------------------------------------ the workbench


@pytest.fixture
def app(store, db_path: Path) -> SalesbenchApp:
    clock = FixedClock(sh(2026, 11, 23, 10))  # Monday 10:00 in Shanghai
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Beta Ltd", "grade": "A"}, clock=clock)
    add_opportunity(
        store, "Beta Ltd", {"title": "Platform", "playbook_key": "b2b-lifecycle"}, clock=clock
    )
    add_customer(store, {"name": "Small Co"}, clock=clock)
    add_complaint(store, "Small Co", {"content": "Late delivery"}, clock=clock)
    return SalesbenchApp(store, clock=clock, clipboard_tool=None)


async def test_the_workbench_shows_the_complaint_first_and_the_24_hour_email(
    app: SalesbenchApp, db_path: Path
) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        listed = [screen.items[i].title for i in screen.order]
        assert listed[:2] == [
            "Respond to Small Co's complaint",
            "Give Small Co a solution with dates",
        ]
        assert "Send the first email within 24 hours" in listed
        assert len(listed) == 4  # the two clocks, the channel and the email
    (due,) = rows(db_path, "SELECT due_at FROM task WHERE origin = 'first_email'")[0]
    assert str(due) > MIDNIGHT
