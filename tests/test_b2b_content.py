"""Seeds 000-003 in the bundled b2b-lifecycle, retail-5 and generic-10 playbooks, as a
rep meets them on the CLI: the first payment is chased every day until the money is
recorded, a "no" from legal or finance leaves the review open (and the review says
what each must check), both languages carry the same keys, and every element added
from the seeds shows in `task show` and `script list`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from salesbench.core.playbook import Playbook
from salesbench.core.playbook_load import load_playbook
from tests.conftest import NOW, rows, tick_checklists

pytestmark = pytest.mark.both_backends

BUNDLED = Path(__file__).parent.parent / "salesbench" / "playbooks"
LANGUAGES = ("en", "zh-CN")
PLAYBOOKS = ("b2b-lifecycle", "retail-5", "generic-10")

# What this work added from the seeds, by playbook: tasks (shown by `task show`) with
# the fields that make them appear, and scripts (listed by `script list`).
ADDED_TASKS: dict[str, dict[str, tuple[str, list[str]]]] = {
    # task key: (stage the deal is added at, `opp set` pairs that open the task)
    "b2b-lifecycle": {
        "prepare_visit": ("needs_research", []),
        "research": ("needs_research", []),
        "needs_report": ("needs_research", []),
        "feasibility_review": ("needs_research", []),
        "present": ("solution", []),
        "objections": ("negotiation", []),
        "meet_decision_maker": ("negotiation", []),
        "review": ("contract", []),
        "chase_first_payment": ("contract", ["contract_signed_on=2026-11-23"]),
        "resource_coordination": ("order_execution", ["order_number=SO-1"]),
        "final_payment": ("order_execution", []),
    },
    "generic-10": {
        "research_customer": ("customer_analysis", []),
        "first_contact": ("prospecting", []),
        "share_value": ("prospecting", []),
        "needs_interview": ("needs_confirmation", []),
        "prepare_demo": ("product_demo", []),
        "give_demo": ("product_demo", []),
        "send_quote": ("quote_negotiation", []),
        "negotiate_terms": ("quote_negotiation", []),
    },
}
ADDED_SCRIPTS = {
    "b2b-lifecycle": [
        "visit_cancelled",
        "spin_questions",
        "demo_case_video",
        "semi_open_feedback",
        "cost_split_roi",
        "introduce_decision_maker",
        "resource_coordination_notice",
        "final_payment_late",
        "care_visit_request",
    ],
    "retail-5": ["current_offer"],
}
# timed rules added: the pairs that fire each (on a deal at any stage)
ADDED_RULES = {
    "credit_check": ["screening_result=qualified"],
    "gift_limit": ["gift_given=industry book"],
    "a_grade_monthly_visit": ["care_tier=key account"],
    "b_grade_monthly_call": ["care_tier=standard"],
}


def js(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def playbook(key: str, language: str) -> Playbook:
    path = BUNDLED / f"{key}.{language}.toml"
    return load_playbook(path.read_text(encoding="utf-8"), str(path))


@pytest.fixture
def rep(cli):
    assert cli("init", "--name", "Wang Fang", "--email", "wf@example.com").exit_code == 0
    return cli


def speak(rep, language: str) -> None:
    assert rep("rep", "edit", "wf@example.com", "--lang", language).exit_code == 0


def at(monkeypatch: pytest.MonkeyPatch, day: int, hour: int = 2) -> None:
    """Move the CLI's clock to `day` of NOW's month (02:00 UTC: 10:00 in Shanghai)."""
    monkeypatch.setenv("SALESBENCH_NOW", NOW.replace(day=day, hour=hour).isoformat())


def chases(db) -> list[tuple[Any, ...]]:
    return rows(
        db,
        "SELECT status, completed_how, due_at FROM task "
        "WHERE origin = 'chase_first_payment' ORDER BY due_at, status",
    )


def short(task_id: Any) -> str:
    return str(task_id).replace("-", "")[:8]


def open_chase(db) -> str:
    found = rows(db, "SELECT id FROM task WHERE origin = 'chase_first_payment' AND status = 'open'")
    assert len(found) == 1, found
    return short(found[0][0])


def test_the_first_payment_is_chased_every_day_until_it_is_recorded(
    rep, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "b2b-lifecycle", "--stage", "contract")
    signed = js(rep("opp", "set", "ERP", "contract_signed_on=2026-11-23", "--json"))
    assert "chase_first_payment" in [t["origin"] for t in signed["created"]]
    assert [c[:2] for c in chases(db)] == [("open", None)]
    # each day the money is not in: "done" is refused, done anyway says why, and the
    # next day's chase follows, due a day later
    for n, day in enumerate((24, 25), start=1):
        at(monkeypatch, day)
        chase = open_chase(db)
        assert "chase_first_payment" in json.dumps(js(rep("queue", "--json")))  # today's work
        refused = rep("task", "done", chase)
        assert refused.exit_code == 2
        assert "First payment received" in refused.output
        why = "their finance releases it soon"
        assert rep("task", "done", chase, "--reason", why).exit_code == 0
        found = chases(db)
        assert [c[:2] for c in found] == [("done", "manual")] * n + [("open", None)]
        assert found[-1][2] > found[-2][2]  # tomorrow's
    reasons = rows(db, "SELECT custom FROM task WHERE origin = 'chase_first_payment'")
    assert sum("their finance releases it soon" in str(r[0]) for r in reasons) == 2
    # the money arrives: the open chase closes itself and no new one is made
    at(monkeypatch, 26)
    paid = js(rep("opp", "set", "ERP", "first_payment_on=2026-11-26", "--json"))
    assert "chase_first_payment" in [t["origin"] for t in paid["completed"]]
    assert "chase_first_payment" not in [t["origin"] for t in paid["created"]]
    assert [c[:2] for c in chases(db)] == [("done", "manual")] * 2 + [("done", "auto")]
    # the day after, nothing to chase
    at(monkeypatch, 27)
    queue = js(rep("queue", "--json"))
    assert "chase_first_payment" not in json.dumps(queue)
    assert len(chases(db)) == 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_from_legal_or_finance_leaves_the_review_open(rep, db, language: str) -> None:
    speak(rep, language)
    pb = playbook("b2b-lifecycle", language)
    review = pb.task("review")
    rep("customer", "add", "Big Co")
    rep("opp", "add", "Big Co", "ERP", "--playbook", "b2b-lifecycle", "--stage", "contract")
    out = js(rep("opp", "set", "ERP", "legal_reviewed=no", "finance_reviewed=no", "--json"))
    assert out["completed"] == []
    assert rows(db, "SELECT status FROM task WHERE origin = 'review'") == [("open",)]
    task = short(rows(db, "SELECT id FROM task WHERE origin = 'review'")[0][0])
    shown = rep("task", "show", task)
    assert shown.exit_code == 0
    # what each reviewer checks is on the task, beside the two yes-criteria
    for item in review.check:
        assert item in shown.output
    words = ("违约责任", "发票类型") if language == "zh-CN" else ("breach", "invoice type")
    assert all(w in shown.output for w in words)
    refused = rep("task", "done", task)
    assert refused.exit_code == 2
    assert rows(db, "SELECT status FROM task WHERE origin = 'review'") == [("open",)]
    rep("opp", "set", "ERP", "legal_reviewed=yes")
    assert rows(db, "SELECT status FROM task WHERE origin = 'review'") == [("open",)]
    rep("opp", "set", "ERP", "finance_reviewed=yes")  # both yes, what each checked unticked
    assert rows(db, "SELECT status FROM task WHERE origin = 'review'") == [("open",)]
    tick_checklists(rep, db, origin="review")
    assert rows(db, "SELECT status, completed_how FROM task WHERE origin = 'review'") == [
        ("done", "auto")
    ]


def _shape(pb: Playbook) -> dict[str, Any]:
    """Everything of a playbook but its words: keys, types, criteria, links, rules."""
    return {
        "fields": [(f.key, f.type, f.on, f.choices) for f in pb.fields],
        "stages": [
            (
                s.key,
                s.probability,
                s.rot_days,
                len(s.exit_criteria),
                s.gate and (s.gate.turnaround, s.gate.on_no, s.gate.on_yes, s.gate.not_after),
                [
                    (
                        t.key,
                        t.complete_when,
                        str(t.due),
                        t.required,
                        t.on_entry,
                        t.scripts,
                        [(c.task, str(c.after), c.mode) for c in t.chains],
                        [(c.field, c.op, c.value) for c in t.criteria],
                        len(t.check),
                        len(t.skills),
                        t.role,
                    )
                    for t in s.tasks
                ],
            )
            for s in pb.stages
        ],
        "scripts": [(s.key, s.channel, s.stage, s.requires) for s in pb.scripts],
        "timed": [
            (r.key, r.when, r.equals, str(r.due), r.complete_when, r.scripts, r.once)
            for r in pb.timed_rules
        ],
        "status": [(r.key, r.when, r.equals, r.customer_status, r.scope) for r in pb.status_rules],
        "modes": [m.key for m in pb.modes],
        "cadence": pb.cadence_days,
    }


@pytest.mark.parametrize("key", PLAYBOOKS)
def test_english_and_chinese_carry_the_same_keys_everywhere(key: str) -> None:
    en, zh = _shape(playbook(key, "en")), _shape(playbook(key, "zh-CN"))
    for part in en:
        assert en[part] == zh[part], f"{key}: the {part} differ between en and zh-CN"


@pytest.mark.parametrize("key", PLAYBOOKS)
def test_the_bundled_playbooks_validate_without_a_warning(rep, key: str) -> None:
    for language in LANGUAGES:
        result = rep("playbook", "validate", str(BUNDLED / f"{key}.{language}.toml"))
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output, result.output


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_task_added_from_the_seeds_shows_in_task_show(rep, db, language: str) -> None:
    speak(rep, language)
    rep("customer", "add", "Big Co")
    for key, tasks in ADDED_TASKS.items():
        pb = playbook(key, language)
        for n, (task_key, (stage, pairs)) in enumerate(tasks.items()):
            title = f"{key}-{n}"
            added = rep("opp", "add", "Big Co", title, "--playbook", key, "--stage", stage)
            assert added.exit_code == 0, added.output
            if pairs:
                assert rep("opp", "set", title, *pairs).exit_code == 0
            found = rows(
                db,
                "SELECT t.id FROM task t JOIN opportunity o ON o.id = t.opportunity_id "
                "WHERE o.title = ? AND t.origin = ? AND t.status = 'open'",
                title,
                task_key,
            )
            assert len(found) == 1, (key, task_key, found)
            shown = rep("task", "show", short(found[0][0]))
            assert shown.exit_code == 0, shown.output
            task = pb.task(task_key)
            assert task.title in shown.output
            for text in (*task.check, *task.skills):
                assert text in shown.output, (key, task_key, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_script_added_from_the_seeds_is_listed(rep, language: str) -> None:
    for key, scripts in ADDED_SCRIPTS.items():
        listed = js(rep("script", "list", "-p", key, "--lang", language, "--json"))
        titles = {s["key"]: s["title"] for s in listed}
        pb = playbook(key, language)
        for script in scripts:
            assert titles.get(script) == pb.script(script).title, (key, script)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rules_added_from_the_seeds_make_their_tasks(rep, db, language: str) -> None:
    speak(rep, language)
    pb = playbook("b2b-lifecycle", language)
    titles = {r.key: r.title for r in pb.timed_rules}
    rep("customer", "add", "Big Co")
    for n, (rule, pairs) in enumerate(ADDED_RULES.items()):
        title = f"deal-{n}"
        rep("opp", "add", "Big Co", title, "--playbook", "b2b-lifecycle", "--stage", "contract")
        out = js(rep("opp", "set", title, *pairs, "--json"))
        assert rule in [t["origin"] for t in out["created"]], (rule, out)
        found = rows(
            db,
            "SELECT t.title FROM task t JOIN opportunity o ON o.id = t.opportunity_id "
            "WHERE o.title = ? AND t.origin = ?",
            title,
            rule,
        )
        assert found == [(titles[rule],)]


def test_a_retail_deal_records_its_promotions_for_the_offer_scripts(rep, db) -> None:
    rep("customer", "add", "Li Na")
    rep("opp", "add", "Li Na", "Sofa", "--playbook", "retail-5", "--stage", "negotiation")
    before = rep("script", "render", "current_offer", "--opp", "Sofa")
    assert "missing: Current promotions" in before.output  # not sendable without the offer
    rep("opp", "set", "Sofa", "promotions=free delivery until the end of November")
    after = rep("script", "render", "current_offer", "--opp", "Sofa")
    assert after.exit_code == 0, after.output
    assert "free delivery until the end of November" in after.output
    assert "missing" not in after.output
    stored = rows(db, "SELECT custom FROM opportunity WHERE title = 'Sofa'")
    assert "free delivery until the end of November" in str(stored[0][0])
    pb = playbook("retail-5", "en")
    offers = [s.key for s in pb.scripts if "promotions" in s.requires]
    assert {"current_offer", "invite_event"} <= set(offers)
    assert "current_offer" in pb.task("quote").scripts


def test_too_expensive_is_answered_with_the_deals_own_cost_split_and_roi_case(rep, db) -> None:
    speak(rep, "zh-CN")
    rep("customer", "add", "华东家具")
    rep("opp", "add", "华东家具", "ERP", "--playbook", "b2b-lifecycle", "--stage", "negotiation")
    before = rep("script", "render", "cost_split_roi", "--opp", "ERP")
    assert "missing" in before.output  # no invented figures: each fact is asked for
    case = "华南某连锁：上线三个月对账提效三成，有验收报告"
    pairs = ["daily_cost=300", "current_monthly_cost=40000", "payback_months=4", f"roi_case={case}"]
    assert rep("opp", "set", "ERP", *pairs).exit_code == 0
    stored = rows(db, "SELECT custom FROM opportunity WHERE title = 'ERP'")[0][0]
    assert case in str(stored)
    after = rep("script", "render", "cost_split_roi", "--opp", "ERP")
    assert after.exit_code == 0, after.output
    assert case in after.output
    assert "4个月就能回本" in after.output
    assert "missing" not in after.output


@pytest.mark.parametrize(
    ("tier", "rule"),
    [("key account", "a_grade_monthly_visit"), ("standard", "b_grade_monthly_call")],
)
def test_the_key_accounts_visit_and_the_standard_call_come_back_every_month(
    rep, db, monkeypatch: pytest.MonkeyPatch, tier: str, rule: str
) -> None:
    rep("customer", "add", "Big Co")
    rep(
        "opp",
        "add",
        "Big Co",
        "ERP",
        "--playbook",
        "b2b-lifecycle",
        "--stage",
        "account_maintenance",
    )
    js(rep("opp", "set", "ERP", f"care_tier={tier}", "--json"))
    rounds = "SELECT status, due_at FROM task WHERE origin = ? ORDER BY due_at"
    assert [r[0] for r in rows(db, rounds, rule)] == ["open"]
    first_due = rows(db, rounds, rule)[0][1]
    at(monkeypatch, 24)
    (first,) = rows(db, "SELECT id FROM task WHERE origin = ? AND status = 'open'", rule)[0]
    js(rep("task", "done", short(first), "--json"))
    made = rows(db, rounds, rule)
    assert [r[0] for r in made] == ["done", "open"]  # next month's is on the list
    assert str(made[1][1]) > str(first_due)
    assert str(made[1][1])[:10] == "2026-12-24"  # a month after it was done (the 24th)
    # a customer moved to another tier is not visited on the old one's rhythm
    rep("opp", "set", "ERP", "care_tier=light")
    (second,) = rows(db, "SELECT id FROM task WHERE origin = ? AND status = 'open'", rule)[0]
    js(rep("task", "done", short(second), "--json"))
    assert [r[0] for r in rows(db, rounds, rule)] == ["done", "done"]


def test_a_rule_that_comes_back_more_than_once_a_day_is_refused_with_its_place() -> None:
    from salesbench.core.playbook_load import check_playbook

    text = (BUNDLED / "b2b-lifecycle.en.toml").read_text(encoding="utf-8")
    good = 'every = "P30D"'
    line = text[: text.index(good)].count("\n") + 1
    for bad, says in [('every = "PT1H"', "a day or longer"), ('every = "monthly"', "every")]:
        playbook, problems = check_playbook(text.replace(good, bad, 1))
        assert playbook is None
        assert [p.line for p in problems] == [line], problems
        assert says in problems[0].message
