"""The turnaround (翻盘) as seed 004 draws it: a gate answered "no" sends the deal back
with real work (find out why with the manager, a new approach with the advisor) that
must be done before the deal passes again; "yes" at the last gate opens the
reference case that closes the loop; a signed deal is not sent back."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import NOW, rows, tick_checklists, tick_checklists_in

pytestmark = pytest.mark.both_backends


def js(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def open_tasks(db, stage: str) -> list[tuple]:
    return rows(
        db,
        "SELECT origin, title FROM task WHERE stage_key = ? AND status = 'open' ORDER BY origin",
        stage,
    )


def done(rep, db, origin: str) -> None:
    (task_id,) = rows(db, "SELECT id FROM task WHERE origin = ? AND status = 'open'", origin)[0]
    result = rep("task", "done", str(task_id)[:8])
    assert result.exit_code == 0, result.output


GUIDE_NEEDS = [
    "visit_on=2026-11-25",
    "visit_questions=what slows month-end?",
    "assessment_verified=yes",
    "pain_points=month-end takes ten days",
    "vision=close the books in three days",
    "letter1_on=2026-11-26",
    *("enjoys_talking=yes", "expertise_recognised=yes", "needs_agreed=yes"),  # seed 004's
    *("pain_acknowledged=yes", "wants_pain_solved=yes", "reference_accepted=yes"),  # criteria
]


def test_no_at_the_vision_gate_opens_the_turnaround_work(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling", "--stage", "guide_needs")
    tick_checklists(rep, db)  # what the rep confirms by hand, as they prepare
    rep("opp", "set", "ERP", *GUIDE_NEEDS)
    back = rep("opp", "move", "ERP", "--no-answer")
    assert back.exit_code == 0, back.output
    assert "(with your manager)" in back.output and "(with your advisor)" in back.output
    assert rows(db, "SELECT stage_key FROM opportunity") == [("develop_opportunity",)]
    assert open_tasks(db, "develop_opportunity") == [
        ("assess_opportunity", "Assess the opportunity and choose the sales mode"),
        ("mine_opportunity", "Mine the potential opportunity"),
        ("turnaround_vision_plan", "Plan a new approach to the decision maker (with your advisor)"),
        (
            "turnaround_vision_why",
            "Find out why the decision maker sees no vision that includes us (with your manager)",
        ),
    ]
    for origin in ("mine_opportunity", "assess_opportunity"):  # not the turnaround's own
        tick_checklists(rep, db, origin=origin)
    rep(
        "opp",
        "set",
        "ERP",
        "source=tender",
        "project_need=finance system",
        "budget_confirmed=yes",
        "decision_maker=CFO Liu",
        "competition=one rival",
        "assessment_score=70",
        "mode=advisor",
        "visit_accepted=yes",
    )
    # the turnaround's own work stands between the deal and the next stage
    blocked = rep("opp", "move", "ERP")
    assert blocked.exit_code == 4
    assert "Find out why the decision maker sees no vision" in blocked.output
    assert "Develop opportunity 2/4" in rep("opp", "show", "ERP").output
    done(rep, db, "turnaround_vision_why")
    assert rep("opp", "move", "ERP").exit_code == 4  # one of two is not both
    done(rep, db, "turnaround_vision_plan")
    forward = js(rep("opp", "move", "ERP", "--json"))
    assert (forward["via"], forward["opportunity"]["stage_key"]) == ("advance", "guide_needs")


def test_no_at_every_gate_opens_tasks_with_roles() -> None:
    from salesbench.core.playbook_load import load_playbook

    for name in ("solution-selling", "b2b-lifecycle"):
        for language in ("en", "zh-CN"):
            path = Path(f"salesbench/playbooks/{name}.{language}.toml")
            pb = load_playbook(path.read_text(encoding="utf-8"))
            gates = [s.gate for s in pb.stages if s.gate is not None]
            assert gates
            for gate in gates:
                roles = {pb.task(k).role for k in gate.on_no}
                assert "manager" in roles, (path, gate.question)


def test_a_signed_deal_is_not_sent_back_by_the_approval_gate(rep, db) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling", "--stage", "present_value")
    tick_checklists(rep, db)
    rep(
        "opp",
        "set",
        "ERP",
        "presented_on=2026-11-24",
        "letter3_on=2026-11-25",
        "list_price=300000",
        "amount=280000",
        "contract_signed_on=2026-11-26",
        *("value_accepted=yes", "negotiation_signal=yes", "terms_agreed=yes"),
        *("agrees_to_sign=yes", "contract_number=HT-01", "contract_reviewed=yes"),
    )
    refused = rep("opp", "move", "ERP", "--no-answer")
    assert refused.exit_code == 4, refused.output
    assert "Contract signed on is filled" in refused.output
    assert rows(db, "SELECT stage_key FROM opportunity") == [("present_value",)]
    assert rows(db, "SELECT count(*) FROM stage_move") == [(1,)]
    assert rows(db, "SELECT count(*) FROM task WHERE origin LIKE 'turnaround%'") == [(0,)]


def test_walk_a_deal_through_the_flow_chart_with_one_turnaround(rep, db, monkeypatch) -> None:
    """开发商机 → 引导需求 → 憧憬? 否 → 翻盘 → 开发商机 → 引导需求 → 憧憬? 是 → 建立标准
    → 接受? 是 → 呈现价值 → 认可? 是 → 实现销售 → 参考案例."""
    days = iter(range(1, 30))

    def move(*args: str) -> int:
        # a day passes between two moves, so the history reads in order
        when = NOW + timedelta(days=next(days))
        monkeypatch.setenv("SALESBENCH_NOW", when.isoformat())
        return int(rep("opp", "move", "ERP", *args).exit_code)

    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "solution-selling")
    # 开发商机: mine and assess the opportunity
    tick_checklists(rep, db)
    rep(
        "opp",
        "set",
        "ERP",
        "source=tender",
        "project_need=finance system",
        "budget_confirmed=yes",
        "decision_maker=CFO Liu",
        "competition=one rival",
        "assessment_score=70",
        "mode=advisor",
        "visit_accepted=yes",
    )
    assert move() == 0
    # 引导需求, then 憧憬? — no: the turnaround
    tick_checklists(rep, db)  # what the rep confirms by hand, as they prepare
    rep("opp", "set", "ERP", *GUIDE_NEEDS)
    assert move("--no-answer") == 0
    assert rows(db, "SELECT stage_key FROM opportunity") == [("develop_opportunity",)]
    # back in 开发商机 only the turnaround is open: what was done there stays done
    assert [o for o, _ in open_tasks(db, "develop_opportunity")] == [
        "turnaround_vision_plan",
        "turnaround_vision_why",
    ]
    assert move() == 4  # 翻盘 is work, not a loop
    done(rep, db, "turnaround_vision_why")
    done(rep, db, "turnaround_vision_plan")
    assert move() == 0
    assert open_tasks(db, "guide_needs") == []  # the visit prepared before is not asked again
    # 憧憬? — yes this time
    assert move("--yes-answer") == 0
    # 建立标准, then 接受? — yes
    tick_checklists(rep, db)
    rep(
        "opp",
        "set",
        "ERP",
        "scope=finance and stock",
        "letter2_on=2026-12-01",
        "scorecard=72",
        "scorecard_rival=58",
        *("scope_confirmed=yes", "within_capability=yes", "criteria_accepted=yes"),
        "solution_delivered_on=2026-12-03",
        "solution_reviewed=yes",
    )
    assert move("--yes-answer") == 0
    # 呈现价值, then 认可? — yes: the reference case step opens
    tick_checklists(rep, db)
    rep(
        "opp",
        "set",
        "ERP",
        "presented_on=2026-12-07",
        "letter3_on=2026-12-08",
        "list_price=300000",
        "amount=280000",
        "contract_signed_on=2026-12-10",
        *("value_accepted=yes", "negotiation_signal=yes", "terms_agreed=yes"),
        *("agrees_to_sign=yes", "contract_number=HT-01", "contract_reviewed=yes"),
    )
    assert move("--yes-answer") == 0
    assert ("reference_case_step", "Turn the deal into a reference case") in open_tasks(
        db, "realize_sale"
    )
    # 实现销售 → 参考案例: the loop closes with the customer's yes
    tick_checklists(rep, db)
    rep(
        "opp",
        "set",
        "ERP",
        "first_payment_on=2026-12-11",
        *("paid_per_contract=yes", "invoice_compliant=yes", "finance_handover=yes"),
        "handed_over=yes",
        "onsite_handover=yes",
        "kickoff_on=2026-12-15",
        "reference_case=yes",
    )
    assert open_tasks(db, "realize_sale") == []
    assert rows(db, "SELECT status FROM task WHERE origin = 'reference_case_step'") == [("done",)]
    assert rep("opp", "won", "ERP").exit_code == 0
    assert rows(db, "SELECT status, stage_key FROM opportunity") == [("won", "realize_sale")]
    # nothing of the stages left behind is open on the won deal, nor suggested by the queue
    assert (
        rows(
            db,
            "SELECT origin FROM task WHERE status IN ('open', 'snoozed')"
            " AND origin_kind = 'playbook' AND stage_key != 'realize_sale'",
        )
        == []
    )
    queue = rep("queue", "--all")
    assert "Mine the potential opportunity" not in queue.output
    assert rows(
        db, "SELECT from_stage, to_stage, via, answer FROM stage_move ORDER BY moved_at"
    ) == [
        (None, "develop_opportunity", "start", None),
        ("develop_opportunity", "guide_needs", "advance", None),
        ("guide_needs", "develop_opportunity", "turnaround", "no"),
        ("develop_opportunity", "guide_needs", "advance", None),
        ("guide_needs", "set_criteria", "advance", "yes"),
        ("set_criteria", "present_value", "advance", "yes"),
        ("present_value", "realize_sale", "advance", "yes"),
    ]


@pytest.mark.sqlite_only
async def test_workbench_asks_the_gate_only_on_a_complete_stage_and_no_opens_the_work(
    store, db_path: Path, clock
) -> None:
    from salesbench.services.activities import log_activity
    from salesbench.services.customers import add_customer
    from salesbench.services.opportunities import add_opportunity
    from salesbench.services.reps import add_rep
    from salesbench.services.sop import set_fields
    from salesbench.tui.app import SalesbenchApp
    from salesbench.tui.modals import QuestionModal
    from salesbench.tui.opportunity_screen import OpportunityScreen
    from tests.conftest import CLOCK
    from tests.tui_support import record_notices, settle

    add_rep(store, {"name": "Wang Fang", "email": "wf@example.com"}, clock=CLOCK)
    add_customer(store, {"name": "Big Co"}, clock=clock)
    add_opportunity(
        store,
        "Big Co",
        {"title": "ERP", "playbook_key": "solution-selling", "stage_key": "guide_needs"},
        clock=clock,
    )
    tick_checklists_in(store, db_path, clock)  # the visit checklist, all ticked
    set_fields(store, "ERP", GUIDE_NEEDS[:2], clock=clock)  # the visit prepared, no more
    log_activity(  # a task due today, to open the deal from the queue
        store,
        {"channel": "call", "next_step_content": "Book the demo", "next_step_date": "2026-11-23"},
        clock=clock,
        opportunity_ref="ERP",
    )
    app = SalesbenchApp(store, clock=clock, clipboard_tool=None)
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OpportunityScreen)
        await pilot.press("a")
        await settle(pilot)
        assert not isinstance(app.screen, QuestionModal)
        said = [n.message for n in notices if "not complete" in n.message]
        assert said and "Visit and verify the assessment" in said[0], notices
        assert "--" not in said[0]
        set_fields(store, "ERP", GUIDE_NEEDS[2:], clock=clock)
        screen.reload()
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, QuestionModal)
        said = " ".join(str(w.render()) for w in app.screen.query("Label"))
        assert "back to Develop opportunity" in said and "develop_opportunity" not in said
        await pilot.press("n")
        await settle(pilot)
    assert rows(db_path, "SELECT stage_key FROM opportunity") == [("develop_opportunity",)]
    assert rows(
        db_path,
        "SELECT origin FROM task WHERE origin LIKE 'turnaround%' AND status = 'open' "
        "ORDER BY origin",
    ) == [("turnaround_vision_plan",), ("turnaround_vision_why",)]


def test_no_at_the_lead_gate_opens_its_work_and_a_no_fit_still_completes_the_call(rep, db) -> None:
    rep("customer", "add", "Slow Co")
    rep("opp", "add", "Slow Co", "Lead", "--playbook", "b2b-lifecycle", "--stage", "lead_screening")
    rep(
        "opp",
        "set",
        "Lead",
        "need_fit=no",  # answered: the call is done, whatever the answer
        "budget_range=50000",
        "decision_chain=CFO",
        "screening_result=qualified",
    )
    assert rows(db, "SELECT status FROM task WHERE origin = 'screening_call'") == [("done",)]
    back = rep("opp", "move", "Lead", "--no-answer")
    assert back.exit_code == 0, back.output
    assert "(with your manager)" in back.output
    assert open_tasks(db, "lead_development")[-2:] == [
        ("turnaround_lead_plan", "Plan the next step to qualify the lead"),
        (
            "turnaround_lead_why",
            "Find out what the lead lacks: need, budget or the decision chain (with your manager)",
        ),
    ]


def test_a_chinese_team_reads_the_turnaround_in_chinese(rep, db) -> None:
    assert rep("rep", "edit", "wf@example.com", "--lang", "zh-CN").exit_code == 0
    rep("customer", "add", "大华")
    rep("opp", "add", "大华", "ERP", "--playbook", "solution-selling", "--stage", "guide_needs")
    tick_checklists(rep, db)  # what the rep confirms by hand, as they prepare
    rep("opp", "set", "ERP", *GUIDE_NEEDS)
    assert rep("opp", "move", "ERP", "--no-answer").exit_code == 0
    assert open_tasks(db, "develop_opportunity")[-2:] == [
        ("turnaround_vision_plan", "制定接近决策人的新方案（与顾问一起）"),
        ("turnaround_vision_why", "找出决策人没有形成包含我们的憧憬的原因（与经理一起）"),
    ]
