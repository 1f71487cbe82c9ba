"""Issue 16's engine leftovers: skipped is not done in the weekly report either, the
workbench speaks workbench words, `opp won` checks the last stage, the nurture touch
keeps its title, and the end-of-day panel and `remind` agree with today's queue."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.conftest import NOW, rows, tick_checklists

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def task_id(db, origin: str) -> str:
    return str(rows(db, "SELECT id FROM task WHERE origin = ?", origin)[0][0])[:8]


def weekly_sop(rep, monkeypatch) -> dict:
    monkeypatch.setenv("SALESBENCH_NOW", (NOW + timedelta(hours=2)).isoformat())
    result = rep("report", "weekly", "--format", "json")
    monkeypatch.setenv("SALESBENCH_NOW", NOW.isoformat())
    assert result.exit_code == 0, result.output
    sop = json.loads(result.stdout)["sections"]["sop"]["rows"]
    (total,) = [r for r in sop if r["level"] == "total"]
    return total


def test_the_weekly_report_does_not_count_a_skipped_task_as_done(rep, db, monkeypatch) -> None:
    rep("customer", "add", "Li Na", "--kind", "person")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5", "--stage", "negotiation")
    rep("opp", "set", "Sofa", "amount=12000", "delivery_on=2026-12-10")
    rep("task", "done", task_id(db, "objections"))
    assert "Negotiation 3/4" in rep("opp", "show", "Sofa").output
    before = weekly_sop(rep, monkeypatch)
    assert (before["open"], before["completion"], before["stage_complete"]) == (1, 0.75, 0)
    assert rep("task", "skip", task_id(db, "ask_for_order")).exit_code == 0
    assert rows(db, "SELECT status FROM task WHERE origin = 'ask_for_order'") == [("skipped",)]
    assert "Negotiation 3/4" in rep("opp", "show", "Sofa").output  # the engine's rule
    after = weekly_sop(rep, monkeypatch)  # and the report's: the same
    assert (after["open"], after["completion"], after["stage_complete"]) == (1, 0.75, 0)


@pytest.mark.sqlite_only
async def test_the_workbench_says_which_key_moves_on_never_the_cli_command(
    store, db_path, clock
) -> None:
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.services.sop import set_fields
    from salesbench.tui.app import SalesbenchApp
    from tests.test_tui import select
    from tests.tui_support import record_notices, settle

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(
        store,
        "李娜",
        {"title": "Sofa", "playbook_key": "retail-5", "stage_key": "negotiation"},
        clock=clock,
    )
    deposit = ["amount=12000", "delivery_on=2026-12-10", "deposit_paid=2026-11-23"]
    set_fields(store, "Sofa", deposit, clock=clock)
    clock.at += timedelta(days=7)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await select(pilot, app.screen, "Answer the remaining objections")
        await pilot.press("d")
        await settle(pilot)
    said = [n.message for n in notices]
    ready = [m for m in said if "is complete" in m]
    assert ready, said
    assert not any("`" in m or "opp move" in m or "opp won" in m for m in said), said
    # negotiation is retail-5's last stage: open the deal and close it as won
    assert "press w" in ready[-1] and "(o)" in ready[-1], ready
    still = "SELECT count(*) FROM task WHERE status = 'open' AND stage_key = 'negotiation'"
    assert rows(db_path, still) == [(0,)]


def test_the_cli_still_names_the_command(rep, db) -> None:
    rep("customer", "add", "Li Na", "--kind", "person")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5", "--stage", "negotiation")
    rep("opp", "set", "Sofa", "amount=12000", "delivery_on=2026-12-10", "deposit_paid=2026-11-23")
    done = rep("task", "done", task_id(db, "objections"))
    assert done.exit_code == 0, done.output
    assert "is complete" in done.output and "`opp won`" in done.output


def last_stage_deal(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling", "--stage", "realize_sale")


def test_opp_won_refuses_while_the_last_stage_is_open(rep, db) -> None:
    last_stage_deal(rep, db)
    refused = rep("opp", "won", "ERP")
    assert refused.exit_code == 4, refused.output
    assert "still open:" in refused.output and "--reason" in refused.output
    assert "start_implementation" not in refused.output  # the rep's words, not keys
    assert rows(db, "SELECT status, closed_at FROM opportunity") == [("open", None)]
    bare = rep("opp", "won", "ERP", "--force")
    assert bare.exit_code == 2 and "reason" in bare.output
    assert rows(db, "SELECT status FROM opportunity") == [("open",)]
    won = rep("opp", "won", "ERP", "--reason", "paid in full, kick-off booked by phone")
    assert won.exit_code == 0, won.output
    (status, custom) = rows(db, "SELECT status, custom FROM opportunity")[0]
    assert status == "won"
    kept = json.loads(custom)["won_anyway"]
    assert kept["reason"] == "paid in full, kick-off booked by phone"
    assert kept["open"] and all("_" not in t for t in kept["open"])
    assert "won anyway: paid in full, kick-off booked by phone" in rep("opp", "show", "ERP").output


def _meeting(criterion) -> str:
    """A value that meets the criterion, as a rep would type it."""
    if criterion.field_type == "bool":
        return "yes" if criterion.value is not False else "no"
    if criterion.op in ("equals", "at_least", "at_most"):
        return str(criterion.value)
    if criterion.op == "in":
        return str(criterion.value[0])
    return {"date": "2026-12-11", "money": "1000", "int": "1"}.get(criterion.field_type, "done")


def test_opp_won_on_a_complete_last_stage_needs_no_reason(rep, db) -> None:
    from salesbench.core.playbook_load import load_playbook
    from salesbench.playbooks import bundled_sources

    last_stage_deal(rep, db)
    playbook = load_playbook(bundled_sources()[("solution-selling", "en")])
    # what the last stage's tasks ask for, each met as its check says (the playbook may grow)
    answers = {
        c.field: _meeting(c)
        for task in playbook.stage("realize_sale").tasks
        if task.on_entry and task.required
        for c in task.criteria
    }
    tick_checklists(rep, db, stage_key="realize_sale")
    done = rep("opp", "set", "ERP", *(f"{k}={v}" for k, v in answers.items()))
    assert done.exit_code == 0, done.output
    still = "SELECT count(*) FROM task WHERE status = 'open' AND stage_key = 'realize_sale'"
    assert rows(db, still + " AND origin_kind = 'playbook'") == [(0,)]
    won = rep("opp", "won", "ERP")
    assert won.exit_code == 0, won.output
    (status, custom) = rows(db, "SELECT status, custom FROM opportunity")[0]
    assert status == "won" and "won_anyway" not in json.loads(custom or "{}")


def queue_items(rep, monkeypatch, when) -> list[dict]:
    monkeypatch.setenv("SALESBENCH_NOW", when.isoformat())
    out = rep("queue", "--json")
    assert out.exit_code == 0, out.output
    return [t for s in json.loads(out.output)["sections"] for g in s["groups"] for t in g["tasks"]]


@pytest.mark.parametrize("pooled", ["deal", "customer"])
def test_the_nurture_touch_done_keeps_its_nurture_title(rep, db, monkeypatch, pooled) -> None:
    title = "Nurture touch with Next Year Co: a useful note, every three months"
    if pooled == "deal":
        rep("customer", "add", "Next Year Co", "--grade", "C")
        rep(
            "opp",
            "add",
            "Next Year Co",
            "Lead",
            "--playbook",
            "b2b-lifecycle",
            "--stage",
            "lead_screening",
        )
        assert rep("opp", "set", "Lead", "screening_result=nurture").exit_code == 0
    else:
        rep("customer", "add", "Next Year Co", "--grade", "C", "--status", "nurture")
    rep("log", "call", "--customer", "Next Year Co")
    (touch,) = [
        t
        for t in queue_items(rep, monkeypatch, NOW + timedelta(days=92))
        if t["origin"] == "cadence"
    ]
    assert touch["title"] == title
    assert rep("task", "done", touch["id"]).exit_code == 0
    assert rows(db, "SELECT title, status FROM task WHERE origin = 'cadence'") == [(title, "done")]


def test_the_evening_review_counts_a_task_due_tomorrow_once_as_tomorrows(rep, db) -> None:
    """17:30 in Shanghai: "record the channel" is due at today's close, the first email in
    24 hours (tomorrow). The queue lists both as today's work; the end-of-day panel and the
    evening `remind` say one is still open today and one is due tomorrow (named), never
    counting the email twice nor as today's unfinished work."""
    rep("customer", "add", "Beta Ltd")
    rep("opp", "add", "Beta Ltd", "Platform", "--playbook", "b2b-lifecycle")
    due = {o: str(d) for o, d in rows(db, "SELECT origin, due_at FROM task")}
    assert due["record_channel"] < "2026-11-23 16:00:00" <= due["first_email"]  # Tue 00:00 local
    queue = rep("queue", "--mode", "eod", "--json")
    assert queue.exit_code == 0, queue.output
    shown = json.loads(queue.output)
    listed = [t["origin"] for s in shown["sections"] for g in s["groups"] for t in g["tasks"]]
    assert {"record_channel", "first_email"} <= set(listed)  # the queue: today's work
    assert shown["eod"]["still_open"] == 1
    assert [t["origin"] for t in shown["eod"]["tomorrow"]] == ["first_email"]
    digest = rep("remind", "--mode", "eod", "--json")
    assert digest.exit_code == 0, digest.output
    body = json.loads(digest.output)["body"]
    assert "1 still open" in body and "1 due tomorrow" in body, body
    first_email = rows(db, "SELECT title FROM task WHERE origin = 'first_email'")[0][0]
    assert first_email in body


