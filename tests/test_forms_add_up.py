"""Issue 16, tester's findings: forms that add up, checklists that tick, nurture that
shows, sources carried."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from salesbench.core.playbook_load import load_playbook
from salesbench.core.playbook_reader import PlaybookInvalid
from tests.conftest import NOW, rows

pytestmark = pytest.mark.both_backends


def js(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def custom(db, title: str) -> dict:
    (value,) = rows(db, "SELECT custom FROM opportunity WHERE title = ?", title)[0]
    return json.loads(value) if isinstance(value, str) else value


def task(db, origin: str) -> list[tuple]:
    return rows(db, "SELECT status, completed_how FROM task WHERE origin = ?", origin)


def queue_titles(rep, monkeypatch, when) -> list[str]:
    monkeypatch.setenv("SALESBENCH_NOW", when.isoformat())
    out = js(rep("queue", "--json"))
    return [t["title"] for s in out["sections"] for g in s["groups"] for t in g["tasks"]]


def solution_deal(rep, name: str = "Acme", title: str = "ERP", *extra: str) -> None:
    ok(rep("customer", "add", name, *extra))
    ok(rep("opp", "add", name, title, "--playbook", "solution-selling"))


# ------------------------------------------------------------------ forms that add up


def test_scorecard_totals_add_up_from_their_lines(rep, db) -> None:
    solution_deal(rep)
    ok(rep("opp", "set", "ERP", "sc_fit_ours=35", "sc_service_ours=25", "sc_cases_ours=10"))
    assert "scorecard" not in custom(db, "ERP")  # three of four lines: no total yet
    ok(rep("opp", "set", "ERP", "sc_cost_ours=12"))
    ok(rep("opp", "set", "ERP", "sc_fit_rival=30", "sc_service_rival=20"))
    ok(rep("opp", "set", "ERP", "sc_cases_rival=15", "sc_cost_rival=10"))
    values = custom(db, "ERP")
    assert (values["scorecard"], values["scorecard_rival"]) == (82, 75)
    # a line changed: the total follows; a line cleared: no total
    ok(rep("opp", "set", "ERP", "sc_fit_ours=40"))
    assert custom(db, "ERP")["scorecard"] == 87
    ok(rep("opp", "set", "ERP", "sc_cost_rival="))
    assert "scorecard_rival" not in custom(db, "ERP")


def test_assessment_score_is_the_sum_of_its_items(rep, db) -> None:
    solution_deal(rep)
    ok(
        rep(
            "opp",
            "set",
            "ERP",
            "score_need=20",
            "score_budget=10",
            "score_decision=10",
            "score_competition=8",
            "score_value=8",
        )
    )
    assert custom(db, "ERP")["assessment_score"] == 56


def test_sum_of_is_validated() -> None:
    text = (
        '[playbook]\nkey = "bad"\nname = "Bad"\n\n'
        '[[fields]]\nkey = "total"\ntype = "int"\nsum_of = ["a", "nope"]\n\n'
        '[[fields]]\nkey = "a"\ntype = "int"\n\n'
        '[[fields]]\nkey = "note"\ntype = "text"\nsum_of = ["a"]\n\n'
        '[[stages]]\nkey = "s"\nname = "S"\n'
    )
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook(text, "bad.toml")
    problems = [(p.line, p.message) for p in caught.value.problems]
    assert (8, "sum_of names no other field of the playbook: 'nope'") in problems
    assert (17, "field 'note' sums numbers, so its type must be int or money") in problems
    assert len([p for p in problems if "sum" in p[1]]) == 2


def test_cli_validate_points_at_a_bad_sum_of(rep, tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[playbook]\nkey = "bad"\nname = "Bad"\n\n'
        '[[fields]]\nkey = "total"\ntype = "int"\nsum_of = ["nope"]\n\n'
        '[[stages]]\nkey = "s"\nname = "S"\n',
        encoding="utf-8",
    )
    result = rep("playbook", "validate", str(path))
    assert result.exit_code == 2, result.output
    assert f"{path}:8:1: sum_of names no other field of the playbook: 'nope'" in result.output


# ------------------------------------------------------------------ a contact does not complete
# what it did not record


def test_logging_a_visit_leaves_the_visit_record_open_until_it_is_met(rep, db) -> None:
    ok(rep("customer", "add", "Mrs Liu", "--kind", "person", "--source", "walk-in"))
    ok(rep("opp", "add", "Mrs Liu", "Sofa", "--playbook", "retail-5"))
    out = ok(rep("log", "visit", "--opp", "Sofa", "--summary", "looked at sofas"))
    assert task(db, "visit_data") == [("open", None)]
    assert "still open" in out and "Came with" in out and "Who decides" in out
    ok(rep("opp", "set", "Sofa", "companions=husband", "decision_maker=both"))
    assert task(db, "visit_data") == [("done", "auto")]


# ------------------------------------------------------------------ nurture that shows


def test_a_nurtured_deal_shows_the_pool_and_leaves_todays_queue(rep, db, monkeypatch) -> None:
    ok(rep("customer", "add", "Expo Co", "--source", "trade show"))
    ok(rep("opp", "add", "Expo Co", "Expo deal", "--playbook", "b2b-lifecycle"))
    first = "Send the first email within 24 hours"
    assert first in queue_titles(rep, monkeypatch, NOW)
    out = ok(rep("opp", "set", "Expo deal", "screening_result=nurture"))
    assert "deal moved to nurture" in out
    assert custom(db, "Expo deal")["nurture_since"].startswith(NOW.date().isoformat())
    shown = ok(rep("opp", "show", "Expo deal"))
    assert f"in the nurture pool since {NOW.date().isoformat()}" in shown.splitlines()[0]
    assert "│ nurture" in ok(rep("opp", "list"))
    assert first not in queue_titles(rep, monkeypatch, NOW)
    # the quarterly touch is its one task
    later = queue_titles(rep, monkeypatch, NOW + timedelta(days=92))
    assert first not in later
    assert any("Expo Co" in t and "three months" in t for t in later)
    # qualified after all: out of the pool, its stage work back in the queue
    ok(rep("opp", "set", "Expo deal", "screening_result=qualified"))
    assert "nurture_since" not in custom(db, "Expo deal")
    assert "nurture pool" not in ok(rep("opp", "show", "Expo deal"))
    assert first in queue_titles(rep, monkeypatch, NOW)


# ------------------------------------------------------------------ sources carried


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_solution_selling_carries_the_customers_source(cli, db, language) -> None:
    ok(cli("init", "--name", "Wang Fang", "--email", "wf@example.com"))
    ok(cli("rep", "edit", "Wang Fang", "--lang", language))
    solution_deal(cli, "Acme", "ERP", "--source", "referral")
    assert custom(db, "ERP")["source"] == "referral"
    (task_id,) = rows(db, "SELECT id FROM task WHERE origin = 'mine_opportunity'")[0]
    shown = ok(cli("task", "show", str(task_id)))
    label = "商机来源" if language == "zh-CN" else "Where the opportunity came from"
    need = "项目与需求" if language == "zh-CN" else "Project and need"
    assert f"[x] {label}" in shown  # not asked again
    assert f"[ ] {need}" in shown  # what the rep has not said yet


# ------------------------------------------------------------------ checklists that tick


def prepared(rep, db) -> str:
    solution_deal(rep)
    ok(rep("opp", "add", "Acme", "CRM", "--playbook", "solution-selling", "--stage", "guide_needs"))
    (task_id,) = rows(db, "SELECT id FROM task WHERE origin = 'prepare_visit'")[0]
    return str(task_id)


def test_checklist_items_tick_and_the_task_completes_when_all_are_ticked(rep, db) -> None:
    task_id = prepared(rep, db)
    shown = ok(rep("task", "show", task_id))
    assert "[ ] Checklist: questions in funnel order  (4)" in shown
    assert "ticked" in ok(rep("task", "check", task_id, "4"))
    assert "[x] Checklist: questions in funnel order  (4)" in ok(rep("task", "show", task_id))
    (custom_value,) = rows(db, "SELECT custom FROM task WHERE id = ?", task_id)[0]
    stored = json.loads(custom_value) if isinstance(custom_value, str) else custom_value
    assert stored["ticked"] == [4]
    ok(rep("task", "check", task_id, "4"))  # again: unticked
    assert "[ ] Checklist: questions in funnel order  (4)" in ok(rep("task", "show", task_id))
    for n in range(1, 9):  # all ticked, but the visit is not booked yet
        ok(rep("task", "check", task_id, str(n)))
    assert task(db, "prepare_visit") == [("open", None)]
    ok(rep("opp", "set", "CRM", "visit_on=2026-11-25", "visit_questions=why now"))
    assert task(db, "prepare_visit") == [("done", "auto")]


def test_filled_fields_leave_a_task_open_while_its_checklist_is_unticked(rep, db) -> None:
    # the fields are only part of the check: the items the rep ticks are the rest
    task_id = prepared(rep, db)
    out = json.loads(
        ok(rep("opp", "set", "CRM", "visit_on=2026-11-25", "visit_questions=why now", "--json"))
    )
    assert out["completed"] == []
    assert "“Prepare the visit” has what it asks for; 8 checklist items to tick" in " ".join(
        out["notes"]
    )
    assert task(db, "prepare_visit") == [("open", None)]
    for n in range(1, 8):
        ok(rep("task", "check", task_id, str(n)))
    assert task(db, "prepare_visit") == [("open", None)]  # seven of eight is not all
    ok(rep("task", "check", task_id, "8"))
    assert task(db, "prepare_visit") == [("done", "auto")]


def test_done_by_the_rep_vouches_for_the_checklist(rep, db) -> None:
    # what only the rep can judge, the rep's own "done" covers; the fields it still checks
    task_id = prepared(rep, db)
    refused = rep("task", "done", task_id)
    assert refused.exit_code == 2 and "Customer accepts the visit (date booked)" in refused.output
    ok(rep("opp", "set", "CRM", "visit_on=2026-11-25", "visit_questions=why now"))
    ok(rep("task", "done", task_id))
    assert task(db, "prepare_visit") == [("done", "manual")]


def test_a_task_with_a_checklist_never_starts_done() -> None:
    from datetime import datetime

    from salesbench.core import engine
    from salesbench.core.workday import Workday

    path = Path("salesbench/playbooks/solution-selling.en.toml")
    playbook = load_playbook(path.read_text(encoding="utf-8"), str(path))
    filled = {"visit_on": "2026-11-25", "visit_questions": "why now"}
    start = datetime(2026, 11, 23, 2, tzinfo=UTC)
    made = engine.enter_stage(playbook, "guide_needs", start, Workday(), filled)
    assert {t.origin: t.status for t in made}["prepare_visit"] == "open"
    state = engine.TaskState(1, "playbook", "prepare_visit", "guide_needs", "open")
    assert engine.completed_by_fields(playbook, [state], filled) == []
    ticked = engine.TaskState(
        1, "playbook", "prepare_visit", "guide_needs", "open", ticked=tuple(range(1, 9))
    )
    assert engine.completed_by_fields(playbook, [ticked], filled) == [ticked]


def test_ticking_the_last_item_of_a_checklist_completes_the_task(rep, db) -> None:
    ok(rep("customer", "add", "Mrs Liu", "--kind", "person"))
    ok(rep("opp", "add", "Mrs Liu", "Sofa", "--playbook", "retail-5"))
    (task_id,) = rows(db, "SELECT id FROM task WHERE origin = 'welcome'")[0]
    ok(rep("task", "check", str(task_id), "1"))
    assert task(db, "welcome") == [("open", None)]
    ok(rep("task", "check", str(task_id), "2"))
    assert task(db, "welcome") == [("done", "auto")]


def test_a_bad_item_number_is_bad_input(rep, db) -> None:
    task_id = prepared(rep, db)
    result = rep("task", "check", task_id, "99")
    assert result.exit_code == 2
    assert "there is no item 99: the checklist has 8" in result.output
    (custom_value,) = rows(db, "SELECT custom FROM task WHERE id = ?", task_id)[0]
    stored = json.loads(custom_value) if isinstance(custom_value, str) else custom_value
    assert "ticked" not in (stored or {})


def test_done_anyway_lists_the_unticked_items(rep, db) -> None:
    task_id = prepared(rep, db)
    ok(rep("task", "check", task_id, "1"))
    ok(rep("task", "done", task_id, "--reason", "customer called it off"))
    (custom_value,) = rows(db, "SELECT custom FROM task WHERE id = ?", task_id)[0]
    stored = json.loads(custom_value) if isinstance(custom_value, str) else custom_value
    still = stored["done_anyway"]["open"]
    assert "Checklist: questions in funnel order" in still
    assert "The aim is clear; the questions are logical and leave room to adapt" not in still


async def test_the_workbench_ticks_the_checklist(store, db, clock) -> None:
    from textual.widgets import Checkbox

    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.tui.app import SalesbenchApp
    from tests.conftest import CLOCK
    from tests.sop_world import sh
    from tests.test_tui import select
    from tests.tui_support import settle

    clock.at = sh(2026, 11, 23, 10)
    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(store, "李娜", {"title": "Sofa", "playbook_key": "retail-5"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    welcome = "Welcome the customer and introduce yourself"
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, welcome)
        checks = str(screen.query_one("#task-checks").render())
        assert "the checklist below" in checks and "and the" not in checks, checks  # no "and"
        screen.query_one("#check-1", Checkbox).focus()
        await pilot.press("space")
        await settle(pilot)
        (custom_value,) = rows(db, "SELECT custom FROM task WHERE origin = 'welcome'")[0]
        stored = json.loads(custom_value) if isinstance(custom_value, str) else custom_value
        assert stored["ticked"] == [1]
        await select(pilot, screen, welcome)
        assert screen.query_one("#check-1", Checkbox).value is True
        screen.query_one("#check-2", Checkbox).focus()
        await pilot.press("enter")
        await settle(pilot)
    assert rows(db, "SELECT status, completed_how FROM task WHERE origin = 'welcome'") == [
        ("done", "auto")
    ]
