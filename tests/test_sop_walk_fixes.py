"""Findings from walking i16-int (issue 16): a standard the mode enforces holds on a
manual `done` as on an automatic one; every deal is reachable in the workbench (a deal
waiting at its gate is in the queue); complaint times in the rep's zone and the
complaint's task linked to its deal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import rows


def ok(result) -> None:
    assert result.exit_code == 0, result.output


@pytest.fixture
def rep(cli):
    ok(cli("init", "--name", "Wang Fang", "--email", "wf@example.com"))
    return cli


def negotiation(db) -> list[tuple]:
    return rows(db, "SELECT status, custom FROM task WHERE origin = 'commercial_negotiation'")


QUICK = ("--playbook", "solution-selling", "--stage", "present_value", "--mode", "quick_knife")
BELOW_FLOOR = ("list_price=100000", "amount=70000", "terms_agreed=yes", "agrees_to_sign=yes")


def quick_deal_below_floor(rep, db) -> str:
    ok(rep("customer", "add", "Small Co"))
    ok(rep("opp", "add", "Small Co", "ERP SS", *QUICK))
    ok(rep("opp", "set", "ERP SS", *BELOW_FLOOR))
    ((task,),) = rows(db, "SELECT id FROM task WHERE origin = 'commercial_negotiation'")
    return str(task)[:8]


@pytest.mark.both_backends
def test_manual_done_below_an_enforced_price_floor_is_refused_and_names_the_standard(
    rep, db
) -> None:
    task = quick_deal_below_floor(rep, db)
    refused = rep("task", "done", task)
    assert refused.exit_code == 2, refused.output
    assert "price at 70% of list; Quick knife keeps at least 80%" in refused.output
    assert "Traceback" not in refused.output
    assert [s for s, _ in negotiation(db)] == ["open"]
    ok(rep("task", "done", task, "--reason", "director approved the discount"))
    ((state, custom),) = negotiation(db)
    assert state == "done"
    kept = json.loads(custom)["done_anyway"]
    assert kept["reason"] == "director approved the discount"
    assert any("Quick knife keeps at least 80%" in o for o in kept["open"])


GUIDE_NEEDS_BUT_THE_VISIT_PLAN = [
    "visit_on=2026-11-25",  # the visit booked; its questions not written down
    "assessment_verified=yes",
    "pain_points=month-end takes ten days",
    "vision=close the books in three days",
    "letter1_on=2026-11-26",
    *("enjoys_talking=yes", "expertise_recognised=yes", "needs_agreed=yes"),
    *("pain_acknowledged=yes", "wants_pain_solved=yes", "reference_accepted=yes"),
]


@pytest.mark.sqlite_only
async def test_workbench_follows_the_toast_from_the_last_task_to_the_gate_and_its_turnaround(
    store, db_path: Path, clock
) -> None:
    from datetime import timedelta

    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.services.sop import set_fields
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.modals import QuestionModal
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from salesbench.tui.queue_screen import QueueScreen
    from tests.conftest import CLOCK
    from tests.test_tui import select
    from tests.tui_support import record_notices, settle, settle_until

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Big Co"}, clock=clock)
    add_opportunity(
        store,
        "Big Co",
        {"title": "ERP", "playbook_key": "solution-selling", "stage_key": "guide_needs"},
        clock=clock,
    )
    set_fields(store, "ERP", GUIDE_NEEDS_BUT_THE_VISIT_PLAN, clock=clock)
    assert rows(
        db_path, "SELECT origin FROM task WHERE stage_key = 'guide_needs' AND status = 'open'"
    ) == [("prepare_visit",)]
    clock.at += timedelta(days=3)  # the visit plan is today's work
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        title = rows(db_path, "SELECT title FROM task WHERE origin = 'prepare_visit'")[0][0]
        await select(pilot, screen, title)
        await pilot.press("d")
        await settle(pilot)
        if not isinstance(app.screen, QueueScreen):  # a criterion still open: done anyway
            from textual.widgets import Input

            app.screen.query_one("#form-reason", Input).value = "questions agreed by phone"
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert rows(db_path, "SELECT status FROM task WHERE origin = 'prepare_visit'") == [
            ("done",)
        ]
        toast = [n.message for n in notices if "is complete" in n.message]
        assert toast and "open the deal (o) and press a" in toast[0], notices
        # which deal: two such toasts side by side could not be told apart
        assert toast[0].startswith("Big Co / ERP: Stage "), toast
        # the queue reloads after the write: `o` acts on what it then highlights
        assert await settle_until(
            pilot, lambda: screen.current() is not None or screen.selected in screen.deals
        )
        await pilot.press("o")  # as the toast says
        assert await settle_until(pilot, lambda: isinstance(app.screen, OpportunityScreen)), [
            n.message for n in notices
        ]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, QuestionModal)
        await pilot.press("n")
        await settle(pilot)
    assert not any("belongs to no opportunity" in n.message for n in notices)
    assert rows(db_path, "SELECT stage_key FROM opportunity") == [("develop_opportunity",)]
    assert rows(
        db_path,
        "SELECT origin FROM task WHERE origin LIKE 'turnaround%' AND status = 'open' "
        "ORDER BY origin",
    ) == [("turnaround_vision_plan",), ("turnaround_vision_why",)]


@pytest.mark.both_backends
def test_complaint_times_are_in_the_reps_zone_and_its_tasks_belong_to_the_deal(
    rep, db, monkeypatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")  # the machine's zone is not the rep's
    time.tzset()
    try:
        ok(rep("rep", "edit", "wf@example.com", "--timezone", "Asia/Shanghai"))
        ok(rep("customer", "add", "Li Na", "--kind", "person"))
        ok(rep("opp", "add", "Li Na", "Bed", "--playbook", "retail-5"))
        added = rep("complaint", "add", "Li Na", "The bed arrived scratched", "--opp", "Bed")
        ok(added)
        listed = rep("complaint", "list")
    finally:
        monkeypatch.undo()
        time.tzset()
    # received 09:30 UTC = 17:30 in Shanghai: answer by 18:30 local, not 10:30 UTC
    assert "due 11-23 18:30" in added.output, added.output
    assert "11-23 10:30" not in added.output
    assert "11-23 17:30" in listed.output, listed.output
    (opp_id,) = rows(db, "SELECT id FROM opportunity WHERE title = 'Bed'")[0]
    linked = rows(db, "SELECT opportunity_id FROM task WHERE complaint_id IS NOT NULL")
    assert len(linked) == 2 and all(str(o) == str(opp_id) for (o,) in linked), linked


@pytest.mark.sqlite_only
async def test_workbench_o_on_a_complaint_task_opens_the_deal_it_concerns(
    store, db_path: Path, clock
) -> None:
    from salesbench.services.complaints import add_complaint
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from tests.conftest import CLOCK
    from tests.test_tui import select
    from tests.tui_support import record_notices, settle

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Li Na", "kind": "person"}, clock=clock)
    add_opportunity(store, "Li Na", {"title": "Bed", "playbook_key": "retail-5"}, clock=clock)
    _complaint, tasks = add_complaint(
        store, "Li Na", {"content": "The bed arrived scratched"}, clock=clock, opportunity_ref="Bed"
    )
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await select(pilot, app.screen, tasks[0].title)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen), [n.message for n in notices]
        (opp_id,) = rows(db_path, "SELECT id FROM opportunity WHERE title = 'Bed'")[0]
        assert str(app.screen.opportunity_id).replace("-", "") == str(opp_id).replace("-", "")


@pytest.mark.sqlite_only
async def test_workbench_done_below_an_enforced_floor_asks_to_mark_it_done_anyway(
    store, db_path: Path, clock
) -> None:
    from datetime import timedelta

    from textual.widgets import Input

    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.services.sop import set_fields
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.modals import FormModal
    from tests.conftest import CLOCK
    from tests.test_tui import select
    from tests.tui_support import record_notices, settle

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Small Co"}, clock=clock)
    add_opportunity(
        store,
        "Small Co",
        {
            "title": "ERP SS",
            "playbook_key": "solution-selling",
            "stage_key": "present_value",
            "mode": "quick_knife",
        },
        clock=clock,
    )
    set_fields(store, "ERP SS", list(BELOW_FLOOR), clock=clock)
    clock.at += timedelta(days=7)  # the negotiation is due today
    (title,) = rows(db_path, "SELECT title FROM task WHERE origin = 'commercial_negotiation'")[0]
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await select(pilot, app.screen, title)
        await pilot.press("d")
        await settle(pilot)
        said = [n.message for n in notices if "Not done yet" in n.message]
        assert said and "Quick knife keeps at least 80%" in said[0], notices
        assert isinstance(app.screen, FormModal)
        assert [s for s, _ in negotiation(db_path)] == ["open"]
        app.screen.query_one("#form-reason", Input).value = "director approved the discount"
        await pilot.press("ctrl+s")
        await settle(pilot)
    ((state, custom),) = negotiation(db_path)
    assert state == "done"
    assert json.loads(custom)["done_anyway"]["reason"] == "director approved the discount"
