"""Completion that means "met": a "no" does not complete the task that asked for a yes,
`task done` completes a task whose criteria are met and otherwise says which are
open (done anyway only with a reason, kept on the task), skipping is not doing, and
a gate is asked only on a complete stage. On the CLI and in the workbench."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from salesbench.core.playbook_load import check_playbook
from tests.conftest import rows

pytestmark = pytest.mark.both_backends


def js(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def status(db, origin: str) -> list[tuple]:
    return rows(db, "SELECT status, completed_how FROM task WHERE origin = ?", origin)


def task_id(db, origin: str) -> str:
    return str(rows(db, "SELECT id FROM task WHERE origin = ?", origin)[0][0])[:8]


def test_no_to_legal_and_finance_does_not_complete_the_review_and_yes_does(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "b2b-lifecycle", "--stage", "contract")
    out = js(rep("opp", "set", "ERP", "legal_reviewed=no", "finance_reviewed=no", "--json"))
    assert out["completed"] == []
    assert status(db, "review") == [("open", None)]
    refused = rep("task", "done", task_id(db, "review"))
    assert refused.exit_code == 2
    assert "still open: Legal review passed; Finance review passed" in refused.output
    assert "legal_reviewed" not in refused.output  # labels, never raw keys
    assert status(db, "review") == [("open", None)]
    rep("opp", "set", "ERP", "legal_reviewed=yes")
    assert status(db, "review") == [("open", None)]  # one of two is not both
    assert rep("task", "check", task_id(db, "review"), "1").exit_code == 0
    assert rep("task", "check", task_id(db, "review"), "2").exit_code == 0
    assert status(db, "review") == [("open", None)]  # ticked, but finance has not said yes
    out = js(rep("opp", "set", "ERP", "finance_reviewed=yes", "--json"))
    assert [t["origin"] for t in out["completed"]] == ["review"]
    assert status(db, "review") == [("done", "auto")]


def test_reference_case_no_does_not_complete_the_kick_off_and_yes_does(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling", "--stage", "realize_sale")
    rep("opp", "set", "ERP", "kickoff_on=2026-11-30", "reference_case=no", "onsite_handover=yes")
    assert status(db, "start_implementation") == [("open", None)]
    refused = rep("task", "done", task_id(db, "start_implementation"))
    assert refused.exit_code == 2 and "Customer accepts the reference case" in refused.output
    rep("opp", "set", "ERP", "reference_case=yes")
    assert status(db, "start_implementation") == [("done", "auto")]


def test_done_on_a_task_whose_criteria_are_already_met_completes_it(rep, db) -> None:
    rep("customer", "add", "Li Na", "--kind", "person")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5", "--stage", "negotiation")
    assert status(db, "quote") == [("open", None)]
    # the amount comes from editing the deal, not from the task's form
    assert rep("opp", "edit", "Sofa", "--amount", "12000").exit_code == 0
    done = rep("task", "done", task_id(db, "quote"))
    assert done.exit_code == 0, done.output
    assert status(db, "quote") == [("done", "manual")]


def test_done_anyway_asks_for_a_reason_and_keeps_it_on_the_task(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "b2b-lifecycle", "--stage", "contract")
    ref = task_id(db, "review")
    no_reason = rep("task", "done", ref, "--force")
    assert no_reason.exit_code == 2 and "reason" in no_reason.output
    assert status(db, "review") == [("open", None)]
    done = rep("task", "done", ref, "--reason", "reviewed on paper, fields to follow")
    assert done.exit_code == 0, done.output
    assert status(db, "review") == [("done", "manual")]
    (custom,) = rows(db, "SELECT custom FROM task WHERE origin = 'review'")[0]
    kept = json.loads(custom)["done_anyway"]
    assert kept == {
        "reason": "reviewed on paper, fields to follow",
        "open": [
            "Legal review passed",
            "Finance review passed",
            # the checklist items not ticked (tests/test_forms_add_up.py)
            "Legal has checked the clauses on breach of contract, intellectual property and "
            "dispute resolution",
            "Finance has checked the payment terms, the invoice type and tax compliance",
        ],
    }
    shown = rep("task", "show", ref)
    assert "done anyway: reviewed on paper, fields to follow" in shown.output
    assert "[ ] Legal review passed" in shown.output
    assert "done anyway: Get legal and finance review" in rep("opp", "show", "ERP").output


def test_skipping_the_closing_task_does_not_complete_the_stage(rep, db) -> None:
    rep("customer", "add", "Li Na", "--kind", "person")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5", "--stage", "negotiation")
    rep("opp", "set", "Sofa", "amount=12000", "delivery_on=2026-12-10")
    rep("task", "done", task_id(db, "objections"))
    skipped = rep("task", "skip", task_id(db, "ask_for_order"))
    assert skipped.exit_code == 0, skipped.output
    assert "is complete" not in skipped.output
    # the task just skipped is named as skipped, never as still open
    assert "still open: Ask for the order" not in skipped.output
    assert (
        "stage Negotiation is not complete without “Ask for the order and take the deposit” "
        "(skipped)" in skipped.output
    )
    assert status(db, "ask_for_order") == [("skipped", "manual")]
    shown = rep("opp", "show", "Sofa")
    assert "Negotiation 3/4" in shown.output


def test_a_skipped_task_the_deal_then_meets_is_done_after_all(rep, db) -> None:
    rep("customer", "add", "Li Na", "--kind", "person")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5", "--stage", "negotiation")
    rep("task", "skip", task_id(db, "ask_for_order"))
    assert status(db, "ask_for_order") == [("skipped", "manual")]
    out = js(rep("opp", "set", "Sofa", "deposit_paid=2026-11-24", "--json"))
    assert [t["origin"] for t in out["completed"]] == ["ask_for_order"]
    assert status(db, "ask_for_order") == [("done", "auto")]
    # a closed deal's skipped steps stay as they are
    rep("opp", "add", "Li Na", "Armchair", "--playbook", "retail-5", "--stage", "negotiation")
    rep("opp", "lost", "Armchair", "--reason", "bought elsewhere")
    rep("opp", "set", "Armchair", "deposit_paid=2026-11-24")
    assert ("skipped", "auto") in status(db, "ask_for_order")


def test_a_gate_is_asked_only_when_the_stage_is_complete(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling", "--stage", "guide_needs")
    for answer in ("--yes-answer", "--no-answer", None):
        refused = rep("opp", "move", "ERP", *([answer] if answer else []))
        assert refused.exit_code == 4, refused.output
        assert "before the question: Does the decision maker share a buying vision" in (
            refused.output
        )
        assert "Prepare the visit" in refused.output
    assert rows(db, "SELECT to_stage, via FROM stage_move") == [("guide_needs", "start")]


def test_check_tables_are_validated_with_their_place() -> None:
    text = Path("salesbench/playbooks/b2b-lifecycle.en.toml").read_text(encoding="utf-8")
    good = '{ text = "Legal review passed", field = "legal_reviewed", equals = "yes" }'
    assert good in text
    line = text[: text.index(good)].count("\n") + 1
    for bad, says in [
        ('{ field = "legal_reviewed", equals = "maybe" }', 'must be "yes" or "no"'),
        ('{ field = "nope", equals = "yes" }', "unknown field 'nope'"),
        ('{ field = "legal_reviewed", equals = "yes", filled = true }', "exactly one of"),
    ]:
        playbook, problems = check_playbook(text.replace(good, bad))
        assert playbook is None
        assert [p.line for p in problems] == [line], problems
        assert says in problems[0].message


@pytest.mark.sqlite_only
async def test_workbench_done_with_criteria_open_says_which_and_marks_done_anyway(
    store, db_path: Path, clock
) -> None:
    from textual.widgets import Input

    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.modals import FormModal
    from tests.conftest import CLOCK
    from tests.test_tui import select
    from tests.tui_support import record_notices, settle

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Big Co"}, clock=clock)
    add_opportunity(
        store,
        "Big Co",
        {"title": "ERP", "playbook_key": "b2b-lifecycle", "stage_key": "contract"},
        clock=clock,
    )
    clock.at += timedelta(days=3)  # the review is due in three days: today's work then
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await select(pilot, screen, "Get legal and finance review")
        checks = str(screen.query_one("#task-checks").render())
        assert "☐ Legal review passed" in checks and "☐ Finance review passed" in checks
        await pilot.press("d")
        await settle(pilot)
        said = [n.message for n in notices if "Not done yet" in n.message]
        assert said == [
            "Not done yet: Get legal and finance review. "
            "Still open: Legal review passed; Finance review passed"
        ]
        assert not any("opp set" in n.message or "--" in n.message for n in notices)
        assert isinstance(app.screen, FormModal)
        assert rows(db_path, "SELECT status FROM task WHERE origin='review'") == [("open",)]
        app.screen.query_one("#form-reason", Input).value = "approved by phone"
        await pilot.press("ctrl+s")
        await settle(pilot)
    (state, custom) = rows(db_path, "SELECT status, custom FROM task WHERE origin='review'")[0]
    assert state == "done"
    assert json.loads(custom)["done_anyway"]["reason"] == "approved by phone"


@pytest.mark.sqlite_only
async def test_workbench_done_on_a_pre_filled_task_completes_it(
    store, db_path: Path, clock
) -> None:
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity, edit_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.tui.app import SalesbenchApp
    from tests.conftest import CLOCK
    from tests.test_tui import select
    from tests.tui_support import record_notices, settle

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(
        store,
        "李娜",
        {"title": "Sofa", "playbook_key": "retail-5", "stage_key": "negotiation"},
        clock=clock,
    )
    edit_opportunity(store, "Sofa", {"amount": "12000"}, clock=clock)
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await select(pilot, app.screen, "Send the quotation")
        await pilot.press("d")
        await settle(pilot)
    assert "Done: Send the quotation" in [n.message for n in notices]
    assert rows(db_path, "SELECT status FROM task WHERE origin='quote'") == [("done",)]


def test_criteria_are_met_by_value_choice_threshold_and_yes() -> None:
    from salesbench.core.criteria import Criterion, met, open_criteria

    yes = Criterion("Legal review passed", "legal", "equals", True, "bool")
    floor = Criterion("At or above the floor", "amount", "at_least", 80000, "money")
    style = Criterion("Style chosen", "style", "in", ["modern", "classic"], "choice")
    visits = Criterion("At most three visits", "visits", "at_most", 3, "int")
    assert not met(yes, {"legal": False}) and not met(yes, {}) and met(yes, {"legal": True})
    assert not met(floor, {"amount": 7_999_999}) and met(floor, {"amount": 8_000_000})  # cents
    assert met(style, {"style": "modern"}) and not met(style, {"style": "rustic"})
    assert met(visits, {"visits": 3}) and not met(visits, {"visits": 4})
    assert open_criteria((yes, floor), {"legal": True, "amount": 100}) == ["At or above the floor"]


def test_gate_and_role_keys_are_validated_with_their_place() -> None:
    text = Path("salesbench/playbooks/solution-selling.en.toml").read_text(encoding="utf-8")
    cases = [
        (
            'on_no = ["turnaround_vision_why", "turnaround_vision_plan"]',
            'on_no = ["turnaround_vision_why", "no_such_task"]',
            "gate on_no names no task: 'no_such_task'",
        ),
        (
            'not_after = "contract_signed_on"',
            'not_after = "signed"',
            "gate not_after names no field: 'signed'",
        ),
        ('role = "manager"', 'role = "boss"', "role 'boss' is unknown"),
    ]
    for good, bad, says in cases:
        assert good in text
        line = text[: text.index(good)].count("\n") + 1
        playbook, problems = check_playbook(text.replace(good, bad, 1))
        assert playbook is None
        assert [p.line for p in problems] == [line], problems
        assert says in problems[0].message


def test_playbook_validate_names_the_file_line_and_column_of_a_bad_check(
    rep, tmp_path: Path
) -> None:
    text = Path("salesbench/playbooks/b2b-lifecycle.en.toml").read_text(encoding="utf-8")
    good = '{ text = "Legal review passed", field = "legal_reviewed", equals = "yes" }'
    line = text[: text.index(good)].count("\n") + 1
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(good, '{ field = "legal_reviewed", at_least = 3 }'), "utf-8")
    result = rep("playbook", "validate", str(bad))
    assert result.exit_code == 2
    assert f"bad.toml:{line}:" in result.output
    assert "at_least needs a number or money field" in result.output
    assert "Traceback" not in result.output


def test_task_show_gives_the_role_and_key_skills(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling", "--stage", "guide_needs")
    rep("opp", "move", "ERP", "--no-answer", "--force")
    shown = rep("task", "show", task_id(db, "turnaround_vision_why"))
    assert shown.exit_code == 0, shown.output
    assert "who: with your manager" in shown.output
    assert "key skills: Turnaround technique, Question funnel" in shown.output


@pytest.mark.sqlite_only
async def test_workbench_skip_of_the_closing_task_says_what_is_open(
    store, db_path: Path, clock
) -> None:
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.services.sop import set_fields
    from salesbench.tui.app import SalesbenchApp
    from tests.conftest import CLOCK
    from tests.test_tui import select
    from tests.tui_support import record_notices, settle

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "李娜", "kind": "person"}, clock=clock)
    add_opportunity(
        store,
        "李娜",
        {"title": "Sofa", "playbook_key": "retail-5", "stage_key": "negotiation"},
        clock=clock,
    )
    set_fields(store, "Sofa", ["amount=12000", "delivery_on=2026-12-10"], clock=clock)
    clock.at += timedelta(days=7)  # the closing task is due in five working days
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await select(pilot, app.screen, "Ask for the order and take the deposit")
        await pilot.press("x")
        await settle(pilot)
    said = [n.message for n in notices]
    assert not any("is complete" in m for m in said), said
    # the task just skipped is named as skipped, not among what is still open
    assert any(
        "not complete without “Ask for the order and take the deposit” (skipped); "
        "still open: Answer the remaining objections" in m
        for m in said
    ), said
    assert not any("still open: Ask for the order" in m for m in said), said
    assert rows(db_path, "SELECT status FROM task WHERE origin='ask_for_order'") == [("skipped",)]


def test_done_at_a_terminal_offers_done_anyway_and_asks_why(rep, db, monkeypatch) -> None:
    import salesbench.cli.tasks as tasks_cli

    monkeypatch.setattr(tasks_cli, "is_interactive", lambda: True)
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "b2b-lifecycle", "--stage", "contract")
    ref = task_id(db, "review")
    left = rep("task", "done", ref, input="\n")
    assert left.exit_code == 2 and "still open: Legal review passed" in left.output
    assert status(db, "review") == [("open", None)]
    done = rep("task", "done", ref, input="signed off by email\n")
    assert done.exit_code == 0, done.output
    assert status(db, "review") == [("done", "manual")]
    (custom,) = rows(db, "SELECT custom FROM task WHERE origin = 'review'")[0]
    assert json.loads(custom)["done_anyway"]["reason"] == "signed off by email"
