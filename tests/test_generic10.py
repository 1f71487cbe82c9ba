"""Seed 002's ten steps as the bundled `generic-10` playbook, walked on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesbench.core.playbook_load import load_playbook
from tests.conftest import PgDb, tick_checklists
from tests.test_cli_sop import js, q

pytestmark = pytest.mark.both_backends

BUNDLED = Path(__file__).parent.parent / "salesbench" / "playbooks"
TEN_STEPS = [
    "customer_analysis",
    "prospecting",
    "needs_confirmation",
    "product_demo",
    "quote_negotiation",
    "contract",
    "order_tracking",
    "after_sales",
    "satisfaction_survey",
    "performance_review",
]
# What a rep records at each step before moving on.
STEP_FIELDS = {
    "customer_analysis": [
        "industry=catering",
        "size=40 outlets",
        "needs=kitchen equipment for two new outlets",
        "preferences=steel, local service",
        "budget=800000",
        "competitors=KitchenPro",
        "buying_plan=opening two outlets in spring",
    ],
    "prospecting": [
        "lead_channel=trade_show",
        "first_contact_on=2026-11-23",
        "shared_resource=our catering case study",
    ],
    "needs_confirmation": [
        "specification=KX-200",
        "units=12",
        "needed_by=2027-02-01",
        "needs_confirmed=yes",
    ],
    "product_demo": ["demo_case=the Lotus outlets", "demo_on=2026-11-24", "open_questions=none"],
    "quote_negotiation": [
        "amount=760000",
        "quote_valid_until=2026-12-31",
        "quote_sent_on=2026-11-24",
        "agreed_terms=760k, 30% deposit",
    ],
    "contract": ["contract_checked=yes", "contract_signed_on=2026-11-25"],
    "order_tracking": [
        "order_passed_on=2026-11-25",
        "delivery_on=2027-01-20",
        "delivered_on=2027-01-20",
    ],
    "after_sales": ["issues=one oven door", "issues_resolved=yes"],
    "satisfaction_survey": [
        "survey_channel=phone",
        "satisfaction=4",
        "customer_suggestions=faster spare parts",
    ],
    "performance_review": ["review_notes=won on the case study"],
}
# Tasks a rep confirms by hand (no field says they are done).
MANUAL = {"customer_analysis": ["choose_approach"]}


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_generic10_has_seed_002s_ten_steps(language: str) -> None:
    text = (BUNDLED / f"generic-10.{language}.toml").read_text(encoding="utf-8")
    playbook = load_playbook(text)
    assert [s.key for s in playbook.stages] == TEN_STEPS
    keys = {f.key for f in playbook.fields}
    assert {"units", "satisfaction", "amount"} <= keys  # the performance review's measures


def test_a_deal_walks_through_the_ten_steps(cli, db: Path | PgDb) -> None:
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Lotus Catering").exit_code == 0
    opp = js(cli("opp", "add", "Lotus Catering", "Kitchens", "--playbook", "generic-10", "--json"))
    assert opp["stage_key"] == "customer_analysis"
    for n, stage in enumerate(TEN_STEPS):
        tick_checklists(cli, db, stage_key=stage)  # the rep confirms what the fields cannot
        result = cli("opp", "set", "Kitchens", *STEP_FIELDS[stage])
        assert result.exit_code == 0, result.output
        tick_checklists(cli, db, stage_key=stage)  # and the tasks the answers opened
        for task in MANUAL.get(stage, []):  # still open when it has no checklist to tick
            for (task_id,) in q(
                db, "SELECT id FROM task WHERE origin = ? AND status = 'open'", task
            ):
                done = cli("task", "done", str(task_id))
                assert done.exit_code == 0, done.output
        assert (
            q(db, "SELECT origin FROM task WHERE stage_key = ? AND status = 'open'", stage) == []
        ), stage
        if n + 1 == len(TEN_STEPS):
            break
        args = ["--yes-answer"] if stage == "quote_negotiation" else []
        moved = js(cli("opp", "move", "Kitchens", *args, "--json"))
        assert moved["opportunity"]["stage_key"] == TEN_STEPS[n + 1]
    assert cli("opp", "won", "Kitchens").exit_code == 0
    assert q(db, "SELECT status, stage_key, amount FROM opportunity") == [
        ("won", "performance_review", 76000000)
    ]
    moves = q(db, "SELECT from_stage, to_stage, via FROM stage_move")  # one clock: no order
    steps = [None, *TEN_STEPS]
    assert sorted(moves, key=lambda m: steps.index(m[1])) == [
        (steps[i], steps[i + 1], "start" if i == 0 else "advance") for i in range(len(TEN_STEPS))
    ]
    # the order passed to supply and the delivery each started their follow-up rule
    assert sorted(
        q(db, "SELECT origin, status FROM task WHERE origin_kind = 'rule' ORDER BY origin")
    ) == [("after_sales_check", "open"), ("order_progress_call", "open")]


def test_weekly_report_adds_units_and_satisfaction_where_recorded(cli, db: Path | PgDb) -> None:
    import json

    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    assert cli("customer", "add", "Lotus Catering").exit_code == 0
    assert cli("customer", "add", "Walk-in").exit_code == 0
    cli("opp", "add", "Walk-in", "Sofa", "--playbook", "retail-5")
    assert cli("opp", "won", "Sofa").exit_code == 0

    def deals() -> dict:
        result = cli("report", "weekly", "--all", "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["sections"]["opportunities"]

    # no playbook in use records units or satisfaction: no such columns
    assert not {"won_units", "satisfaction"} & {c["key"] for c in deals()["columns"]}

    for title, units, score in (("Kitchens", "12", "4"), ("Ovens", "3", "5")):
        cli("opp", "add", "Lotus Catering", title, "--playbook", "generic-10")
        assert cli("opp", "set", title, f"units={units}", f"satisfaction={score}").exit_code == 0
        assert cli("opp", "won", title).exit_code == 0
    assert sorted(q(db, "SELECT title, status FROM opportunity")) == [
        ("Kitchens", "won"),
        ("Ovens", "won"),
        ("Sofa", "won"),
    ]
    table = deals()
    assert {"won_units", "satisfaction"} <= {c["key"] for c in table["columns"]}
    total = next(r for r in table["rows"] if r["level"] == "total")
    assert (total["won"], total["won_units"], total["satisfaction"]) == (3, 15, 4.5)
