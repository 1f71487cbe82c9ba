"""What salesbench says names things as the rep knows them: a stage by its name (the
move's reply and toast, never `build_trust`), a customer's playbook field by its label
and a choice by its label in the rep's language (`customer show`, the customer center);
a custom value of the rep's own keeps its key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import rows

pytestmark = pytest.mark.both_backends


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


@pytest.mark.parametrize(("language", "name"), [("en", "Build trust"), ("zh-CN", "建立信任")])
def test_opp_move_names_the_stage_it_reached(rep, db, language: str, name: str) -> None:
    assert rep("rep", "edit", "wf@example.com", "--lang", language).exit_code == 0
    rep("customer", "add", "Li Na", "--kind", "person")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5")
    moved = rep("opp", "move", "Sofa", "--force")
    assert moved.exit_code == 0, moved.output
    assert f"Sofa: now at {name} (advance)" in moved.output
    assert "build_trust" not in moved.output
    assert rows(db, "SELECT stage_key FROM opportunity") == [("build_trust",)]


def first_contact(rep, db) -> None:
    """Every task of the first stage done (anyway: this test is about the move)."""
    for (task_id,) in rows(db, "SELECT id FROM task WHERE status = 'open'"):
        done = rep("task", "done", str(task_id), "--reason", "a walk-in, greeted at the door")
        assert done.exit_code == 0, done.output


def test_a_move_past_the_next_stage_names_both_stages(rep, db) -> None:
    rep("customer", "add", "Li Na", "--kind", "person")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5")
    first_contact(rep, db)
    refused = rep("opp", "move", "Sofa", "--to", "negotiation")
    assert refused.exit_code != 0
    assert "is past the next stage" in refused.output
    assert "'negotiation'" not in refused.output
    assert rows(db, "SELECT stage_key FROM opportunity") == [("first_contact",)]


@pytest.mark.parametrize(("language", "shown"), [("en", "Gender: female"), ("zh-CN", "性别: 女")])
def test_customer_show_gives_a_playbook_field_by_its_label(rep, db, language, shown) -> None:
    assert rep("rep", "edit", "wf@example.com", "--lang", language).exit_code == 0
    rep("customer", "add", "Li Na", "--kind", "person", "--field", "vip_card=A-17")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5")
    assert rep("opp", "set", "Sofa", "gender=female", "age=41").exit_code == 0
    out = rep("customer", "show", "Li Na")
    assert out.exit_code == 0, out.output
    assert shown in out.output
    assert "gender:" not in out.output  # the key is for --json and scripts
    assert "  vip_card: A-17" in out.output  # the rep's own value keeps its key
    age = "年龄: 41" if language == "zh-CN" else "Age: 41"
    assert age in out.output


@pytest.mark.sqlite_only
async def test_the_workbench_move_and_the_customer_center_use_names(
    store, db_path: Path, clock
) -> None:
    from textual.widgets import Static

    from salesbench.services.activities import log_activity
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.services.sop import set_fields
    from salesbench.services.tasks import finish_task
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from tests.test_tui import select
    from tests.tui_support import record_notices, settle

    clock.at = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 01:00 on the 24th in Shanghai
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=clock)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    set_fields(store, "Sofa", ["gender=female"], clock=clock)
    for (task_id,) in rows(db_path, "SELECT id FROM task WHERE status = 'open'"):
        finish_task(store, str(task_id), "done", clock=clock, reason="greeted at the door")
    log_activity(  # a task due today, to open the deal from the queue
        store,
        {"channel": "call", "next_step_content": "Call back", "next_step_date": "2026-11-24"},
        clock=clock,
        opportunity_ref="Sofa",
    )
    clock.at += timedelta(hours=1)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await select(pilot, app.screen, "Call back")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)
        await pilot.press("a")
        await settle(pilot)
        said = [n.message for n in notices if "now at" in n.message]
        assert said == ["Sofa: now at Build trust"], [n.message for n in notices]
        facts = str(app.screen.query_one("#opp-facts", Static).render())
        assert "2026-11-24  · → First contact" in facts, facts  # the rep's day, not UTC's
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press(*"李娜")
        await settle(pilot)
        detail = str(app.screen.query_one("#customer-detail", Static).render())
        assert "Gender: female" in detail and "gender:" not in detail
    assert rows(db_path, "SELECT stage_key FROM opportunity") == [("build_trust",)]


def test_a_snooze_is_told_in_the_reps_time_not_the_machines(rep, db, monkeypatch) -> None:
    import time

    monkeypatch.setenv("TZ", "America/New_York")  # the machine; the rep works in Shanghai
    time.tzset()
    try:
        rep("customer", "add", "Li Na", "--kind", "person")
        rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5")
        (task_id,) = rows(db, "SELECT id FROM task WHERE origin = 'welcome'")[0]
        done = rep("task", "snooze", str(task_id), "--until", "2026-11-25")
        assert done.exit_code == 0, done.output
        assert "snoozed until 2026-11-25 09:00" in done.output  # the rep's opening hour
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_the_header_counts_what_was_done_today_in_every_view(rep, db) -> None:
    import json

    rep("customer", "add", "Li Na", "--kind", "person")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5")
    (first, second) = [r[0] for r in rows(db, "SELECT id FROM task WHERE status = 'open'")][:2]
    assert rep("task", "done", str(first), "--reason", "greeted").exit_code == 0
    assert rep("task", "skip", str(second)).exit_code == 0
    for view in ([], ["--all"]):
        out = rep("queue", *view, "--json")
        assert out.exit_code == 0, out.output
        assert json.loads(out.output)["counts"]["done_today"] == 1  # the skip is not done
    assert "1 done today" in rep("queue").output


def test_counted_nouns_are_spelled_right() -> None:
    from salesbench.core.words import count, plural

    assert [plural(n) for n in ("opportunity", "customer", "day", "batch", "person")] == [
        "opportunities",
        "customers",
        "days",
        "batches",
        "people",
    ]
    assert (count(1, "deal"), count(0, "deal"), count(1200, "customer")) == (
        "1 deal",
        "0 deals",
        "1,200 customers",
    )