async def _deal_screen(store, clock, *, complete: bool):
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.services.sop import set_fields
    from salesbench.services.tasks import finish_task

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(
        store,
        "李娜",
        {"title": "Sofa", "playbook_key": "retail-5", "stage_key": "negotiation"},
        clock=clock,
    )
    set_fields(store, "Sofa", ["amount=12000", "delivery_on=2026-12-10"], clock=clock)
    if complete:
        set_fields(store, "Sofa", ["deposit_paid=2026-11-23"], clock=clock)
        finish_task(store, "Answer the remaining objections", "done", clock=clock)
    clock.at += timedelta(days=7)


@pytest.mark.sqlite_only
async def test_workbench_won_on_an_open_last_stage_asks_why_and_keeps_it(
    store, db_path, clock
) -> None:
    from textual.widgets import Input

    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.modals import FormModal
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from tests.tui_support import record_notices, settle

    await _deal_screen(store, clock, complete=False)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, FormModal)
        assert rows(db_path, "SELECT status FROM opportunity") == [("open",)]
        app.screen.query_one("#form-reason", Input).value = "paid in full at the till"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert not any("--" in n.message or "`" in n.message for n in notices), notices
    (status, custom) = rows(db_path, "SELECT status, custom FROM opportunity")[0]
    assert status == "won"
    kept = json.loads(custom)["won_anyway"]
    assert kept["reason"] == "paid in full at the till"
    assert "Ask for the order and take the deposit" in kept["open"]


@pytest.mark.sqlite_only
async def test_workbench_next_stage_on_a_done_last_stage_names_the_won_key(
    store, db_path, clock
) -> None:
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from tests.tui_support import record_notices, settle

    await _deal_screen(store, clock, complete=True)
    from salesbench.services.activities import log_activity

    log_activity(  # a task due today, to open the deal from the queue
        store,
        {
            "channel": "call",
            "next_step_content": "Confirm delivery",
            "next_step_date": "2026-11-30",
        },
        clock=clock,
        opportunity_ref="Sofa",
    )
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)
        await pilot.press("a")
        await settle(pilot)
        said = [n.message for n in notices if "last stage" in n.message]
        assert said and "press w" in said[0], notices
        assert rows(db_path, "SELECT status FROM opportunity") == [("open",)]
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("y")  # w asks first (tests/test_tui_closing.py)
        await settle(pilot)
    assert not any("`" in n.message or "--" in n.message for n in notices), notices
    (status, custom) = rows(db_path, "SELECT status, custom FROM opportunity")[0]
    assert status == "won" and "won_anyway" not in json.loads(custom or "{}")
